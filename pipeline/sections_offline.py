"""The offline engine's merge: rules that place grouped claims into the three sections.

Order matters and each claim lands in one item at most: conflicting figures first (they only cite),
then what the sources say is missing, then party positions and stated contrasts, then what independent
sources concur on, and last the salient facts only one source covered.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from .attribution import ABSENCE, AGREEMENT, CONTRAST, POSITION, mentioned_parties
from .checks import conflicting_numbers, quantity_conflicts
from .group import group_claims
from .lexical import content_terms
from .models import BriefItem, Claim, ClaimKind
from .similarity import ClaimIndex
from .items import make_item

# Demands and refusals, not softer stance words: these are what make a position a point of divergence.
DEMAND = re.compile(r"\b(?:insist\w*|demand\w*|condition\w*|call(?:ed|s)?\s+for|stipulat\w*|reject\w*|refus\w*|"
                    r"essential|key\s+condition|firm\s+on|adamant|cessation|halting|urg(?:ed|ing))\b", re.IGNORECASE)


class Limits(BaseModel):
    agreements: int = 10
    divergences: int = 8
    unsaid: int = 8
    single_source: int = 3  # of the unsaid budget


def _absence_substance(text: str) -> int:
    """Content words beyond the absence cue: 'Some points were notable by their absence' has none."""
    return len(content_terms(ABSENCE.sub(" ", text), drop_reporting=True))


def _representative(members: list[Claim]) -> Claim:
    # the member that most reads like the group: fewest words among those carrying the group's figures
    return min(members, key=lambda c: (-len(set(c.numbers)), len(c.statement.split()), c.id))


def offline_sections(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
                     limits: Limits | None = None) -> dict[str, list[BriefItem]]:
    limits = limits or Limits()
    out: dict[str, list[BriefItem]] = {"agreements": [], "divergences": [], "unsaid": []}
    if not claims:
        return out
    index = ClaimIndex(claims)
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
        rep = _representative(members)
        out["unsaid"].append(make_item("unsaid", rep.statement, members, independent=independent,
                                       basis="absence-cue", kind="absence"))
        take(members)
        if len(out["unsaid"]) >= limits.unsaid - limits.single_source:
            break

    # 3. party positions that conflict: demands and refusals, and sentences that contrast two parties
    def divergence_score(g: list[Claim]) -> float:
        demand = sum(1 for c in g if c.kind == ClaimKind.position and DEMAND.search(c.statement))
        contrast = sum(1 for c in g if CONTRAST.search(c.statement) and (len(mentioned_parties(c.statement)) >= 2
                                                                            or re.search(r"\bdiffer|\bdiverg|\bconflicting", c.statement, re.I)))
        return 2.0 * demand + 1.5 * contrast + 0.5 * independent([d for c in g for d in c.carriers]) if demand or contrast else 0.0

    scored = sorted(((divergence_score(g), g) for g in groups), key=lambda x: -x[0])
    for score, g in scored:
        if score <= 0 or len(out["divergences"]) >= limits.divergences:
            break
        members = fresh(g)
        if not members:
            continue
        rep = max(members, key=lambda c: (bool(DEMAND.search(c.statement)) + bool(CONTRAST.search(c.statement)), -len(c.statement)))
        out["divergences"].append(make_item("divergences", rep.statement, members, independent=independent,
                                            basis="party-positions" if DEMAND.search(rep.statement) else "stated-contrast"))
        take(members)

    # 4. what independent sources concur on
    def agreement_score(g: list[Claim]) -> float:
        n = independent([d for c in g for d in c.carriers])
        cue = any(AGREEMENT.search(c.statement) for c in g)
        return n + (0.75 if cue else 0.0) + 0.25 * bool(any(c.numbers for c in g))

    candidates = [g for g in groups if independent([d for c in g for d in c.carriers]) >= 2]
    for g in sorted(candidates, key=lambda g: (-agreement_score(g), g[0].id)):
        if len(out["agreements"]) >= limits.agreements:
            break
        members = fresh(g)
        if independent([d for c in members for d in c.carriers]) < 2:
            continue
        rep = _representative(members)
        out["agreements"].append(make_item("agreements", rep.statement, members, independent=independent,
                                           basis="independent-sources", checks=conflicting_numbers(members, group_of)))
        take(members)

    # 5. salient facts only one source covered
    singles = [g for g in groups if independent([d for c in g for d in c.carriers]) == 1]
    singles = [fresh(g) for g in singles]
    singles = [g for g in singles if g and (g[0].numbers or g[0].holder) and g[0].kind != ClaimKind.absence]
    singles.sort(key=lambda g: (-topical[g[0].id], g[0].id))
    per_source: dict[int, int] = {}
    for g in singles:
        if len(out["unsaid"]) >= limits.unsaid:
            break
        c = g[0]
        src = group_of(c.doc_id)
        if per_source.get(src, 0) >= 1:  # spread across sources: one story each
            continue
        per_source[src] = per_source.get(src, 0) + 1
        out["unsaid"].append(make_item("unsaid", c.statement, g, independent=independent, basis="single-source"))
        take(g)
    return out
