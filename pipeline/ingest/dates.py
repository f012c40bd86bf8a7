"""Dates as news pages write them ("March 19, 2025", "18 March 2025", "2025-03-19"), and datelines: a line
that is only a date, the article's date when it sits near the top."""
from __future__ import annotations

import re
from datetime import date as _date
from typing import Optional

_MONTHS = {m: i for i, ms in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in ms}
MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?" \
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = (rf"(?:(?P<m1>{MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
         rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH})\.?,?\s+(?P<y2>\d{{4}})"
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


def iso_or_raw(v: str) -> str:
    """A date as ISO if one can be read in `v`, else `v` stripped (a <meta> value kept as the page gives it)."""
    return parse_date(v) or v.strip()
