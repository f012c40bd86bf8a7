"""The ground stage: every evidence span must support its item's statement; what does not is dropped.

An item's statement may hold several sentences (a paired contrast) or join facts in clauses: a span
supports the item when it supports one of its sentences, or one of its clauses whole, or a sentence's main
clause (`text.clauses`: what the corroboration search credits). A divergence's span
supports the side (variant) its source is on: the span must state that side's figures. An item left with
no supporting span is not shown: it is returned as a DroppedItem (the manifest lists it) with a warning
naming it. Sources are recounted from what is kept.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Optional

from pydantic import BaseModel

from ..models import LISTS, BriefItem, DroppedItem, Evidence
from ..text.absence import comparable_absences
from ..text.clauses import main_clause
from ..text.words import STOPWORDS
from ..verify.signals import content_stems, figures, same_figure, split_sentences, word_count
from ..verify.refer import refer
from ..verify.support import Support, check_support

Judge = Callable[[str, str], Support]
Texts = Optional[dict[str, str]]  # doc id -> the source's text


class SpanSupport(BaseModel):
    evidence: Evidence
    support: Support
    parts: list[int] = []  # the sentences of the statement it supports whole
    clauses: list[tuple[int, int]] = []  # (sentence, clause) it supports, when it supports no sentence whole


class Grounded(BaseModel):
    sections: dict[str, list[BriefItem]]
    dropped: list[DroppedItem]
    dropped_evidence: int
    warnings: list[str]


# Where one sentence joins two facts ("..., with Russia also releasing 23"): a source that tells one of
# them corroborates that part, and is kept as long as it supports a clause whole.
_CLAUSE = re.compile(r",\s+(?=(?:with|along|while|and|but|as|after|before|including|which|whereas|plus)\b)|;\s+|:\s+|"
                     r"\s+(?=but\b)")
MIN_CLAUSE_WORDS = 5


def statement_parts(item: BriefItem) -> list[str]:
    return split_sentences(item.statement) or [item.statement]


def clauses(sentence: str) -> list[str]:
    parts = [c.strip() for c in _CLAUSE.split(sentence)]
    parts = [c for c in parts if word_count(c) >= MIN_CLAUSE_WORDS]
    return parts if len(parts) > 1 else []


def _variant_support(item: BriefItem, ev: Evidence, judge: Judge = check_support) -> Support | None:
    """A divergence's span is judged against its own side: that side's figures (or, for a side stated in
    words, "more than a month", its content words) must be in the quote. A side stated as a party's
    sentence ("holder: ...") is also backed by a quote the judge says states it, or states part of it (the
    side's sentence may hold the other party's answer too: "X said ..., but Y said ..."); a side told in several
    outlets' sentences is backed by a quote that states one of them."""
    sides = [v for v in item.variants if ev.doc_id in v.sources]
    if not sides:
        return None
    quoted, words = figures(ev.quote), set(content_stems(ev.quote))

    def states(value: str, position: str, judged: bool) -> bool:
        wanted = figures(value)
        if wanted and all(any(same_figure(a, b) for b in quoted) for a in wanted):
            return True
        said = set(content_stems(position))  # the position: its holder may be named elsewhere
        if not wanted and said and said <= words:
            return True
        return bool(not wanted and position and judged and (
            judge(position, ev.quote).supported or judge(ev.quote, position).supported))

    for v in sides:
        position = v.value.split(": ", 1)[-1]
        if states(v.value, position, ": " in v.value):
            return Support(supported=True, score=1.0)
        # a side told in several outlets' sentences: the quote states one of them
        told = split_sentences(position) if ": " in v.value else []
        if len(told) > 1 and any(states(t, t, True) for t in told):
            return Support(supported=True, score=1.0)
    return Support(supported=False, score=0.0, reason="the quote does not state its side: " +
                   "; ".join(f"'{v.value}'" for v in sides)[:120])


