"""Put sections, sources and the run's facts together into the Brief.

Two guards for readers: an item lists the same words of a source once and at most SPANS_PER_SOURCE spans of
any one source (a text that repeats itself must not make a 30 MB brief; the rest are counted), and a source
no item cites gets a warning, so that nothing disappears from the brief without a trace.
"""
from __future__ import annotations

from ..models import Brief, BriefHeader, BriefItem, Document, Evidence, SourceInfo

_PREFIX = {"agreements": "A", "divergences": "D", "unsaid": "U", "single_source": "S"}
# a divergence may rest on two sides told by one article, and a statement on two of its sentences
SPANS_PER_SOURCE = 3


def cap_evidence(evidence: list[Evidence]) -> tuple[list[Evidence], int]:
    """The spans in their order (best first), each source's same words once and at most SPANS_PER_SOURCE of
    it; and how many were left out."""
    kept, seen, per_source = [], set(), {}
    for ev in evidence:
        words = (ev.doc_id, " ".join(ev.quote.split()).lower())
        if words in seen or per_source.get(ev.doc_id, 0) >= SPANS_PER_SOURCE:
            continue
        seen.add(words)
        per_source[ev.doc_id] = per_source.get(ev.doc_id, 0) + 1
        kept.append(ev)
    return kept, len(evidence) - len(kept)


def uncited_warnings(docs: list[Document], sections: dict[str, list[BriefItem]]) -> list[str]:
    """'name: ...' for every source that no item cites: its sentences are in no section."""
    cited = {d for items in sections.values() for it in items for d in it.sources}
    return [f"{d.name}: no item cites it, so it is in the sources but not in the sections (nothing it says is "
            "told by another source, and none of its sentences was kept as a fact one source reports; the offline "
            "rules keep one only when it holds a figure or a named speaker)" for d in docs if d.id not in cited]


def assemble(docs: list[Document], sections: dict[str, list[BriefItem]], group_of, header: BriefHeader) -> Brief:
    cited = {d for items in sections.values() for it in items for d in it.sources}
    sources = [
        SourceInfo(id=d.id, n=n, name=d.name, sha256=d.sha256, title=d.meta.title, outlet=d.meta.outlet,
                   date=d.meta.date, url=d.meta.url, syndication_group=group_of(d.id), text=d.text)
        for n, d in enumerate(docs, start=1)
    ]
    order = {d.id: n for n, d in enumerate(docs)}
    out = {}
    for name, items in sections.items():
        numbered = []
        for k, item in enumerate(items, start=1):
            evidence, omitted = cap_evidence(item.evidence)
            item = item.model_copy(update={"id": f"{_PREFIX[name]}{k}", "sources": sorted(item.sources, key=order.__getitem__),
                                           "evidence": evidence, "evidence_omitted": item.evidence_omitted + omitted})
            numbered.append(item)
        out[name] = numbered
    if cited - set(order):
        raise ValueError(f"items cite unknown sources: {sorted(cited - set(order))}")
    if len(docs) > 1:  # a lone source's brief says it all by itself
        header = header.model_copy(update={"warnings": [*header.warnings, *uncited_warnings(docs, out)]})
    return Brief(header=header, sources=sources, **out)
