"""Page furniture a whole line can be: related links, tags, share rows, consent and newsletter prompts,
breadcrumbs, copyright, navigation, ads, rating widgets, source urls, bylines, photo credits, Markdown rules;
and the wire dateline that opens a story line ("LONDON (Reuters) - "). Text and HTML cleaning both ask here."""
from __future__ import annotations

import re
from typing import Optional

from .dates import MONTH, parse_date

# Furniture is short; never run the line rules on a long line (keeps pathological inputs linear).
MAX_FURNITURE_LINE = 1000
# Bylines and datelines are believed only near the top of the article.
HEADER_LINES = 8

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
    who = re.split(r"\s*(?:\||\u00b7|\u2022|\u2014|\u2013|\s-\s|,\s*(?=\d|" + MONTH + r"\b))", who, maxsplit=1,
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


# A wire dateline opening a story line: a place in capitals, an optional agency in brackets, a dash, then
# the sentence ("LONDON (Reuters) - ", "KELBY, England - ", "SALTMERE (MP) – ").
DATELINE = re.compile(r"^\s*(?P<d>[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3}(?:,\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?(?:\s+\d{1,2})?)?"
                       r"\s*(?:\([^()\n]{1,40}\))?\s*[-\u2013\u2014]\s+)(?=[A-Z\"\u201c])")
DATELINE_AT = re.compile(DATELINE.pattern[1:])  # the same, matched at a paragraph's start inside a text
