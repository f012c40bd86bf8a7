"""Raw article -> story text, by deleting page furniture: the entry point that picks the cleaner.

Text and Markdown (markdown.py) are cleaned only by deleting raw spans; HTML (html.py) by copying text runs
out of the markup. Both report every deletion as a Removal and a map from cleaned offsets back to the raw
article (offsets.py); the line rules they share are furniture.py, the dates dates.py.
"""
from __future__ import annotations

import re

from ..models import DocMeta, Removal
from .html import clean_html
from .markdown import clean_text

_HTML_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<(?:p|div|article|h[1-6]|br|span)(?:\s[^<>]{0,300})?/?>",
                         re.I)


def looks_like_html(s: str) -> bool:
    """True for markup pasted as text or stored in a JSON record (two or more HTML tags near the start)."""
    head = s[:5000]
    return len(_HTML_SNIFF.findall(head, 0)) >= 2 or head.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def clean(raw: str, fmt: str) -> tuple[str, list[Removal], list[tuple[int, int]], DocMeta]:
    """Clean one article.

    Returns (text, removals, offset_map, meta): the story text; every removed raw span with its kind; the
    map from text positions to raw positions (breakpoints (clean_pos, raw_pos), see Document.to_raw); and
    metadata found on the way (title, url, byline author, date; for HTML also the <meta> tags).
    `fmt` is the document format: "html"/"htm" are parsed as HTML; "json", "jsonl" and "text" are parsed as
    HTML when they look like it; everything else is plain text with Markdown markup removed.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if fmt in ("html", "htm", "xhtml") or (fmt in ("json", "jsonl", "text") and looks_like_html(raw)):
        return clean_html(raw)
    return clean_text(raw, markdown=True)
