"""HTML cleaned by a small hand-written tokenizer: text runs copied out of the markup, entities decoded,
paragraphs broken at block tags, furniture elements (by tag, or by a class, id or role that names them) skipped
whole, paragraphs that are furniture lines (furniture.py) removed, and the page's metadata harvested (<meta>,
<link rel=canonical>, <time>, <title>, the first <h1>). The only cleaned characters that are not copies are
paragraph/line breaks, decoded entities and collapsed whitespace, and each maps to the markup that made it.

Not html.parser: the standard library's parser is quadratic on markup that never closes (60,000 chars of
"<a " take 116 s with it on CPython 3.11, 0.25 s here), and its default mode hands back "AT&amp;T" decoded
inside one text run with one position, which no exact offset map survives.
"""
from __future__ import annotations

import html
import re
from typing import Optional

from ..models import DocMeta, Removal
from .dates import date_line, iso_or_raw
from .furniture import DATELINE_AT, HEADER_LINES, furniture
from .offsets import Builder, Span, map_pos

_SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
         "button", "select", "textarea", "figcaption", "head", "object", "canvas", "map", "dialog", "menu"}
# Skipped elements that also end a paragraph (inline ones such as <script> in a <p> do not).
_SKIP_BLOCK = {"nav", "header", "footer", "aside", "form", "figcaption", "head", "dialog", "menu", "iframe"}
# Content is raw text up to the end tag (no markup inside).
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "plaintext"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
          "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
          "figure", "hr", "address", "center", "details", "summary", "body", "html", "fieldset", "legend"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# Unquoted parts of tags never run past a '<', so a failed attempt ends where the next one starts and
# malformed markup ("<a <b <c ..." with no '>') stays linear; a '<' that starts no tag is text.
_DECL = re.compile(r"<[!?][^<>]*>?")
_END = re.compile(r"</\s*([a-zA-Z][^\s/<>]*)[^<>]*>?")
_START = re.compile(r"<([a-zA-Z][^\s/<>]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")  # quoted values may hold '>'

_TEXT_RUN = re.compile(r"[^<&]+")
_STRAY_RUN = re.compile(r"[<&][^<&]*")
_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});?")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_ANY_TAG = re.compile(r"<[^>]*>")
# whitespace that cannot be copied as one plain space: a run of 2+, or any single non-space whitespace
_BAD_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u2028\u2029\u3000\u2000-\u200a]{2,}|[\t\n\r\f\v\u00a0\u2028\u2029\u3000\u2000-\u200a]")
_META_KEYS = {
    "og:site_name": "outlet", "application-name": "outlet",
    "og:title": "og_title", "twitter:title": "og_title",
    "og:url": "url",
    "article:published_time": "date", "date": "date", "pubdate": "date", "publish-date": "date",
    "datepublished": "date", "dc.date": "date", "dc.date.issued": "date", "sailthru.date": "date",
    "author": "author", "article:author": "author", "byl": "author", "dc.creator": "author",
}
_close_cache: dict[str, re.Pattern] = {}
# Containers whose class, id, role or label says furniture: consent dialogs, share bars, newsletter boxes,
# breadcrumbs, related-story rails, comment threads, ad slots. Matched on whole name parts
# ("cookie-banner" -> cookie, banner; "ArticleShareBar" -> article, share, bar), never on the page's own
# wrappers, and never when the element holds most of the page's text.
_FURNITURE_PARTS = {
    "consent": "consent", "cookie": "consent", "cookies": "consent", "gdpr": "consent", "cmp": "consent",
    "ccpa": "consent", "onetrust": "consent", "didomi": "consent", "quantcast": "consent", "cookiebanner": "consent",
    "cookieconsent": "consent", "privacy": "consent",
    "breadcrumb": "breadcrumb", "breadcrumbs": "breadcrumb", "crumbs": "breadcrumb",
    "share": "share", "sharing": "share", "sharebar": "share", "social": "share", "sociallinks": "share",
    "newsletter": "newsletter", "subscribe": "newsletter", "subscription": "newsletter", "signup": "newsletter",
    "membership": "newsletter", "members": "newsletter", "paywall": "newsletter", "optin": "newsletter",
    "related": "also-read", "recommended": "also-read", "recirculation": "also-read", "recirc": "also-read",
    "outbrain": "also-read", "taboola": "also-read", "trending": "also-read", "popular": "also-read",
    "comments": "comments", "comment": "comments", "disqus": "comments",
    "advert": "ads", "advertisement": "ads", "ad": "ads", "ads": "ads", "adslot": "ads", "sponsored": "ads",
    "promo": "ads", "dfp": "ads",
    "modal": "overlay", "popup": "overlay", "overlay": "overlay", "toast": "overlay",
    "sidebar": "sidebar", "widget": "sidebar", "rail": "sidebar",
    "tags": "tags", "taglist": "tags", "topics": "tags",
    "sronly": "site-nav", "skiplink": "site-nav", "navbar": "site-nav", "menu": "site-nav", "nav": "site-nav",
    "navigation": "site-nav", "footer": "site-nav", "masthead": "site-nav", "bio": "author-bio",
    "authorbio": "author-bio",
}
# names that start with one of these are furniture too ("relatedposts", "sharedaddy", "newsletterbox")
_FURNITURE_PREFIXES = ("related", "recommended", "newsletter", "breadcrumb", "cookie", "consent", "subscribe",
                       "sharing", "sharebar", "advert", "outbrain", "taboola", "paywall", "social")
