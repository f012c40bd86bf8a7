"""Put sections, sources and the run's facts together into the Brief."""
from __future__ import annotations

from ..models import Brief, BriefHeader, BriefItem, Document, SourceInfo

_PREFIX = {"agreements": "A", "divergences": "D", "unsaid": "U", "single_source": "S"}


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
            item = item.model_copy(update={"id": f"{_PREFIX[name]}{k}", "sources": sorted(item.sources, key=order.__getitem__)})
            numbered.append(item)
        out[name] = numbered
    if cited - set(order):
        raise ValueError(f"items cite unknown sources: {sorted(cited - set(order))}")
    return Brief(header=header, sources=sources, **out)
