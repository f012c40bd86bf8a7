"""Align evidence quotes to exact character spans of their source.

A model's quote is a claim about the source, not evidence: only the span we find in the source text
becomes evidence, and the quote we store is always copied out of the source, never from the model.
"""
from __future__ import annotations

import re
from functools import cached_property

from ..models import Document, Evidence
from ..verify.signals import word_count
from ..verify.support import MIN_QUOTE_WORDS

_QUOTE_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ",
})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026|\[\.\.\.\])\s*")
_EDGE = " \t\n\"'\u201c\u201d\u2018\u2019.,;:"
MIN_PIECE_CHARS = 12  # shorter fragments around an ellipsis match too easily by chance


def _norm_char(ch: str) -> str:
    return ch.translate(_QUOTE_CHARS).casefold()


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Quote-, dash-, case- and whitespace-normalised text, and for each of its chars the source index."""
    out: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                index.append(i)
            prev_space = True
            continue
        n = _norm_char(ch)
        # casefold can lengthen a char ("ß" -> "ss"); every piece points at the same source char
        out.append(n)
        index.extend([i] * len(n))
        prev_space = False
    return "".join(out), index


def normalize(text: str) -> str:
    return normalize_with_map(text)[0].strip()


class Aligner:
    """Finds quotes in one document; the normalised view is built once, on first need."""

    def __init__(self, doc: Document):
        self.doc = doc

    @cached_property
    def _normalized(self) -> tuple[str, list[int]]:
        return normalize_with_map(self.doc.text)

    def find(self, quote: str) -> tuple[int, int, str] | None:
        text = self.doc.text
        q = quote.strip(_EDGE) if len(quote.strip(_EDGE)) >= MIN_PIECE_CHARS else quote.strip()
        if not q:
            return None
        i = text.find(q)
        if i >= 0:
            return i, i + len(q), "exact"
        norm_text, index = self._normalized
        nq = normalize(q)
        if not nq:
            return None
        j = norm_text.find(nq)
        if j < 0:
            return None
        start, end = index[j], index[j + len(nq) - 1] + 1
        return start, end, "normalized"

    def evidence(self, quote: str) -> list[Evidence]:
        """Evidence spans for a quote; a quote with an ellipsis must match piece by piece, in order. A quote
        under MIN_QUOTE_WORDS words ("the minister", "agreed") is found nowhere: it is too short to be evidence."""
        if word_count(quote) < MIN_QUOTE_WORDS:
            return []
        pieces = [p for p in _ELLIPSIS.split(quote) if p.strip(_EDGE)]
        if len(pieces) > 1 and any(len(p.strip(_EDGE)) < MIN_PIECE_CHARS for p in pieces):
            return []
        found: list[Evidence] = []
        last_end = 0
        for piece in pieces or [quote]:
            hit = self.find(piece)
            if hit is None or hit[0] < last_end:
                return []
            start, end, how = hit
            found.append(self.span(start, end, how))
            last_end = end
        return found

    def span(self, start: int, end: int, how: str = "exact") -> Evidence:
        doc = self.doc
        return Evidence(
            doc_id=doc.id, source=doc.name, start=start, end=end, quote=doc.text[start:end],
            raw_start=doc.to_raw(start), raw_end=doc.to_raw(end - 1) + 1 if end > start else doc.to_raw(start),
            match=how,
        )


def check_evidence(ev: Evidence, text: str) -> bool:
    return 0 <= ev.start < ev.end <= len(text) and text[ev.start:ev.end] == ev.quote
