"""Text features the offline matcher and the soundness checks share: words, light stems, numbers, polarity.

Deliberately small and explicit so a wrong match can be explained by reading this file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.numbers import SCALES, word_value
from ..text.words import STOPWORDS, stem

# `stem` is read from here by match.py and the tests: the one stemmer, text/words.py

# Cues that flip the polarity of the words after them ("refused to halt" != "agreed to halt").
NEGATION_CUES = frozenset("""
not no never neither nor without refused refuses refuse refusing rejected rejects reject rejecting declined
declines decline failed fails fail failing denied denies deny omitted omits omit omitting lacked lacks
absent nothing none cannot
""".split())
NEGATION_PHRASES = (("short", "of"), ("left", "out"))
# A negation's scope ends at a clause boundary or after this many words.
SCOPE_BREAKS = frozenset("but and while whereas although though however yet".split())
SCOPE_WINDOW = 4

# Small, explicit synonym table of general English: every key is rewritten to its value before stemming.
# Nothing in it is about one story (a story's own names and terms are matched as written).
SYNONYMS = {
    "swap": "exchange", "swapped": "exchange", "trade": "exchange",
    "stop": "halt", "stopped": "halt", "stopping": "halt", "stops": "halt", "pause": "halt",
    "paused": "halt", "suspend": "halt", "suspended": "halt", "suspending": "halt", "suspension": "halt",
    "cessation": "halt", "cease": "halt", "moratorium": "halt",
    "attack": "strike", "attacks": "strike", "attacked": "strike", "attacking": "strike",
    "talks": "negotiation", "negotiations": "negotiation", "negotiate": "negotiation",
    "negotiating": "negotiation", "negotiated": "negotiation",
    "conversation": "call", "phone": "call", "chat": "call",
    "assistance": "aid", "intel": "intelligence",
    "injured": "wounded", "injuries": "wounded", "hurt": "wounded",
    "dead": "killed", "died": "killed", "deaths": "killed", "fatalities": "killed",
    "complete": "full", "comprehensive": "full", "general": "full", "overarching": "full",
    "lasting": "permanent", "durable": "permanent", "enduring": "permanent",
    "relationship": "relation", "relations": "relation", "ties": "relation",
    "normalization": "improve", "normalisation": "improve", "normalize": "improve", "normalise": "improve",
    "warming": "improve",
    "u.s.": "usa", "u.s": "usa",
    "minutes": "minute", "hours": "hour",
}
PHRASE_SYNONYMS = {("united", "states"): "usa"}
# A people's name and its country's are one term ("the Mexican government" / "Mexico"): suffixes off a
# capitalised word, final vowels off the place name. A rule, not a list, so it knows no story.
_DEMONYM = re.compile(r"^([a-z]{4,}?)(?:ians?|eans?|ans?|ese|is?|ish)$")
_PLACE = re.compile(r"^([a-z]{4,}?)(?:ia|a|e)$")


def _country_root(word: str) -> str:
    m = _DEMONYM.match(word) or _PLACE.match(word)
    return m.group(1) if m else word

# Words (hyphenated parts split), numerals ("1,000", "2.5" whole), "U.S." whole, and clause punctuation
# (kept as the boundary token "|" so a negation's scope stops there).
_TOKEN = re.compile(r"u\.s\.?|\d+(?:[.,]\d+)*|[a-z]+(?:'[a-z]+)?|[;:.!?\u2013\u2014]|,(?!\d)", re.IGNORECASE)
BOUNDARY = "|"


def _scan(text: str) -> list[str]:
    out = []
    text = text.replace("\u2019", "'")
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if not tok[0].isalnum():
            out.append(BOUNDARY)
        elif tok == "US":  # the country, not the pronoun
            out.append("usa")
        elif tok[0].isupper() and tok[1:].islower() and len(tok) > 4:
            out.append(_country_root(tok.lower()))  # a capitalised name: "Mexican" and "Mexico" meet
        else:
            out.append(tok.lower())
    return out


def _plain_number(tok: str) -> str | None:
    """'175' -> '175', '1,000' -> '1000', '2.50' -> '2.5', '19.' -> '19'; None if not a numeral."""
    if not tok[0].isdigit():
        return None
    t = tok.rstrip(".,")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif "," in t:  # "1,2" is a list, not a number: keep the first
        t = t.split(",")[0]
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return str(int(t)) if t.isdigit() else t


def tokens(text: str) -> list[str]:
    """Lowercased word and number tokens; hyphenated words split ("30-day" -> "30", "day")."""
    return [t for t in _scan(text) if t != BOUNDARY]


def numbers(text: str, *, words: bool = True) -> list[str]:
    """Every number in the text, normalised: digits as written ("175," -> "175"), number words
    ("two-hour" -> "2"; left out with words=False), scales ("1.5 million" -> "1500000")."""
    toks = tokens(text)
    out: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        value: float | None = None
        plain = _plain_number(tok)
        if plain is not None:
            try:
                value = float(plain)
            except ValueError:
                value = None
        elif words and word_value(toks, i):
            value = word_value(toks, i)[0]
            # "twenty three" -> 23
            nxt = word_value(toks, i + 1) if i + 1 < len(toks) else None
            if value >= 20 and value % 10 == 0 and nxt and nxt[1] == "cardinal" and nxt[0] < 10:
                value += nxt[0]
                i += 1
        if value is None:
            i += 1
            continue
        if i + 1 < len(toks) and toks[i + 1] in SCALES:
            value *= SCALES[toks[i + 1]]
            i += 1
        out.append(_fmt(value))
        i += 1
    return out


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


@dataclass(frozen=True)
class Term:
    stem: str
    negated: bool
    number: bool


@lru_cache(maxsize=50_000)
def terms(text: str) -> tuple[Term, ...]:
    """Content terms of a text in order, each marked negated when it sits inside a negation's scope."""
    toks = _scan(text)
    out: list[Term] = []
    neg_left = 0  # words of negation scope still to run
    negated = False
    i = 0
    while i < len(toks):
        tok = toks[i]
        pair = (tok, toks[i + 1]) if i + 1 < len(toks) else None
        if pair in PHRASE_SYNONYMS:
            tok = PHRASE_SYNONYMS[pair]
            i += 1
        elif pair in NEGATION_PHRASES:
            negated, neg_left = (not negated if neg_left else True), SCOPE_WINDOW
            i += 2
            continue
        if tok in NEGATION_CUES or tok.endswith("n't"):
            # a second cue inside a scope cancels the first ("did not refuse")
            negated, neg_left = (not negated if neg_left else True), SCOPE_WINDOW
            i += 1
            continue
        i += 1
        if tok in SCOPE_BREAKS or tok == BOUNDARY:
            neg_left, negated = 0, False
            continue
        read = None if tok[0].isdigit() else word_value(toks, i - 1)
        num = _plain_number(tok) if tok[0].isdigit() else (_fmt(read[0]) if read else None)
        if num is None and tok in STOPWORDS:  # relational words ("more", "after") are part of a fact
            continue
        word = SYNONYMS.get(tok, tok)
        s = num if num is not None else stem(SYNONYMS.get(stem(word), word))
        out.append(Term(s, negated and neg_left > 0, num is not None))
        if neg_left:
            neg_left -= 1
            if not neg_left:
                negated = False
    return tuple(out)

