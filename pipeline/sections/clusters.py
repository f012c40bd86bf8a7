"""The clusters the LLM merge works on: the offline engine's items over the same claims, each with its member
claims, so the model's answer for a cluster can always fall back to the rules' answer for it."""
from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from ..models import LISTS, BriefItem, Claim, Document, ItemSection, Limits
from .offline import offline_sections


class Cluster(BaseModel):
    """Claims the rules grouped as one point, and what the rules made of them (the floor)."""
    id: str  # G1, G2... in the order the rules ranked them within each section
    members: list[Claim]
    rules: BriefItem  # the offline engine's item: its section, statement (a source sentence) and evidence

    @property
    def section(self) -> ItemSection:
        return self.rules.section


def clusters(claims: list[Claim], group_of: Callable[[str], int], independent: Callable[[list[str]], int],
             limits: Limits | None = None, *, docs: list[Document] | None = None,
             judge=None) -> tuple[list[Cluster], list[BriefItem]]:
    """Clusters for the model, and the items that stay deterministic (figures that conflict across sources:
    the rules found them, and no model statement can add to a list of differing values)."""
    # the run's verifier (`judge`), as the offline engine reads the same claims: the floor is that engine's brief
    sections = offline_sections(claims, group_of, independent, limits, docs=docs, judge=judge)
    by_span: dict[tuple[str, int, int], Claim] = {}
    for c in claims:
        for e in c.evidence:
            by_span.setdefault((e.doc_id, e.start, e.end), c)
    out: list[Cluster] = []
    fixed: list[BriefItem] = []
    for name in LISTS:
        for item in sections[name]:
            if item.basis == "conflicting-figures":
                fixed.append(item)
                continue
            members = list({id(c): c for e in item.evidence
                            if (c := by_span.get((e.doc_id, e.start, e.end))) is not None}.values())
            if members:
                out.append(Cluster(id=f"G{len(out) + 1}", members=members, rules=item))
    return out, fixed
