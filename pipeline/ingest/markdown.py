"""Plain text and Markdown cleaned by deleting raw spans only: furniture lines (furniture.py), Markdown markup
(headings, quotes, links, images, emphasis), invisible characters, edge whitespace and extra blank lines. Every
cleaned character is a raw character, so the offset map (offsets.py) is exact; every deletion is a Removal."""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from typing import Optional

from ..models import DocMeta, Removal
from .dates import date_line
from .furniture import DATELINE, HEADER_LINES, MAX_FURNITURE_LINE, furniture
from .offsets import Builder, Span, kept_spans, merge_spans

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})[ \t]+(?=\S)")
_MD_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>[ \t]?")
# Each pattern's repeated part excludes its own delimiters, so a match attempt stops at the next
# delimiter: the total work stays linear even on a line of a million brackets or stars.
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\[\]\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\[\]\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)")
_MD_STAR = re.compile(r"(?<![\w*\\])(\*{1,3})(?=[^\s*])[^*\n]{0,2000}?(?<=[^\s*\\])\1(?![\w*])")
_MD_UNDER = re.compile(r"(?<![\w_\\])(_{1,3})(?=[^\s_])[^_\n]{0,2000}?(?<=[^\s_\\])\1(?![\w_])")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2060\ufeff\u00ad]+")


class _LineDels:
    """Non-overlapping deletions inside one line; a match whose pieces collide with earlier ones is dropped."""

    def __init__(self):
        self.starts: list[int] = []
        self.spans: dict[int, Span] = {}

    def free(self, a: int, b: int) -> bool:
        i = bisect_left(self.starts, a)
        if i < len(self.starts) and self.starts[i] < b:
            return False
        return not (i > 0 and self.spans[self.starts[i - 1]][1] > a)

    def add(self, pieces: list[Span]) -> bool:
        pieces = [p for p in pieces if p[0] < p[1]]
        if not all(self.free(a, b) for a, b, _ in pieces):
            return False
        for p in pieces:
            insort(self.starts, p[0])
            self.spans[p[0]] = p
        return True

    def sorted(self) -> list[Span]:
        return [self.spans[s] for s in self.starts]



def _inline_dels(raw: str, s: int, e: int, markdown: bool) -> tuple[list[Span], bool]:
    """Deletions inside the story line raw[s:e] (markup, invisible chars, edge whitespace); and whether
    the line was a Markdown heading."""
    line = raw[s:e]
    dels = _LineDels()
    heading = False
    m = DATELINE.match(line)
    if m:  # "KELBY (Northway Wire) - Three people ...": the place and agency are furniture, the sentence is not
        dels.add([(s + m.start("d"), s + m.end("d"), "dateline")])
    if markdown:
        m = _MD_HEADING.match(line)
        if m:
            heading = True
            dels.add([(s, s + m.end(), "markdown-heading")])
            c = _MD_HEADING_CLOSE.search(line, m.end()) if len(line) <= MAX_FURNITURE_LINE else None
            if c:
                dels.add([(s + c.start(), s + c.end(), "markdown-heading")])
        else:
            m = _MD_QUOTE.match(line)
            if m:
                dels.add([(s, s + m.end(), "markdown-quote")])
        has_bracket = "[" in line
        for m in _MD_IMAGE.finditer(line) if has_bracket else ():
            dels.add([(s + m.start(), s + m.end(), "markdown-image")])
        for m in _MD_LINK.finditer(line) if has_bracket else ():
            if m.start(1) == m.end(1):  # [](url): nothing to keep
                dels.add([(s + m.start(), s + m.end(), "markdown-link")])
            else:
                dels.add([(s + m.start(), s + m.start(1), "markdown-link"),
                          (s + m.end(1), s + m.end(), "markdown-link")])
        for rx, ch in ((_MD_STAR, "*"), (_MD_UNDER, "_")):
            for m in rx.finditer(line) if ch in line else ():
                k = len(m.group(1))
                dels.add([(s + m.start(), s + m.start() + k, "markdown-emphasis"),
                          (s + m.end() - k, s + m.end(), "markdown-emphasis")])
    if _INVISIBLE.search(line):
        for m in _INVISIBLE.finditer(line):
            dels.add([(s + m.start(), s + m.end(), "invisible-char")])
    spans = dels.sorted()
    return _trim_edges(raw, s, e, spans), heading