_FURNITURE_ROLES = {"dialog": "overlay", "alertdialog": "overlay", "navigation": "site-nav", "banner": "site-nav",
                    "complementary": "sidebar", "contentinfo": "site-nav", "search": "site-nav", "menu": "site-nav",
                    "menubar": "site-nav", "toolbar": "share"}
_NEVER_FURNITURE = {"html", "body", "main", "article", "h1", "h2", "title", "meta", "link", "br", "img", "time"}
_NAME_ATTRS = ("class", "id", "data-testid", "data-component", "data-module", "data-type", "aria-label")
_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_RAW_TEXT_BLOCK = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_WS_RUN = re.compile(r"\s+")
_BODY_START = re.compile(r"<body\b[^>]*>", re.I)


def _furniture_element(attr_text: str) -> Optional[str]:
    """The furniture kind an element's own names give it ("cookie-banner" -> "consent"), else None."""
    if not attr_text or not re.search(r"(?:class|id|role|aria|data-|hidden)", attr_text, re.I):
        return None
    a = {}
    for m in _ATTR.finditer(attr_text):
        a.setdefault(m.group(1).lower(), html.unescape(m.group(2) or m.group(3) or m.group(4) or ""))
    role = a.get("role", "").lower().strip()
    if role in _FURNITURE_ROLES:
        return _FURNITURE_ROLES[role]
    if "hidden" in a or a.get("aria-hidden", "").lower() == "true" or a.get("aria-modal", "").lower() == "true":
        return "hidden" if "hidden" in a or a.get("aria-hidden") else "overlay"
    for key in _NAME_ATTRS:
        value = a.get(key)
        if not value:
            continue
        for name in value.split():
            parts = [p.lower() for p in _PART.findall(name)]
            joined = re.sub(r"[^a-z]", "", name.lower())
            for part in parts + [joined]:
                if part in _FURNITURE_PARTS:
                    return _FURNITURE_PARTS[part]
                for prefix in _FURNITURE_PREFIXES:
                    if part.startswith(prefix):
                        return _FURNITURE_PARTS.get(prefix, _FURNITURE_PARTS.get(prefix[:-1], "also-read"))
    return None


def _closer(tag: str, raw_text: bool) -> re.Pattern:
    """Pattern for the end of a raw-text element, or for open/close tags of `tag` (to track nesting)."""
    key = ("/" if raw_text else "") + tag
    if key not in _close_cache:
        _close_cache[key] = re.compile(rf"</{re.escape(tag)}\s*>" if raw_text else rf"<(/?){re.escape(tag)}\b[^<>]*>",
                                       re.I)
    return _close_cache[key]


def _squash(s: str) -> Optional[str]:
    return " ".join(s.split()) or None


