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


def offline_sections(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
                     limits: Limits | None = None) -> dict[str, list[BriefItem]]:
    limits = limits or Limits()
    out: dict[str, list[BriefItem]] = {"agreements": [], "divergences": [], "unsaid": [], "single_source": []}
    if not claims:
        return out
    index = ClaimIndex(claims)
    parties = find_parties(claims)  # the corpus's parties, by any of their names
    pos = {c.id: i for i, c in enumerate(claims)}
    by_id = {c.id: c for c in claims}
    groups = [[claims[i] for i in g] for g in group_claims(index, group_of)]

    def reach(members: list[Claim]) -> int:
        return independent([d for c in members for d in (c.carriers or [c.doc_id])])

    distinct = sum(1 for g in groups if reach(g) >= 2)
    budget = {name: limits.budget(name, distinct) for name in out}
    # a rough topicality score: how much of the corpus a claim's words are shared with
    topical = {c.id: sum(len(index.postings.get(t, ())) for t in index.vectors[i]) for i, c in enumerate(claims)}
    used: set[str] = set()

    def take(members: list[Claim]) -> None:
        used.update(c.id for c in members)

    def fresh(members: list[Claim]) -> list[Claim]:
        return [c for c in members if c.id not in used]

    def room(name: str) -> bool:
        return len(out[name]) < budget[name]

    # 1. figures that independent sources report differently (each value is a side, with its sources)
    for k in quantity_conflicts(claims, group_of):
        if not room("divergences"):
            break
        out["divergences"].append(make_item(
            "divergences", k.statement(), [by_id[i] for i in k.claim_ids], independent=independent,
            basis="conflicting-figures", kind="reported_fact", variants=k.variants))

    # 2. what the sources point out was not said or not done
    absences = [g for g in groups if any(c.kind == ClaimKind.absence for c in g)]
    absences.sort(key=lambda g: (-reach(g), -max(map(_absence_substance, (c.statement for c in g)))))
    for g in absences:
        members = fresh([c for c in g if c.kind == ClaimKind.absence])
        if not members or max(_absence_substance(c.statement) for c in members) < 3:
            continue
        if not room("unsaid"):
            break
        rep = _representative(members, index, pos)
        out["unsaid"].append(make_item("unsaid", rep.statement, members, independent=independent,
                                       basis="absence-cue", kind="absence"))
        take(members)

    # 2b. what one party's statement covered that another party's statement on the same point left out,
    # when both are reported (`coverage`); it only cites its claims
    def one_party(a: Claim, b: Claim) -> bool:
        return parties.same_party(a.holder or "", a.statement, b.holder or "", b.statement)

    for o in omissions(claims, parties, index, independent, one_party):
        if not room("unsaid"):
            break
        covered = [by_id[i] for i in o.covered]
        out["unsaid"].append(make_item(
            "unsaid", o.statement(), covered + [by_id[o.other]], independent=independent, basis="one-party-only",
            kind="absence", variants=[_side(c, o.covered_by) for c in covered] + [_side(by_id[o.other], o.left_out_by)]))

    # 3. a sentence that opens by answering the previous one about another party ("X's statement,
    # however, ...") states a divergence together with it: two sides, the parties each names. The pair
    # only composes its claims: the first half may also be an agreement, the second an absence.
    by_pos = {(c.doc_id, _sentence_index(c)): c for c in claims}
    for c in claims:
        if not room("divergences") or not _OPENING_CONTRAST.match(c.statement):
            continue
        prev = by_pos.get((c.doc_id, _sentence_index(c) - 1))
        if prev is None or not _parties(prev, parties) - _parties(c, parties):
            continue
        out["divergences"].append(make_item(
            "divergences", f"{prev.statement} {c.statement}", [prev, c], independent=independent,
            basis="paired-contrast", variants=[_side(prev), _side(c)]))

    # 4. positions of different parties on the same point: a demand or refusal of one party set against
    # what another party holds on that point (its own demand, acceptance or statement)
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
            if group_of(ci.doc_id) == group_of(cj.doc_id) and ci.doc_id != cj.doc_id:
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
    shown: set[frozenset[str]] = set()
    for s, i, j in pairs:
        if not room("divergences"):
            break
        ci, cj = claims[i], claims[j]
        if ci.id in used or cj.id in used:
            continue
        key = frozenset((ci.holder or "", cj.holder or ""))
        if key in shown and s < 2 * SAME_POINT:
            continue  # one pairing per two parties unless clearly the same point
        shown.add(key)
        out["divergences"].append(make_item(
            "divergences", f"{ci.holder} and {cj.holder} take different positions. {ci.statement} {cj.statement}",
            [ci, cj], independent=independent, basis="party-positions", kind="position",
            variants=[_side(ci, ci.holder), _side(cj, cj.holder)]))
        take([ci, cj])

    # 4b. one point told by two independent sources, one side setting it against something ("..., but
    # residents say ...", "while ..."): how coverage differs on that point. A contrast inside the
    # sentence only: a sentence-opening "But ..." answers the sentence before it (rule 3), not the other
    # source, and a bare negation ("ended without a deal" / "broke up") is no conflict. Each source a
    # side; the pair only cites its claims (the shared fact may also be an agreement).
    contrasting = [i for i, c in enumerate(claims) if c.kind != ClaimKind.absence and _inner_contrast(c.statement)]
    cross: list[tuple[float, int, int]] = []
    seen_pairs: set[tuple[int, int]] = set()
    for i in contrasting:  # candidates: claims sharing two or more of a contrasting claim's rarer terms
        ci = claims[i]
        shared = Counter(j for t in index.vectors[i] for j in index.postings.get(t, ()) if j != i)
        for j in sorted(j for j, k in shared.items() if k >= 2):
            a, b = min(i, j), max(i, j)
            cj = claims[j]
            if (a, b) in seen_pairs or cj.kind == ClaimKind.absence or group_of(ci.doc_id) == group_of(cj.doc_id):
                continue
            seen_pairs.add((a, b))
            s = index.similarity(a, b)
            if s < CROSS_POINT:
                continue
            if ci.holder and cj.holder and parties.same_party(ci.holder, ci.statement, cj.holder, cj.statement):
                continue  # one speaker quoted twice: two reports of one party, not two sides
            hi, hj = speaker_head(ci.statement), speaker_head(cj.statement)
            if hi and hi == hj:
                continue  # the same subject opens both ("Fire chief Jane Roe said" / "Roe told")
            cross.append((s, a, b))
    cross.sort(key=lambda x: (-x[0], x[1], x[2]))
    paired: set[str] = set()
    for s, i, j in cross[:CROSS_MAX]:
        if not room("divergences"):
            break
        ci, cj = claims[i], claims[j]
        if ci.id in paired or cj.id in paired:
            continue
        paired.update((ci.id, cj.id))
        out["divergences"].append(make_item(
            "divergences", f"Sources tell this point differently. {ci.statement} {cj.statement}", [ci, cj],
            independent=independent, basis="same-point", variants=[_side(ci, ci.holder), _side(cj, cj.holder)]))

    # 5. how each source opens the story, when the openings are not one fact: a difference of emphasis
    # (what each source chose to lead with), every source a side. The openings only compose: each
    # may still be an agreement or a single-source fact.
    group_at = {c.id: k for k, g in enumerate(groups) for c in g}
    ledes: dict[int, Claim] = {}
    for c in sorted(claims, key=lambda c: (_sentence_index(c), c.id)):
        if c.kind != ClaimKind.absence and len(content_terms(c.statement)) >= 6:
            ledes.setdefault(group_of(c.doc_id), c)
    opening = list(ledes.values())
    if 2 <= len(opening) <= MAX_LEAD_SIDES and len({group_at[c.id] for c in opening}) == len(opening) \
            and room("divergences"):
        out["divergences"].append(make_item(
            "divergences", "The sources lead with different things. " + " ".join(c.statement for c in opening),
            opening, independent=independent, basis="different-leads", variants=[_side(c) for c in opening]))

    # 6. what independent sources concur on, and what the parties are reported to have agreed
    def agreement_score(g: list[Claim]) -> float:
        cue = any(AGREED.search(c.statement) for c in g)
        return reach(g) + (0.75 if cue else 0.0) + 0.25 * bool(any(c.numbers for c in g))

    candidates = [g for g in groups if reach(g) >= 2]
    if len(candidates) < budget["agreements"] // 2:
        # short or sparse coverage (a few ledes): outlets word one fact too differently for the strict
        # threshold, so what is left is grouped again, looser
        rest = [c for c in claims if c.id not in used and not any(c in g for g in candidates)]
        rindex = ClaimIndex(rest)
        candidates += [[rest[i] for i in g] for g in group_claims(rindex, group_of, min_sim=LOOSE_SAME)
                       if reach([rest[i] for i in g]) >= 2]
    agreed = [[c] for c in claims if AGREED.search(c.statement) and c.kind != ClaimKind.absence
              and not _NEGATED.search(c.statement)]
    for g in sorted(candidates, key=lambda g: (-agreement_score(g), g[0].id)) + agreed:
        if not room("agreements"):
            break
        members = fresh(g)
        if not members:
            continue
        multi = reach(members) >= 2
        if not multi and not (len(g) == 1 and AGREED.search(members[0].statement)):
            continue
        # the statement: the most central member that two independent sources' own words support (the
        # ground stage counts only sources whose span supports it), else the most central one
        rep = _supported_statement(members, index, pos, reach)[0] if multi else members[0]
        out["agreements"].append(make_item("agreements", rep.statement, members, independent=independent,
                                           basis="independent-sources" if multi else "parties-agreed",
                                           checks=conflicting_numbers(members, group_of)))
        take(members)

    # 7. salient facts only one source carries: their own list, never "unsaid"
    singles = [fresh(g) for g in groups if reach(g) == 1]
    singles = [g for g in singles if g and (g[0].numbers or g[0].holder) and g[0].kind != ClaimKind.absence]
    singles.sort(key=lambda g: (-topical[g[0].id], g[0].id))
    per_source: dict[int, int] = {}
    for rnd in range(budget["single_source"]):  # spread across sources: one each per round
        for g in singles:
            if not room("single_source"):
                break
            c = g[0]
            src = group_of(c.doc_id)
            if c.id in used or per_source.get(src, 0) > rnd:
                continue
            per_source[src] = per_source.get(src, 0) + 1
            out["single_source"].append(make_item("single_source", c.statement, g, independent=independent,
                                                  basis="single-source"))
            take(g)
    return out
