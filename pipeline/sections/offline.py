"""The offline engine's merge: rule passes that place grouped claims into sections that mean their names.

- Key agreements: facts two or more independent sources state, as the judge (`verdicts`) confirms over every
  source (`corroborate`); an agreement the parties are reported to have made counts only when two or more
  independent sources report it. No floor and no looser second grouping: a brief may have none.
- Points of divergence: figures independent sources report differently; positions of different parties
  on the same point that conflict (never a party with itself: `PartyIndex.same_party`); a sentence
  answering another party's ("X said ...; Y, however, ..."); one point another independent source sets
  against something. Every side names its holder and its sources, and no two sides share both (`rules`).
- Things unsaid: only absences a source states ("has not said", "declined to say", "no mention of": `rules`),
  and what one party's statement covered that another party's left out when both are reported (`coverage`).
- Reported by one source only (`single_source`): salient facts no other source carries; never "unsaid".

Every item's statement is a sentence (a subject and a verb), not a list item completing a lead-in and not a
headline (`rules.is_statement`); a fact that is also disputed (a figure conflict cites it) is no agreement.
A claim lands in one item at most, in pass order (`PASSES`).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from functools import cached_property

from ..cluster.figures import conflicting_numbers, quantity_conflicts
from ..cluster.group import group_claims
from ..cluster.similarity import ClaimIndex
from ..ground.check import ground_item
from ..models import BriefItem, Claim, ClaimKind, Document, Limits, Variant
from ..text.absence import absent_part, comparable_absences, same_question
from ..text.clauses import joined_claims, shorter_statements, without_conjunct
from ..text.quantities import find_quantities
from ..text.attribution import ABSENCE, CONTRAST, SAY, PartyIndex, find_parties, institutions, speaker_head
from ..text.lexical import content_terms
from ..verify.signals import figures, same_figure
from .corroborate import Corroborator
from .coverage import omissions
from .items import make_item
from .measures import joined_measures
from .rules import ACCOUNTS, divergence_problem, is_sentence, is_statement, leans_on_previous, speaker, stated_absence
from .verdicts import get_judge

# Demands and refusals, not softer stance words: these are what make a position a point of divergence.
# "conditions for", "conditional on", not a patient's "critical condition"
DEMAND = re.compile(r"\b(?:insist\w*|demand\w*|condition(?:s|ed|al)?\s+(?:for|on|that|of)|preconditions?|call(?:ed|s)?\s+for|stipulat\w*|reject\w*|refus\w*|"
                    r"essential|adamant|urg(?:ed|ing)|oppos\w*|accept\w*|must|warn\w*)\b", re.IGNORECASE)
# Parties reported to have agreed: stricter than a stance word ("welcomed" is one party's view).
AGREED = re.compile(r"\b(?:agreed|agree\s+(?:to|on|that)|reached\s+(?:an?\s+)?(?:agreement|deal)|"
                    r"both\s+(?:leaders|sides|governments|parties|countries|men|women|companies|camps)\b"
                    r"(?:\s+\w+){0,3}\s+(?:agreed|accepted|committed|pledged|signed|welcomed|want\w*))", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|never|without|n't|failed\s+to|refus\w+\s+to)\b", re.IGNORECASE)

SAME_POINT = 0.2  # two parties' positions on one point
JOIN_POINT = 0.3  # a claim this close (names left out) to a side of a divergence is on that side
# One point told by two independent sources, one side contrasting: chosen on the AllSides dev half
# (divergence recall 0.071 -> 0.077 at 0.25 and 3 pairs, recall 0.180 -> 0.181; 0.075 at 0.2, 0.071 at
# 0.3 and above; leaving out pairs grouped as one fact, the same; pairs of different speakers
# alone added nothing; every same-point pair, conflict or not, 0.097, but that is no divergence; a
# negation on one side or a sentence-opening contrast too, 0.086, but "ended without a deal" / "broke
# up" is no conflict and an opening "But" answers its own source's sentence before it).
CROSS_POINT = 0.25
CROSS_MAX = 3


def _absence_substance(text: str) -> int:
    """Content words beyond the absence cue: 'Some points were notable by their absence' has none."""
    return len(content_terms(ABSENCE.sub(" ", text), drop_reporting=True))


_OPENING_CONTRAST = re.compile(r"^(?:(?:[\w'\u2019.,-]+\s+){1,8}(?:however|by\s+contrast|in\s+contrast|conversely),|"
                               r"(?:but|however|by\s+contrast|in\s+contrast)\b)", re.IGNORECASE)


# contrast connectives only: "disputes" or "differences" in a sentence name a topic, not a turn
_CONNECTIVE = re.compile(r"\b(?:however|but|whereas|while|conversely|by\s+contrast|in\s+contrast|instead|"
                         r"on\s+the\s+other\s+hand|despite)\b", re.IGNORECASE)


def _inner_contrast(text: str) -> bool:
    """A contrast inside the sentence, not one opening it (that one answers the sentence before)."""
    return any(m.start() > 0 for m in _CONNECTIVE.finditer(_OPENING_CONTRAST.sub("", text, count=1)))


def _sentence_index(c: Claim) -> int:
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
_SAID = re.compile(rf"\b{SAY}\b")


def _by_centrality(members: list[Claim], index: ClaimIndex, pos: dict[str, int]) -> list[Claim]:
    """The members, most like the others (centrality) first, preferring sentences that stand on their own."""
    def key(c: Claim):
        centrality = sum(index.similarity(pos[c.id], pos[o.id]) for o in members if o is not c)
        return (leans_on_previous(c.statement), -round(centrality, 6), len(c.statement), c.id)
    return sorted(members, key=key)


def _representative(members: list[Claim], index: ClaimIndex, pos: dict[str, int]) -> Claim:
    """The member most like the others (`_by_centrality`)."""
    return _by_centrality(members, index, pos)[0]


def _parties(c: Claim, parties: PartyIndex) -> set[str]:
    return (parties.mentioned(c.statement) | {c.holder}) - {None, ""}


def _side(c: Claim, label: str | None = None) -> Variant:
    value = f"{label}: {c.statement}" if label else c.statement
    return Variant(value=value, sources=list(dict.fromkeys(c.carriers or [c.doc_id])))


def _holder(c: Claim, parties: PartyIndex, besides: set[str] | None = None) -> str | None:
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
        """Whose position the claim states (`_holder`), cached."""
        if c.id not in self._holders:
            h = _holder(c, self.parties)
            if h is None and _PRONOUN_SAID.search(c.statement):
                h = "she"
            self._holders[c.id] = self._antecedent(c) if h and h.lower() in _PRONOUNS else h
        return self._holders[c.id]

    @cached_property
    def by_pos(self) -> dict[tuple[str, int], Claim]:
        """Each claim by (document, sentence index): the sentence before a claim, for the rules that read it."""
        return {(m.doc_id, _sentence_index(m)): m for m in self.claims}

    def _antecedent(self, c: Claim) -> str | None:
        """Who "He said ..." is: the named holder of the nearest of the three sentences before it in its
        article, or None (a pronoun is no holder a reader can place)."""
        at = _sentence_index(c)
        for back in range(1, 4):
            prev = self.by_pos.get((c.doc_id, at - back))
            if prev is None:
                continue
            h = _holder(prev, self.parties)
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
        variants = [_side(c, h) for h, c in sides]
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
            self._rebuild(point)
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
            self._rebuild(point)

    def _rebuild(self, point: dict) -> None:
        claims = [c for side in point["sides"] for c in side]
        variants = [Variant(value=f"{h}: {side[0].statement}" if h else side[0].statement,
                            sources=list(dict.fromkeys(d for c in side for d in (c.carriers or [c.doc_id]))))
                    for h, side in zip(point["holders"], point["sides"])]
        self.out["divergences"][point["at"]] = make_item("divergences", point["statement"], claims,
                                                         independent=self.independent, variants=variants,
                                                         **point["kw"])


def figure_conflicts(p: Placement) -> None:
    """Divergences: figures that independent sources report differently (`quantity_conflicts`), each value a
    side with its sources. First, because a figure two sources disagree on is the plainest divergence; the
    item only cites its claims, so the figures may still be told elsewhere. One measure named two ways
    ("40 homes" / "60 households") is one slot when the verifier reads it so (`measures`)."""
    joined = joined_measures(p.claims, p.index, p.group_of, p.judge)
    for k in quantity_conflicts(p.claims, p.group_of, joined):
        if not p.room("divergences"):
            break
        p.add_divergence(k.statement(), [p.by_id[i] for i in k.claim_ids], k.variants,
                         basis="conflicting-figures", kind="reported_fact")


def _absent(c: Claim) -> bool:
    return stated_absence(c.statement)


def stated_absences(p: Placement) -> None:
    """Things unsaid: what a source states was not said, not disclosed or is not known (`rules.stated_absence`:
    a cue word inside something present, "bristling at being left out, X boasted ...", is not one), most
    widely reported first. An absence with fewer than three content words beyond its cue says nothing in
    particular ("notable by their absence") and is left out. Takes its claims: an absence is no agreement."""
    absences = [g for g in p.groups if any(_absent(c) for c in g)]
    absences.sort(key=lambda g: (-p.reach([c for c in g if _absent(c)]),
                                 -max(_absence_substance(c.statement) for c in g if _absent(c))))
    queue = list(absences)
    while queue:
        g = queue.pop(0)
        members = [c for c in p.fresh(g) if _absent(c) and c.id not in p.absent]
        if not members or max(_absence_substance(c.statement) for c in members) < 3:
            continue
        if not p.room("unsaid"):
            break
        rep = _representative(members, p.index, p.pos)
        # the same absence other sources state in other words ("not yet been identified" / "have not
        # released their names"): one item citing each
        what = absent_part(rep.statement) or ""
        found = [c for c in p.corroborator.search(rep.statement, members, _absent)
                 if c.id not in p.absent and c.id not in p.used
                 and same_question(what, absent_part(c.statement) or "")]  # "when ..." is not "whether ..."
        found += _same_absence(p, rep, found)
        p.add("unsaid", rep.statement, found, basis="absence-cue", kind="absence")
        p.take_absences(found)
        other = [c for c in members if c.id not in p.absent and not same_question(what, absent_part(c.statement) or "")]
        if other:
            queue.insert(0, other)  # a member asking another question ("whether ...", not "when ...") is its own absence


def _same_absence(p: Placement, rep: Claim, found: list[Claim]) -> list[Claim]:
    """Absences of other sources that say the same thing is missing in other words ("It was unclear when
    residents could return home" / "There is no word yet on when people can go back to their homes"): what
    each says is missing (`text.absence.comparable_absences`), compared by the judge without the cues; one per
    source."""
    have = {p.group_of(d) for c in found for d in (c.carriers or [c.doc_id])}
    pairs = [(c, comparable_absences(rep.statement, c.statement)) for c in p.claims
             if _absent(c) and c.id not in p.absent and c.id not in p.used and p.group_of(c.doc_id) not in have]
    pairs = [(c, pair) for c, pair in pairs if pair is not None]
    out: list[Claim] = []
    for (c, _), same in zip(pairs, p.judge.same_fact_many([pair for _, pair in pairs])):
        if same and p.group_of(c.doc_id) not in have:
            have.add(p.group_of(c.doc_id))
            out.append(c)
    return out


def party_omissions(p: Placement) -> None:
    """Things unsaid: what one party's statement covered that another party's statement on the same point
    left out, when both are reported (`coverage.omissions`). Only cites its claims."""
    def one_party(a: Claim, b: Claim) -> bool:
        return p.parties.same_party(a.holder or "", a.statement, b.holder or "", b.statement)

    for o in omissions(p.claims, p.parties, p.index, p.independent, one_party):
        if not p.room("unsaid"):
            break
        covered = [p.by_id[i] for i in o.covered]
        p.add("unsaid", o.statement(), covered + [p.by_id[o.other]], basis="one-party-only", kind="absence",
              variants=[_side(c, o.covered_by) for c in covered] + [_side(p.by_id[o.other], o.left_out_by)])


def paired_contrasts(p: Placement) -> None:
    """Divergences: a sentence that opens by answering the previous one about another party ("X's
    statement, however, ...") states a divergence together with it: two sides, the parties each names. The
    pair only composes its claims: the first half may also be an agreement, the second an absence."""
    for c in p.claims:
        if not p.room("divergences") or not _OPENING_CONTRAST.match(c.statement):
            continue
        # the account it answers: the sentence before, or the one before that when the sentence between
        # names no party ("The ministry's statement said ... It also cited ... The union's, however, ...")
        prev = p.by_pos.get((c.doc_id, _sentence_index(c) - 1))
        if prev is not None and not _parties(prev, p.parties):
            prev = p.by_pos.get((c.doc_id, _sentence_index(c) - 2))
        if prev is None or not _parties(prev, p.parties) - _parties(c, p.parties):
            continue
        first = _holder(prev, p.parties, p.parties.mentioned(c.statement))
        second = _holder(c, p.parties, p.parties.mentioned(prev.statement))
        if first and second and p.parties.same_party(first, prev.statement, second, c.statement):
            continue  # one party answering itself
        p.add_divergence(f"{prev.statement} {c.statement}", [prev, c], [_side(prev, first), _side(c, second)],
                         basis="paired-contrast")


def _position_pairs(p: Placement) -> list[tuple[float, int, int]]:
    """Pairs of stance claims of different parties on one point (similar enough) that conflict: a demand
    or refusal on either side, or one side negated; most similar first."""
    claims, index, parties = p.claims, p.index, p.parties

    def stance(c: Claim) -> bool:
        return bool(p.holder(c)) and (c.kind == ClaimKind.position or bool(DEMAND.search(c.statement))
                                   or bool(CONTRAST.search(c.statement)))

    # candidates: stance claims sharing a rare term (the corpus index's postings), and those of one document;
    # the other side may be any party's statement ("X refused to consult" / "Y said it consulted throughout")
    stances = [i for i, c in enumerate(claims) if stance(c) and c.kind != ClaimKind.absence]
    is_stance = set(stances) | {i for i, c in enumerate(claims) if c.kind != ClaimKind.absence and (
        speaker(c.statement) or p.holder(c) and _SAID.search(c.statement))}
    in_doc: dict[str, list[int]] = {}
    for i in stances:
        in_doc.setdefault(claims[i].doc_id, []).append(i)
    pairs: list[tuple[float, int, int]] = []
    for i in stances:
        ci = claims[i]
        others = {j for t in index.vectors[i] for j in index.postings.get(t, ()) if j != i and j in is_stance}
        others.update(j for j in in_doc[ci.doc_id] if j > i)
        for j in sorted(others):
            cj = claims[j]
            if not p.holder(cj):
                continue  # a side names its holder ("He said ..." with no one named before it names none)
            if parties.same_party(p.holder(ci), ci.statement, p.holder(cj), cj.statement):
                continue  # one party told two ways (a person and the institution they speak for)
            if p.group_of(ci.doc_id) == p.group_of(cj.doc_id) and ci.doc_id != cj.doc_id:
                continue  # syndicated copies are one source, not two sides
            s = max(index.similarity(i, j), p.point_similarity(i, j))
            if s < SAME_POINT:
                continue
            # a conflict, not two phrasings of one agreement: a demand/refusal, a contrast, or one side negated
            # (a demand or refusal on both sides, "X rejected the offer" / "Y rejected the offer", is one position)
            conflict = (bool(DEMAND.search(ci.statement)) != bool(DEMAND.search(cj.statement))
                        or bool(_NEGATED.search(ci.statement)) != bool(_NEGATED.search(cj.statement)))
            if conflict:
                pairs.append((s, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    return pairs


def party_positions(p: Placement) -> None:
    """Divergences: positions of different parties on the same point, a demand or refusal of one party set
    against what another party holds on that point (`_position_pairs`); each party a side. One pairing per
    two parties unless clearly the same point. Takes its claims."""
    shown: set[frozenset[str]] = set()
    for s, i, j in _position_pairs(p):
        if not p.room("divergences"):
            break
        ci, cj = p.claims[i], p.claims[j]
        if ci.id in p.used or cj.id in p.used:
            continue
        hi, hj = p.holder(ci), p.holder(cj)
        key = frozenset((hi, hj))
        if key in shown and s < 2 * SAME_POINT:
            continue  # one pairing per two parties unless clearly the same point
        if p.judge.same_fact(ci.statement, cj.statement):
            continue  # both reject the offer, both say supplies were not affected: one position, not two
        shown.add(key)
        if p.add_point(f"{hi} and {hj} take different positions. {ci.statement} {cj.statement}",
                       [(hi, ci), (hj, cj)], basis="party-positions", kind="position"):
            p.take([ci, cj])


# A charge one party lays against another's conduct, and the answer that defends it: the two share few words
# ("We warned the authority the wall was too low" / "The defences performed as designed"), so the similarity
# the other position pairs need cannot find them; the parties do.
CHARGE = re.compile(r"\b(?:ignor(?:ed|ing)|fail(?:ed|ure)|refused|did\s+nothing|warned|warnings|blam\w+|accus\w+|"
                    r"fault|negligen\w*|too\s+(?:low|late|slow|small|weak)|should\s+have|let\s+\w+\s+down)\b",
                    re.IGNORECASE)
ANSWER = re.compile(r"\b(?:denie[sd]|deny|reject\w*|as\s+(?:designed|intended|planned|required)|follow(?:ed|s)|"
                    r"complied|compl(?:y|ies)\s+with|met\s+(?:all|every)|acted|properly|correctly|in\s+line\s+with|"
                    r"not\s+to\s+blame|nothing\s+wrong|(?:had|has|did)\s+not\s+fail(?:ed)?|defend\w*)\b",
                    re.IGNORECASE)


def _bodies(p: Placement, text: str) -> set[str]:
    """The parties a sentence names and the bodies it describes ("the authority"): whom a charge is against."""
    return p.parties.mentioned(text) | institutions(text)


def charges_answered(p: Placement) -> None:
    """Divergences: a party's charge against another body (a fault word, the body named in the sentence)
    set against what is said in that body's defence (an answer word, the body named in its sentence or the one
    before, by a holder who lays no charge and is not the charging party); one pairing per two holders, the
    closest pair first. Takes its claims."""
    claims = [c for c in p.claims if c.kind != ClaimKind.absence and c.id not in p.used and p.holder(c)]
    charges = [c for c in claims if CHARGE.search(c.statement)]
    chargers = {p.holder(c) for c in charges}

    def before(c: Claim) -> str:
        prev = p.by_pos.get((c.doc_id, _sentence_index(c) - 1))
        return prev.statement if prev else ""

    pairs: list[tuple[float, Claim, Claim]] = []
    for cb in charges:
        hb = p.holder(cb)
        # the charging party's own body, named where it is introduced ("the leader of the council, X, ...")
        intro = before(cb)
        own = institutions(intro[:intro.index(hb.split()[-1])]) if hb.split()[-1] in intro else set()
        targets = {t for t in p.parties.mentioned(cb.statement) if not p.parties.same_party(t, "", hb, cb.statement)}
        targets |= institutions(cb.statement) - own
        if not targets:
            continue
        for ca in claims:
            ha = p.holder(ca)
            if (ha in chargers or not ANSWER.search(ca.statement)
                    or not targets & (_bodies(p, ca.statement) | _bodies(p, before(ca)))
                    or p.parties.same_party(ha, ca.statement, hb, cb.statement)):
                continue
            pairs.append((max(p.index.similarity(p.pos[cb.id], p.pos[ca.id]),
                              p.point_similarity(p.pos[cb.id], p.pos[ca.id])), cb, ca))
    pairs.sort(key=lambda x: (-x[0], x[1].id, x[2].id))
    shown: set[frozenset[str]] = set()
    for _, cb, ca in pairs:
        if not p.room("divergences"):
            break
        hb, ha = p.holder(cb), p.holder(ca)
        if frozenset((hb, ha)) in shown or cb.id in p.used or ca.id in p.used:
            continue
        if p.add_point(f"{hb} and {ha} take different positions. {cb.statement} {ca.statement}",
                       [(hb, cb), (ha, ca)], basis="party-positions", kind="position"):
            shown.add(frozenset((hb, ha)))
            p.take([cb, ca])


def cross_source_contrasts(p: Placement) -> None:
    """Divergences: one point told by two independent sources, one side setting it against something
    ("..., but residents say ...", "while ..."): how coverage differs on that point. A contrast inside the
    sentence only: a sentence-opening "But ..." answers the sentence before it (`paired_contrasts`), not the
    other source, and a bare negation ("ended without a deal") is no conflict. Each source a side; the pair
    only cites its claims (the shared fact may also be an agreement)."""
    claims, index = p.claims, p.index
    contrasting = [i for i, c in enumerate(claims) if c.kind != ClaimKind.absence and _inner_contrast(c.statement)]
    cross: list[tuple[float, int, int]] = []
    seen_pairs: set[tuple[int, int]] = set()
    for i in contrasting:  # candidates: claims sharing two or more of a contrasting claim's rarer terms
        ci = claims[i]
        shared = Counter(j for t in index.vectors[i] for j in index.postings.get(t, ()) if j != i)
        for j in sorted(j for j, k in shared.items() if k >= 2):
            a, b = min(i, j), max(i, j)
            cj = claims[j]
            if (a, b) in seen_pairs or cj.kind == ClaimKind.absence or p.group_of(ci.doc_id) == p.group_of(cj.doc_id):
                continue
            seen_pairs.add((a, b))
            s = index.similarity(a, b)
            if s < CROSS_POINT:
                continue
            if ci.holder and cj.holder and p.parties.same_party(ci.holder, ci.statement, cj.holder, cj.statement):
                continue  # one speaker quoted twice: two reports of one party, not two sides
            hi, hj = speaker_head(ci.statement), speaker_head(cj.statement)
            if hi and hi == hj:
                continue  # the same subject opens both ("Fire chief Jane Roe said" / "Roe told")
            cross.append((s, a, b))
    cross.sort(key=lambda x: (-x[0], x[1], x[2]))
    paired: set[str] = set()
    for s, i, j in cross[:CROSS_MAX]:
        if not p.room("divergences"):
            break
        ci, cj = claims[i], claims[j]
        if ci.id in paired or cj.id in paired:
            continue
        hi, hj = _holder(ci, p.parties), _holder(cj, p.parties)
        if p.judge.same_fact(ci.statement, cj.statement):
            continue  # two tellings of one fact ("two-hour" and "two-hour"), not two sides
        if p.add_point(f"{ci.statement} {cj.statement}", [(hi, ci), (hj, cj)], basis="same-point"):
            paired.update((ci.id, cj.id))


def sides_corroborated(p: Placement) -> None:
    """Divergences: each side of a two-party conflict credited with every source that states that side's
    position (the corroboration search, confirmed by the verifier), before agreements are formed, so no
    side's sentence is also shown as an agreement."""
    p.corroborate_points()


def _agreement_groups(p: Placement) -> list[list[Claim]]:
    """Groups that may state a fact two sources share, most widely told first, then those stating figures
    or the parties' agreement; one-source groups too, as the corroboration search may find the fact
    elsewhere in other words."""
    def score(g: list[Claim]) -> tuple:
        cue = any(AGREED.search(c.statement) for c in g)
        return (-(p.reach(g) + (0.75 if cue else 0.0) + 0.25 * bool(any(c.numbers for c in g))), g[0].id)
    return sorted((g for g in p.groups if any(c.kind != ClaimKind.absence for c in g)), key=score)


def agreements(p: Placement) -> None:
    """Key agreements: a fact two or more independent sources state, and an agreement the parties are
    reported to have made that two or more sources report. Each group's statement is its most central
    member that can stand as an item (a sentence, not a headline, not a disputed figure); the corroboration
    search then asks the judge which sentences of every source state it, and the item counts and cites
    those. Under two independent sources it is no agreement (its claims stay for the single-source list).
    Takes its claims."""
    for g in _agreement_groups(p):
        if not p.room("agreements"):
            break
        members = p.fresh(g)
        usable = [c for c in members if _can_state(p, c)]
        # the most central member first; when other sources do not state it in its words (one outlet's
        # details around the fact), the telling of another source (of the group, or one the search confirmed)
        # may be the one they share. Of the tellings tried, the one the most sources state whole is shown: a
        # source credited only for its main clause ("X passed the budget 7-2, and the mayor welcomed it" over
        # "X approved the budget 7-2") is not shown as saying the rest
        queue, tried, best = _by_centrality(usable, p.index, p.pos), set(), None
        while queue and len(tried) < REP_TRIES:
            rep = queue.pop(0)
            if p.group_of(rep.doc_id) in tried:
                continue
            tried.add(p.group_of(rep.doc_id))
            item, found, whole = _agreement(p, rep, members)
            if item is not None and (best is None or whole > best[2]):
                best = (item, found, whole)
            if best is not None and best[2] >= best[0].independent_sources:
                break  # every source it credits states it whole: no telling can do better
            queue += [c for c in found if c not in queue and p.group_of(c.doc_id) not in tried and _can_state(p, c)]
        if best is None or best[2] < best[0].independent_sources:
            part = _shared_part(p, usable, members)
            # the part two sources share, shown where no whole telling is stated by as many of its sources
            if part is not None and (best is None or part[2] > best[2]):
                best = part
        if best is not None:
            p.out["agreements"].append(best[0])
            p.take(best[1])
        # a telling the shown one did not take, whose figure a divergence disputes: the rest of it
        rest = p.fresh(members)
        extra = _undisputed_part(p, rest) if rest and p.room("agreements") else None
        if extra is not None:
            p.out["agreements"].append(extra[0])
            p.take(extra[1])


def _shared_part(p: Placement, usable: list[Claim], members: list[Claim]):
    """Where no source's sentence is stated whole by the others, each telling its own details around one
    fact ("discussed trade and agreed that X" / "spoke about the region, agreeing that X"): the shorter
    statement of a member's sentence (text.clauses, by deletion only) that its own sentence supports, a second
    independent source states, and the most sources state whole; with that count, or None."""
    if p.reach(members) < 2:
        return None
    best = None
    for rep in _by_centrality(usable, p.index, p.pos)[:REP_TRIES]:
        for part in shorter_statements(rep.statement):
            if (not is_sentence(part) or len(content_terms(part)) < SHARED_PART_KEYS
                    or figures(rep.statement) != figures(part)):  # a figure left out may be the disputed one
                continue
            item, found, whole = _agreement(p, rep, members, statement=part)
            if item is not None and (best is None or whole > best[2]):
                best = (item, found, whole)
    return best


def _undisputed_part(p: Placement, members: list[Claim]):
    """Where every telling gives a figure a divergence disputes ("cut 1,200 jobs and close 40 stores" while
    another outlet says 60 shops), the statement without the conjunct that gives it ("cut 1,200 jobs"), when
    its own sentence supports it and two independent sources state it whole; with that count, or None."""
    at_issue = set().union(*(p.disputed_figures.get(c.id, set()) for c in members))
    if p.reach(members) < 2 or not at_issue:
        return None
    best = None
    for rep in [c for c in _by_centrality(members, p.index, p.pos) if c.id in p.disputed_figures][:REP_TRIES]:
        if rep.id in p.disputed or not p.statement_ok(rep) or _absent(rep) or leans_on_previous(rep.statement):
            continue
        part, words = rep.statement, p.disputed_words.get(rep.id, set())
        for _ in range(3):  # one conjunct at a time, the quantities found again in what is left
            q = next((q for q in reversed(find_quantities(part))
                      if any(same_figure(v, w) for v in figures(q.surface) for w in at_issue)
                      or any(f'"{q.surface}"' in w for w in words)), None)
            if q is None:
                break
            part = without_conjunct(part, q.start, q.end)
            if part is None:
                break
        if (part is None or part == rep.statement or not is_sentence(part) or len(content_terms(part)) < SHARED_PART_KEYS
                or any(same_figure(v, w) for v in figures(part) for w in at_issue)):
            continue
        item, found, whole = _agreement(p, rep, members, statement=part)
        # two sources must state the part whole: one outlet's other details ("after sales fell") are not
        # shown as what the others say
        if item is not None and whole >= 2 and (best is None or whole > best[2]):
            best = (item, found, whole)
    return best


SHARED_PART_KEYS = 4  # key words a shorter statement keeps: fewer says too little to credit a source on


REP_TRIES = 2  # sources whose telling of a group's fact is tried as its statement


def _can_state(p: Placement, c: Claim) -> bool:
    """Whether a claim's sentence can stand as an agreement's statement: not disputed, a statement; not an
    absence (the unsaid list's: it may back an agreement, "agreed on X but stopped short of Y", but does not
    state it), nor a sentence that leans on the one before it (`rules.leans_on_previous`)."""
    return (c.id not in p.disputed and c.id not in p.disputed_figures and c.id not in p.accounts
            and p.statement_ok(c) and not _absent(c) and not leans_on_previous(c.statement))


def _agreement(p: Placement, rep: Claim, members: list[Claim],
               statement: str | None = None) -> tuple[BriefItem | None, list[Claim], int]:
    """The agreement stating `rep` (or `statement`, a part of its sentence that its sentence must support),
    crediting the sentences the search confirms (None under two sources), and how many independent sources
    state it whole (not only its main clause or one of its clauses)."""
    said = statement or rep.statement
    # a sentence a divergence cites is a side of it: it backs no agreement
    found = [c for c in p.fresh(p.corroborator.search(said, members)) if p.backs(c, said)]
    if rep not in found:
        if statement is not None:
            return None, found, 0  # its own sentence does not state the part: no shorter statement of it
        found.insert(0, rep)
    if p.reach(found) < 2:
        return None, found, 0
    agreed = any(AGREED.search(c.statement) and not _NEGATED.search(c.statement) for c in found)
    item = make_item("agreements", said, found, independent=p.independent,
                     basis="parties-agreed" if agreed else "independent-sources",
                     checks=conflicting_numbers(found, p.group_of))
    grounded, spans = ground_item(item, p.independent, p.judge.verifier, p.texts) if item.evidence else (item, [])
    if grounded is None or grounded.independent_sources < 2:
        return None, found, 0  # the spans that back it come from one source: the ground stage would show one
    whole = p.independent(list({s.evidence.doc_id for s in spans
                                if s.support.supported and s.parts and _carries_clauses(said, s.evidence.quote)}))
    return item, found, whole


def _carries_clauses(statement: str, quote: str) -> bool:
    """Whether a quote carries half the key words of each joined claim of 3+ key words of the statement
    (text.clauses.joined_claims): a sentence can match a statement well while one clause of it ("..., and the
    mayor welcomed the vote") is that outlet's own. Only chooses between tellings; the verifier alone decides
    what a source is credited with."""
    have = set(content_terms(quote))
    for clause in joined_claims(statement):
        key = set(content_terms(clause))
        if len(key) >= 3 and len(key & have) < 0.5 * len(key):
            return False
    return True


def single_source(p: Placement) -> None:
    """Reported by one source only: salient facts (a figure or a holder) that one independent source
    carries, most topical first, spread across sources one each per round; never "unsaid"."""
    singles = [[c for c in p.fresh(g) if c.id not in p.absent] for g in p.groups]
    singles = [g for g in singles if g and p.reach(g) == 1]
    singles = [[c for c in g if p.statement_ok(c)] for g in singles]
    singles = [g for g in singles if g and (g[0].numbers or g[0].holder or AGREED.search(g[0].statement))
               and g[0].kind != ClaimKind.absence]
    singles.sort(key=lambda g: (-p.topical[g[0].id], g[0].id))
    per_source: dict[int, int] = {}
    for rnd in range(p.budget["single_source"]):
        for g in singles:
            if not p.room("single_source"):
                break
            c = g[0]
            src = p.group_of(c.doc_id)
            if c.id in p.used or per_source.get(src, 0) > rnd:
                continue
            per_source[src] = per_source.get(src, 0) + 1
            p.add("single_source", c.statement, g, basis="single-source")
            p.take(g)


# The passes in order: a claim a pass takes is not placed again, so absences and positions come before
# agreements, and agreements before single-source facts.
PASSES: tuple[Callable[[Placement], None], ...] = (
    figure_conflicts, stated_absences, party_omissions, paired_contrasts, party_positions, charges_answered,
    cross_source_contrasts, sides_corroborated, agreements, single_source)


def offline_sections(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
                     limits: Limits | None = None, *, docs: list[Document] | None = None,
                     judge=None) -> dict[str, list[BriefItem]]:
    """The four lists, the rule passes run in order over one shared placement. `docs` lets the rules tell
    headlines and list items from statements; `judge` (`verdicts.get_judge()` by default) decides support."""
    if not claims:
        return {"agreements": [], "divergences": [], "unsaid": [], "single_source": []}
    p = Placement(claims, group_of, independent, limits or Limits(), docs, judge)
    for rule in PASSES:
        rule(p)
    return p.out
