"""Raw article -> story text, by deleting page furniture.

Text and Markdown are cleaned only by deleting raw spans, so every cleaned character is a raw character
and ``offset_map`` maps it back exactly. HTML is cleaned by copying text runs out of the markup; the only
characters that are not copies are paragraph/line breaks, decoded entities and collapsed whitespace, and
they map to the markup that produced them. Every deletion is reported as a Removal: nothing is silent.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right, insort
from datetime import date as _date
from typing import Optional

from ..models import DocMeta, Removal

Span = tuple[int, int, str]  # raw_start, raw_end, kind

# Furniture is short; never run the line rules on a long line (keeps pathological inputs linear).
MAX_FURNITURE_LINE = 1000
# Bylines and datelines are believed only near the top of the article.
HEADER_LINES = 8


# --- output with its offset map ------------------------------------------------------------------

class _Builder:
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


# --- dates ---------------------------------------------------------------------------------------

_MONTHS = {m: i for i, ms in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in ms}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = (rf"(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
         rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})"
         rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))")
_DATE_RE = re.compile(_DATE, re.I)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)"
# a line that is only a date, optionally after a place ("Washington/Moscow, March 19, 2025") or a label
_DATE_LINE = re.compile(
    rf"^(?:(?:published|posted|updated|date)(?:\s+on)?\s*:?\s*)?(?:[A-Z][\w.'\u2019/ -]{{0,40}},\s+)?{_WEEKDAY}?"
    rf"{_DATE}(?:\s*[,|\u00b7-]?\s*\d{{1,2}}:\d{{2}}[^\n]{{0,20}})?\s*$", re.I)


def parse_date(s: str) -> Optional[str]:
    """The first date written in `s` (e.g. "March 19, 2025", "18 March 2025", "2025-03-19") as ISO, else None."""
    m = _DATE_RE.search(s)
    if not m:
        return None
    g = m.groupdict()
    try:
        if g["y3"]:
            d = _date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        else:
            month = _MONTHS[(g["m1"] or g["m2"]).lower()]
            d = _date(int(g["y1"] or g["y2"]), month, int(g["d1"] or g["d2"]))
    except ValueError:
        return None
    return d.isoformat()


def date_line(line: str) -> Optional[str]:
    """ISO date if the whole line is a dateline, else None."""
    if len(line) > 80:
        return None
    m = _DATE_LINE.match(line.strip())
    return parse_date(m.group()) if m else None


# --- whole-line furniture ------------------------------------------------------------------------

_EM = r"[*_]{0,3}"
_RELATED = re.compile(
    rf"^\s*(?:[-\u2022>]\s*)?{_EM}\s*(?:also\s+read|read\s+also|read\s+more|read\s+next|more\s+to\s+read"
    r"|related(?:\s+(?:articles?|stories|story|news|coverage|content|reading|posts?|links?))?|see\s+also"
    r"|recommended(?:\s+(?:reading|for\s+you))?|don['\u2019]?t\s+miss|must\s+read|more\s+on\s+this(?:\s+story)?"
    rf"|you\s+may\s+also\s+like|also\s+on\s+[\w .]{{1,30}})\s*{_EM}\s*[:\uff1a|\u00bb>-]", re.I)
_TAGS = re.compile(rf"^\s*{_EM}\s*(?:tags?|tagged(?:\s+(?:with|as))?|topics|keywords|filed\s+under)\s*{_EM}\s*:",
                   re.I)
_HASHTAGS = re.compile(r"^\s*#[^\W\d_]\w*(?:[\s,;|\u00b7]+#[^\W_]\w*)*[\s,;|\u00b7.]*$")
_SHARE_WORD = r"(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|email|e-mail|print|copy\s+link)"
_SHARE = re.compile(
    r"^\s*(?:share(?:\s+(?:this|the))?(?:\s+(?:post|article|story|page))?(?:\s+(?:on|via)\s+\w+)?"
    r"|tweet(?:\s+this)?|print(?:\s+this)?(?:\s+(?:article|page|story))?|email(?:\s+this)?(?:\s+(?:article|story))?"
    rf"|\d*\s*comments?|{_SHARE_WORD}(?:[\s|,\u00b7/]+{_SHARE_WORD})*)\s*[:.]?\s*$", re.I)
_ADS = re.compile(
    r"^\s*(?:[A-Z0-9][A-Z0-9&/-]*\s+){0,3}(?:ADS?|ADVERTS?|ADVERTISEMENTS?|SPONSORED|PROMOTED)(?:\s+[A-Z0-9][A-Z0-9&/-]*){0,3}\s*$"
    r"|^\s*(?i:advertisement|sponsored(?:\s+content)?|story\s+continues\s+below(?:\s+this)?\s+advertisement"
    r"|scroll\s+to\s+continue(?:\s+with\s+content)?|skip\s+advert(?:isement)?)\s*$")
_RATING = re.compile(r"^[^\n]{0,400}?\bReviewed\s+by\b[^\n]{0,300}?\bRating:\s*\d+(?:\.\d+)?\s*(?:/\s*\d+)?\s*$"
                     r"|^\s*Rating:\s*\d+(?:\.\d+)?\s*(?:/\s*\d+)?\s*$", re.I)
_PAGE_DATE = re.compile(r"^\s*(?:today|current\s+date|date\s+today)\s*[:\uff1a]\s*[^\n]{0,40}\d[^\n]{0,20}$", re.I)
_SOURCE_URL = re.compile(
    rf"^\s*{_EM}\s*(?:original(?:ly\s+published\s+(?:at|on|in))?(?:\s+(?:url|link|article|source|story))?"
    r"|source\s+(?:url|link)|canonical(?:\s+(?:url|link))?|read\s+the\s+original(?:\s+article)?(?:\s+(?:at|on))?)"
    rf"\s*{_EM}\s*[:\uff1a]?\s*<?(?P<url>https?://[^\s<>]+)>?\s*$", re.I)
_BARE_URL = re.compile(r"^\s*<?https?://[^\s<>]+>?\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_BYLINE = re.compile(r"^\s*[*_]{0,3}\s*(?:By|BY)\s+(?P<who>[^\n]{1,120}?)\s*[*_]{0,3}\s*$")
_PHOTO = re.compile(
    r"^\s*[(\[]?\s*(?:(?:file\s+)?photo(?:graph)?s?|image|picture|pic|credit|photo\s+credit|image\s+credit)"
    r"\s*(?::|by\b|credit\s*:)\s*(?P<rest>[^\n]{1,100}?)\s*[)\]]?\s*$", re.I)
_MD_LINK_TEXT = re.compile(r"\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.'\u2019&-]*|and|&|of|the|de|da|del|van|von|der|al|bin|la|le)$")
# Consent banners: the notice (long, about cookies or personal data, in the site's own voice) and its buttons.
_CONSENT = re.compile(
    r"^(?=[^\n]{0,900}$)(?=[^\n]*\b(?:cookies?|personal\s+data|your\s+(?:privacy|data)|privacy\s+polic|consent|"
    r"tracking\s+technolog|similar\s+technolog)\w*)\s*(?:we|this\s+(?:web)?site|our\s+(?:web)?sites?|by\s+(?:continuing|"
    r"clicking|using|browsing|accepting|selecting)|cookies?|we\s+value|your\s+privacy|to\s+(?:give|provide|offer)\s+you|"
    r"with\s+your\s+(?:permission|consent)|you\s+can\s+(?:change|manage|withdraw))\b", re.I)
_CONSENT_BUTTON = re.compile(
    r"^\s*(?:(?:accept|reject|decline|refuse|allow|agree|i\s+agree|i\s+accept|got\s+it|okay|ok)(?:\s+(?:all|and\s+close|"
    r"and\s+continue|all\s+cookies|cookies|necessary(?:\s+cookies)?|only\s+(?:essential|necessary)(?:\s+cookies)?|"
    r"selection|&\s+close))?|(?:manage|customi[sz]e|change|view|update)\s+(?:my\s+|your\s+)?(?:cookie\s+|privacy\s+|consent\s+)?(?:preferences|options|settings|cookies|"
    r"consent|choices|purposes|vendors|partners)|cookie\s+(?:settings|preferences|policy|notice|consent)|more\s+options|"
    r"privacy\s+(?:settings|policy|preferences|notice|centre|center)|your\s+privacy\s+choices|"
    r"do\s+not\s+sell\s+(?:or\s+share\s+)?my\s+personal\s+information|(?:list\s+of\s+)?(?:iab\s+)?(?:vendors|partners)"
    r"(?:\s*\(\d+\))?|legitimate\s+interest|learn\s+more)\s*[.!]?\s*$", re.I)
# Newsletter and membership prompts.
_NEWSLETTER = re.compile(
    r"^(?=[^\n]{0,240}$)[\s*_>\[]*(?:click\s+here\s+to\s+)?(?:(?:sign\s+up|subscribe|register|join|get|receive|want)\b[^\n]{0,120}\b(?:newsletters?|"
    r"briefings?|bulletins?|digest|alerts?|inbox|e-?mails?|(?:unlimited|full|digital|premium)\s+access)\b|[^\n]{0,120}\b(?:delivered|sent|straight|direct(?:ly)?)"
    r"\s+(?:to|into)\s+your\s+inbox\b|(?:newsletter|sign\s+up|subscribe(?:\s+now|\s+today)?|enter\s+your\s+e-?mail"
    r"(?:\s+address)?|e-?mail\s+address|your\s+e-?mail|already\s+(?:a\s+(?:subscriber|member)|have\s+an\s+account)"
    r"\??(?:\s+(?:log|sign)\s+in)?|(?:support|fund)\s+(?:our|independent|local)\s+journalism|become\s+a\s+(?:member|"
    r"subscriber|supporter)|no\s+spam[^\n]{0,60}|unsubscribe\s+at\s+any\s+time[^\n]{0,40})\b)[^\n]{0,160}$", re.I)
# "Home > World > Europe", "News › Local › Transport"
_BREADCRUMB = re.compile(
    r"^\s*(?:(?:home|homepage|news|start)\s*(?:[>/|\u203a\u00bb\u2192]\s*[^>/|\u203a\u00bb\u2192\n]{1,40}){1,6}"
    r"|[^\u203a\u00bb\n]{1,40}(?:\s*[\u203a\u00bb]\s*[^\u203a\u00bb\n]{1,40}){1,6})\s*$", re.I)
_SHARE_VOCAB = frozenset("""share shares sharing tweet email e-mail print copy link links facebook twitter x whatsapp linkedin
reddit telegram pinterest flipboard messenger threads bluesky mastodon this article story page post on via the comments
comment save saved gift bookmark listen follow us and or | / · • -""".split())
_COPYRIGHT = re.compile(r"^\s*(?:\u00a9|\(c\)|copyright\b)[^\n]{0,160}$|^[^\n]{0,120}\ball\s+rights\s+reserved\.?\s*$", re.I)
_SITE_NAV = re.compile(
    r"^\s*(?:skip\s+to\s+(?:main\s+)?(?:content|navigation)|back\s+to\s+top|menu|main\s+menu|open\s+menu|close(?:\s+menu)?|"
    r"toggle\s+navigation|search|log\s*in|sign\s+in|sign\s+out|my\s+account|listen(?:\s+to\s+(?:this\s+)?article)?"
    r"|\d+\s+min(?:ute)?s?\s+read|reading\s+time[^\n]{0,20}|continue\s+reading|show\s+more|load\s+more)\s*[.:]?\s*$", re.I)


def _consent_buttons(line: str) -> bool:
    """A row of consent buttons: "Accept cookies | Manage cookie settings", "Reject all · Accept all"."""
    parts = [p for p in re.split(r"\s*[|\u00b7\u2022/]\s*", line) if p.strip()]
    return len(parts) >= 2 and all(_CONSENT_BUTTON.match(p) for p in parts)


def _share_row(line: str) -> bool:
    """A line made of share buttons only: "Share  Facebook  X  Email  Copy link"."""
    words = re.findall(r"[\w-]+|[|/\u00b7\u2022]", line.lower())
    return 1 <= len(words) <= 16 and all(w in _SHARE_VOCAB for w in words) and \
        any(w in ("share", "tweet", "email", "e-mail", "print", "facebook", "twitter", "whatsapp", "linkedin") for w in words)


_AGENCIES = {"afp", "ap", "reuters", "getty", "getty images", "epa", "tass", "sputnik", "xinhua", "ria novosti",
             "anadolu", "bloomberg", "shutterstock", "pool", "dpa", "ansa", "efe", "upi", "zuma"}


# Cheap gate: every furniture line is short or starts like one of the rules (keeps story lines fast).
_MAYBE = re.compile(r"^.{0,130}$|^\s*(?:[-\u2022>*_#\[<(]|also|read|related|see|recommended|don|must|more|you"
                    r"|tag|topics|keywords|filed|original|source|canonical|http|by|photo|image|pic|credit|file"
                    r"|we|this|our|cookie|to|with|sign|subscribe|register|join|get|receive|want|\u00a9|copyright)"
                    r"|^.{0,400}?(?:reviewed\s+by|rating:)", re.I | re.S)


def _byline_name(line: str) -> Optional[str]:
    m = _BYLINE.match(line)
    if not m:
        return None
    who = _MD_LINK_TEXT.sub(r"\1", m.group("who")).strip("*_ ")
    who = re.split(r"\s*(?:\||\u00b7|\u2022|\u2014|\u2013|\s-\s|,\s*(?=\d|" + _MONTH + r"\b))", who, maxsplit=1,
                   flags=re.I)[0].strip(" ,")
    words = who.replace(",", " ").split()
    if not words or len(words) > 10 or not words[0][:1].isupper() or who[-1:] in ".!?:;":
        return None
    return who if all(_NAME_WORD.match(w) for w in words) else None


def _photo_credit(line: str) -> bool:
    s = line.strip()
    m = _PHOTO.match(s)
    if m and m.group("rest")[-1:] not in ".!?":
        return True
    if " / " not in s:
        return False
    parts = re.split(r"\s+/\s+", s)
    if not 2 <= len(parts) <= 4 or len(s) > 100:
        return False
    for p in parts:
        words = p.split()
        if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            return False
    return any((p.isupper() and sum(c.isalpha() for c in p) >= 2) or p.lower() in _AGENCIES for p in parts)


def furniture(line: str, *, header: bool = False) -> Optional[tuple[str, dict]]:
    """(kind, metadata found) if this whole line is page furniture, else None.

    Generic rules for the furniture news pages carry: related-link lines, tags and hashtag lines, share
    buttons, cookie and consent notices and their buttons, newsletter prompts, breadcrumbs, copyright lines,
    site navigation, ad slots, blog rating widgets, the page's "Today:" date, source-url lines, bylines (only
    near the top), photo credits, and Markdown rules.
    """
    if len(line) > MAX_FURNITURE_LINE or not _MAYBE.match(line):
        return None
    if _RELATED.match(line):
        return "also-read", {}
    if _TAGS.match(line):
        return "tags", {}
    if _HASHTAGS.match(line):
        return "hashtags", {}
    if _SHARE.match(line) or _share_row(line):
        return "share", {}
    if _CONSENT.match(line) or _CONSENT_BUTTON.match(line) or _consent_buttons(line):
        return "consent", {}
    if _NEWSLETTER.match(line):
        return "newsletter", {}
    if _BREADCRUMB.match(line):
        return "breadcrumb", {}
    if _COPYRIGHT.match(line):
        return "copyright", {}
    if _SITE_NAV.match(line):
        return "site-nav", {}
    if _ADS.match(line):
        return "ads", {}
    if _RATING.match(line):
        d = parse_date(line)
        return "rating", ({"date": d} if d else {})
    if _PAGE_DATE.match(line):
        return "page-date", {}
    m = _SOURCE_URL.match(line)
    if m:
        return "source-url", {"url": m.group("url")}
    if _BARE_URL.match(line):
        return "bare-url", {}
    if _MD_RULE.match(line):
        return "markdown-rule", {}
    if header:
        who = _byline_name(line)
        if who:
            return "byline", {"author": who}
    if _photo_credit(line):
        return "photo-credit", {}
    return None


# --- inline markup (Markdown) --------------------------------------------------------------------

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


# A wire dateline opening a story line: a place in capitals, an optional agency in brackets, a dash, then
# the sentence ("LONDON (Reuters) - ", "KELBY, England - ", "SALTMERE (MP) – ").
_DATELINE = re.compile(r"^\s*(?P<d>[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3}(?:,\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?(?:\s+\d{1,2})?)?"
                       r"\s*(?:\([^()\n]{1,40}\))?\s*[-\u2013\u2014]\s+)(?=[A-Z\"\u201c])")


_DATELINE_AT = re.compile(_DATELINE.pattern[1:])  # the same, matched at a paragraph's start inside a text


def _inline_dels(raw: str, s: int, e: int, markdown: bool) -> tuple[list[Span], bool]:
    """Deletions inside the story line raw[s:e] (markup, invisible chars, edge whitespace); and whether
    the line was a Markdown heading."""
    line = raw[s:e]
    dels = _LineDels()
    heading = False
    m = _DATELINE.match(line)
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


def _kept(s: int, e: int, spans: list[Span]) -> list[tuple[int, int]]:
    out, pos = [], s
    for a, b, _ in spans:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < e:
        out.append((pos, e))
    return out


def _trim_edges(raw: str, s: int, e: int, spans: list[Span]) -> list[Span]:
    """Add deletions for whitespace at both ends of what the line keeps (trailing spaces, indents, nbsp)."""
    kept = _kept(s, e, spans)
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


# --- text / Markdown -----------------------------------------------------------------------------

def _merge(dels: list[Span]) -> list[Span]:
    """Sort and join touching deletions of the same kind."""
    out: list[Span] = []
    for a, b, k in sorted(dels):
        if out and out[-1][1] == a and out[-1][2] == k:
            out[-1] = (out[-1][0], b, k)
        else:
            out.append((a, b, k))
    return out


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


def _clean_text(raw: str, markdown: bool = True):
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
        kept = _kept(s, e, line_dels)
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
    dels = _merge(dels)
    out = _Builder(raw)
    for a, b in _kept(0, n, dels):
        out.copy(a, b)
    text, bps = out.result()
    removals = [Removal(kind=k, raw_start=a, raw_end=b, text=raw[a:b]) for a, b, k in dels]
    return text, removals, bps, DocMeta(**found)


# --- HTML ----------------------------------------------------------------------------------------

# Elements whose whole content is page furniture or not text.
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


def _iso_or_raw(v: str) -> str:
    return parse_date(v) or v.strip()


def _squash(s: str) -> Optional[str]:
    return " ".join(s.split()) or None


class _HTMLExtractor:
    """Walks the markup once with a small tokenizer; copies text runs, decodes entities, breaks paragraphs
    at block tags, and jumps over skipped elements without looking inside (except <head>, for metadata)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.out = _Builder(raw)
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
                self.found.setdefault(field, _iso_or_raw(value) if field == "date" else value)
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.found.setdefault("canonical", a["href"].strip())
        elif tag == "time" and a.get("datetime"):
            self.found.setdefault("time", _iso_or_raw(a["datetime"]))

    def _drop_datelines(self, text: str, bps: list[tuple[int, int]]):
        """Delete a wire dateline opening a paragraph ("LONDON (Reuters) - "), when it was copied from the raw
        page in one piece; the raw span becomes a removal of its own and the map shifts past it."""
        cuts = []
        for m in re.finditer(r"(?:^|\n\n)", text):
            d = _DATELINE_AT.match(text, m.end())
            if not d or d.start("d") == d.end("d"):
                continue
            a, b = d.start("d"), d.end("d")
            ra = _map(bps, a)
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
            shifted.append((a, _map(bps, b)))
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


def _map(bps: list[tuple[int, int]], pos: int) -> int:
    """Raw position of a cleaned position under breakpoints bps (as Document.to_raw)."""
    k = max(bisect_right(bps, (pos, float("inf"))) - 1, 0)
    return bps[k][1] + pos - bps[k][0] if bps else pos


def _clean_html(raw: str):
    p = _HTMLExtractor(raw)
    p.run()
    return p.finish()


# --- entry point ---------------------------------------------------------------------------------

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
        return _clean_html(raw)
    return _clean_text(raw, markdown=True)
