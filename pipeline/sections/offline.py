"""The offline engine's merge: rules that place grouped claims into sections that mean their names.

- Key agreements: facts two or more independent sources state; what the parties are reported to have
  agreed (a sentence saying both sides agreed).
- Points of divergence: figures independent sources report differently; positions of different parties
  on the same point that conflict (never a party with itself: `PartyIndex.same_party`); a sentence
  answering another party's (“X said ...; Y, however, ...”); one point that another independent source
  sets against something (“..., but residents say ...”);
  for a handful of sources, what each leads with when the openings are not one fact (emphasis).
  Every divergence names at least two sides, each with its sources (`BriefItem.variants`).
- Things unsaid: only what the sources themselves say was not said or not done (absence cues), and
  what one party's statement covered that another party's left out when both are reported (`coverage`).
- Reported by one source only (`single_source`): salient facts no other source carries; never "unsaid".

Section sizes follow the corpus: a share of its distinct clustered facts (facts two or more independent
sources tell), at least `Limits.floor`, at most the section's cap (`Limits`, which a user can set).
A claim lands in one item at most, in this order: absences, party positions, agreements, single-source
facts (figure conflicts, paired answers and the leads only cite claims, they do not take them).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..cluster.figures import conflicting_numbers, quantity_conflicts
from ..cluster.group import group_claims
from ..cluster.similarity import ClaimIndex
from ..verify.support import check_support
from ..models import BriefItem, Claim, ClaimKind, Limits, Variant
from ..text.attribution import ABSENCE, CONTRAST, PartyIndex, find_parties, speaker_head
from ..text.lexical import content_terms
from .coverage import omissions
from .items import make_item

# Demands and refusals, not softer stance words: these are what make a position a point of divergence.
# "conditions for", "conditional on", not a patient's "critical condition"
DEMAND = re.compile(r"\b(?:insist\w*|demand\w*|condition(?:s|ed|al)?\s+(?:for|on|that|of)|preconditions?|call(?:ed|s)?\s+for|stipulat\w*|reject\w*|refus\w*|"
                    r"essential|adamant|urg(?:ed|ing)|oppos\w*|accept\w*|must|warn\w*)\b", re.IGNORECASE)
# Parties reported to have agreed: stricter than a stance word ("welcomed" is one party's view).
AGREED = re.compile(r"\b(?:agreed|agree\s+(?:to|on|that)|reached\s+(?:an?\s+)?(?:agreement|deal)|"
                    r"both\s+(?:leaders|sides|governments|parties|countries|men|women|companies|camps)\b"
                    r"(?:\s+\w+){0,3}\s+(?:agreed|accepted|committed|pledged|signed|welcomed|want\w*))", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|never|without|n't|failed\s+to|refus\w+\s+to)\b", re.IGNORECASE)

# Looser cosine for a second grouping pass when a corpus is sparse (a few ledes word one fact very
# differently). Checked on the AllSides dev half: 0.12 scores higher (agreements 0.257 vs 0.251) but
# groups claims that only share a name; kept at 0.15.
LOOSE_SAME = 0.15
SAME_POINT = 0.2  # two parties' positions on one point
# One point told by two independent sources, one side contrasting: chosen on the AllSides dev half
# (divergence recall 0.071 -> 0.077 at 0.25 and 3 pairs, recall 0.180 -> 0.181; 0.075 at 0.2, 0.071 at
# 0.3 and above; leaving out pairs grouped as one fact, the same; pairs of different speakers
# alone added nothing; every same-point pair, conflict or not, 0.097, but that is no divergence; a
# negation on one side or a sentence-opening contrast too, 0.086, but "ended without a deal" / "broke
# up" is no conflict and an opening "But" answers its own source's sentence before it).
CROSS_POINT = 0.25
CROSS_MAX = 3
MAX_LEAD_SIDES = 8  # sources whose openings one item compares side by side: more is no longer readable


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


_DANGLING = re.compile(r"^(?:this|that|these|those|it|they|he|she|its|their)\b", re.IGNORECASE)


def _representative(members: list[Claim], index: ClaimIndex, pos: dict[str, int]) -> Claim:
    """The member most like the others (centrality), preferring sentences that stand on their own."""
    def key(c: Claim):
        centrality = sum(index.similarity(pos[c.id], pos[o.id]) for o in members if o is not c)
        return (bool(_DANGLING.match(c.statement)), -round(centrality, 6), len(c.statement), c.id)
    return min(members, key=key)


def _supported_statement(members: list[Claim], index: ClaimIndex, pos: dict[str, int],
                         reach: Callable[[list[Claim]], int], tries: int = 4) -> tuple[Claim, list[Claim]]:
    """The most central member whose statement the evidence of two or more independent sources supports
    (`verify.support.check_support`; tried in order of centrality, `tries` at most), with the members whose
    evidence does; failing that, the most central member and all of them."""
    centre = _representative(members, index, pos)
    order = [centre] + sorted((c for c in members if c is not centre),
                              key=lambda c: -sum(index.similarity(pos[c.id], pos[o.id]) for o in members if o is not c))
    for rep in order[:tries]:
        kept = [c for c in members if c is rep or any(check_support(rep.statement, e.quote).supported for e in c.evidence)]
        score = reach(kept)
        if score >= 2:
            return rep, kept  # the most central statement that two independent sources' own words support
    return centre, members


def _parties(c: Claim, parties: PartyIndex) -> set[str]:
    return (parties.mentioned(c.statement) | {c.holder}) - {None, ""}


def _side(c: Claim, label: str | None = None) -> Variant:
    value = f"{label}: {c.statement}" if label else c.statement
    return Variant(value=value, sources=list(dict.fromkeys(c.carriers or [c.doc_id])))


class Placement:
    """What every rule pass reads and writes: the corpus's claims and their index, the groups of claims that
    state one fact, each section's budget, and which claims an item already took (a claim lands once)."""

    def __init__(self, claims: list[Claim], group_of: Callable[[str], int],
                 independent: Callable[[list[str]], int], limits: Limits):
        self.claims, self.group_of, self.independent = claims, group_of, independent
        self.out: dict[str, list[BriefItem]] = {"agreements": [], "divergences": [], "unsaid": [], "single_source": []}
        self.index = ClaimIndex(claims)
        self.parties = find_parties(claims)  # the corpus's parties, by any of their names
        self.pos = {c.id: i for i, c in enumerate(claims)}
        self.by_id = {c.id: c for c in claims}
        self.groups = [[claims[i] for i in g] for g in group_claims(self.index, group_of)]
        distinct = sum(1 for g in self.groups if self.reach(g) >= 2)
        self.budget = {name: limits.budget(name, distinct) for name in self.out}
        # a rough topicality score: how much of the corpus a claim's words are shared with
        self.topical = {c.id: sum(len(self.index.postings.get(t, ())) for t in self.index.vectors[i])
                        for i, c in enumerate(claims)}
        self.used: set[str] = set()

    def reach(self, members: list[Claim]) -> int:
        return self.independent([d for c in members for d in (c.carriers or [c.doc_id])])

    def take(self, members: list[Claim]) -> None:
        self.used.update(c.id for c in members)

    def fresh(self, members: list[Claim]) -> list[Claim]:
        return [c for c in members if c.id not in self.used]

    def room(self, name: str) -> bool:
        return len(self.out[name]) < self.budget[name]

    def add(self, name: str, statement: str, claims: list[Claim], **kw) -> None:
        self.out[name].append(make_item(name, statement, claims, independent=self.independent, **kw))


