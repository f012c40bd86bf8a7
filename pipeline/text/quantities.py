"""Numbers with their units and the thing they measure, so that conflicting figures can be found.

"a two-hour phone call", "more than 90-minute chat" and "almost three-hour long call" are all the
duration of one call: (duration, "call") with values 120, 90 and 180 minutes.
"""
from __future__ import annotations

import re
from typing import Optional

from pydantic import BaseModel

from .lexical import stem

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
    "half": 0.5, "dozen": 12,
}
_UNIT_MINUTES = {"second": 1 / 60, "minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200,
                 "year": 525600}
# Nouns that name the same thing; anything else is compared by its stem.
SYNONYMS = {
    "call": "call", "conversation": "call", "chat": "call", "talk": "call", "discussion": "call",
    "phone": "call", "meeting": "call",
    "prisoner": "prisoner", "detainee": "prisoner", "captive": "prisoner", "pow": "prisoner",
    "soldier": "soldier", "troop": "soldier", "serviceman": "soldier",
    "ceasefire": "ceasefire", "truce": "ceasefire", "halt": "ceasefire", "pause": "ceasefire",
    "moratorium": "ceasefire", "suspension": "ceasefire",
    "drone": "drone", "missile": "missile",
}
_SKIP_BETWEEN = {"long", "phone", "telephone", "old", "hour", "day", "more", "severely", "wounded", "seriously",
                 "of", "the", "a", "an", "russian", "ukrainian", "american", "u.s.", "us"}
_QUALIFIERS = r"(?:about|around|roughly|approximately|nearly|almost|over|more\s+than|less\s+than|some|just\s+over|just\s+under|at\s+least|up\s+to)"
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?:second|minute|hour|day|week|month|year)s?"

# "two-hour phone call", "90-minute chat", "nearly two hours of discussions", "for 30 days"
_DURATION = re.compile(
    rf"(?P<qual>{_QUALIFIERS}\s+(?:a\s+)?)?(?P<num>{_NUM})[\s-]+(?P<unit>{_UNIT})\b(?P<tail>(?:[\s-]+[\w.'\u2019-]+){{0,4}})",
    re.IGNORECASE)
# "175 prisoners", "23 severely wounded Ukrainian soldiers", "343 drones"
_COUNT = re.compile(
    rf"(?<![\w.,-])(?P<qual>{_QUALIFIERS}\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?![\d.,]\d)(?P<tail>(?:\s+[\w.'\u2019-]+){{1,4}})",
    re.IGNORECASE)
_MONTHS = "january february march april may june july august september october november december".split()
_DATE = re.compile(
    r"\b(?:(?P<m1>" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?\s+(?P<d1>\d{1,2})(?:,?\s+(?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?(?:\s+(?P<y2>\d{4}))?)\b",
    re.IGNORECASE)


class Quantity(BaseModel):
    dimension: str  # "duration" | "count"
    thing: str  # the noun class it measures, e.g. "call", "prisoner"
    value: float  # minutes for durations, the count for counts
    surface: str  # the words as written
    start: int  # offsets within the text it was found in
    end: int
    qualifier: Optional[str] = None


def _to_number(tok: str) -> Optional[float]:
    t = tok.lower().replace(",", "")
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


_SYN_BY_STEM = {stem(k): v for k, v in SYNONYMS.items()}
# Units of measure: "707 horsepower" and "1,025 horsepower" may be two cars, not a conflict about one thing.
_MEASURES = {stem(w) for w in """horsepower hp pound lb kilogram kg gram mile mph km kilometer kilometre meter metre
foot feet inch gallon liter litre degree percent dollar euro pound yen point top rpm second""".split()}
_STOP_HEAD = {"and", "or", "to", "in", "on", "at", "by", "for", "with", "from", "each", "per", "percent", "into"}


def _head_noun(tail: str) -> tuple[Optional[str], int]:
    """The noun a number measures (the first word after it that is not a modifier) and where it ends."""
    for m in list(re.finditer(r"[A-Za-z][\w'\u2019.-]*", tail))[:4]:
        w = m.group(0).lower().rstrip(".")
        if w in _SKIP_BETWEEN:
            continue
        if w in _STOP_HEAD:
            return None, 0
        s = stem(w)
        return _SYN_BY_STEM.get(s, s), m.start() + len(w)
    return None, 0


def find_quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _DURATION.finditer(text):
        num = _to_number(m.group("num"))
        if num is None:
            continue
        unit = m.group("unit").lower()
        tail = m.group("tail") or ""
        # "an hours-long conversation" is vague, not a figure
        if unit.endswith("s") and (m.group("num").lower() in {"a", "an"} or tail.startswith("-long")):
            continue
        unit = unit.rstrip("s")
        # "two hours of discussions": the thing follows "of"
        of = re.match(r"\s+of\s+(.*)", tail)
        thing, _ = _head_noun(of.group(1) if of else tail)
        if thing is None or thing in _UNIT_MINUTES:
            continue
        end = m.end("unit")
        out.append(Quantity(dimension="duration", thing=thing, value=num * _UNIT_MINUTES[unit],
                            surface=text[m.start():end].strip(), start=m.start(), end=end,
                            qualifier=(m.group("qual") or "").strip() or None))
        taken.append((m.start(), m.end()))
    for m in _COUNT.finditer(text):
        if any(a <= m.start("num") < b for a, b in taken):
            continue
        tail = m.group("tail")
        if re.match(r"\s*[-\u2013]?\s*(?:" + _UNIT + r"|percent|%)", tail, re.IGNORECASE):
            continue
        num = _to_number(m.group("num"))
        if num is None or 1900 <= num <= 2100:  # years are dates, not counts
            continue
        thing, head_end = _head_noun(tail)
        if thing is None or thing in _MEASURES or thing[:3] in {m_[:3] for m_ in _MONTHS}:
            continue
        end = m.start("tail") + head_end
        out.append(Quantity(dimension="count", thing=thing, value=num, surface=text[m.start("num"):end],
                            start=m.start("num"), end=end, qualifier=(m.group("qual") or "").strip() or None))
    return sorted(out, key=lambda q: q.start)


def find_numbers(text: str) -> list[str]:
    """Every numeral as written (digits only): what the soundness check compares against sources."""
    return re.findall(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])", text)


def find_dates(text: str) -> list[str]:
    return [m.group(0) for m in _DATE.finditer(text)]


def same_value(a: float, b: float, tolerance: float = 0.2) -> bool:
    """Loose equality: 'nearly two hours' and 'two-hour' agree; 90 minutes and two hours do not."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
