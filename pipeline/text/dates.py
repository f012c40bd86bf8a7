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

    def ordinal(self) -> int:
        """Days since the start of a year (a leap year): how far apart two days are, across a month's end."""
        return sum(_MONTH_DAYS[:self.month - 1]) + self.day


def find_dates(text: str) -> list[str]:
    return [m.group(0) for m in _DATE.finditer(text)]


def calendar_days(text: str) -> list[Day]:
    """Every day of the year the text names; a "day" past its month's end (a score, "May 45") is none."""
    out = []
    for m in _DATE.finditer(text):
        month = _ABBR.index((m.group("m1") or m.group("m2")).lower()[:3]) + 1
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= _MONTH_DAYS[month - 1]:
            out.append(Day(month, day, m.group(0), m.start()))
    return out