def figure_conflicts(p: Placement) -> None:
    """Divergences: figures that independent sources report differently (`quantity_conflicts`), each value a
    side with its sources. First, because a figure two sources disagree on is the plainest divergence; the
    item only cites its claims, so the figures may still be told elsewhere."""
    for k in quantity_conflicts(p.claims, p.group_of):
        if not p.room("divergences"):
            break
        p.add("divergences", k.statement(), [p.by_id[i] for i in k.claim_ids], basis="conflicting-figures",
              kind="reported_fact", variants=k.variants)


def stated_absences(p: Placement) -> None:
    """Things unsaid: what the sources point out was not said or not done (absence claims), most widely
    reported first. An absence with fewer than three content words beyond its cue says nothing in particular
    ("notable by their absence") and is left out. Takes its claims: an absence is no agreement."""
    absences = [g for g in p.groups if any(c.kind == ClaimKind.absence for c in g)]
    absences.sort(key=lambda g: (-p.reach(g), -max(map(_absence_substance, (c.statement for c in g)))))
    for g in absences:
        members = p.fresh([c for c in g if c.kind == ClaimKind.absence])
        if not members or max(_absence_substance(c.statement) for c in members) < 3:
            continue
        if not p.room("unsaid"):
            break
        rep = _representative(members, p.index, p.pos)
        p.add("unsaid", rep.statement, members, basis="absence-cue", kind="absence")
        p.take(members)


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
    by_pos = {(c.doc_id, _sentence_index(c)): c for c in p.claims}
    for c in p.claims:
        if not p.room("divergences") or not _OPENING_CONTRAST.match(c.statement):
            continue
        prev = by_pos.get((c.doc_id, _sentence_index(c) - 1))
        if prev is None or not _parties(prev, p.parties) - _parties(c, p.parties):
            continue
        p.add("divergences", f"{prev.statement} {c.statement}", [prev, c], basis="paired-contrast",
              variants=[_side(prev), _side(c)])


