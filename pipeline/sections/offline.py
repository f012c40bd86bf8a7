"""The offline engine's merge: rules that place grouped claims into the three sections.

Order matters, and a claim lands in one item at most (a paired contrast only composes claims):
1. figures that independent sources report differently (these only cite);
2. what the sources point out was not said or not done;
3. a sentence answering the one before it ("The company's statement, however, ..."), as a pair;
4. party positions (demands, refusals) and stated contrasts, one party per item;
5. what independent sources concur on (looser grouping when the corpus is sparse);
6. salient facts only one source covered.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..text.attribution import ABSENCE, AGREEMENT, CONTRAST, find_parties
from ..cluster.figures import conflicting_numbers, quantity_conflicts
from ..cluster.group import group_claims
from ..text.lexical import content_terms
from ..models import BriefItem, Claim, ClaimKind, Limits
from ..cluster.similarity import ClaimIndex
from .items import make_item

# Demands and refusals, not softer stance words: these are what make a position a point of divergence.
DEMAND = re.compile(r"\b(?:insist\w*|demand\w*|condition\w*|call(?:ed|s)?\s+for|stipulat\w*|reject\w*|refus\w*|"
                    r"essential|adamant|halting|urg(?:ed|ing))\b", re.IGNORECASE)


LOOSE_SAME = 0.15


def _absence_substance(text: str) -> int:
    """Content words beyond the absence cue: 'Some points were notable by their absence' has none."""
    return len(content_terms(ABSENCE.sub(" ", text), drop_reporting=True))


_OPENING_CONTRAST = re.compile(r"^(?:(?:[\w'\u2019.,-]+\s+){1,8}(?:however|by\s+contrast|in\s+contrast|conversely),|"
                               r"(?:but|however|by\s+contrast|in\s+contrast)\b)", re.IGNORECASE)


def _sentence_index(c: Claim) -> int:
    return int(c.id.rsplit(":s", 1)[1]) if ":s" in c.id else -1


def _holder(g: list[Claim]) -> str:
    holders = [c.holder for c in g if c.holder]
    return max(dict.fromkeys(holders), key=holders.count) if holders else ""  # ties: first seen, never hash order


_DANGLING = re.compile(r"^(?:this|that|these|those|it|they|he|she|its|their)\b", re.IGNORECASE)


def _representative(members: list[Claim], index: ClaimIndex, pos: dict[str, int]) -> Claim:
    """The member most like the others (centrality), preferring sentences that stand on their own."""
    def key(c: Claim):
        centrality = sum(index.similarity(pos[c.id], pos[o.id]) for o in members if o is not c)
        return (bool(_DANGLING.match(c.statement)), -round(centrality, 6), len(c.statement), c.id)
    return min(members, key=key)


def offline_sections(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
                     limits: Limits | None = None) -> dict[str, list[BriefItem]]:
    limits = limits or Limits()
    out: dict[str, list[BriefItem]] = {"agreements": [], "divergences": [], "unsaid": []}
    if not claims:
        return out
    index = ClaimIndex(claims)
    parties = find_parties(claims)  # the corpus's parties, by any of their names
    mentioned_parties = parties.mentioned
    pos = {c.id: i for i, c in enumerate(claims)}
    groups = [[claims[i] for i in g] for g in group_claims(index, group_of)]
    # a rough topicality score: how much of the corpus a claim's words are shared with
    topical = {c.id: sum(len(index.postings.get(t, ())) for t in index.vectors[i]) for i, c in enumerate(claims)}
    used: set[str] = set()

    def take(members: list[Claim]) -> None:
        used.update(c.id for c in members)

    def fresh(members: list[Claim]) -> list[Claim]:
        return [c for c in members if c.id not in used]

    # 1. figures that independent sources report differently
    for k in quantity_conflicts(claims, group_of)[: limits.divergences // 2]:
        by_id = {c.id: c for c in claims}
        out["divergences"].append(make_item(
            "divergences", k.statement(), [by_id[i] for i in k.claim_ids], independent=independent,
            basis="conflicting-figures", kind="reported_fact", variants=k.variants))

    # 2. what the sources point out was not said or not done
    absences = [g for g in groups if any(c.kind == ClaimKind.absence for c in g)]
    absences.sort(key=lambda g: (-independent([d for c in g for d in c.carriers]), -max(map(_absence_substance, (c.statement for c in g)))))
    for g in absences:
        members = fresh([c for c in g if c.kind == ClaimKind.absence])
        if not members or max(_absence_substance(c.statement) for c in members) < 3:
            continue
        rep = _representative(members, index, pos)
        out["unsaid"].append(make_item("unsaid", rep.statement, members, independent=independent,
                                       basis="absence-cue", kind="absence"))
        take(members)
        if len(out["unsaid"]) >= limits.unsaid - limits.single_source:
            break

    # 3a. a sentence that opens by answering the previous one ("The Kremlin's statement, however, ...")
    # states a divergence only together with it; the pair shares its claims with other items (the first
    # half may be an agreement, the second an absence), it only composes them
    by_pos = {(c.doc_id, _sentence_index(c)): c for c in claims}
    for c in claims:
        if len(out["divergences"]) >= limits.divergences // 2 or not _OPENING_CONTRAST.match(c.statement):
            continue
        prev = by_pos.get((c.doc_id, _sentence_index(c) - 1))
        if prev is None or not (mentioned_parties(prev.statement) | {prev.holder} - {None}) - \
                (mentioned_parties(c.statement) | {c.holder} - {None}) - {None}:
            continue
        out["divergences"].append(make_item("divergences", f"{prev.statement} {c.statement}", [prev, c],
                                            independent=independent, basis="paired-contrast"))

    # 3b. party positions that conflict: demands and refusals, and sentences that contrast two parties
    def demand(c: Claim) -> bool:
        return c.kind == ClaimKind.position and bool(DEMAND.search(c.statement))

    def contrast(c: Claim) -> bool:
        return bool(CONTRAST.search(c.statement)) and (
            parties.opposed(c.statement) or bool(re.search(r"\bdiffer|\bdiverg|\bconflicting", c.statement, re.I)))

    def divergent(c: Claim) -> bool:
        return demand(c) or contrast(c)

    def divergence_score(g: list[Claim]) -> float:
        return (2.0 * sum(map(demand, g)) + 1.5 * sum(map(contrast, g))
                + 0.5 * independent([d for c in g for d in c.carriers]))

    # Divergent claims are regrouped among themselves, looser: outlets word one demand very differently.
    divergent_claims = [c for c in claims if c.id not in used and divergent(c)]
    dindex = ClaimIndex(divergent_claims)
    dpos = {c.id: i for i, c in enumerate(divergent_claims)}
    dgroups = []
    for g in group_claims(dindex, group_of, min_sim=LOOSE_SAME):
        # one party's position per item: a Kyiv demand is not a phrasing of a Kremlin demand
        by_holder: dict[str, list[Claim]] = {}
        for i in g:
            by_holder.setdefault(divergent_claims[i].holder or "", []).append(divergent_claims[i])
        anonymous = by_holder.pop("", [])
        if by_holder:
            first = next(iter(by_holder))
            by_holder[first].extend(anonymous)
        else:
            by_holder[""] = anonymous
        dgroups.extend(by_holder.values())
    # each party's position before a second phrasing of one already shown
    seen_holders: set[str] = set()
    pending = sorted(dgroups, key=lambda g: (-divergence_score(g), g[0].id))
    while pending and len(out["divergences"]) < limits.divergences:
        best = max(pending, key=lambda g: divergence_score(g) + (1.5 if _holder(g) not in seen_holders else 0.0))
        pending.remove(best)
        rep = max(best, key=lambda c: (demand(c) + contrast(c), -len(c.statement), c.id)) if len(best) < 3 else \
            _representative(best, dindex, dpos)
        out["divergences"].append(make_item("divergences", rep.statement, best, independent=independent,
                                            basis="party-positions" if demand(rep) else "stated-contrast"))
        seen_holders.add(_holder(best))
        take(best)

    # 4. what independent sources concur on
    def agreement_score(g: list[Claim]) -> float:
        n = independent([d for c in g for d in c.carriers])
        cue = any(AGREEMENT.search(c.statement) for c in g)
        return n + (0.75 if cue else 0.0) + 0.25 * bool(any(c.numbers for c in g))

    candidates = [g for g in groups if independent([d for c in g for d in c.carriers]) >= 2]
    if len(candidates) < limits.agreements // 2:
        # short or sparse coverage (a few ledes): outlets word one fact too differently for the strict
        # threshold, so what is left is grouped again, looser
        rest = [c for c in claims if c.id not in used and not any(c in g for g in candidates)]
        rindex = ClaimIndex(rest)
        candidates += [[rest[i] for i in g] for g in group_claims(rindex, group_of, min_sim=LOOSE_SAME)
                       if independent([d for i in g for d in rest[i].carriers]) >= 2]
    for g in sorted(candidates, key=lambda g: (-agreement_score(g), g[0].id)):
        if len(out["agreements"]) >= limits.agreements:
            break
        members = fresh(g)
        if independent([d for c in members for d in c.carriers]) < 2:
            continue
        rep = _representative(members, index, pos)
        out["agreements"].append(make_item("agreements", rep.statement, members, independent=independent,
                                           basis="independent-sources", checks=conflicting_numbers(members, group_of)))
        take(members)

    # 5. salient facts only one source covered
    singles = [g for g in groups if independent([d for c in g for d in c.carriers]) == 1]
    singles = [fresh(g) for g in singles]
    singles = [g for g in singles if g and (g[0].numbers or g[0].holder) and g[0].kind != ClaimKind.absence
               and not DEMAND.search(g[0].statement)]
    singles.sort(key=lambda g: (-topical[g[0].id], g[0].id))
    per_source: dict[int, int] = {}
    budget = min(limits.unsaid, len(out["unsaid"]) + limits.single_source)
    for g in singles:
        if len(out["unsaid"]) >= budget:
            break
        c = g[0]
        src = group_of(c.doc_id)
        if per_source.get(src, 0) >= 1:  # spread across sources: one story each
            continue
        per_source[src] = per_source.get(src, 0) + 1
        out["unsaid"].append(make_item("unsaid", c.statement, g, independent=independent, basis="single-source"))
        take(g)
    return out