def _trim_edges(raw: str, s: int, e: int, spans: list[Span]) -> list[Span]:
    """Add deletions for whitespace at both ends of what the line keeps (trailing spaces, indents, nbsp)."""
    kept = kept_spans(s, e, spans)
    extra: list[Span] = []
    for a, b in kept:  # leading
        piece = raw[a:b]
        k = len(piece) - len(piece.lstrip())
        if k:
            extra.append((a, a + k, "whitespace"))
        if k < len(piece):
            break
    else:
        return sorted(spans + extra)  # nothing but whitespace: the caller treats the line as blank
    for a, b in reversed(kept):  # trailing
        piece = raw[a:b]
        k = len(piece) - len(piece.rstrip())
        if k:
            extra.append((b - k, b, "whitespace"))
        if k < len(piece):
            break
    return sorted(spans + extra)


def _title_from_lines(lines: list[tuple[str, bool]]) -> Optional[str]:
    """A headline at the very top: a Markdown heading, or a line with no end punctuation before any sentence."""
    for text, md_heading in lines[:4]:
        if md_heading:
            return text
        if date_line(text) or len(text.split()) < 3:  # section labels ("Politics") and datelines
            continue
        if text.rstrip("\"'\u201d\u2019)")[-1:] in ".!?:;,\u2026" or len(text) > 200:
            return None
        return text
    return None


def clean_text(raw: str, markdown: bool = True):
    """(text, removals, breakpoints, meta) of a plain-text or Markdown article: clean.clean's text branch."""
    dels: list[Span] = []
    found: dict[str, str] = {}
    pending_nl: list[int] = []  # newlines after the last story line, decided when the next one comes
    seen_story = False
    nonblank = 0
    top_lines: list[tuple[str, bool]] = []
    late_date: Optional[str] = None
    pos, n = 0, len(raw)
    while pos < n:
        nl = raw.find("\n", pos)
        e = n if nl < 0 else nl
        nl_end = e if nl < 0 else nl + 1
        s, pos = pos, nl_end
        line = raw[s:e] if e - s <= MAX_FURNITURE_LINE else None
        if line is not None and not line.strip():
            if e > s:
                dels.append((s, e, "whitespace"))
            if nl >= 0:
                pending_nl.append(nl)
            continue
        nonblank += 1
        f = furniture(line, header=nonblank <= HEADER_LINES) if line is not None else None
        if f:
            kind, meta = f
            dels.append((s, nl_end, kind))
            if kind == "rating":
                late_date = late_date or meta.pop("date", None)
            for k, v in meta.items():
                found.setdefault(k, v)
            continue
        line_dels, md_heading = _inline_dels(raw, s, e, markdown)
        kept = kept_spans(s, e, line_dels)
        dels.extend(line_dels)
        if not kept:  # only markup: behaves as a blank line
            if nl >= 0:
                pending_nl.append(nl)
            continue
        # at most one blank line between story lines, none before the first
        drop = pending_nl[2:] if seen_story else pending_nl
        dels.extend((p, p + 1, "blank-lines") for p in drop)
        pending_nl = [nl] if nl >= 0 else []
        seen_story = True
        if len(top_lines) < 6 or ("date" not in found and nonblank <= HEADER_LINES):
            text = "".join(raw[a:b] for a, b in kept)
            if len(top_lines) < 6:
                top_lines.append((text, md_heading))
            if "date" not in found and nonblank <= HEADER_LINES:
                d = date_line(text)
                if d:
                    found["date"] = d
    dels.extend((p, p + 1, "blank-lines") for p in pending_nl)  # trailing newlines
    if late_date:
        found.setdefault("date", late_date)
    title = _title_from_lines(top_lines)
    if title:
        found.setdefault("title", title)
    dels = merge_spans(dels)
    out = Builder(raw)
    for a, b in kept_spans(0, n, dels):
        out.copy(a, b)
    text, bps = out.result()
    removals = [Removal(kind=k, raw_start=a, raw_end=b, text=raw[a:b]) for a, b, k in dels]
    return text, removals, bps, DocMeta(**found)
