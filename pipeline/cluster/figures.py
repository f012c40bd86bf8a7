"""Deterministic checks both engines get: figures that conflict across sources, and honest source counts."""
from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from ..models import Claim, Variant
from ..text.quantities import Quantity, find_quantities, same_value

_THING_WORDS = {"call": "the call"}


class QuantityConflict(BaseModel):
    dimension: str
    thing: str
    variants: list[Variant]  # one per distinct value, most widely reported first
    claim_ids: list[str]

    def statement(self) -> str:
        what = _THING_WORDS.get(self.thing, f"the {self.thing}")
        measure = f"how long {what} lasted" if self.dimension == "duration" else f"the number of {self.thing}s"
        parts = [v.value for v in self.variants]
        return f"Sources differ on {measure}: " + "; ".join(parts) + "."


def quantity_conflicts(claims: list[Claim], group_of) -> list[QuantityConflict]:
    """Slots (what is measured) where independent sources give values that do not agree."""
    slots: dict[tuple[str, str], list[tuple[Quantity, Claim]]] = defaultdict(list)
    for c in claims:
        for q in find_quantities(c.statement):
            slots[(q.dimension, q.thing)].append((q, c))
    conflicts = []
    for (dim, thing), found in slots.items():
        # value clusters: loose equality so "nearly two hours" and "two-hour" agree
        clusters: list[list[tuple[Quantity, Claim]]] = []
        for q, c in sorted(found, key=lambda x: x[0].value):
            if clusters and same_value(clusters[-1][0][0].value, q.value):
                clusters[-1].append((q, c))
            else:
                clusters.append([(q, c)])
        if len(clusters) < 2:
            continue
        groups_per_cluster = [{group_of(d) for _, c in cl for d in c.carriers} for cl in clusters]
        # a conflict needs two values each told by a source that does not also tell the other
        exclusive = [g - set().union(*(h for k, h in enumerate(groups_per_cluster) if k != i))
                     for i, g in enumerate(groups_per_cluster)]
        if sum(1 for e in exclusive if e) < 2:
            continue
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
        conflicts.append(QuantityConflict(dimension=dim, thing=thing, variants=variants,
                                          claim_ids=list(dict.fromkeys(c.id for _, c in found))))
    return sorted(conflicts, key=lambda k: -len({d for v in k.variants for d in v.sources}))


def conflicting_numbers(claims: list[Claim], group_of) -> list[str]:
    """Check notes for one item: figures for the same thing that its own claims disagree on."""
    return [f"sources disagree: {k.statement()}" for k in quantity_conflicts(claims, group_of)]
