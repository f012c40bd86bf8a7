"""The one table of number words, and the reader of one number word among tokens.

text/quantities.py reads whole quantities ("at least three workers") from these tables; the support
check and the eval read figures token by token with `word_value`. One reading everywhere: "a third" and
"two thirds" are fractions (1/3, 2/3); "third" alone is an ordinal (3rd), which is never the figure 3.
"""
from __future__ import annotations

import re
from typing import Optional

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SCALE_ABBR = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
              "tn": 1_000_000_000_000}
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
             "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
MULTIPLES = {"twice": 2, "double": 2, "triple": 3}
# plural heads a bare "m" counts ("1.2m people", "3m homes"); before anything else it is a length
_COUNTED_IRREGULAR = frozenset({"people", "children", "men", "women", "persons", "sheep", "fish"})
# words ending in s that count nothing: "rose 2m towards homes" is a height, not two million homes
_DIRECTION = ("wards", "ways", "always", "besides", "whereas", "perhaps", "sometimes", "overseas")
# things a height or length describes far more often than a count in millions: "2m walls" are two metres tall
_TALL = frozenset({"walls", "fences", "waves", "barriers", "hedges", "gates", "cliffs", "drops", "defences",
                   "defenses", "embankments", "banks", "levees", "ladders", "poles", "posts", "pipes"})


def abbr_scale(suffix: str, *, money: bool, next_word: Optional[str]) -> Optional[float]:
    """The scale an abbreviation glued to a number gives ("3bn", "$96m", "1.2m people"), or None where it
    gives none. A bare "m" is a million only for money or before a plural count; otherwise it is metres
    ("peaked at 4.6m at the gauge", "a 2.1m wall")."""
    s = suffix.lower()
    if s not in SCALE_ABBR:
        return None
    if s == "m" and not money:
        w = (next_word or "").lower()
        counted = w in _COUNTED_IRREGULAR or len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) \
            and not w.endswith(_DIRECTION) and w not in _TALL
        if not counted:
            return None
    return float(SCALE_ABBR[s])
# a word that can be the numerator of a fraction word after it ("a third", "two-thirds")
_NUMERATORS = {"a": 1, "an": 1, **UNITS}


def is_number_word(word: str) -> bool:
    w = word.lower()
    return w in UNITS or w in TENS or w in SCALES or w in FRACTIONS or w in ORDINALS or w in MULTIPLES \
        or w == "dozen"


def compound_value(toks: list[str], i: int) -> Optional[tuple[float, int]]:
    """A cardinal told in several number words from toks[i] ("four hundred and fifty", "twenty five",
    "two thousand three hundred"): (value, the index after it), or None when toks[i] starts no such run of
    two or more words. "and" joins only after "hundred" or a scale word ("two and three" is two numbers)."""
    total, current, j, words = 0.0, 0.0, i, 0
    while j < len(toks):
        w = toks[j]
        if w in UNITS or w in TENS:
            v = UNITS.get(w, TENS.get(w))
            if current % 100 and (w in UNITS and current % 10 or w in TENS):
                break  # "five six", "twenty thirty": two numbers, not one
            current += v
        elif w == "hundred" and words:
            current = (current or 1) * 100
        elif w in SCALES and SCALES[w] >= 1000 and words:
            total += (current or 1) * SCALES[w]
            current = 0.0
        elif w == "and" and words and toks[j - 1] in SCALES and j + 1 < len(toks) and \
                (toks[j + 1] in UNITS or toks[j + 1] in TENS):
            j += 1
            continue
        else:
            break
        words += 1
        j += 1
    return (total + current, j) if words >= 2 else None


def _both_numbers(text: str, dash: int) -> bool:
    left, right = re.search(r"[A-Za-z]+$", text[:dash]), re.match(r"[A-Za-z]+", text[dash + 1:])
    return bool(left and right) and all(w.group(0).lower() in UNITS or w.group(0).lower() in TENS
                                        or w.group(0).lower() in SCALES for w in (left, right))


_RUN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*(?:\s+[A-Za-z]+(?:-[A-Za-z]+)*)*")


def numbers_in_digits(text: str) -> str:
    """The text with every number told in several words written in digits ("four hundred and fifty nurses"
    -> "450 nurses") and no thousands separators ("9,000" -> "9000"), for the readers that take one number
    word at a time."""
    def run(m: re.Match) -> str:
        # "twenty-five" is one number; "twenty one-day strikes" is twenty strikes of one day each
        words = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", lambda d: " " if _both_numbers(m.group(0), d.start()) else "-",
                       m.group(0)).split()
        low = [w.lower() for w in words]
        out, i = [], 0
        while i < len(low):
            c = compound_value(low, i)
            if c is None:
                out.append(words[i])
                i += 1
            else:
                out.append(f"{c[0]:g}")
                i = c[1]
        return " ".join(out) if len(out) < len(words) else m.group(0)
    return _RUN.sub(run, re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text))


def word_value(toks: list[str], i: int, *, one: bool = False) -> Optional[tuple[float, str]]:
    """The number the lowercased word toks[i] states, with its kind ("cardinal", "fraction", "multiple"),
    or None. A numerator in front of a fraction word is part of the fraction, not a count ("two" in "two
    thirds" is None); an ordinal ("third day") is None. "one" counts only with one=True: "one of", "no one"
    are rarely a figure."""
    w = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    if w in _NUMERATORS and nxt in FRACTIONS and nxt not in ("half", "halves"):
        return None
    if w in FRACTIONS:
        prev = toks[i - 1] if i else ""
        if prev in _NUMERATORS:
            return _NUMERATORS[prev] * FRACTIONS[w], "fraction"
        return (0.5, "fraction") if w == "half" else None  # "the third day": an ordinal
    if w in UNITS and (w != "one" or one):
        return float(UNITS[w]), "cardinal"
    if w in TENS:
        return float(TENS[w]), "cardinal"
    if w == "dozen":
        return 12.0, "cardinal"
    if w in MULTIPLES:
        return float(MULTIPLES[w]), "multiple"
    return None


def find_numbers(text: str) -> list[str]:
    """Every numeral as written (digits only): what the soundness check compares against sources."""
    return re.findall(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])", text)


def same_value(a: float, b: float, tolerance: float = 0.2) -> bool:
    """Loose equality: 'nearly two hours' and 'two-hour' agree; 90 minutes and two hours do not."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
