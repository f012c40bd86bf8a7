"""Paragraphs and sentences of a cleaned document, as offsets into Document.text.

Everything is computed in one left-to-right pass over the text (no searching back for positions), and
the work per character is bounded, so a 5 MB line without punctuation is as cheap as a normal article.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..models import Document, Sentence
from ..text.sentences import CLOSERS as _CLOSERS, OPENERS as _OPENERS, TERMINAL as _TERMINAL, sentence_ends

MAX_SENTENCE = 2000  # longer runs are cut at whitespace: no real sentence is this long
MAX_HEADING = 150

_BULLET = re.compile(r"(?:[-*\u2022\u2013\u25aa\u25cf]|\d{1,3}[.)])\s+(?=\S)")


def _lines(text: str, a: int, b: int):
    """(start, end) of each line in text[a:b], without the newline."""
    pos = a
    while pos <= b:
        nl = text.find("\n", pos, b)
        e = b if nl < 0 else nl
        yield pos, e
        if nl < 0:
            break
        pos = nl + 1


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _ends_sentence(text: str, a: int, b: int) -> bool:
    stripped = text[max(a, b - 5):b].rstrip(_CLOSERS + " ")
    return stripped[-1:] in _TERMINAL


def _hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """A block typed with line breaks inside paragraphs (e-mail style): lines of similar length, most not
    ending a sentence."""
    if len(lines) < 3:
        return False
    body = lines[:-1]
    if any(not 30 <= b - a <= 100 or _BULLET.match(text, a, b) for a, b in body):
        return False
    return sum(not _ends_sentence(text, a, b) for a, b in body) * 2 >= len(body)


def _paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, single_line) of each paragraph: a line, or a block of hard-wrapped lines."""
    out: list[tuple[int, int, bool]] = []
    block: list[tuple[int, int]] = []

    def flush():
        if not block:
            return
        if _hard_wrapped(text, block):
            start = block[0][0]
            for i, (a, b) in enumerate(block):  # a list item still starts its own paragraph
                if i and _BULLET.match(text, a, b):
                    out.append((*_trim(text, start, block[i - 1][1]), False))
                    start = a
            out.append((*_trim(text, start, block[-1][1]), start == block[-1][0]))
        else:
            i = 0
            while i < len(block):
                a, b = block[i]
                # a line that stops mid-sentence and a next line starting in lower case are one paragraph
                j = i
                while (j + 1 < len(block) and not _ends_sentence(text, *block[j]) and block[j][1] - block[j][0] >= 40
                       and text[block[j + 1][0]:block[j + 1][0] + 1].islower()):
                    j += 1
                out.append((*_trim(text, a, block[j][1]), i == j))
                i = j + 1
        block.clear()

    for a, b in _lines(text, 0, len(text)):
        a, b = _trim(text, a, b)
        if a == b:
            flush()
        else:
            block.append((a, b))
    flush()
    return out


