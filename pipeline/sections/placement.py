"""What every offline rule pass reads and writes (`Placement`): the corpus's claims, their index and
groups, each section's budget, which claims an item already took, and who holds each claim's position
(named, in apposition, or a pronoun the sentences before resolve). Shared by the passes in `offline` and
`positions`."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cached_property

from ..cluster.group import group_claims
from ..cluster.similarity import ClaimIndex
from ..models import BriefItem, Claim, Document, Evidence, Limits, Variant
from ..text.attribution import SAY, PartyIndex, find_parties
from ..text.lexical import content_terms
from ..text.sentences import split_sentences
from ..verify.signals import figures, same_figure
from .corroborate import Corroborator
from .items import make_item
from .rules import ACCOUNTS, divergence_problem, is_statement, leans_on_previous, speaker
from .verdicts import get_judge


# Demands and refusals, not softer stance words: these are what make a position a point of divergence.
# "conditions for", "conditional on", not a patient's "critical condition"
DEMAND = re.compile(r"\b(?:insist\w*|demand\w*|condition(?:s|ed|al)?\s+(?:for|on|that|of)|preconditions?|call(?:ed|s)?\s+for|stipulat\w*|reject\w*|refus\w*|"
                    r"essential|adamant|urg(?:ed|ing)|oppos\w*|accept\w*|must|warn\w*)\b", re.IGNORECASE)
# Parties reported to have agreed: stricter than a stance word ("welcomed" is one party's view).
AGREED = re.compile(r"\b(?:agreed|agree\s+(?:to|on|that)|reached\s+(?:an?\s+)?(?:agreement|deal)|"
                    r"both\s+(?:leaders|sides|governments|parties|countries|men|women|companies|camps)\b"
                    r"(?:\s+\w+){0,3}\s+(?:agreed|accepted|committed|pledged|signed|welcomed|want\w*))", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|no|never|without|n't|failed\s+to|refus\w+\s+to)\b", re.IGNORECASE)

SAME_POINT = 0.2  # two parties' positions on one point
MAX_TOLD = 3  # a side's sentences shown, one per outlet
JOIN_POINT = 0.3  # a claim this close (names left out) to a side of a divergence is on that side


# a sentence that opens by answering the one before it ("X's version, however, ...", "But ...")
OPENING_CONTRAST = re.compile(r"^(?:(?:[\w'\u2019.,-]+\s+){1,8}(?:however|by\s+contrast|in\s+contrast|conversely),|"
                               r"(?:but|however|by\s+contrast|in\s+contrast)\b)", re.IGNORECASE)


def sentence_index(c: Claim) -> int:
    return int(c.id.rsplit(":s", 1)[1]) if ":s" in c.id else -1


_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
# the named subject a sentence opens with, after a few words of title: "Harbour authority chief Tom Reyes visited"
_NAMED_SUBJECT = re.compile(r"^(?:[A-Za-z'\u2019-]+\s+){0,4}?((?:[A-Z][\w'\u2019-]+\s+)*[A-Z][\w'\u2019-]+)\s+"
                            r"(?:(?:has\s+|had\s+|was\s+|is\s+)?[a-z]+(?:ed|s)|(?:was|is)\s+[a-z]+\s+that)\b")
# ... or a full name set in apposition before its verb: "the leader of the council, Sam Poe, made no attempt to"
_APPOSED_SUBJECT = re.compile(r",\s+((?:[A-Z][\w'\u2019-]+\s+){1,3}[A-Z][\w'\u2019-]+),\s+"
                             r"(?!(?:who|which|where|when|whose|that|a|an|the|and|or|but|in|at|on)\b)[a-z]+\b")
# a quotation the sentence gives to a pronoun after it ('"...," she said.'): whose it is, the sentences before say
_PRONOUN_SAID = re.compile(rf"[,\"\u201d]\s*(?:he|she|they)\s+(?:{SAY})\b", re.IGNORECASE)
SAID_VERB = re.compile(rf"\b{SAY}\b")
# a quotation closed and attributed: '... next," she said.', '... next," Farrow added.'
_CLOSED_THEN_SAID = re.compile(rf"^[^\u201c\"]*[,.!?][\u201d\"]\s*(?:[A-Za-z.'\u2019-]+\s+){{1,4}}?{SAY}\b")


def by_centrality(members: list[Claim], index: ClaimIndex, pos: dict[str, int]) -> list[Claim]:
    """The members, most like the others (centrality) first, preferring sentences that stand on their own."""
    def key(c: Claim):
        centrality = sum(index.similarity(pos[c.id], pos[o.id]) for o in members if o is not c)
        return (leans_on_previous(c.statement), -round(centrality, 6), len(c.statement), c.id)
    return sorted(members, key=key)


def representative(members: list[Claim], index: ClaimIndex, pos: dict[str, int]) -> Claim:
    """The member most like the others (`by_centrality`)."""
    return by_centrality(members, index, pos)[0]


def parties_of(c: Claim, parties: PartyIndex) -> set[str]:
    return (parties.mentioned(c.statement) | {c.holder}) - {None, ""}


def side_of(c: Claim, label: str | None = None) -> Variant:
    value = f"{label}: {c.statement}" if label else c.statement
    return Variant(value=value, sources=list(dict.fromkeys(c.carriers or [c.doc_id])))


def holder_of(c: Claim, parties: PartyIndex, besides: set[str] | None = None) -> str | None:
    """Whose position a side states: the claim's holder, else the speaker its sentence opens with, else
    (given the parties the other side names, `besides`) the one other party its sentence names."""
    if c.holder:
        return c.holder
    if said := speaker(c.statement):
        return said
    if besides is None:
        return None
    named = sorted(parties.mentioned(c.statement) - set(besides))
    return named[0] if len(named) == 1 else None


class Placement:
    """What every rule pass reads and writes: the corpus's claims and their index, the groups of claims that
    state one fact, each section's budget, and which claims an item already took (a claim lands once)."""

    def __init__(self, claims: list[Claim], group_of: Callable[[str], int],
                 independent: Callable[[list[str]], int], limits: Limits, docs: list[Document] | None = None,
                 judge=None):
        self.claims, self.group_of, self.independent = claims, group_of, independent
        self.texts = {d.id: d.text for d in docs or []}
        self.titles = {d.id: d.meta.title or "" for d in docs or []}
        self.judge = judge or get_judge()
        self.out: dict[str, list[BriefItem]] = {"agreements": [], "divergences": [], "unsaid": [], "single_source": []}
        self.index = ClaimIndex(claims)
        self.parties = find_parties(claims)  # the corpus's parties, by any of their names
        self.pos = {c.id: i for i, c in enumerate(claims)}
        self.by_id = {c.id: c for c in claims}
        self.groups = [[claims[i] for i in g] for g in group_claims(self.index, group_of)]
        distinct = sum(1 for g in self.groups if self.reach(g) >= 2)
        self.budget = {name: limits.budget(name, distinct) for name in self.out}
        self.budget["agreements"] = limits.agreements  # no floor: only what two sources state is one
        self.corroborator = Corroborator(claims, self.index, group_of, self.judge, self.texts)
        self.disputed: set[str] = set()  # claims a divergence cites: no agreement may rest on them
        self.accounts: set[str] = set()  # ... the sides of two accounts set side by side: no agreement's statement
        self.disputed_figures: dict[str, set[float]] = {}  # ... a figure conflict's claims: the figures at issue
        self.disputed_words: dict[str, set[str]] = {}  # ... and the sides' wordings ('"Dozens of firefighters"')
        # a rough topicality score: how much of the corpus a claim's words are shared with
        self.topical = {c.id: sum(len(self.index.postings.get(t, ())) for t in self.index.vectors[i])
                        for i, c in enumerate(claims)}
        self.used: set[str] = set()
        self.absent: set[str] = set()
        self._holders: dict[str, str | None] = {}
        self._before: dict[str, str] = {}
        self.points: list[dict] = []  # divergences of two parties on one point, their sides' claims

    def reach(self, members: list[Claim]) -> int:
        return self.independent([d for c in members for d in (c.carriers or [c.doc_id])])

    def take(self, members: list[Claim]) -> None:
        self.used.update(c.id for c in members)

    def take_absences(self, members: list[Claim]) -> None:
        """An absence's claims: no other absence or single-source item takes them, but a sentence that also
        states what was agreed ("agreed on X but stopped short of Y") may still back an agreement."""
        self.absent.update(c.id for c in members)

    def fresh(self, members: list[Claim]) -> list[Claim]:
        return [c for c in members if c.id not in self.used]

    def room(self, name: str) -> bool:
        return len(self.out[name]) < self.budget[name]

    def add(self, name: str, statement: str, claims: list[Claim], **kw) -> None:
        self.out[name].append(make_item(name, statement, claims, independent=self.independent, **kw))

    def holder(self, c: Claim) -> str | None:
        """Whose position the claim states (`holder_of`), cached."""
        if c.id not in self._holders:
            h = holder_of(c, self.parties)
            if h is None and _PRONOUN_SAID.search(c.statement):
                h = "she"
            if h is None:
                h = self._quote_closer(c)
            self._holders[c.id] = self._antecedent(c) if h and h.lower() in _PRONOUNS else h
        return self._holders[c.id]

    @cached_property
    def by_pos(self) -> dict[tuple[str, int], Claim]:
        """Each claim by (document, sentence index): the sentence before a claim, for the rules that read it."""
        return {(m.doc_id, sentence_index(m)): m for m in self.claims}

    def _in_article(self, c: Claim) -> tuple[str, Evidence | None]:
        """The claim's article text and its span there (None when the placement has no text for it)."""
        text = self.texts.get(c.doc_id, "")
        return text, next((e for e in c.evidence if e.doc_id == c.doc_id), None) if text else None

    def sentence_before(self, c: Claim) -> str:
        """The sentence before a claim's in its article, read from the text (a short one, "Corriston rejected
        that account.", is no claim but says whose the next sentence is); cached: the charge pass asks for
        every pair it weighs."""
        if c.id not in self._before:
            text, ev = self._in_article(c)
            if ev is None:
                prev = self.by_pos.get((c.doc_id, sentence_index(c) - 1))
                self._before[c.id] = prev.statement if prev else ""
            else:
                # a quote's opening mark may sit just before the evidence span: skip back over it first
                sents = split_sentences(text[max(0, ev.start - 600):ev.start].rstrip(" \t\u201c\""), min_words=1)
                self._before[c.id] = sents[-1].strip() if sents else ""
        return self._before[c.id]

    def _quote_closer(self, c: Claim) -> str | None:
        """Who says a sentence that opens a quotation closed in the next one ('"The decision was lawful. We
        will study the judgment," she said.'): the next sentence's holder."""
        text, ev = self._in_article(c)
        if ev is None:
            return None
        opened = text[max(0, ev.start - 2):ev.start + 1].lstrip()[:1] in "\u201c\"" and \
            not re.search(r"[\u201d\"]", text[ev.start + 1:ev.end])
        nxt = self.by_pos.get((c.doc_id, sentence_index(c) + 1))
        if not opened or nxt is None or not _CLOSED_THEN_SAID.search(nxt.statement):
            return None
        return self.holder(nxt)

    def _antecedent(self, c: Claim) -> str | None:
        """Who "He said ..." is: the named holder of the nearest of the three sentences before it in its
        article, or None (a pronoun is no holder a reader can place)."""
        at = sentence_index(c)
        for back in range(1, 4):
            prev = self.by_pos.get((c.doc_id, at - back))
            if prev is None:
                continue
            h = holder_of(prev, self.parties)
            if h and h.lower() not in _PRONOUNS:
                return h
            text = " ".join(prev.statement.split())
            named = _NAMED_SUBJECT.match(text) or _APPOSED_SUBJECT.search(text)
            if named:
                return named.group(1)
        return None

    def point_similarity(self, i: int, j: int) -> float:
        """Cosine of what two claims say, their holders' names left out: two parties' names weigh more than
        the point they disagree on ("the Friends group said the council had refused to consult residents" /
        "Council leader Mara Quint said residents had been consulted")."""
        def point(k: int) -> dict[str, float]:
            names = set(content_terms(self.holder(self.claims[k]) or ""))
            vec = {t: w for t, w in self.index.vectors[k].items() if t not in names}
            norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
            return {t: w / norm for t, w in vec.items()}
        a, b = point(i), point(j)
        return sum(w * b.get(t, 0.0) for t, w in a.items())

    def alike(self, i: int, j: int) -> float:
        """How alike two claims are as points: the corpus cosine, or the cosine without holders' names when
        that is higher (the position, date and charge passes all read this)."""
        return max(self.index.similarity(i, j), self.point_similarity(i, j))

    def statement_ok(self, c: Claim) -> bool:
        return is_statement(c, self.texts, self.titles)

    def add_divergence(self, statement: str, claims: list[Claim], variants: list[Variant], **kw) -> bool:
        """A divergence, when its sides hold (`rules.divergence_problem`); False when they do not."""
        if divergence_problem(variants, figures=kw.get("basis") == "conflicting-figures") is not None:
            return False
        self.add("divergences", statement, claims, variants=variants, **kw)
        if kw.get("basis") in ACCOUNTS:  # may be credited to an agreement, never state one
            self.accounts.update(c.id for c in claims)
            return True
        if kw.get("basis") == "conflicting-figures":
            at_issue = {v for var in variants for v in figures(var.value)}
            for c in claims:
                self.disputed_figures.setdefault(c.id, set()).update(at_issue)
                self.disputed_words.setdefault(c.id, set()).update(var.value for var in variants)
        else:
            self.disputed.update(c.id for c in claims)
        return True

    def backs(self, c: Claim, statement: str) -> bool:
        """Whether claim c may back an agreement on `statement`: no divergence sets it against another
        telling, or only a figure conflict does and the statement gives none of the figures at issue ("after
        nearly two hours of talks, both leaders agreed a 30-day truce" backs the truce, not the call length)."""
        if c.id in self.disputed:
            return False
        at_issue = self.disputed_figures.get(c.id)
        return not at_issue or not any(same_figure(v, w) for v in figures(statement) for w in at_issue)

    def add_point(self, statement: str, sides: list[tuple[str | None, Claim]], **kw) -> bool:
        """A divergence of two parties on one point; a pair on a point a divergence already holds joins its
        sides instead (more sources for a side, never a second item for one conflict)."""
        if self._join_point(sides):
            return True
        variants = [side_of(c, h) for h, c in sides]
        if not self.add_divergence(statement, [c for _, c in sides], variants, **kw):
            return False
        self.points.append({"at": len(self.out["divergences"]) - 1, "holders": [h for h, _ in sides],
                            "sides": [[c] for _, c in sides], "statement": statement, "kw": kw})
        return True

    def _join_point(self, sides: list[tuple[str | None, Claim]]) -> bool:
        for point in self.points:
            near = []
            for _, c in sides:
                near.append(max(((self.point_similarity(self.pos[c.id], self.pos[m.id]), k)
                                 for k, side in enumerate(point["sides"]) for m in side), default=(0.0, 0)))
            if max(s for s, _ in near) < JOIN_POINT:
                continue
            placed = [k if s >= JOIN_POINT else None for s, k in near]
            for n, k in enumerate(placed):  # one close to a side: the other is on the other side
                if k is None:
                    other = placed[1 - n]
                    placed[n] = 1 - other if other in (0, 1) else 0
            for (_, c), k in zip(sides, placed):
                if c not in point["sides"][k]:
                    point["sides"][k].append(c)
                    self.disputed.add(c.id)
            self.rebuild(point)
            return True
        return False

    def corroborate_points(self) -> None:
        """Each side of a two-party divergence credited with every source the verifier says states it."""
        def near(c: Claim, side: list[Claim]) -> float:
            return max(self.point_similarity(self.pos[c.id], self.pos[m.id]) for m in side)

        for point in self.points:
            for k, side in enumerate(point["sides"]):
                others = [m for n, s in enumerate(point["sides"]) if n != k for m in s]
                for c in list(side):
                    groups = {self.group_of(d) for m in side for d in (m.carriers or [m.doc_id])}
                    cands = [f for fs in self.corroborator.candidates(c.statement, groups).values() for f in fs
                             if f not in side and f not in others and f.id not in self.used]
                    # a side's sentence may hold both positions ("X said ..., but Y said ..."): a candidate it
                    # contains counts, when it is nearer this side than the other
                    one = self.judge.supports_many([(c.statement, f.statement) for f in cands])
                    two = self.judge.supports_many([(f.statement, c.statement) for f in cands])
                    for f, a, b in zip(cands, one, two):
                        if (a or b) and f not in side and (not others or near(f, side) > near(f, others)):
                            side.append(f)
                            self.disputed.add(f.id)
            self.rebuild(point)

    def rebuild(self, point: dict) -> None:
        claims = [c for side in point["sides"] for c in side]
        variants = [Variant(value=f"{h}: {self._told(side)}" if h else self._told(side),
                            sources=list(dict.fromkeys(d for c in side for d in (c.carriers or [c.doc_id]))))
                    for h, side in zip(point["holders"], point["sides"])]
        self.out["divergences"][point["at"]] = make_item("divergences", point["statement"], claims,
                                                         independent=self.independent, variants=variants,
                                                         **point["kw"])

    def _told(self, side: list[Claim]) -> str:
        """A side as its outlets tell it: one sentence per outlet, the first MAX_TOLD, none repeating another
        ("shut out of the process" and '"They never consulted us"' are one position in two outlets' words)."""
        told: list[str] = []
        groups: set[int] = set()
        for c in side:
            g = self.group_of(c.doc_id)
            if g in groups or len(told) >= MAX_TOLD or any(self.judge.same_fact(c.statement, t) for t in told):
                continue
            groups.add(g)
            told.append(c.statement)
        return " ".join(told)
