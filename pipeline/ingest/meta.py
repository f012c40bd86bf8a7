"""Who published an article and under what title, read from the article itself when no metadata says so.

The cleaner already takes <meta> tags (og:site_name, og:title...), <h1> and a headline at the top of a text.
This adds what it does not read: schema.org JSON-LD (headline, publisher, datePublished), publisher meta
tags, a <title> of the form "Headline | Outlet", a "Source: https://..." line in a text, and as a last
resort the web site's name from the article's URL. Metadata given with the input always wins.
"""
from __future__ import annotations

import html
import json
import re
from typing import Optional
from urllib.parse import urlsplit

from .dates import parse_date

_LD = re.compile(r"<script\b[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_META = re.compile(r"<meta\b([^>]*)>", re.I)
_ATTR = re.compile(r"([a-zA-Z:_.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_PUBLISHER_KEYS = {"publisher", "dc.publisher", "citation_publisher", "twitter:site:name", "al:android:app_name"}
# "Headline | Outlet", "Headline - Outlet", "Headline — Outlet": the outlet is short and last
_TITLE_SPLIT = re.compile(r"^(?P<title>.{12,}?)\s+[|\u2013\u2014-]\s+(?P<outlet>[^|\u2013\u2014]{2,40})$")
_URL_LINE = re.compile(r"^\s*(?:original\s+url|source|read\s+more(?:\s+at)?|originally\s+published\s+at)\s*:?\s*"
                       r"<?(?P<url>https?://[^\s<>]+)>?\s*$", re.I | re.M)
# "(c) 2026 The Commerce Ledger. All rights reserved." / "Copyright 2026 Meridian Press. ..."
_YEAR = r"\d{4}(?:\s*[-\u2013]\s*\d{4})?,?\s*"
_COPYRIGHT = re.compile(r"^\W{0,3}(?:(?:\(c\)|\u00a9)\s*(?:(?i:copyright)\s*)?(?:" + _YEAR + r")?|(?i:copyright)\s*(?:\(c\)|\u00a9)?\s*"
                        + _YEAR + r")(?P<outlet>[A-Z][\w&'\u2019 .-]{1,60}?)(?:\s+\d{4})?\s*(?:[.,;|]|(?i:\ball rights reserved)|$)",
                        re.M)
_MD_H1 = re.compile(r"^#[ \t]+(?P<title>[^\n#][^\n]{2,300}?)[ \t#]*$", re.M)
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "webpage"}


def _squash(s: object) -> Optional[str]:
    if not isinstance(s, str):
        return None
    s = re.sub(r"\s+", " ", html.unescape(s)).strip()
    return s or None


def _name(v: object) -> Optional[str]:
    if isinstance(v, list):
        v = next((x for x in v if x), None)
    if isinstance(v, dict):
        v = v.get("name")
    return _squash(v)


def _json_ld(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _LD.finditer(raw[:500_000]):
        try:
            data = json.loads(m.group(1).strip())
        except ValueError:
            continue
        nodes = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for node in nodes:
            if not isinstance(node, dict):
                continue
            types = node.get("@type")
            types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if not types & _ARTICLE_TYPES:
                continue
            found = {"title": _squash(node.get("headline")) or _squash(node.get("name")),
                     "outlet": _name(node.get("publisher")), "date": _squash(node.get("datePublished")),
                     "author": _name(node.get("author")), "url": _squash(node.get("url"))}
            for k, v in found.items():
                if v:
                    out.setdefault(k, v)
    return out


def html_meta(raw: str) -> dict[str, str]:
    """Title, outlet, date, author and url from a page's JSON-LD, publisher tags and <title>."""
    out = _json_ld(raw)
    if out.get("title"):
        out["ld_title"] = out["title"]  # the publisher's own structured headline: trusted over an <h1> guess
    head = raw[:200_000]
    for m in _META.finditer(head):
        attrs = {a.group(1).lower(): a.group(2) if a.group(2) is not None else a.group(3) for a in _ATTR.finditer(m.group(1))}
        key = (attrs.get("name") or attrs.get("property") or "").lower()
        if key in _PUBLISHER_KEYS and _squash(attrs.get("content")):
            out.setdefault("outlet", _squash(attrs["content"]))
    t = _TITLE.search(head)
    title = _squash(t.group(1)) if t else None
    if title:
        out["page_title"] = title  # the cleaner takes it as the title when nothing better is found
        split = _TITLE_SPLIT.match(title)
        if split and len(split.group("outlet").split()) <= 5:
            out.setdefault("title", split.group("title").strip())
            out.setdefault("outlet", split.group("outlet").strip())
        else:
            out.setdefault("title", title)
    return out


def text_meta(raw: str) -> dict[str, str]:
    """From a text: its URL ("Source: https://..." or "Original url: <...>"), its publisher (a copyright
    line), and its own heading (a Markdown "# Headline" near the top)."""
    out: dict[str, str] = {}
    m = _URL_LINE.search(raw)
    if m:
        out["url"] = m.group("url").rstrip(".,;)")
    c = _COPYRIGHT.search(raw[-3000:]) or _COPYRIGHT.search(raw[:3000])
    if c and len(c.group("outlet").split()) <= 6:
        out["outlet"] = c.group("outlet").strip(" .-")
    h = _MD_H1.search("\n".join(raw.split("\n")[:20]))
    if h:
        out["heading"] = re.sub(r"[*_`]", "", h.group("title")).strip()
    return out


def site_name(url: Optional[str]) -> Optional[str]:
    """The web site of a URL, as a name a reader recognises: https://www.example.com/a -> example.com."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host or re.fullmatch(r"[\d.]+", host):
        return None
    return re.sub(r"^(?:www\d*|m|amp)\.", "", host)


def article_meta(raw: str, fmt: str, is_html: bool) -> dict[str, str]:
    """What the article itself says about where it is from, for the fields metadata and the cleaner leave empty."""
    return html_meta(raw) if is_html else text_meta(raw) if fmt in ("txt", "md", "text", "json", "jsonl") else {}


def merge_meta(given: dict, cleaner: dict, own: dict) -> dict:
    """One article's metadata, field by field: what was given with the input (meta.json, a record), else
    the cleaner's (<meta> tags, <h1>, the first line), else the page's own (above); the outlet last of all
    from the URL's site. Two of the page's own are trusted over the cleaner's guess of a title: a Markdown
    "# Headline" and a JSON-LD headline (an <h1> may belong to a consent dialog); and a "Headline | Outlet"
    <title> taken whole by the cleaner gives way to its headline."""
    own = dict(own)
    cleaner = dict(cleaner)
    page_title, heading = own.pop("page_title", None), own.pop("heading", None) or own.pop("ld_title", None)
    own.pop("ld_title", None)
    if heading:
        cleaner["title"] = heading
    elif cleaner.get("title") and cleaner["title"] == page_title and own.get("title"):
        del cleaner["title"]
    if own.get("date"):
        own["date"] = parse_date(own["date"]) or own["date"]
    merged = {**own, **cleaner, **{k: v for k, v in given.items() if v}}
    if not merged.get("outlet") and site_name(merged.get("url")):
        merged["outlet"] = site_name(merged["url"])  # a site's name reads better than a file name
    return merged
