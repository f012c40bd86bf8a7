"""Calendar days as outlets write them: "3 November", "Nov. 3", "October 31, 2026" are (month, day) values,
so two outlets giving one day in two styles agree and two days are told apart."""
from __future__ import annotations

import re
from typing import NamedTuple

MONTHS = "january february march april may june july august september october november december".split()

# a month as outlets write it, capitalised, in full or cut to three letters (four for "Sept"): never a word
# that only begins like one ("decreased 3 per cent", "4 separate fires", "2 may face charges")
_MONTH = (r"(?-i:[A-Z])(?:" + "|".join(rf"(?:{m[1:3]}(?:{m[3:]}|\.)?)" for m in MONTHS if len(m) > 3)
          + r"|(?:ay)|(?:ept\.?))(?![\w'\u2019-])")
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?!\d)(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>\d{{4}}))?)\b",
    re.IGNORECASE)
_ABBR = [m[:3] for m in MONTHS]
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Day(NamedTuple):
    month: int  # 1-12
    day: int
    surface: str  # as written
    start: int  # where it is written in the text
    year: int = 0  # 0 where none is written

    def ordinal(self) -> int:
        """Days since the start of a year (a leap year): how far apart two days are, across a month's end. A
        whole month counts from its middle."""
        return sum(_MONTH_DAYS[:self.month - 1]) + (self.day or 15)

    def fits(self, other: "Day") -> bool:
        """Whether the two can be one date: the same day, or a day inside a month named whole ("in March")."""
        return self.month == other.month and (self.day == other.day or not self.day or not other.day)

    def other_year(self, other: "Day") -> bool:
        """Whether both give a year and the years differ ("February 2025" / "March 2023": two events)."""
        return bool(self.year and other.year and self.year != other.year)


def find_dates(text: str) -> list[str]:
    return [m.group(0) for m in _DATE.finditer(text)]


def calendar_days(text: str, *, months: bool = False) -> list[Day]:
    """Every day of the year the text names; a "day" past its month's end (a score, "May 45") is none. With
    months=True, also each month named whole after a preposition ("in January", "by March"), day 0."""
    out = []
    for m in _DATE.finditer(text):
        month = _ABBR.index((m.group("m1") or m.group("m2")).lower()[:3]) + 1
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= _MONTH_DAYS[month - 1]:
            out.append(Day(month, day, m.group(0), m.start(), int(m.group("y1") or m.group("y2") or 0)))
    if months:
        taken = [(m.start(), m.end()) for m in _DATE.finditer(text)]
        for m in _WHOLE_MONTH.finditer(text):
            if not any(a <= m.start("m") < b for a, b in taken):
                year = re.match(r"\s+(\d{4})\b", text[m.end():])
                out.append(Day(MONTHS.index(m.group("m").lower()) + 1, 0, m.group("m"), m.start("m"),
                               int(year.group(1)) if year else 0))
    return sorted(out, key=lambda d: d.start)


# a month named whole, in full, after a word that places an event in it ("in January", "until March")
_WHOLE_MONTH = re.compile(r"\b(?:in|by|from|until|till|since|before|after|during|early|late|mid|end\s+of)\s+"
                          r"(?:early\s+|late\s+|mid-?)?(?P<m>(?-i:" + "|".join(m.capitalize() for m in MONTHS) + r"))"
                          r"(?![\w'\u2019-])(?!\s+\d{1,2}\b)", re.IGNORECASE)
