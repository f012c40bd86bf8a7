"""The one sentence splitter: where sentences end in a stretch of text, as character offsets.

ingest/segment.py cuts documents into Sentence records with it; the support check and the eval split
statements and dataset paragraphs with `split_sentences`. A full stop after an abbreviation ("Mr.",
"U.S.", "Jan. 5") or before a lower-case word ("a.m. on") does not end a sentence.
"""
from __future__ import annotations

import re

# a sentence ends at . ! ? or … (optionally followed by closing quotes/brackets) before whitespace or the end
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]\u00bb]*(?=\s|$)")
_WS = re.compile(r"\s*")
# abbreviations that are (almost) never the last word of a sentence
_NEVER_LAST = {
    "mr", "mrs", "ms", "messrs", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt", "cmdr", "sgt",
    "cpl", "adm", "st", "rev", "hon", "pres", "supt", "insp", "amb", "sec", "vs", "v", "e.g", "i.e", "cf", "viz",
    "approx", "ca", "fig", "figs", "ft", "mt", "ste", "dept", "univ", "assn", "bros", "mlle", "mme",
}
# ... and those that are not when a number follows ("Jan. 5", "No. 10", "Art. 5")
_BEFORE_NUMBER = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos",
                  "art", "p", "pp", "vol", "ch", "sec", "para", "nr", "op"}
# words that go on a time of day ("11 p.m. Monday"); an all-caps word after it is a time zone ("GMT")
_AFTER_TIME = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december""".split())
_FOLLOWER = re.compile(r"[A-Za-z]+")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")  # "J." "U.S." "D.C."
OPENERS = "\"'\u201c\u2018([\u00ab"
TERMINAL = ".!?,;:\u2026"
CLOSERS = "\"'\u201d\u2019)]\u00bb"


def _is_boundary(text: str, m: re.Match, para_end: int) -> bool:
    end = m.end()
    nxt_pos = _WS.match(text, end, para_end).end()
    if nxt_pos >= para_end:
        return True
    nxt = text[nxt_pos]
    if nxt in OPENERS and nxt_pos + 1 < para_end:
        nxt = text[nxt_pos + 1]
    if nxt.islower():
        return False  # "a.m. on", "etc. and", '"Yes?" he asked'
    punct = m.group()
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    # the word the period belongs to
    k = m.start()
    while k > 0 and m.start() - k < 40 and not text[k - 1].isspace():
        k -= 1
    word = text[k:m.start() + 1].lstrip(OPENERS)
    if _INITIALS.match(word):
        return False  # "Mary J. Blige", "U.S. Senator"
    w = word[:-1].lower()
    if w in _NEVER_LAST:
        return False
    if w in ("a.m", "p.m"):  # "at 11 p.m. Monday", "at 9 a.m. GMT": the time goes on
        follower = _FOLLOWER.match(text, nxt_pos, para_end)
        return not (follower and (follower.group().lower() in _AFTER_TIME or follower.group().isupper()))
    return not (w in _BEFORE_NUMBER and nxt.isdigit())


def sentence_ends(text: str, a: int, b: int) -> list[int]:
    """Offsets in text[a:b] just after each sentence-ending mark (closing quotes included)."""
    return [m.end() for m in _END.finditer(text, a, b) if _is_boundary(text, m, b)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, line by line, without edge whitespace."""
    out: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        pos = line.start()
        for end in sentence_ends(text, line.start(), line.end()) + [line.end()]:
            a, b = pos, end
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b))
            pos = end
    return out


_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,]\d+)*")
MIN_WORDS = 3  # a shorter piece ("Photo: AP.") is not a statement to check


def split_sentences(text: str, *, min_words: int = MIN_WORDS) -> list[str]:
    """The sentences of text as strings, those under min_words words left out."""
    return [text[a:b] for a, b in sentence_spans(text) if len(_WORD.findall(text[a:b])) >= min_words]
