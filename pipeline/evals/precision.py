"""Precision of a brief, for any brief.json: does each cited span support its item, is each item's every
sentence supported, is a matched item in its fact's section, does an item restate another?

- citation_precision: share of evidence spans that support their item's statement (ground/check.py);
- citation_recall: share of items whose every sentence is supported by at least one of their spans
  (ALCE-style);
- section_precision: of the items that match a gold fact, the share in the fact's own section;
- redundancy: share of items that restate another item (80% of their key words said by that one);
- unsupported items: items no span of which supports them, or whose span does not quote its source.
"""
from __future__ import annotations

from typing import Optional, Sequence

from pydantic import BaseModel

from ..ground.check import every_part_supported, item_support
from ..verify.support import check_support
from ..verify.signals import content_stems
from ..models import Brief, BriefItem

RESTATES = 0.8  # share of an item's key words another item says for it to count as a restatement


class SpanProblem(BaseModel):
    source: str
    start: int
    end: int
    quote: str
    reason: str


class ItemRow(BaseModel):
    id: str
    section: str
    statement: str
    supported: bool  # at least one span supports it (and every span quotes its source exactly)
    support: float  # 0..1: share of its spans that support it
    n_evidence: int
    every_sentence_supported: bool
    restates: Optional[str] = None  # the item it restates
    unsupported_evidence: list[SpanProblem]
    problem: Optional[str] = None  # why it is unsupported as a whole


def _integrity(item: BriefItem, texts: dict[str, str]) -> Optional[str]:
    if item.evidence and not item.verified:
        return "evidence not verified"
    for ev in item.evidence:
        text = texts.get(ev.doc_id)
        if text is None:
            return f"evidence cites unknown source {ev.doc_id}"
        if not (0 <= ev.start <= ev.end <= len(text)) or text[ev.start:ev.end] != ev.quote:
            return f"evidence span {ev.start}:{ev.end} of {ev.source} does not match its quote"
    return None


def _restates(items: Sequence[BriefItem]) -> dict[str, str]:
    keys = [set(content_stems(i.statement)) for i in items]
    out: dict[str, str] = {}
    for a, ka in enumerate(keys):
        for b, kb in enumerate(keys):
            if a != b and ka and len(ka & kb) >= RESTATES * len(ka) and (len(ka) < len(kb) or a > b):
                out[items[a].id] = items[b].id  # the shorter (or later) of two restatements is the redundant one
                break
    return out


def item_rows(brief: Brief, judge=None) -> list[ItemRow]:
    """`judge`: the verifier the eval runs with (`--verifier`), so a span is judged as the ground stage judges
    it, read with the names its source gives elsewhere; the rules when none is given."""
    texts = {s.id: s.text for s in brief.sources}
    items = brief.items()
    restated = _restates(items)
    rows = []
    for item in items:
        spans = item_support(item, judge or check_support, texts)
        bad = [SpanProblem(source=s.evidence.source, start=s.evidence.start, end=s.evidence.end,
                           quote=s.evidence.quote, reason=s.support.reason or "unsupported")
               for s in spans if not s.support.supported]
        integrity = _integrity(item, texts)
        n_ok = sum(s.support.supported for s in spans)
        problem = integrity or (None if n_ok else ("no evidence" if not spans else
                                                   "no span supports it: " + bad[0].reason))
        rows.append(ItemRow(
            id=item.id, section=item.section, statement=item.statement, supported=problem is None,
            support=round(n_ok / len(spans), 4) if spans else 0.0, n_evidence=len(spans),
            every_sentence_supported=integrity is None and every_part_supported(item, spans),
            restates=restated.get(item.id), unsupported_evidence=bad, problem=problem))
    return rows


def citation_precision(rows: Sequence[ItemRow], brief: Brief) -> Optional[float]:
    n = sum(len(i.evidence) for i in brief.items())
    bad = sum(len(r.unsupported_evidence) for r in rows)
    return round(1 - bad / n, 4) if n else None


def citation_recall(rows: Sequence[ItemRow]) -> Optional[float]:
    return round(sum(r.every_sentence_supported for r in rows) / len(rows), 4) if rows else None


def redundancy(rows: Sequence[ItemRow]) -> Optional[float]:
    return round(sum(r.restates is not None for r in rows) / len(rows), 4) if rows else None


def section_precision(matched: dict[str, bool]) -> Optional[float]:
    """`matched`: item id -> whether it is in the section of (one of) the gold facts it matches."""
    return round(sum(matched.values()) / len(matched), 4) if matched else None