def split_paragraphs(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of doc.text, without surrounding whitespace."""
    return [(a, b) for a, b, _ in _paragraphs(doc.text)]


def _heading_starts(doc: Document) -> set[int]:
    """Raw positions where the text of a Markdown/HTML heading begins (after its marker and any markup)."""
    by_start = {r.raw_start: r for r in doc.removals}
    out = set()
    for r in doc.removals:
        if r.kind in ("markdown-heading", "html-heading") and r.raw_start < r.raw_end:
            pos, hops = r.raw_end, 0
            while pos in by_start and hops < 8:  # "## **Title**": the marker, then the emphasis, then text
                pos, hops = by_start[pos].raw_end, hops + 1
            out.add(pos)
    return out


def _to_raw(keys: list[int], offset_map: list[tuple[int, int]], pos: int) -> int:
    if not offset_map:
        return pos
    k = max(bisect_right(keys, pos) - 1, 0)
    return offset_map[k][1] + pos - offset_map[k][0]


def _looks_like_heading(text: str, a: int, b: int) -> bool:
    """A short line that does not end like a sentence: "Key Agreements from the Call", "What's Next?"."""
    if b - a > MAX_HEADING or _BULLET.match(text, a, b):
        return False
    line = text[a:b]
    if not any(c.isalpha() or c.isdigit() for c in line):
        return False
    last = line[-1]
    if last in _CLOSERS:
        inner = line.rstrip(_CLOSERS + " ")
        return inner[-1:] not in _TERMINAL + "?"  # a quoted sentence is not a heading
    if last == "?":
        return len(line.split()) <= 12
    return last not in _TERMINAL


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
# "Washington/Moscow, March 19, 2025", "Published: 19 March 2025 10:42 GMT", "Updated March 19, 2025"
_DATELINE = re.compile(rf"^(?:(?:[A-Z][\w.'\u2019-]*(?:[ /-][A-Z][\w.'\u2019-]*){{0,3}},?\s+)?{_DATE}"
                       rf"|(?:Published|Updated|Posted|Last\s+updated)\b:?\s+.*{_DATE}.*)"
                       rf"(?:\s*[,|]?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?\s*$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:By|Written\s+by|Reporting\s+by|Reported\s+by|Edited\s+by|Words\s+by)\s+[A-Z][^.!?]{1,80}$")
_CAPTION = re.compile(r"^(?:Photo|Image|Picture|Pictured|Caption|File\s+photo|Photograph|Credit)s?\b\s*(?:[:|(\u2013\u2014-]|by\b)"
                      r"|(?:\(|\|\s*)(?:Photo|Image|Picture)s?\s*(?:by|:|credit)|(?:Getty\s+Images|AP\s+Photo|/\s*Reuters|/\s*AFP)\)?\s*$",
                      re.IGNORECASE)


def line_role(line: str, heading: bool) -> str:
    """What a line is besides a statement: "dateline", "byline", "caption", "heading" or "body"."""
    words = len(line.split())
    if words <= 14 and _DATELINE.match(line):
        return "dateline"
    if words <= 14 and _BYLINE.match(line):
        return "byline"
    if words <= 40 and _CAPTION.search(line):
        return "caption"
    return "heading" if heading else "body"


def _cap(text: str, a: int, b: int):
    """Cut a too-long stretch at whitespace into pieces of at most MAX_SENTENCE chars."""
    while b - a > MAX_SENTENCE:
        limit = a + MAX_SENTENCE
        cut = max(text.rfind(" ", a + 1, limit + 1), text.rfind("\n", a + 1, limit + 1))
        if cut <= a:
            cut = limit  # no whitespace at all: a hard cut
        piece = _trim(text, a, cut)
        if piece[0] < piece[1]:
            yield piece
        a = _trim(text, cut, b)[0]
    if a < b:
        yield a, b


def split_sentences(doc: Document) -> list[Sentence]:
    """The sentences of doc.text, in order; doc.text[s.start:s.end] == s.text, no edge whitespace.

    A heading (Markdown/HTML heading, or a short line that does not end like a sentence) is one
    Sentence with heading=True. A list item ("- Harbour Talks: ...") always starts a new sentence
    and keeps its bullet.
    """
    text = doc.text
    keys = [c for c, _ in doc.offset_map]
    headings = _heading_starts(doc)
    out: list[Sentence] = []
    for para, (pa, pb, single) in enumerate(_paragraphs(text)):
        marked = bool(headings) and _to_raw(keys, doc.offset_map, pa) in headings
        if single and (marked or _looks_like_heading(text, pa, pb)):
            for a, b in _cap(text, pa, pb):
                out.append(Sentence(doc_id=doc.id, idx=len(out), para=para, start=a, end=b, text=text[a:b],
                                    heading=True, role=line_role(text[a:b], True)))
            continue
        spans: list[tuple[int, int]] = []
        start = pa
        # list items inside a hard-wrapped paragraph start their own sentence
        line_starts = [a for a, _ in _lines(text, pa, pb)][1:] if not single else []
        for a in line_starts:
            a2 = _trim(text, a, pb)[0]
            if _BULLET.match(text, a2, pb):
                spans.append((start, a))
                start = a2
        bounds: list[tuple[int, int]] = []
        for s0, s1 in spans + [(start, pb)]:
            pos = s0
            bullet = _BULLET.match(text, s0, s1)  # "1. " is a list marker, not a sentence end
            for end in sentence_ends(text, bullet.end() if bullet else s0, s1):
                bounds.append((pos, end))
                pos = end
            bounds.append((pos, s1))
        for s0, s1 in bounds:
            s0, s1 = _trim(text, s0, s1)
            for a, b in _cap(text, s0, s1):
                out.append(Sentence(doc_id=doc.id, idx=len(out), para=para, start=a, end=b, text=text[a:b],
                                    role=line_role(text[a:b], False)))
    return out


def segment(doc: Document) -> list[Sentence]:
    """Same as split_sentences."""
    return split_sentences(doc)
