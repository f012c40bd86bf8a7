"""RSS and Atom files saved by a fetcher -> article records (title, text, outlet, date, url, author).

feedparser reads every RSS and Atom dialect and the broken feeds found in the wild; an entry's text is its
full content when the feed carries it, else its summary, as HTML (the loader cleans it like an .html file).
"""
from __future__ import annotations

import time
from typing import Optional

FEED_SUFFIXES = (".rss", ".atom", ".xml")


class FeedError(ValueError):
    """The file is not a readable feed."""


def _iso(parsed: Optional[time.struct_time]) -> Optional[str]:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def feed_records(data: bytes) -> list[dict]:
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if getattr(parsed, "bozo", False) else ""
        raise FeedError(f"not an RSS or Atom feed with entries{why}")
    outlet = (parsed.feed.get("title") or "").strip() or None
    records = []
    for entry in parsed.entries:
        contents = [c.get("value") for c in entry.get("content") or [] if c.get("value")]
        body = max(contents, key=len) if contents else entry.get("summary") or entry.get("description") or ""
        records.append({
            "text": body,
            "title": (entry.get("title") or "").strip() or None,
            "source": (entry.get("source") or {}).get("title") or outlet,
            "date": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            "url": entry.get("link"),
            "author": entry.get("author"),
        })
    return records
