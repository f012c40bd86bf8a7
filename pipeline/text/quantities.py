"""Figures as news writes them — digits or words, ranges, bounds, units — with what they measure.

"Five workers were killed", "at least three people died" and "the death toll rose to 3" are all the
number killed: Quantity(dimension="count", thing="killed", ...) with the intervals [5, 5], [3, 3.75] and
[3, 3]. "a two-hour phone call" and "nearly two hours of talks" are both how long a talk lasted. What is
counted comes from the text: the head noun after the number ("three workers", "2 km of road"), or, for
people hurt by an event, the state they are in (killed, injured, missing...), whatever noun names them.
Nothing here knows a story: the word lists are general English and general news language.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from functools import lru_cache
from typing import Optional

from pydantic import BaseModel

from .dates import MONTHS
from .numbers import FRACTIONS, SCALES, TENS, UNITS, abbr_scale

# --- number words (the tables live in numbers.py) -------------------------------------------------------

_UNITS, _TENS, _SCALES, _FRACTIONS = UNITS, TENS, SCALES, FRACTIONS
# "dozens of people": a vague plural, read as the range it usually means in news copy, each up to where the
# next begins ("thousands of homes" for 12,000; "tens of thousands" from 20,000)
_VAGUE = {"dozens": (24, 200), "scores": (40, 200), "hundreds": (200, 2000), "thousands": (2000, 20_000),
          "tens": (20, 100)}

# --- what qualifies a number, as an interval around its value -----------------------------------------

# (low factor, high factor) around the value. A lower bound in news copy means "a little more than"
# ("more than 90 minutes" is not how one reports two hours), so its top is capped rather than open.
_BOUNDS = [
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of|upwards\s+of|in\s+excess\s+of", (1.0, 1.25)),
    (r"more\s+than|over|above|exceeding|beyond", (1.0, 1.25)),
    (r"just\s+over|just\s+above|a\s+little\s+over|slightly\s+more\s+than", (1.0, 1.1)),
    (r"nearly|almost|close\s+to|just\s+under|just\s+shy\s+of|not\s+quite|approaching", (0.85, 1.0)),
    (r"up\s+to|as\s+many\s+as|as\s+much\s+as|at\s+most|no\s+more\s+than|a\s+maximum\s+of", (0.5, 1.0)),
    (r"fewer\s+than|less\s+than|under|below", (0.5, 1.0)),
    (r"about|around|roughly|approximately|some|an\s+estimated|estimated|an\s+approximate|circa|c\.|"
     r"in\s+the\s+region\s+of|or\s+so", (0.85, 1.15)),
]
_BOUND_RE = [(re.compile(rf"(?:^|\s)(?P<q>{p})\s*$", re.I), f) for p, f in _BOUNDS]

# --- units --------------------------------------------------------------------------------------------

_TIME = {"second": 1 / 60, "minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43800, "year": 525600,
         "sec": 1 / 60, "min": 1, "hr": 60, "yr": 525600}
# unit word -> (dimension, factor to the dimension's base unit)
_MEASURE_UNITS = {
    **{u: ("length", f) for u, f in {"km": 1000, "kilometre": 1000, "kilometer": 1000, "mile": 1609.34, "metre": 1,
                                     "meter": 1, "foot": 0.3048, "feet": 0.3048, "ft": 0.3048, "yard": 0.9144,
                                     "inch": 0.0254, "cm": 0.01, "centimetre": 0.01, "centimeter": 0.01,
                                     "mm": 0.001, "millimetre": 0.001, "millimeter": 0.001}.items()},
    **{u: ("area", f) for u, f in {"hectare": 1e4, "acre": 4046.86, "ha": 1e4}.items()},
    **{u: ("mass", f) for u, f in {"tonne": 1000, "ton": 1000, "kg": 1, "kilogram": 1, "kilo": 1, "gram": 0.001,
                                   "pound": 0.4536, "lb": 0.4536}.items()},
    **{u: ("volume", f) for u, f in {"litre": 1, "liter": 1, "gallon": 3.785, "barrel": 159}.items()},
    **{u: ("speed", f) for u, f in {"mph": 1.609, "kph": 1, "km/h": 1, "knot": 1.852}.items()},
    **{u: ("temperature", 1) for u in ("degree", "°c", "°f")},
    **{u: ("power", 1) for u in ("horsepower", "hp", "megawatt", "mw", "kilowatt", "kw", "gigawatt", "gw")},
    **{u: ("percent", 1) for u in ("percent", "per cent", "%", "pct")},
    **{u: ("percentage points", 1) for u in ("percentage point",)},
}
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "yen": "JPY", "yuan": "CNY",
                   "rupee": "INR", "rouble": "RUB", "ruble": "RUB", "franc": "CHF", "peso": "MXN"}

# --- what is counted ----------------------------------------------------------------------------------

# What happened to the people counted, as news reports casualties and their like. Whatever noun names
# them ("five workers", "three people", "17 miners"), counts in one state are one measure.
_STATES = {
    "killed": "killed killing kills kill dead died die dies dying death deaths fatality fatalities perished drowned "
              "lives",
    "injured": "injured injuring injures injury injuries wounded wounding hurt hospitalised hospitalized",
    "missing": "missing unaccounted",
    "evacuated": "evacuated evacuating evacuation evacuations displaced homeless",
    "arrested": "arrested arresting arrests detained",
    "rescued": "rescued",
    "critical": "critical critically",
}
# What happened to them, said in a phrase right after the noun ("were taken to hospital").
_STATE_PHRASES = [(re.compile(r"^[\s,]*(?:(?:were|was|are|is|have\s+been|had\s+been|remain(?:ed)?|all)\s+)*" + p, re.I), st)
                  for p, st in [
    (r"(?:taken|rushed|admitted|airlifted|flown|brought)\s+to\s+(?:a\s+|the\s+)?hospitals?", "injured"),
    (r"(?:treated|being\s+treated)\s+(?:in|at)\s+(?:a\s+|the\s+)?hospitals?|in\s+hospital", "injured"),
    (r"in\s+(?:a\s+)?(?:critical|serious|life-threatening)\s+condition", "critical"),
    (r"(?:forced|driven)\s+(?:from|out\s+of)\s+their\s+homes|ordered\s+to\s+(?:leave|evacuate)|"
     r"fled\s+their\s+homes|moved\s+to\s+(?:emergency\s+)?shelters", "evacuated"),
    (r"(?:still\s+)?unaccounted\s+for|feared\s+(?:dead|trapped)", "missing"),
]]
# Part of a larger count: "17 people were injured, including two firefighters"
_SUBSET_BEFORE = re.compile(r"(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|included?|includes)\s*$", re.I)
_SUBSET_AFTER = re.compile(r"^[\s,]*(?:were|was|are|is)?\s*among\s+(?:the\s+)?(?P<w>\w+)", re.I)
# Nouns that name people in general: a count of them is a measure only with what happened to them.
_GENERIC_PEOPLE = frozenset("people persons person individuals others more".split())
# ... or with the place they live at: "31 people living at the home", "40 people facing being thrown out of it"
# count its residents ("3,000 people live in the valley" is a population, no measure of an event)
_LIVING = re.compile(r"[\s,]*(?:who\s+)?(?:liv(?:e|es|ed|ing)\s+at|fac(?:e|es|ed|ing)\s+(?:being\s+)?(?:evicted|(?:turfed|thrown|kicked|forced|moved)\s+out))\b", re.I)
_STATE_OF = {w: s for s, ws in _STATES.items() for w in ws.split()}
STATES = frozenset(_STATES)  # the states a count of people can be in: a Quantity.thing of its own
# "the death toll rose to five", "killing at least three", "left 17 injured"
_STATE_BEFORE = re.compile(
    r"(?:(?P<toll>death\s+toll|toll|number\s+of\s+(?:dead|deaths|fatalities|injured|casualties))"
    r"(?:\s+(?:has|had|have|was|is|now|climbed|rose|risen|jumped|increased|reached|stood|stands|hit|stands|of|at|to|"
    r"officially|so\s+far|now))*\s*$"
    r"|\b(?P<verb>killing|killed|kills|kill|injuring|injured|injures|wounding|wounded|leaving|left|"
    r"evacuated|evacuating|arrested|arresting|detained|rescued|displaced)(?:\s+(?:a|an|the|some|at|least|"
    r"more|than|nearly|almost|about|around|up|to|over|as|many))*\s*$)", re.I)

# Words for an exchange between people: a story that says "call" in one outlet says "talks",
# "conversation" or "meeting" in another, and they are one event whose length can be compared.
_KIND = {**{w: "talk" for w in "call conversation chat talk talks discussion discussions meeting session "
            "negotiation negotiations".split()},
         # and the area around a place that a distance measures: "a 5 km exclusion zone", "a radius of 8 km"
         **{w: "zone" for w in "zone radius area cordon perimeter".split()}}

# Function words: they end a noun phrase.
_BOUNDARY = frozenset("""
a an the this that these those its their his her our your my of in on at by for with from to into onto over
under after before during since until about against among between through across per and or but nor than as
who whom whose which that where when while was were is are be been being has have had will would could should
may might can must shall do does did not no also each every some any all both either neither other another
from s said says according reportedly including such so then there here it they he she we you them him
""".split())
_IRREGULAR_PLURALS = frozenset("people men women children police staff personnel crew cattle feet teeth mice "
                               "geese folk troops clergy".split())
# common irregular past tenses that follow a subject noun ("the quake struck", "the call went on")
_VERBS = frozenset("struck hit shook began came went took made saw rose fell led met ran won lost held told said "
                   "got gave broke spread tore sent left kept brought began drew threw stood sank".split())
_MONTH_ABBR = {m[:3] for m in MONTHS}
_WORD_AFTER_DATE = re.compile(r"\s*,?\s*\d{4}\b")


class Quantity(BaseModel):
    dimension: str  # "count" | "duration" | "money:USD" | "percent" | "length" | "magnitude" ...
    thing: str  # what is measured: a noun's stem ("worker", "call"), a state ("killed") or a kind ("talk")
    value: float  # the figure in the dimension's base unit (minutes for durations)
    surface: str  # the words as written
    start: int  # offsets within the text it was found in
    end: int
    qualifier: Optional[str] = None  # "at least", "nearly", "between"...
    low: Optional[float] = None  # the interval the words allow (a range, or a bound's reach)
    high: Optional[float] = None
    noun: Optional[str] = None  # the counted noun as written ("workers"), for statements a reader sees

    def interval(self) -> tuple[float, float]:
        return (self.value if self.low is None else self.low, self.value if self.high is None else self.high)

    def label(self) -> str:
        """What is measured, in words for a reader: "people killed", "the call", "workers"."""
        if self.thing in STATES:
            return f"{self.noun} {self.thing}" if self.noun else self.thing
        return self.noun or self.thing


# --- tokens -------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"US\$|[$€£¥₹%°]|\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+(?:['\u2019][a-z]+)?|"
                    r"[-\u2010-\u2015/]|[^\s\w]")


class _Tok:
    __slots__ = ("text", "low", "start", "end")

    def __init__(self, m: re.Match):
        self.text, self.start, self.end = m.group(0), m.start(), m.end()
        self.low = self.text.lower().replace("\u2019", "'")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m) for m in _TOKEN.finditer(text)]


def _is_dash(t: _Tok) -> bool:
    return t.text in "-\u2010\u2011\u2012\u2013\u2014\u2015"


def _digits(t: _Tok) -> Optional[float]:
    if not t.text[0].isdigit():
        return None
    try:
        return float(t.text.replace(",", ""))
    except ValueError:
        return None


def _adjacent(toks: list[_Tok], i: int, j: int) -> bool:
    """Tokens i and j touch or are separated by whitespace only (no punctuation skipped)."""
    return toks[j].start - toks[i].end <= 2


def _word_number(toks: list[_Tok], i: int) -> tuple[Optional[float], int]:
    """A number written in words starting at token i ("twenty-three", "one hundred and five",
    "a dozen", "half a million", "a third"): (value, index after it), or (None, i)."""
    n = len(toks)
    w = toks[i].low
    # "half a million", "half an hour" (the hour is read by the caller as the unit)
    if w == "half" and i + 2 < n and toks[i + 1].low in ("a", "an") and toks[i + 2].low in _SCALES:
        return 0.5 * _SCALES[toks[i + 2].low], i + 3
    if w in ("a", "an"):
        if i + 1 < n and toks[i + 1].low == "dozen":
            return 12.0, i + 2
        if i + 1 < n and toks[i + 1].low in _SCALES:
            v, j = float(_SCALES[toks[i + 1].low]), i + 2
            return _scale_tail(toks, j, v)
        return None, i
    if w == "dozen":
        return 12.0, i + 1
    total, current, j, seen = 0.0, 0.0, i, False
    while j < n:
        t = toks[j].low
        if t in _UNITS:
            if seen and current % 10 != 0 and current < 100:
                break  # "two three" is not a number
            if seen and not _is_dash(toks[j - 1]) and j + 2 < n and _is_dash(toks[j + 1]) and _adjacent(toks, j, j + 1) \
                    and toks[j + 2].low not in _UNITS and toks[j + 2].low not in _TENS:
                break  # "twenty one-day strikes": twenty strikes of one day each, not 21
            current += _UNITS[t]
        elif t in _TENS:
            if seen and current % 100 != 0:
                break
            current += _TENS[t]
        elif t in _SCALES and seen:
            if _SCALES[t] == 100:
                current *= 100
            else:
                total += current * _SCALES[t]
                current = 0.0
        elif t == "dozen" and seen:
            current *= 12
        elif _is_dash(toks[j]) and seen and j + 1 < n and toks[j + 1].low in _UNITS and _adjacent(toks, j - 1, j) \
                and _adjacent(toks, j, j + 1) and current in _TENS.values():
            j += 1
            continue  # "twenty-three"
        elif t == "and" and seen and current >= 100 and j + 1 < n and (toks[j + 1].low in _UNITS or toks[j + 1].low in _TENS):
            j += 1
            continue  # "one hundred and five"
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None, i
    return total + current, j


def _scale_tail(toks: list[_Tok], j: int, v: float) -> tuple[float, int]:
    while j < len(toks) and toks[j].low in _SCALES and _SCALES[toks[j].low] > 100:
        v *= _SCALES[toks[j].low]
        j += 1
    return v, j


def _number(toks: list[_Tok], i: int) -> tuple[Optional[float], int]:
    """A number at token i, digits or words, with its scale ("1.2 million", "3bn", "17"): (value, next index)."""
    v = _digits(toks[i])
    if v is not None:
        j = i + 1
        if j < len(toks) and toks[j].start == toks[i].end:
            money = i > 0 and toks[i - 1].low in _CURRENCY_SIGNS
            scale = abbr_scale(toks[j].low, money=money, next_word=toks[j + 1].low if j + 1 < len(toks) else None)
            if scale is not None:
                return v * scale, j + 1
            if toks[j].low == "m":
                return None, i  # metres ("rose 2m towards homes"): no count of the noun after it
        if j < len(toks) and toks[j].low in _SCALES and _SCALES[toks[j].low] > 100 or \
                j < len(toks) and toks[j].low == "hundred":
            return _scale_tail(toks, j, v)
        return v, j
    if toks[i].low in _UNITS or toks[i].low in _TENS or toks[i].low in ("a", "an", "half", "dozen"):
        v, j = _word_number(toks, i)
        if v is not None:
            return _scale_tail(toks, j, v)
    return None, i


# --- head nouns ---------------------------------------------------------------------------------------

def _plural_noun(w: str) -> bool:
    lw = w.lower()
    if lw in _IRREGULAR_PLURALS:
        return True
    return len(lw) > 3 and lw.endswith("s") and not lw.endswith(("ss", "us", "is", "ous")) and lw not in _BOUNDARY


def _singular(w: str) -> str:
    lw = w.lower()
    if lw in ("people", "persons"):
        return "person"
    if lw in ("children", "men", "women"):
        return {"children": "child", "men": "man", "women": "woman"}[lw]
    if lw.endswith("ies") and len(lw) > 4:
        return lw[:-3] + "y"
    if lw.endswith(("ches", "shes", "xes", "sses")):
        return lw[:-2]
    if lw.endswith("s") and not lw.endswith("ss") and len(lw) > 3:
        return lw[:-1]
    return lw


def _noun_phrase(toks: list[_Tok], j: int, *, plural: bool) -> tuple[Optional[int], list[int]]:
    """The head noun after a figure (token index) and the modifiers before it.

    A plural figure's head is the first plural noun within four words ("23 severely wounded soldiers");
    otherwise the last word of the run of content words ("a two-hour phone call" -> "call")."""
    run: list[int] = []
    k = j
    while k < len(toks) and len(run) < 4:
        t = toks[k]
        if (run and t.text in "-\u2010\u2011" and k + 1 < len(toks) and toks[k + 1].text[0].isalpha()
                and toks[k - 1].end == t.start and t.end == toks[k + 1].start and not _plural_noun(toks[k + 1].text)):
            k += 1  # a compound modifier: "40 loss-making convenience stores" (not "12 co-workers": the noun)
            continue
        if not t.text[0].isalpha() or t.low in _BOUNDARY:
            break
        if run and not plural and t.text[0].isupper() and not toks[run[-1]].text[0].isupper():
            break  # "a two-hour call Tuesday"
        if run and not plural and t.low in _VERBS:
            break  # "a 6.4-magnitude earthquake struck"
        if plural and (t.low in _UNITS or t.low in _TENS):
            break  # "the 30 injured include four children": another figure starts
        if plural and _plural_noun(t.text):
            # a compound of plurals names the last: "six police officers"
            if k + 1 < len(toks) and _plural_noun(toks[k + 1].text) and toks[k + 1].low not in _STATE_OF:
                return k + 1, run + [k]
            return k, run
        if plural and t.low in _STATE_OF and not any(_plural_noun(x.text) for x in toks[k + 1:k + 3]):
            break  # "17 injured", "three dead": the state is what is counted
        if run and t.low.endswith(("ed", "ing")) and not plural:
            break  # "a two-hour call ended"
        if t.low.endswith("ly") and plural:
            run.append(k)  # "severely wounded"
            k += 1
            continue
        run.append(k)
        k += 1
    if plural:
        return None, run
    return (run[-1], run[:-1]) if run else (None, [])


_AUX = frozenset("were was have has had been are is reported confirmed feared now later all being believed remain "
                 "remained reportedly lost their".split())


def _state_after(toks: list[_Tok], k: int) -> Optional[str]:
    """A state word just after the counted noun: "five workers were killed", "17 injured", "three dead"."""
    for t in toks[k:k + 4]:
        if t.low in _STATE_OF:
            return _STATE_OF[t.low]
        if t.low in _AUX:
            continue
        return None
    return None


def _thing_of(noun: str) -> str:
    low = noun.lower()
    if low in _KIND:
        return _KIND[low]
    return _singular(low)


# --- finding quantities --------------------------------------------------------------------------------

def _bound(text: str, start: int) -> tuple[Optional[str], tuple[float, float], int]:
    """The qualifier written just before offset `start` and the interval factors it implies."""
    before = text[max(0, start - 40):start]
    for rx, f in _BOUND_RE:
        m = rx.search(before)
        if m:
            return re.sub(r"\s+", " ", m.group("q").lower()), f, start - (len(before) - m.start("q"))
    return None, (1.0, 1.0), start


def _date_like(toks: list[_Tok], i: int, j: int) -> bool:
    """17 March, March 17, 2025: day numbers and years are dates, not counts."""
    prev = toks[i - 1].low[:3] if i > 0 else ""
    nxt = toks[j].low[:3] if j < len(toks) else ""
    return prev in _MONTH_ABBR or nxt in _MONTH_ABBR


def find_quantities(text: str, *, loose: bool = False) -> list[Quantity]:
    """Every figure in `text` whose measure can be told from the words around it.

    loose=True also keeps figures that measure nothing named ("some 4,000 people", "$10 million", "1,025
    horsepower"), with thing "" or the bare noun: not for conflicts, but two sentences that share one are
    likely to tell the same fact."""
    return list(_found(text, loose))


@lru_cache(maxsize=65536)  # a claim's figures are read by the clustering, the measures and the conflicts
def _found(text: str, loose: bool) -> tuple[Quantity, ...]:
    token = _LOOSE.set(loose)
    try:
        return tuple(_in_collective(text, q) for q in _find(text))
    finally:
        _LOOSE.reset(token)


# "a picket line of around thirty drivers": a count of the line, not of all the drivers another outlet counts
_COLLECTIVE = re.compile(r"\b(?:a|an|the|one|another)\s+(?:[a-z]+\s+)?(line|group|handful|team|delegation|"
                         r"band|contingent|convoy|queue|party|squad)\s+of\s+$", re.IGNORECASE)


def _in_collective(text: str, q: Quantity) -> Quantity:
    m = _COLLECTIVE.search(text[max(0, q.start - 40):q.start])
    return q.model_copy(update={"thing": f"{m.group(1).lower()}:{q.thing}"}) if m and q.thing else q  # a part: only itself


_LOOSE: ContextVar[bool] = ContextVar("loose", default=False)  # find_quantities' mode, per thread


def _find(text: str) -> list[Quantity]:
    toks = _tokens(text)
    out: list[Quantity] = []
    i, n = 0, len(toks)
    while i < n:
        q, nxt = _quantity_at(text, toks, i)
        if q is not None:
            out.append(q)
            i = max(nxt, i + 1)
        else:
            if _LOOSE.get():
                v = _digits(toks[i])
                # a bare figure ("the Model 170", "a 3-1 win"): the same one in two sentences is a hint
                # (two digits or more, and not a round small one: "30 days" is in too many sentences)
                if v is not None and (v >= 100 or (v >= 10 and v % 10)) and not (1900 <= v <= 2100) \
                        and not _date_like(toks, i, i + 1):
                    out.append(Quantity(dimension="number", thing="", value=v, surface=toks[i].text,
                                        start=toks[i].start, end=toks[i].end))
            i += 1
    return out


def _quantity_at(text: str, toks: list[_Tok], i: int) -> tuple[Optional[Quantity], int]:
    n = len(toks)
    t = toks[i]
    currency = None
    start_i = i
    # currency sign before the number: "$4.5 billion", "US$3m"
    if t.low in _CURRENCY_SIGNS and i + 1 < n and _digits(toks[i + 1]) is not None:
        currency = _CURRENCY_SIGNS[t.low]
        i += 1
    # vague plurals: "dozens of people", "hundreds of homes"
    if t.low in _VAGUE and i + 1 < n and toks[i + 1].low == "of":
        lo, hi = _VAGUE[t.low]
        k = i + 2
        # "tens of thousands of commuters", "hundreds of millions": one vague amount, scaled
        if k < n and toks[k].low.endswith("s") and toks[k].low[:-1] in _SCALES:
            scale = _SCALES[toks[k].low[:-1]]
            lo, hi = lo * scale, hi * scale
            if not (k + 1 < n and toks[k + 1].low == "of"):
                return _count(text, toks, start_i, k + 1, None, lo, hi, float(lo), t.low, range_=(lo, hi))
            k += 2
        head, _ = _noun_phrase(toks, k + (toks[k].low == "the" if k < n else 0), plural=True)
        return _count(text, toks, start_i, k - 1, head, lo, hi, float(lo), t.low, range_=(lo, hi))
    # "between 10 and 15"
    qual_word = None
    if t.low == "between" and i + 3 < n:
        a, j = _number(toks, i + 1)
        if a is not None and j < n and toks[j].low == "and":
            b, k = _number(toks, j + 1)
            if b is not None and b > a:
                return _finish(text, toks, start_i, i + 1, k, a, (a, b), "between", currency)
        return None, i + 1
    # fractions: "a third of residents", "two-thirds of voters", "half of the workers"
    fr = _fraction(toks, i)
    if fr is not None:
        f, k = fr
        return _share(text, toks, start_i, k, 100 * f)
    v, j = _number(toks, i)
    if v is None:
        return None, i + 1
    if toks[i].low in ("a", "an") and j == i + 1:
        return None, i + 1
    # a number word that is part of a bigger phrase: "one of", "no one", "the one"
    if toks[i].low == "one" and (j < n and toks[j].low in ("of", "another", "day") or
                                 i > 0 and toks[i - 1].low in ("no", "the", "this", "that", "any", "every", "each")):
        return None, j
    # ranges: "10-15", "10 to 15", "three or four"
    rng = None
    if j + 1 < n and (_is_dash(toks[j]) and toks[j].text != "\u2014" or toks[j].low in ("to", "or")):
        b, k = _number(toks, j + 1)
        if b is not None and b > v and (toks[j].low != "to" or True) and not _date_like(toks, i, k):
            rng, j = (v, b), k
    if currency is None and j < n and toks[j].low in _CURRENCY_SIGNS:
        pass
    return _finish(text, toks, start_i, i, j, v, rng, qual_word, currency)


def _fraction(toks: list[_Tok], i: int) -> Optional[tuple[float, int]]:
    """'a third of', 'two-thirds of', 'half of', 'one in five': (fraction, index after 'of')."""
    n = len(toks)
    t = toks[i].low
    if t == "half" and i + 1 < n and toks[i + 1].low == "of":
        return 0.5, i + 2
    if t in ("a", "one") or t in _UNITS:
        k = i + 1
        if k < n and _is_dash(toks[k]):
            k += 1
        if k + 1 < n and toks[k].low in _FRACTIONS and toks[k + 1].low == "of" and toks[k].low != "half":
            return (1 if t in ("a", "one") else _UNITS[t]) * _FRACTIONS[toks[k].low], k + 2
    return None


def _finish(text, toks, start_i, i, j, v, rng, qual, currency):
    n = len(toks)
    num_start = toks[start_i].start
    bq, factors, bstart = _bound(text, num_start)
    qualifier = qual or bq
    if bq and not qual:
        num_start = bstart
    lo, hi = rng if rng else (v * factors[0], v * factors[1])
    value = v if not rng else (rng[0] + rng[1]) / 2
    if rng and bq:
        lo, hi = rng[0] * factors[0], rng[1] * factors[1]
    hyphen = j < n and _is_dash(toks[j]) and j + 1 < n and _adjacent(toks, j - 1, j) and _adjacent(toks, j, j + 1)
    u = j + 1 if hyphen else j
    unit_tok = toks[u].low if u < n else ""
    unit1 = unit_tok[:-1] if unit_tok.endswith("s") and unit_tok[:-1] in _TIME else unit_tok
    # durations: "two-hour phone call", "nearly two hours of talks", "90-minute chat"
    if unit1 in _TIME:
        if rng is None and toks[i].low in ("a", "an") and unit_tok.endswith("s"):
            return None, u + 1
        k = u + 1
        if k + 1 < n and _is_dash(toks[k]) and toks[k + 1].low == "long":
            k += 2
        if k < n and toks[k].low == "of":
            head, _ = _noun_phrase(toks, k + 1 + (k + 1 < n and toks[k + 1].low in ("the", "their", "his", "her")),
                                   plural=False)
        else:
            head, _ = _noun_phrase(toks, k, plural=False)
        if head is None or toks[head].low.rstrip("s") in _TIME:
            return None, u + 1
        f = _TIME[unit1]
        end = toks[u].end
        return Quantity(dimension="duration", thing=_thing_of(toks[head].text), value=value * f,
                        surface=text[num_start:end].strip(), start=num_start, end=end, qualifier=qualifier,
                        low=lo * f, high=hi * f, noun=toks[head].low), u + 1
    # money: "$4.5 billion", "3 million euros"
    cur_word = unit_tok[:-1] if unit_tok.endswith("s") and unit_tok[:-1] in _CURRENCY_WORDS else unit_tok
    if currency or cur_word in _CURRENCY_WORDS:
        cur = currency or _CURRENCY_WORDS[cur_word]
        end_i = j - 1 if currency else u
        thing, noun = _measured_thing(toks, end_i + 1, start_i)
        if thing is None and not _LOOSE.get():
            return None, end_i + 1
        end = toks[end_i].end
        return Quantity(dimension=f"money:{cur}", thing=thing or "", value=value, surface=text[num_start:end].strip(),
                        start=num_start, end=end, qualifier=qualifier, low=lo, high=hi, noun=noun), end_i + 1
    # units of measure: "2 km", "12 percent", "40 per cent", "6.4-magnitude"
    unit_key = unit_tok
    if unit_tok == "per" and u + 1 < n and toks[u + 1].low == "cent":
        unit_key, u = "per cent", u + 1
    elif unit_tok == "percentage" and u + 1 < n and toks[u + 1].low.startswith("point"):
        unit_key, u = "percentage point", u + 1
    unit_key = unit_key[:-1] if unit_key.endswith("s") and unit_key[:-1] in _MEASURE_UNITS else unit_key
    if unit_key != "magnitude" and start_i > 0 and toks[start_i - 1].low == "magnitude":
        num_start = toks[start_i - 1].start  # "a magnitude 6.1 quake"
    if unit_key == "magnitude" or (start_i > 0 and toks[start_i - 1].low == "magnitude"):
        thing, noun = _measured_thing(toks, u + 1 if unit_key == "magnitude" else j, start_i)
        end = toks[u].end if unit_key == "magnitude" else toks[j - 1].end
        return Quantity(dimension="magnitude", thing=thing or "event", value=value,
                        surface=text[num_start:end].strip(), start=num_start, end=end, qualifier=qualifier,
                        low=lo, high=hi, noun=noun), u + 1
    if unit_key in _MEASURE_UNITS:
        dim, f = _MEASURE_UNITS[unit_key]
        thing, noun = _measured_thing(toks, u + 1, start_i)
        if thing is None and not _LOOSE.get():
            return None, u + 1
        end = toks[u].end
        return Quantity(dimension=dim, thing=thing or "", value=value * f, surface=text[num_start:end].strip(),
                        start=num_start, end=end, qualifier=qualifier, low=lo * f, high=hi * f, noun=noun), u + 1
    # counts
    if _digits(toks[i]) is not None and rng is None and (1900 <= v <= 2100 and float(v).is_integer()
                                                        and "," not in toks[i].text):
        return None, j  # a year
    if _date_like(toks, i, j) or (j < n and toks[j].text in (":", "/") and not rng) or \
            (i > 0 and toks[i - 1].text in (":", "/", ".")):
        return None, j  # a date, a time of day or a score
    if j < n and toks[j].low in ("am", "pm", "a.m", "p.m", "th", "st", "nd", "rd"):
        return None, j + 1
    head, mods = _noun_phrase(toks, j, plural=(hi or v) > 1 or rng is not None)
    return _count(text, toks, start_i, j, head, lo, hi, value, qualifier, num_start=num_start, mods=mods)


# a verb of movement right before the figure: the figure is the change ("rose 3 percent"), not the level
# it reached ("rose to 5.2%", "stood at 64 percent")
_CHANGE = frozenset("rose fell climbed dropped jumped grew slid slipped".split())
_LINKING = frozenset("was is were are stood stands reached hit rose fell climbed dropped jumped to at of now".split())


def _measured_thing(toks, k, start_i) -> tuple[Optional[str], Optional[str]]:
    """What a measure is of: "2 km of road", "a 6.4-magnitude earthquake", "$2 billion in aid", or the
    noun before it: "a fine of $5 million", "a turnout of 64 percent"."""
    n = len(toks)
    b = start_i - 1
    if b >= 1 and toks[b].low in ("of", "at") and toks[b - 1].text[0].isalpha() and toks[b - 1].low not in _BOUNDARY:
        return _thing_of(toks[b - 1].text), toks[b - 1].low  # "revenue of $4.5 billion", "a turnout of 64%"
    # "turnout was 64 percent", "unemployment rose to 5.2%", "the budget stood at $3 million"
    kb = b
    while kb >= 0 and b - kb < 3 and toks[kb].low in _LINKING:
        kb -= 1
    if kb < b and kb >= 1 and toks[kb].low in ("percent", "cent", "pct", "%"):
        # "revenue rose 3 percent to $4.1 billion": the level is of what the change before it is of
        kb -= 1
        while kb >= 0 and (toks[kb].low == "per" or _digits(toks[kb]) is not None):
            kb -= 1
        while kb >= 0 and toks[kb].low in _LINKING:
            kb -= 1
    if kb < b and kb >= 0 and toks[kb].text[0].isalpha() and toks[kb].low not in _BOUNDARY \
            and not toks[kb].low.endswith("ly") and not (k < n and toks[k].low == "of"):
        if toks[b].low in _CHANGE:  # "revenue rose 3 percent": how much it moved, not what it is
            return _thing_of(toks[kb].text) + " change", toks[kb].low
        return _thing_of(toks[kb].text), toks[kb].low
    if k < n and toks[k].low in ("of", "in"):
        k += 1
        while k < n and toks[k].low in ("the", "a", "an", "its", "their", "his", "her", "all"):
            k += 1
        head, _ = _noun_phrase(toks, k, plural=True)
        if head is None:
            head, _ = _noun_phrase(toks, k, plural=False)
    else:
        head, _ = _noun_phrase(toks, k, plural=False)
    if head is not None:
        return _thing_of(toks[head].text), toks[head].low
    # the noun before: "a turnout of 64 percent", "revenue of $4.5 billion"
    b = start_i - 1
    if b >= 1 and toks[b].low in ("of", "at", "to") and toks[b - 1].text[0].isalpha() and toks[b - 1].low not in _BOUNDARY:
        return _thing_of(toks[b - 1].text), toks[b - 1].low
    return None, None


def _share(text, toks, start_i, k, pct):
    n = len(toks)
    while k < n and toks[k].low in ("the", "a", "an", "its", "their", "all"):
        k += 1
    head, _ = _noun_phrase(toks, k, plural=True)
    if head is None:
        head, _ = _noun_phrase(toks, k, plural=False)
    if head is None:
        return None, k
    start = toks[start_i].start
    end = toks[head].end
    return Quantity(dimension="percent", thing=_thing_of(toks[head].text), value=pct, surface=text[start:end],
                    start=start, end=end, low=pct, high=pct, noun=toks[head].low), head + 1


def _sentence_state(text: str) -> Optional[str]:
    """The first state a sentence reports, in a word or a phrase (for the whole a subset belongs to)."""
    for m in re.finditer(r"[A-Za-z]+", text):
        st = _STATE_OF.get(m.group(0).lower())
        if st and st != "critical":
            return st
        for rx, st in _STATE_PHRASES:
            if rx.match(text[m.start():]):
                return st
    return None


def _count(text, toks, start_i, j, head, lo, hi, value, qualifier, *, range_=None, num_start=None, mods=()):
    num_start = toks[start_i].start if num_start is None else num_start
    # the state of the people counted: after the noun, among its modifiers, or before the number
    # (a state among the modifiers describes whom the figure counts, not what happened to them:
    # "23 wounded soldiers were released" is a count of soldiers, "wounding two people" a casualty count)
    after = (head + 1) if head is not None else j
    tail = text[toks[after - 1].end:toks[after - 1].end + 120]
    # the state after an aside or a phrase: "Forty people, including six officers, were injured", "Three men working ... were killed"
    aside = re.match(r"\s*,\s*(?:including|among\s+them|among\s+whom|of\s+whom)\b[^,.;]{0,80},|\s+(?:who\s+\w+|\w+ing)\b[^,.;]{0,80}?"
                     r"(?=\s+(?:were|was|have\s+been|had\s+been)\s)", tail, re.I)
    state = _STATE_OF.get(toks[head].low) if head is not None else None  # "three deaths"
    if state is None:
        state = _state_after(toks, after)
    if state is None:
        state = next((st for rx, st in _STATE_PHRASES if rx.match(tail)), None)
    if state is None and aside:
        rest = tail[aside.end():]
        m = re.match(r"\s*(?:(?:were|was|are|is|have\s+been|had\s+been|all)\s+)*(?P<w>[A-Za-z]+)", rest)
        state = _STATE_OF.get(m.group("w").lower()) if m else None
        state = state or next((st for rx, st in _STATE_PHRASES if rx.match(rest)), None)
    # a part of a larger count ("including two firefighters", "two firefighters were among the injured")
    # is its own measure: the firefighters injured, not the injured
    sub_after = _SUBSET_AFTER.match(tail)
    if head is not None and (_SUBSET_BEFORE.search(text[max(0, num_start - 20):num_start]) or
                             (sub_after and sub_after.group("w").lower() in _STATE_OF)):
        whole = _STATE_OF.get(sub_after.group("w").lower()) if sub_after else None
        whole = whole or _sentence_state(text)
        if whole is not None and toks[head].low not in _GENERIC_PEOPLE:
            end = toks[head].end
            return Quantity(dimension="count", thing=f"{whole}:{_singular(toks[head].low)}", value=value,
                            surface=text[num_start:end].strip(), start=num_start, end=end, qualifier=qualifier,
                            low=lo, high=hi, noun=toks[head].low), j
    if state is None:
        m = _STATE_BEFORE.search(text[max(0, num_start - 60):num_start])
        if m:
            state = "killed" if m.group("toll") and "injur" not in m.group("toll").lower() else \
                _STATE_OF.get((m.group("verb") or "").lower()) or ("injured" if m.group("toll") else None)
            if m.group("verb") and m.group("verb").lower() in ("leaving", "left"):
                state = _state_after(toks, after)  # "left three dead"
    if head is None and state is None:
        return None, j
    living = head is not None and toks[head].low in _GENERIC_PEOPLE and _LIVING.match(tail)
    if state is None and not _LOOSE.get() and (toks[head].low in _GENERIC_PEOPLE and not living or value == 1):
        return None, j  # "some 4,000 people", "one worker": no measure of anything named
    noun = toks[head].low if head is not None else None
    if noun in ("others", "more") and state is not None or \
            noun and _STATE_OF.get(noun) and state == _STATE_OF[noun]:
        noun = None  # "three deaths": the noun is the state
    if head is not None and state is None:
        w = toks[head].low
        if w in _TIME or w.rstrip("s") in _TIME or w[:3] in _MONTH_ABBR:
            return None, j
        thing = "resident" if living else _thing_of(toks[head].text)
    else:
        thing = state
    end = toks[head].end if head is not None else toks[j - 1].end
    if state is not None:
        # the surface carries the state when it follows closely: "Three dead", "five workers were killed"
        for t in toks[after:after + 4]:
            if _STATE_OF.get(t.low) == state:
                end = t.end
                break
            if t.low not in _AUX:
                break
    return Quantity(dimension="count", thing=thing, value=value, surface=text[num_start:end].strip(),
                    start=num_start, end=end, qualifier=qualifier, low=lo, high=hi, noun=noun), j


# --- comparing -----------------------------------------------------------------------------------------

def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two figures for one measure can both be true: their intervals meet. Two exact durations or
    measures are read with 5% slack for rounding; exact counts are exact ("five" is not "three")."""
    (a0, a1), (b0, b1) = a.interval(), b.interval()
    exact = a.low == a.high == a.value and b.low == b.high == b.value
    slack = 0.05 if exact and a.dimension == "duration" else 0.0
    return a0 * (1 - slack) <= b1 * (1 + slack) and b0 * (1 - slack) <= a1 * (1 + slack)


def same_thing(a: str, b: str) -> bool:
    """One measured thing named two ways: the same stem, or one a compound of the other ("quake", "earthquake")."""
    if ":" in a or ":" in b:  # a part of a count ("injured:firefighter") is only ever itself
        return a == b
    return a == b or (min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a)))