def _position_pairs(p: Placement) -> list[tuple[float, int, int]]:
    """Pairs of stance claims of different parties on one point (similar enough) that conflict: a demand
    or refusal on either side, or one side negated; most similar first."""
    claims, index, parties = p.claims, p.index, p.parties

    def stance(c: Claim) -> bool:
        return bool(c.holder) and (c.kind == ClaimKind.position or bool(DEMAND.search(c.statement))
                                   or bool(CONTRAST.search(c.statement)))

    # candidates: stance claims sharing a rare term (the corpus index's postings), and those of one document
    stances = [i for i, c in enumerate(claims) if stance(c) and c.kind != ClaimKind.absence]
    is_stance = set(stances)
    in_doc: dict[str, list[int]] = {}
    for i in stances:
        in_doc.setdefault(claims[i].doc_id, []).append(i)
    pairs: list[tuple[float, int, int]] = []
    for i in stances:
        ci = claims[i]
        others = {j for t in index.vectors[i] for j in index.postings.get(t, ()) if j > i and j in is_stance}
        others.update(j for j in in_doc[ci.doc_id] if j > i)
        for j in sorted(others):
            cj = claims[j]
            if parties.same_party(ci.holder, ci.statement, cj.holder, cj.statement):
                continue  # one party told two ways (a person and the institution they speak for)
            if p.group_of(ci.doc_id) == p.group_of(cj.doc_id) and ci.doc_id != cj.doc_id:
                continue  # syndicated copies are one source, not two sides
            s = index.similarity(i, j)
            if s < SAME_POINT:
                continue
            # a conflict, not two phrasings of one agreement: a demand/refusal, a contrast, or one side negated
            conflict = (bool(DEMAND.search(ci.statement)) or bool(DEMAND.search(cj.statement))
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
        key = frozenset((ci.holder or "", cj.holder or ""))
        if key in shown and s < 2 * SAME_POINT:
            continue  # one pairing per two parties unless clearly the same point
        shown.add(key)
        p.add("divergences", f"{ci.holder} and {cj.holder} take different positions. {ci.statement} {cj.statement}",
              [ci, cj], basis="party-positions", kind="position",
              variants=[_side(ci, ci.holder), _side(cj, cj.holder)])
        p.take([ci, cj])


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
        paired.update((ci.id, cj.id))
        p.add("divergences", f"Sources tell this point differently. {ci.statement} {cj.statement}", [ci, cj],
              basis="same-point", variants=[_side(ci, ci.holder), _side(cj, cj.holder)])


def different_leads(p: Placement) -> None:
    """Divergences: how each source opens the story, when the openings are not one fact: a difference of
    emphasis, every source a side. The openings only compose: each may still be an agreement or a
    single-source fact."""
    group_at = {c.id: k for k, g in enumerate(p.groups) for c in g}
    ledes: dict[int, Claim] = {}
    for c in sorted(p.claims, key=lambda c: (_sentence_index(c), c.id)):
        if c.kind != ClaimKind.absence and len(content_terms(c.statement)) >= 6:
            ledes.setdefault(p.group_of(c.doc_id), c)
    opening = list(ledes.values())
    if 2 <= len(opening) <= MAX_LEAD_SIDES and len({group_at[c.id] for c in opening}) == len(opening) \
            and p.room("divergences"):
        p.add("divergences", "The sources lead with different things. " + " ".join(c.statement for c in opening),
              opening, basis="different-leads", variants=[_side(c) for c in opening])


def agreements(p: Placement) -> None:
    """Key agreements: groups of claims two or more independent sources state, and single sentences saying
    the parties agreed; ranked by reach, an agreement cue and figures. When few groups qualify, what is left
    is grouped again, looser (a few ledes word one fact very differently). Each statement is the most central
    member two independent sources' own words support. Takes its claims."""
    def agreement_score(g: list[Claim]) -> float:
        cue = any(AGREED.search(c.statement) for c in g)
        return p.reach(g) + (0.75 if cue else 0.0) + 0.25 * bool(any(c.numbers for c in g))

    candidates = [g for g in p.groups if p.reach(g) >= 2]
    if len(candidates) < p.budget["agreements"] // 2:
        rest = [c for c in p.claims if c.id not in p.used and not any(c in g for g in candidates)]
        rindex = ClaimIndex(rest)
        candidates += [[rest[i] for i in g] for g in group_claims(rindex, p.group_of, min_sim=LOOSE_SAME)
                       if p.reach([rest[i] for i in g]) >= 2]
    agreed = [[c] for c in p.claims if AGREED.search(c.statement) and c.kind != ClaimKind.absence
              and not _NEGATED.search(c.statement)]
    for g in sorted(candidates, key=lambda g: (-agreement_score(g), g[0].id)) + agreed:
        if not p.room("agreements"):
            break
        members = p.fresh(g)
        if not members:
            continue
        multi = p.reach(members) >= 2
        if not multi and not (len(g) == 1 and AGREED.search(members[0].statement)):
            continue
        rep = _supported_statement(members, p.index, p.pos, p.reach)[0] if multi else members[0]
        p.add("agreements", rep.statement, members, basis="independent-sources" if multi else "parties-agreed",
              checks=conflicting_numbers(members, p.group_of))
        p.take(members)


def single_source(p: Placement) -> None:
    """Reported by one source only: salient facts (a figure or a holder) that one independent source
    carries, most topical first, spread across sources one each per round; never "unsaid"."""
    singles = [p.fresh(g) for g in p.groups if p.reach(g) == 1]
    singles = [g for g in singles if g and (g[0].numbers or g[0].holder) and g[0].kind != ClaimKind.absence]
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
    figure_conflicts, stated_absences, party_omissions, paired_contrasts, party_positions,
    cross_source_contrasts, different_leads, agreements, single_source)


def offline_sections(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
                     limits: Limits | None = None) -> dict[str, list[BriefItem]]:
    """The four lists, the rule passes run in order over one shared placement."""
    if not claims:
        return {"agreements": [], "divergences": [], "unsaid": [], "single_source": []}
    p = Placement(claims, group_of, independent, limits or Limits())
    for rule in PASSES:
        rule(p)
    return p.out