class _HTMLExtractor:
    """Walks the markup once with a small tokenizer; copies text runs, decodes entities, breaks paragraphs
    at block tags, and jumps over skipped elements without looking inside (except <head>, for metadata)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.out = Builder(raw)
        self.consumed: list[tuple[int, int]] = []  # raw spans turned into text (copied or converted)
        self.explicit: list[Span] = []  # removals with their own kind
        self.in_head = False
        self.head_start = 0
        self.title: Optional[str] = None
        self.h1: Optional[str] = None
        self.h1_start: Optional[int] = None  # raw pos after <h1> while reading its text
        self.found: dict[str, str] = {}
        self.para_empty = True
        self.para_mark = None
        self.break_at: Optional[int] = None  # raw pos of the block boundary before the next paragraph
        self.newline_at: Optional[int] = None  # a <br> inside the paragraph
        self.space: Optional[tuple[int, int, bool]] = None  # pending whitespace: raw start, end, copyable
        self.paras = 0
        self._page_len: Optional[int] = None

    # -- the tokenizer
    def run(self) -> None:
        raw, n, pos = self.raw, len(self.raw), 0
        while pos < n:
            ch = raw[pos]
            if ch == "<":
                pos = self._tag(pos)
            elif ch == "&":
                m = _ENTITY.match(raw, pos)
                if m:
                    self._entity(m.start(), m.end())
                    pos = m.end()
                else:
                    end = _STRAY_RUN.match(raw, pos).end()
                    self._data(pos, end)
                    pos = end
            else:
                m = _TEXT_RUN.match(raw, pos)
                self._data(pos, m.end())
                pos = m.end()

    def _tag(self, pos: int) -> int:
        raw = self.raw
        if raw.startswith("<!--", pos):
            return _COMMENT.match(raw, pos).end()
        if raw.startswith(("<!", "<?"), pos):
            return _DECL.match(raw, pos).end()
        m = _END.match(raw, pos)
        if m:
            self._end_tag(m.group(1).lower(), pos, m.end())
            return m.end()
        m = _START.match(raw, pos)
        if not m:  # a stray '<' is text, together with the text after it
            end = _STRAY_RUN.match(raw, pos).end()
            self._data(pos, end)
            return end
        tag, attrs, end = m.group(1).lower(), m.group(2), m.end()
        self_closing = attrs.rstrip().endswith("/")
        if tag in ("meta", "link", "time"):
            self._harvest(tag, attrs)
        if self.in_head and (tag == "body" or tag in _BLOCK):  # <head> ends where the body starts
            self.explicit.append((self.head_start, pos, "html-head"))
            self.in_head = False
        if tag in _RAW_TEXT and not self_closing:
            close = _closer(tag, raw_text=True).search(raw, end)
            stop = close.start() if close else len(raw)
            after = close.end() if close else len(raw)
            if tag == "title":
                if self.title is None:
                    self.title = _squash(html.unescape(raw[end:stop]))
                if not self.in_head:
                    self.explicit.append((pos, after, "html-title"))
                return after
            if not self.in_head:
                self.explicit.append((pos, after, "html-" + tag))
            return after
        if self.in_head:
            return end
        if tag == "head" and not self_closing:
            self._end_block(pos)
            self.in_head, self.head_start = True, pos
            return end
        furniture_kind = None if self_closing or tag in _NEVER_FURNITURE else _furniture_element(attrs)
        if furniture_kind and tag not in _SKIP:
            after = self._skip_to_end(tag, end)
            # a class name can lie ("share-enabled" on the story's wrapper): never drop most of the page's text
            if self._text_len(pos, after) > 0.3 * self._page_text():
                furniture_kind = None
        if (tag in _SKIP or furniture_kind) and not self_closing:
            if tag in _SKIP_BLOCK or furniture_kind:
                self._end_block(pos)
            after = self._skip_to_end(tag, end)
            if self.h1 is None and not furniture_kind:  # the headline often sits in a <header>, never in a banner
                h = _H1.search(raw, end, after)
                if h:
                    self.h1 = _squash(html.unescape(_ANY_TAG.sub(" ", h.group(1))))
            self.explicit.append((pos, after, furniture_kind or "html-" + tag))
            return after
        if tag == "br":
            if not self.para_empty:
                self.newline_at = pos
        elif tag in _BLOCK:
            self._end_block(pos)
            if tag in _HEADINGS and not self_closing:
                self.explicit.append((pos, end, "html-heading"))
                if tag == "h1" and self.h1 is None:
                    self.h1_start = len(self.out.parts)
        return end

    def _text_len(self, a: int, b: int) -> int:
        return len(_WS_RUN.sub(" ", _ANY_TAG.sub(" ", _RAW_TEXT_BLOCK.sub(" ", self.raw[a:b]))).strip())

    def _page_text(self) -> int:
        if self._page_len is None:
            body = _BODY_START.search(self.raw)
            self._page_len = self._text_len(body.end() if body else 0, len(self.raw))
        return self._page_len

    def _skip_to_end(self, tag: str, pos: int) -> int:
        depth = 1
        for m in _closer(tag, raw_text=False).finditer(self.raw, pos):
            depth += -1 if m.group(1) else 1
            if not depth:
                return m.end()
        return len(self.raw)  # never closed: runs to the end

    def _end_tag(self, tag: str, pos: int, end: int) -> None:
        if self.in_head:
            if tag == "head":
                self.explicit.append((self.head_start, end, "html-head"))
                self.in_head = False
            return
        if tag in _BLOCK:
            if tag == "h1" and self.h1_start is not None:
                self.h1 = _squash("".join(self.out.parts[self.h1_start:]))
                self.h1_start = None
            self._end_block(pos)

    # -- text assembly
    def _before_content(self) -> None:
        out = self.out
        if self.para_empty:
            self.para_mark = (out.mark(), len(self.consumed), len(self.explicit), self.break_at)
            if out.n and self.break_at is not None:
                out.synth("\n\n", self.break_at)
            self.break_at = None
            self.para_empty = False
        elif self.newline_at is not None:
            out.synth("\n", self.newline_at)
        elif self.space is not None and out.last_char() not in ("", " ", "\n"):
            a, b, copyable = self.space
            if copyable:
                out.copy(a, a + 1)
            else:
                out.synth(" ", a)
            self.consumed.append((a, b))
        self.newline_at = None
        self.space = None

    def _copy(self, a: int, b: int) -> None:
        if a < b:
            self._before_content()
            self.out.copy(a, b)
            self.consumed.append((a, b))

    def _whitespace(self, a: int, b: int, copyable: bool) -> None:
        if self.space is None and not self.para_empty:
            self.space = (a, b, copyable)

    def _data(self, a: int, b: int) -> None:
        if self.in_head:
            return
        raw = self.raw
        last = a
        for m in _BAD_WS.finditer(raw, a, b):
            self._segment(last, m.start())
            self._whitespace(m.start(), m.end(), copyable=False)
            last = m.end()
        self._segment(last, b)

    def _segment(self, a: int, b: int) -> None:
        # a stretch whose whitespace is single plain spaces: copy it, holding back edge spaces
        if a >= b:
            return
        raw = self.raw
        if raw[a] == " ":
            self._whitespace(a, a + 1, copyable=True)
            a += 1
        trail = b > a and raw[b - 1] == " "
        self._copy(a, b - trail)
        if trail:
            self._whitespace(b - 1, b, copyable=True)

    def _entity(self, a: int, b: int) -> None:
        if self.in_head:
            return
        decoded = html.unescape(self.raw[a:b])
        if decoded == self.raw[a:b]:  # unknown entity: it is plain text
            self._copy(a, b)
        elif decoded.isspace():
            self._whitespace(a, b, copyable=False)
        else:
            self._before_content()
            self.out.synth(decoded, a)
            self.consumed.append((a, b))

    def _end_block(self, pos: int) -> None:
        if not self.para_empty:
            mark, n_consumed, n_explicit, old_break = self.para_mark
            text = self.out.since(mark).strip()
            f = furniture(text, header=self.paras < HEADER_LINES) if "\n" not in text else None
            if f:
                kind, meta = f
                a, b = self.consumed[n_consumed][0], self.consumed[-1][1]
                self.out.rollback(mark)
                del self.consumed[n_consumed:]
                self.explicit[n_explicit:] = [x for x in self.explicit[n_explicit:] if not (a <= x[0] and x[1] <= b)]
                self.explicit.append((a, b, kind))
                for k, v in meta.items():
                    if k != "date":  # a rating widget's date is not the article's
                        self.found.setdefault(k, v)
                self.para_empty = True
                self.break_at = old_break if old_break is not None else pos
                self.space = self.newline_at = None
                return
            self.paras += 1
            if "date" not in self.found and self.paras <= HEADER_LINES:
                d = date_line(text)
                if d:
                    self.found["date"] = d
        if self.break_at is None:
            self.break_at = pos
        self.para_empty = True
        self.space = self.newline_at = None

    def _harvest(self, tag: str, attr_text: str) -> None:
        a = {}
        for m in _ATTR.finditer(attr_text):
            a.setdefault(m.group(1).lower(), html.unescape(m.group(2) or m.group(3) or m.group(4) or ""))
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            field = _META_KEYS.get(key)
            value = a.get("content", "").strip()
            if field and value and not (field == "author" and value.startswith("http")):
                self.found.setdefault(field, iso_or_raw(value) if field == "date" else value)
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.found.setdefault("canonical", a["href"].strip())
        elif tag == "time" and a.get("datetime"):
            self.found.setdefault("time", iso_or_raw(a["datetime"]))

    def _drop_datelines(self, text: str, bps: list[tuple[int, int]]):
        """Delete a wire dateline opening a paragraph ("LONDON (Reuters) - "), when it was copied from the raw
        page in one piece; the raw span becomes a removal of its own and the map shifts past it."""
        cuts = []
        for m in re.finditer(r"(?:^|\n\n)", text):
            d = DATELINE_AT.match(text, m.end())
            if not d or d.start("d") == d.end("d"):
                continue
            a, b = d.start("d"), d.end("d")
            ra = map_pos(bps, a)
            if self.raw[ra:ra + (b - a)] != text[a:b]:
                continue  # not one copied run (markup or entities inside): leave it
            cuts.append((a, b, ra))
        if not cuts:
            return text, bps
        for a, b, ra in reversed(cuts):
            rb = ra + (b - a)
            # the raw chars are no longer text: trim them out of what was consumed
            kept = []
            for x, y in self.consumed:
                if y <= ra or x >= rb:
                    kept.append((x, y))
                else:
                    if x < ra:
                        kept.append((x, ra))
                    if y > rb:
                        kept.append((rb, y))
            self.consumed = kept
            self.explicit.append((ra, rb, "dateline"))
            shifted = [(c, r) for c, r in bps if c < a]
            shifted.append((a, map_pos(bps, b)))
            shifted += [(c - (b - a), r) for c, r in bps if c > b]
            bps = shifted
            text = text[:a] + text[b:]
        return text, bps

    def finish(self):
        n = len(self.raw)
        if self.in_head:  # never closed
            self.explicit.append((self.head_start, n, "html-head"))
        self._end_block(n)
        text, bps = self.out.result()
        text, bps = self._drop_datelines(text, bps)
        # everything neither turned into text nor removed with a kind of its own is markup
        taken = sorted([(a, b, "") for a, b in self.consumed] + self.explicit)
        removals: list[Span] = list(self.explicit)
        pos = 0
        for a, b, _ in taken:
            if a > pos:
                removals.append((pos, a, "html-markup"))
            pos = max(pos, b)
        if pos < n:
            removals.append((pos, n, "html-markup"))
        removals.sort()
        f = self.found
        meta = DocMeta(title=self.h1 or f.get("og_title") or self.title, outlet=f.get("outlet"),
                       url=f.get("url") or f.get("canonical"), date=f.get("date") or f.get("time"),
                       author=f.get("author"))
        return text, [Removal(kind=k, raw_start=a, raw_end=b, text=self.raw[a:b]) for a, b, k in removals], bps, meta


def clean_html(raw: str):
    """(text, removals, breakpoints, meta) of an HTML page: clean.clean's HTML branch."""
    p = _HTMLExtractor(raw)
    p.run()
    return p.finish()
