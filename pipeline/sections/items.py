"""Turn groups of claims into brief items: sources in citation order, evidence, honest source counts."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..models import BriefItem, Claim, Section, Variant


def make_item(section: Section, statement: str, claims: Iterable[Claim], *, independent: Callable[[list[str]], int],
              basis: str, kind: str | None = None, variants: list[Variant] | None = None,
              checks: list[str] | None = None) -> BriefItem:
    claims = list(claims)
    sources = list(dict.fromkeys(d for c in claims for d in (c.carriers or [c.doc_id])))
    for v in variants or []:
        sources.extend(d for d in v.sources if d not in sources)
    evidence = [e for c in claims if c.verified for e in c.evidence]
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for e in evidence:
        if (e.doc_id, e.start, e.end) not in seen:
            seen.add((e.doc_id, e.start, e.end))
            unique.append(e)
    kinds = [c.kind.value for c in claims]
    return BriefItem(
        id="", section=section, statement=statement, kind=kind or max(dict.fromkeys(kinds), key=kinds.count, default="reported_fact"),  # ties: first seen
        holders=list(dict.fromkeys(c.holder for c in claims if c.holder)), sources=sources,
        independent_sources=independent(sources), evidence=unique, variants=variants or [],
        numbers=list(dict.fromkeys(n for c in claims for n in c.numbers)), checks=checks or [],
        verified=bool(unique) and all(c.verified for c in claims), basis=basis,
    )
