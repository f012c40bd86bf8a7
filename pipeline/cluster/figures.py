"""Deterministic checks both engines get: figures that conflict across sources, and honest source counts."""
from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel

from ..models import Claim, Variant
from ..text.quantities import STATES, Quantity, compatible, find_quantities, same_thing


class QuantityConflict(BaseModel):
    dimension: str
    thing: str
    variants: list[Variant]  # one per distinct value, most widely reported first
    claim_ids: list[str]
    nouns: list[str] = []  # what the sources call the thing measured, most used first ("call", "talks")
    state: str = ""  # for counts of people: the state counted ("killed", "injured"...)

    def what(self) -> str:
        """What is measured, in the sources' own words: "how long the call lasted", "the number killed"."""
        noun = self.nouns[0] if self.nouns else ""
        if self.dimension == "duration":
            return f"how long the {_singular(noun) or 'event'} lasted"
        if self.dimension == "count":
            if self.state:
                return f"the number of {noun} {self.state}" if len(self.nouns) == 1 else f"the number {self.state}"
            return f"the number of {noun}"
        if self.dimension == "percent":
            return f"the share of {noun}"
        if self.dimension.startswith("money"):
            return f"the amount of the {noun}" if noun else "the amount"
        return f"the {self.dimension} of the {noun}" if noun else f"the {self.dimension}"

    def statement(self) -> str:
        parts = [v.value for v in self.variants]
        return f"Sources differ on {self.what()}: " + "; ".join(parts) + "."


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


Joined = set[tuple[str, frozenset[str]]]  # (dimension, {thing, thing}): one measure named two ways


def _one(dim: str, a: str, b: str, joined: Joined) -> bool:
    return same_thing(a, b) or (dim, frozenset((a, b))) in joined


def _slots(claims: list[Claim], joined: Joined = frozenset()) -> dict[tuple[str, str], list[tuple[Quantity, Claim]]]:
    """Figures by what they measure; a thing named two ways ("quake", "earthquake"; or any pair `joined`
    names, "homes" and "households" that the verifier found to be one measure) is one slot."""
    slots: dict[tuple[str, str], list[tuple[Quantity, Claim]]] = defaultdict(list)
    for c in claims:
        for q in find_quantities(c.statement):
            key = next((k for k in slots if k[0] == q.dimension and _one(q.dimension, k[1], q.thing, joined)),
                       (q.dimension, q.thing))
            slots[key].append((q, c))
    return slots


def _value_clusters(found: list[tuple[Quantity, Claim]]) -> list[list[tuple[Quantity, Claim]]]:
    """Figures that can all be true at once, together: "at least three" joins "three", not "five".

    Each cluster is the figures one value satisfies (intervals that share a point always agree with
    each other). Values stated exactly are tried first, the most widely stated first, so "nearly two
    hours" joins "two-hour" rather than "more than 90-minute"."""
    rest = list(found)  # in the order the claims came: a cluster lists its wordings in that order
    clusters: list[list[tuple[Quantity, Claim]]] = []
    while rest:
        points = [q for q, _ in rest if q.low == q.high] or [min((q for q, _ in rest), key=lambda q: q.interval()[1])]
        best = max(points, key=lambda p: (sum(compatible(p, q) for q, _ in rest), -p.value))
        point = best if best.low == best.high else best.model_copy(update={"low": best.interval()[1],
                                                                           "high": best.interval()[1]})
        members = [x for x in rest if compatible(point, x[0])]
        clusters.append(members)
        rest = [x for x in rest if not any(x is m for m in members)]
    return clusters


MAX_RATIO = 10  # two values further apart than this are two measures, not one reported two ways


def _span(cluster: list[tuple[Quantity, Claim]]) -> tuple[float, float]:
    return min(q.interval()[0] for q, _ in cluster), max(q.interval()[1] for q, _ in cluster)


def _within(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two values' intervals lie within MAX_RATIO of each other ("dozens" reaches 200, "some 300")."""
    (lo_a, hi_a), (lo_b, hi_b) = a, b
    if min(lo_a, lo_b) <= 0:
        return True
    return max(lo_b / hi_a, lo_a / hi_b, 1.0) <= MAX_RATIO


def quantity_conflicts(claims: list[Claim], group_of, joined: Joined = frozenset()) -> list[QuantityConflict]:
    """Slots (what is measured) where independent sources give values that cannot all be true."""
    conflicts = []
    for (dim, thing), found in _slots(claims, joined).items():
        clusters = _value_clusters(found)
        if len(clusters) < 2:
            continue
        groups_per_cluster = [{group_of(d) for _, c in cl for d in c.carriers} for cl in clusters]
        # a conflict needs two values each told by a source that does not also tell the other (of all the
        # values: an outlet that gives both 480 homes and 144 of them affordable sets neither against another)
        exclusive = [g - set().union(*(h for k, h in enumerate(groups_per_cluster) if k != i))
                     for i, g in enumerate(groups_per_cluster)]
        # outlets misreport a measure by a fraction, not a hundredfold: "about 1.4 million homes" (all the
        # firm supplies) set against "12,000 homes" (those it wronged) are two measures of one noun
        main = max(range(len(clusters)), key=lambda i: (len({d for _, c in clusters[i] for d in c.carriers}), -i))
        near = [i for i in range(len(clusters)) if _within(_span(clusters[i]), _span(clusters[main]))]
        if sum(1 for i in near if exclusive[i]) < 2:
            continue
        clusters = [clusters[i] for i in near]
        variants = []
        for cl in sorted(clusters, key=lambda cl: -len({d for _, c in cl for d in c.carriers})):
            by_surface: dict[str, list[str]] = defaultdict(list)
            for q, c in cl:
                for d in c.carriers:
                    if d not in by_surface[q.surface]:
                        by_surface[q.surface].append(d)
            surfaces = ", ".join(f'"{s}"' for s in by_surface)
            docs = list(dict.fromkeys(d for ds in by_surface.values() for d in ds))
            variants.append(Variant(value=surfaces, sources=docs))
        nouns = Counter(q.noun for q, _ in found if q.noun)
        state = thing if dim == "count" and thing in STATES else ""
        conflicts.append(QuantityConflict(dimension=dim, thing=thing, variants=variants,
                                          claim_ids=list(dict.fromkeys(c.id for _, c in found)),
                                          nouns=[w for w, _ in sorted(nouns.items(), key=lambda kv: -kv[1])],
                                          state=state))
    return sorted(conflicts, key=lambda k: -len({d for v in k.variants for d in v.sources}))


def conflicting_numbers(claims: list[Claim], group_of) -> list[str]:
    """Check notes for one item: figures for the same thing that its own claims disagree on."""
    return [f"sources disagree: {k.statement()}" for k in quantity_conflicts(claims, group_of)]