def _read(part: str, ev: Evidence, texts: Texts) -> str:
    """The quote as its source's reader takes it: a name the part gives for its "the company", its surname or
    "the statement" written in (verify/refer)."""
    doc = texts.get(ev.doc_id) if texts else None
    return refer(part, ev.quote, doc, at=ev.start) if doc else ev.quote


def span_support(item: BriefItem, ev: Evidence, judge: Judge = check_support, texts: Texts = None) -> SpanSupport:
    side = _variant_support(item, ev, judge) if item.variants else None
    if side is not None:
        return SpanSupport(evidence=ev, support=side)
    parts = statement_parts(item)
    results = [judge(p, _read(p, ev, texts)) for p in parts]
    best = max(range(len(results)), key=lambda i: (results[i].supported, results[i].score))
    whole = [i for i, r in enumerate(results) if r.supported]
    if whole:
        return SpanSupport(evidence=ev, support=results[best], parts=whole)
    found, first = [], None
    for i, p in enumerate(parts):
        for j, c in enumerate(clauses(p)):
            r = judge(c, _read(c, ev, texts))
            if r.supported:
                found.append((i, j))
                first = first or r
    if not found:  # a source that states a sentence's main clause corroborates it (the corroboration search)
        for i, p in enumerate(parts):
            core = main_clause(p, STOPWORDS)
            r = judge(core, ev.quote) if core else None
            if r is not None and r.supported:
                found.append((i, -1))  # -1: the main clause; never a whole sentence's every clause
                first = first or r
    if not found:
        same = _same_absence(parts, ev.quote, judge)
        if same is not None:
            return SpanSupport(evidence=ev, support=same[1], parts=[same[0]])
    return SpanSupport(evidence=ev, support=first or results[best], clauses=found)


def _same_absence(parts: list[str], quote: str, judge: Judge) -> tuple[int, Support] | None:
    """A quote that states the same absence as a statement sentence in other words ("It was unclear when
    residents could return home" for "There is no word yet on when people can go back to their homes"): what
    each says is missing, judged both ways without the cues, whose wordings differ in polarity words only."""
    for i, p in enumerate(parts):
        pair = comparable_absences(p, quote)
        if pair is None:
            continue
        mine, theirs = pair
        r = judge(mine, theirs)
        if r.supported and judge(theirs, mine).supported:
            return i, r
    return None


def item_support(item: BriefItem, judge: Judge = check_support, texts: Texts = None) -> list[SpanSupport]:
    return together([span_support(item, ev, judge, texts) for ev in item.evidence], item, judge, texts)


def together(spans: list[SpanSupport], item: BriefItem, judge: Judge, texts: Texts = None) -> list[SpanSupport]:
    """Spans of one source an item cites together, judged on their union where no one of them supports a
    sentence of the statement: "traffic fell 12 percent" and, a sentence on, "passengers dropped to
    480,000" support "traffic fell 12 percent, to 480,000 passengers" as the source's reader takes them. A span
    counts for the union only if it carries some of the sentence's key words."""
    if item.variants:
        return spans
    parts = statement_parts(item)
    by_doc: dict[str, list[int]] = {}
    for k, s in enumerate(spans):
        by_doc.setdefault(s.evidence.doc_id, []).append(k)
    out = list(spans)
    for doc, ks in by_doc.items():
        if len(ks) < 2:
            continue
        ordered = sorted(ks, key=lambda k: spans[k].evidence.start)
        for i, p in enumerate(parts):
            if any(i in spans[k].parts for k in ks):
                continue
            key = set(content_stems(p))
            mine = [k for k in ordered if key & set(content_stems(spans[k].evidence.quote))]
            if len(mine) < 2:
                continue
            union = " ".join(_read(p, spans[k].evidence, texts) for k in mine)
            r = judge(p, union)
            if r.supported:
                for k in mine:
                    out[k] = out[k].model_copy(update={"support": r, "parts": sorted(set(out[k].parts) | {i})})
    return out


