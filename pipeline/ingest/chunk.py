"""Token-aware chunks of a document that respect sentence boundaries.

A chunk is the contiguous span of doc.text from its first sentence's start to its last sentence's
end, so ``doc.text[c.start:c.end] == c.text`` holds by construction: offsets come from the sentence
offsets, never from searching. A chunk never holds text the caller dropped: a dropped sentence,
or a gap between sentences that holds words no sentence covers, ends the current chunk.

Token counts: each sentence (and each gap) is counted once and the counts are summed, which keeps
packing linear; every finished chunk is then counted exactly once, and the rare chunk whose exact
count exceeds the limit (BPE merges across a boundary) is split again.
"""
from __future__ import annotations

import re
from typing import Callable, Mapping, NamedTuple

from ..models import Chunk, Document, Sentence
from .tokens import count_tokens

_WORDY = re.compile(r"\w")  # a gap holding any of these is text no sentence kept
_NON_SPACE = re.compile(r"\S+")
_PARA_FILL = 0.5  # near the limit, end at a paragraph break if the chunk is at least this full


class _Unit(NamedTuple):
    start: int
    end: int
    tokens: int
    gap_tokens: int  # tokens of the text between the previous unit and this one
    new_para: bool  # a preferred place to start a chunk


def chunk_document(
    doc: Document,
    sentences: list[Sentence],
    *,
    max_tokens: int = 800,
    keep: Callable[[Sentence], bool] | None = None,
) -> list[Chunk]:
    """Chunks of at most max_tokens tokens covering exactly the kept sentences, in text order.

    keep: return False to drop a sentence (e.g. a duplicate an earlier document already carries).
    A sentence longer than max_tokens becomes chunks of its own, split at whitespace.
    """
    if max_tokens < 4:  # a single character can take 4 tokens (one per UTF-8 byte)
        raise ValueError("max_tokens must be at least 4")
    text = doc.text
    gap_cache: dict[str, int] = {}

    def gap_tokens(a: int, b: int) -> int:
        gap = text[a:b]
        if gap not in gap_cache:
            gap_cache[gap] = count_tokens(gap) if gap else 0
        return gap_cache[gap]

    spans: list[tuple[int, int, int]] = []  # (start, end, exact tokens)
    run: list[_Unit] = []

    def flush() -> None:
        if run:
            spans.extend(_pack(text, run, max_tokens))
            run.clear()

    prev_end, last_para = 0, -1
    for s in sorted(sentences, key=lambda s: (s.start, s.end)):
        _check(doc, s, prev_end)
        prev_end = s.end
        if s.start == s.end:
            continue
        if keep is not None and not keep(s):
            flush()
            continue
        if run and _WORDY.search(text, run[-1].end, s.start):
            flush()
        n = count_tokens(s.text)
        if n > max_tokens:
            flush()
            spans.extend(_split_long(text, s.start, s.end, max_tokens, gap_tokens))
            continue
        if run:
            last = run[-1]
            run.append(_Unit(s.start, s.end, n, gap_tokens(last.end, s.start), s.para != last_para))
        else:
            run.append(_Unit(s.start, s.end, n, 0, True))
        last_para = s.para
    flush()
    return [
        Chunk(id=f"{doc.id}:c{i}", doc_id=doc.id, start=a, end=b, text=text[a:b], n_tokens=n)
        for i, (a, b, n) in enumerate(spans)
    ]


def chunk_documents(
    docs: list[Document],
    sentences_by_doc: Mapping[str, list[Sentence]],
    *,
    max_tokens: int = 800,
    keep: Callable[[Sentence], bool] | None = None,
) -> list[Chunk]:
    """Chunks of every document, documents in the given order; a document with no sentences has none."""
    out: list[Chunk] = []
    for doc in docs:
        out.extend(
            chunk_document(doc, sentences_by_doc.get(doc.id, []), max_tokens=max_tokens, keep=keep)
        )
    return out


def _check(doc: Document, s: Sentence, prev_end: int) -> None:
    if s.doc_id != doc.id:
        raise ValueError(f"sentence {s.doc_id}:{s.idx} does not belong to document {doc.id}")
    if not (0 <= s.start <= s.end <= len(doc.text)) or doc.text[s.start:s.end] != s.text:
        raise ValueError(f"sentence {s.doc_id}:{s.idx}: offsets do not match the document text")
    if s.start < prev_end:
        raise ValueError(f"sentence {s.doc_id}:{s.idx} overlaps the previous sentence")


def _pack(text: str, units: list[_Unit], max_tokens: int) -> list[tuple[int, int, int]]:
    """Greedy packing of contiguous units (each within max_tokens) into spans within max_tokens."""
    ranges = []
    i, n = 0, len(units)
    while i < n:
        total, j, para_break = units[i].tokens, i + 1, None
        while j < n and total + units[j].gap_tokens + units[j].tokens <= max_tokens:
            if units[j].new_para and total >= _PARA_FILL * max_tokens:
                para_break = j
            total += units[j].gap_tokens + units[j].tokens
            j += 1
        if j < n and not units[j].new_para and para_break is not None:
            j = para_break  # full: end at the last paragraph break rather than mid-paragraph
        ranges.append((i, j))
        i = j
    return _exact(text, units, ranges, max_tokens)


def _exact(
    text: str, units: list[_Unit], ranges: list[tuple[int, int]], max_tokens: int
) -> list[tuple[int, int, int]]:
    """Count each span exactly; halve the rare one the summed estimate let exceed the limit.

    A single unit always fits: its estimate is its exact count.
    """
    out = []
    todo = ranges[::-1]
    while todo:
        i, j = todo.pop()
        a, b = units[i].start, units[j - 1].end
        n = count_tokens(text[a:b])
        if n <= max_tokens or j - i == 1:
            out.append((a, b, n))
        else:
            mid = (i + j) // 2
            todo += [(mid, j), (i, mid)]
    return out


def _split_long(
    text: str, start: int, end: int, max_tokens: int, gap_tokens: Callable[[int, int], int]
) -> list[tuple[int, int, int]]:
    """Split one oversize sentence at whitespace; a word over the limit is cut into character
    windows of max_tokens // 4 characters, which cannot exceed it (<= 4 tokens per character)."""
    units: list[_Unit] = []
    prev = None
    window = max_tokens // 4
    for m in _NON_SPACE.finditer(text, start, end):
        a, b = m.span()
        n = count_tokens(text[a:b])
        pieces = [(a, b, n)] if n <= max_tokens else [
            (x, min(x + window, b), count_tokens(text[x:min(x + window, b)]))
            for x in range(a, b, window)
        ]
        for x, y, t in pieces:
            units.append(_Unit(x, y, t, gap_tokens(prev, x) if prev is not None else 0, False))
            prev = y
    return _pack(text, units, max_tokens)
