"""Cleaned text and the map back to the raw article: deletions as raw spans, the text they leave, and the
(clean_pos, raw_pos) breakpoints that map every cleaned character to the raw character (or markup) it came from.

Document.to_raw reads the same breakpoints; every evidence span's offsets are found through them.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Optional

Span = tuple[int, int, str]  # raw_start, raw_end, kind


class Builder:
    """Accumulates cleaned text and the (clean_pos, raw_pos) breakpoints that map it back."""

    def __init__(self, raw: str):
        self.raw = raw
        self.parts: list[str] = []
        self.bps: list[tuple[int, int]] = []
        self.n = 0
        self._next_raw: Optional[int] = None  # raw pos that would continue the last copied run

    def copy(self, a: int, b: int) -> None:
        if a >= b:
            return
        if self._next_raw != a:
            self.bps.append((self.n, a))
        self.parts.append(self.raw[a:b])
        self.n += b - a
        self._next_raw = b

    def synth(self, s: str, raw_pos: int) -> None:
        # one breakpoint per synthetic char: each maps to the markup that produced it
        for ch in s:
            self.bps.append((self.n, raw_pos))
            self.parts.append(ch)
            self.n += 1
        self._next_raw = None

    def mark(self) -> tuple[int, int, int, Optional[int]]:
        return len(self.parts), len(self.bps), self.n, self._next_raw

    def since(self, mark) -> str:
        return "".join(self.parts[mark[0]:])

    def rollback(self, mark) -> None:
        del self.parts[mark[0]:]
        del self.bps[mark[1]:]
        self.n, self._next_raw = mark[2], mark[3]

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def result(self) -> tuple[str, list[tuple[int, int]]]:
        return "".join(self.parts), self.bps


def map_pos(bps: list[tuple[int, int]], pos: int) -> int:
    """Raw position of a cleaned position under breakpoints bps (as Document.to_raw)."""
    k = max(bisect_right(bps, (pos, float("inf"))) - 1, 0)
    return bps[k][1] + pos - bps[k][0] if bps else pos


def kept_spans(s: int, e: int, spans: list[Span]) -> list[tuple[int, int]]:
    """The spans of raw[s:e] that sorted deletions `spans` leave."""
    out, pos = [], s
    for a, b, _ in spans:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < e:
        out.append((pos, e))
    return out


def merge_spans(dels: list[Span]) -> list[Span]:
    """Sort and join touching deletions of the same kind."""
    out: list[Span] = []
    for a, b, k in sorted(dels):
        if out and out[-1][1] == a and out[-1][2] == k:
            out[-1] = (out[-1][0], b, k)
        else:
            out.append((a, b, k))
    return out