def every_part_supported(item: BriefItem, spans: Sequence[SpanSupport]) -> bool:
    """ALCE-style citation recall for one item: each sentence of it is supported by at least one span."""
    if item.variants:
        return bool(spans) and all(s.support.supported for s in spans)
    whole = {i for s in spans for i in s.parts}
    pieces = {c for s in spans for c in s.clauses}
    return all(i in whole or (clauses(p) and all((i, j) in pieces for j in range(len(clauses(p)))))
               for i, p in enumerate(statement_parts(item)))


def _why(spans: Sequence[SpanSupport]) -> str:
    if not spans:
        return "no evidence"
    reasons = list(dict.fromkeys(s.support.reason or "unsupported" for s in spans))
    return "; ".join(reasons[:3]) + (f" (+{len(reasons) - 3} more)" if len(reasons) > 3 else "")


def ground_item(item: BriefItem, independent: Callable[[list[str]], int],
                judge: Judge = check_support, texts: Texts = None) -> tuple[BriefItem | None, list[SpanSupport]]:
    """The item with only the spans that support it (None when none does). `texts`: the sources' texts
    (doc id -> text), so that a span is read with the names its source gives elsewhere."""
    spans = item_support(item, judge, texts)
    kept = [s.evidence for s in spans if s.support.supported]
    if not kept:
        return None, spans
    kept_docs = {e.doc_id for e in kept}
    lost_docs = {s.evidence.doc_id for s in spans if not s.support.supported} - kept_docs
    # a source whose every span was dropped goes; carriers of a kept passage (no span of their own) stay
    sources = [d for d in item.sources if d not in lost_docs]
    variants = [v.model_copy(update={"sources": [d for d in v.sources if d not in lost_docs]}) for v in item.variants]
    variants = [v for v in variants if set(v.sources) & kept_docs]  # a side no kept span states is gone
    if item.variants and len(variants) < 2:
        return None, spans  # a divergence needs two sides still backed by their sources
    if item.variants:
        on_a_side = {d for v in variants for d in v.sources}
        sources = [d for d in sources if d in on_a_side or d in kept_docs]
    return item.model_copy(update={"evidence": kept, "sources": sources, "variants": variants,
                                   "independent_sources": independent(sources)}), spans


class _Prefetched:
    """A verifier's answers for every (statement sentence, quote) the stage will ask, fetched in one batch
    (a model-backed verifier sends its calls together); anything else is asked as it comes."""

    def __init__(self, judge, pairs: list[tuple[str, str]]):
        self.judge = judge
        todo = list(dict.fromkeys(pairs))
        self.known = dict(zip(todo, judge.supports_many(todo))) if todo else {}

    def __call__(self, statement: str, quote: str) -> Support:
        got = self.known.get((statement, quote))
        return got if got is not None else self.judge(statement, quote)


def ground_sections(sections: dict[str, list[BriefItem]], independent: Callable[[list[str]], int],
                    judge: Judge = check_support, texts: Texts = None) -> Grounded:
    if hasattr(judge, "supports_many"):
        judge = _Prefetched(judge, [(p, _read(p, ev, texts)) for name in LISTS for item in sections.get(name, [])
                                    if not item.variants for ev in item.evidence for p in statement_parts(item)])
    out: dict[str, list[BriefItem]] = {}
    dropped: list[DroppedItem] = []
    warnings: list[str] = []
    n_dropped_ev = 0
    for name in LISTS:  # the single-source list too: its items cite spans like any other
        kept_items = []
        for item in sections.get(name, []):
            grounded, spans = ground_item(item, independent, judge, texts)
            n_dropped_ev += sum(not s.support.supported for s in spans)
            if grounded is None:
                reason = _why(spans) if not item.variants or not spans else \
                    _why([s for s in spans if not s.support.supported]) or "a side lost its sources"
                dropped.append(DroppedItem(statement=item.statement, section=name, reason=reason))
                short = item.statement if len(item.statement) <= 90 else item.statement[:87] + "..."
                warnings.append(f"ground: dropped {name} item \"{short}\": no evidence supports it ({reason})")
            else:
                kept_items.append(grounded)
        out[name] = kept_items
    return Grounded(sections=out, dropped=dropped, dropped_evidence=n_dropped_ev, warnings=warnings)
