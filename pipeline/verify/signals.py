"""The signals the support check reads in a text: stems, figures, names, negations, opposite words."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Callable, Optional, Sequence

from ..text.numbers import SCALES, abbr_scale, compound_value, is_number_word, word_value
from ..text.sentences import split_sentences  # noqa: F401  (ground/ reads the word tools from here)
from ..text.words import CLAUSE_OPENERS, RELATIONAL, SUBJECT_OPENERS, stem, topic_word

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:[.'\u2019][A-Za-z]+)*\.?|\d+(?:[.,]\d+)*%?")

_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})  # the tokenizer cuts "3rd" into "3" and "rd"
_MONEY = re.compile(r"(?:US\$|[$€£¥₹])\s?(\d+(?:[.,]\d+)*)")
_MULT = {w: float(v) for w, v in SCALES.items()}

# Words that deny what follows them ("did not", "refused to", "denied").
NEGATION = frozenset("""not no never none nobody nothing neither nor cannot n't refuse refused refuses
refusing deny denied denies denying fail failed fails reject rejected rejects""".split())


# Cached, like the readings below: the corroboration search reads one sentence against hundreds of others.
@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.replace("\u2019", "'")))


@lru_cache(maxsize=65536)
def word_stems(text: str) -> frozenset[str]:
    """The stems of every word of the text (names and function words too): where a name may be found."""
    return frozenset(stem(t.lower().rstrip(".")) for t in tokens(text))


def _split_contraction(toks: Sequence[str]) -> list[str]:
    out = []
    for t in toks:
        lt = t.lower()
        if lt.endswith("n't"):
            out.extend([t[:-3], "n't"])
        else:
            out.append(t)
    return out


# a time of day: "6.10am", "11.40 p.m.", "6 a.m.", and 24-hour "23:40" / "02:00"; its digits are a time
# (`clock_times`, compared by the time check), never figures: "23:40" is not 23 and 40
CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\b\.?", re.IGNORECASE)
CLOCK24 = re.compile(r"(?<![\d.:,])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")


def clock_times(text: str) -> dict[tuple[int, int], str]:
    """Every time of day the text gives, as (hour 0-23, minute) -> as written: "11.40 p.m." and "23:40" are one."""
    out: dict[tuple[int, int], str] = {}
    for m in CLOCK.finditer(text):
        h, mins, ap = int(m.group(1)), int(m.group(2) or 0), m.group(3).lower()
        out.setdefault((h % 12 + (12 if ap == "p" else 0), mins), m.group().strip())
    for m in CLOCK24.finditer(CLOCK.sub(" ", text)):
        out.setdefault((int(m.group(1)), int(m.group(2))), m.group())
    return out


# Cached: the ground stage asks for one statement's figures and stems once per cited span. Callers only read them.
@lru_cache(maxsize=16384)
def figures(text: str) -> dict[float, str]:
    """Every number the text states, digits or words ("three", "3", "2.5 million", "a third"): value -> as written.
    Ranks ("third", "3rd") and times of day ("11.40 p.m.", "23:40") are not figures."""
    out: dict[float, str] = {}
    money = {m.group(1) for m in _MONEY.finditer(text)}
    raw = tokens(CLOCK24.sub(" ", CLOCK.sub(" ", text)))
    toks = [t.lower().rstrip(".") for t in raw]
    skip = 0
    for i, t in enumerate(toks):
        if i < skip:
            continue  # a word of the compound number read before ("hundred and fifty")
        v: Optional[float] = None
        core = t.rstrip("%")
        compound = compound_value(toks, i)
        if compound is not None:
            skip = compound[1]
            out.setdefault(compound[0], " ".join(raw[i:skip]))
            continue
        if _ORDINAL.match(core) or core.isdigit() and i + 1 < len(toks) and toks[i + 1] in _ORDINAL_SUFFIX:
            continue  # "3rd", like "third": a rank, never the figure 3
        if re.fullmatch(r"\d+(?:[.,]\d+)*", core):
            v = _parse_digits(core)
        elif core not in _MULT:
            read = word_value(toks, i)
            v = read[0] if read else None
        if v is None:
            if core in _MULT and (i == 0 or word_value(toks, i - 1) is None and not toks[i - 1][:1].isdigit()):
                out.setdefault(_MULT[core], raw[i])
            continue
        surface = raw[i]
        scale = abbr_scale(toks[i + 1], money=raw[i] in money, next_word=toks[i + 2] if i + 2 < len(toks) else None) \
            if i + 1 < len(toks) else None
        if scale is not None:
            v *= scale
            surface += raw[i + 1]
        elif i + 1 < len(toks) and toks[i + 1] in _MULT:
            v *= _MULT[toks[i + 1]]
            surface += " " + raw[i + 1]
        out.setdefault(v, surface)
    return out


def _parse_digits(core: str) -> Optional[float]:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", core):  # "1,025" is a thousand and twenty-five
        core = core.replace(",", "")
    try:
        return float(core.replace(",", "."))
    except ValueError:  # "1.836.18": not one number; compare it as written
        return float(int(hashlib.sha256(core.encode()).hexdigest()[:12], 16)) + 0.5


def is_year(v: float) -> bool:
    return v == int(v) and 1900 <= v <= 2100


def same_figure(a: float, b: float) -> bool:
    """Exact for counts ("three" is not "four"); a rounded amount ("$5bn" for "$4.9bn") is the same figure."""
    if a == b:
        return True
    if max(abs(a), abs(b)) >= 1e6 or a != int(a) or b != int(b):
        return abs(a - b) <= 0.03 * max(abs(a), abs(b))
    return False


@lru_cache(maxsize=16384)
def content_stems(text: str) -> list[str]:
    out = []
    for t in _split_contraction(tokens(text)):
        lt = t.lower().rstrip(".")
        if not topic_word(lt) or lt in NEGATION or is_number_word(lt):
            continue
        if len(lt) < 2 or lt[:1].isdigit():
            continue
        out.append(stem(lt))
    return out


@lru_cache(maxsize=16384)
def relational_stems(text: str) -> frozenset[str]:
    """Stems of the text's relational words ("more", "before", "up"): left out of content_stems, so they
    never count as key words to cover, but read by the opposite-word check ("more" vs "fewer")."""
    return frozenset(stem(lt) for lt in (t.lower().rstrip(".") for t in tokens(text)) if lt in RELATIONAL)


# A weekday stands for a date: "on Wednesday" is not missing from "on March 19" (figures check the date).
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_DATED = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


def has_date(text: str) -> bool:
    return bool(_DATED.search(text))


@lru_cache(maxsize=65536)
def names(text: str) -> tuple[str, ...]:
    """Capitalised words that are not the first of a sentence: a cheap named-entity signal, stemmed."""
    out = []
    toks = tokens(text)
    for i, t in enumerate(toks):
        lt = t.lower().rstrip(".")
        if not t[:1].isupper() or not topic_word(lt) or is_number_word(lt) or lt in NEGATION:
            continue
        if i == 0 or toks[i - 1].endswith((".", "!", "?")) and len(toks[i - 1]) > 3:
            continue
        out.append(stem(lt))
    return tuple(dict.fromkeys(out))


NEG_SCOPE = 4  # content words after a negation that it is taken to deny
_CLAUSE_TOKEN = re.compile(_TOKEN.pattern + r"|[,;:]")


def _clause_tokens(text: str) -> list[str]:
    """tokens(), with the commas, semicolons and colons that end a clause kept as tokens of their own."""
    return _CLAUSE_TOKEN.findall(text.replace("\u2019", "'"))


def _clause_ends(toks: Sequence[str], j: int) -> bool:
    """Whether token j ends the clause a negation denies: a comma or semicolon, a conjunction that opens a
    clause of its own, or "and"/"but" before a new subject ("never got near the taps and that supplies
    ...", "had not been affected and its works were running")."""
    u = toks[j].lower()
    if u in {",", ";"} or u in CLAUSE_OPENERS:
        return True
    return u in {"and", "but"} and j + 1 < len(toks) and toks[j + 1].lower() in SUBJECT_OPENERS


def _denied_words(toks: Sequence[str], start: int, ends: Callable[[Sequence[str], int], bool]) -> set[str]:
    """The stems of the content words a denial at toks[start - 1] denies: up to NEG_SCOPE of them, to the next
    negation or where `ends` says its clause ends."""
    scope: set[str] = set()
    for j in range(start, len(toks)):
        lu = toks[j].lower().rstrip(".")
        if lu in NEGATION or ends(toks, j) or len(scope) >= NEG_SCOPE:
            break
        if topic_word(lu) and len(lu) > 1 and not lu[:1].isdigit():
            scope.add(stem(lu))
    return scope


@lru_cache(maxsize=65536)
def negated(text: str) -> tuple[frozenset[str], ...]:
    """For each negation in the text, the stems of the content words it denies ("did not get the balance
    right" -> {get, balanc, right}); a denial ends at its clause ("did not say what it would cost, though
    Okafor put it at $4mn" denies no Okafor)."""
    toks = _split_contraction(_clause_tokens(text))
    out = []
    for i, t in enumerate(toks):
        if t.lower() not in NEGATION:
            continue
        scope = _denied_words(toks, i + 1, _clause_ends)
        if t.lower() not in {"not", "no", "never", "n't", "cannot", "without", "nor", "neither", "none"}:
            scope.add(stem(t.lower()))  # "refused", "denied": the verb is part of what is said
        out.append(frozenset(scope))
    return tuple(out)


def _heads(text: str) -> list[Optional[str]]:
    """The first content word each negation denies ("never-before-seen" -> "seen")."""
    toks = _split_contraction(tokens(text))
    out = []
    for i, t in enumerate(toks):
        if t.lower() in NEGATION:
            nxt = [stem(u.lower()) for u in toks[i + 1:i + 6] if topic_word(u.lower()) and len(u) > 1]
            out.append(nxt[0] if nxt else None)
    return out


# A denial said without a negation word: "stopped short of a full merger", "ruled out a sale", "turned
# down the offer". Read only to back a statement's own "not" ("..., but not the full merger"), never as a veto.
_DENIAL = re.compile(r"\b(?:stopp(?:ed|ing)|stops|stop|f(?:e|a)ll(?:s|ing)?)\s+short\s+of|"
                     r"\bruled?\s+out|\bruling\s+out|\bturn(?:ed|s|ing)?\s+down|\bheld\s+off(?:\s+on)?|"
                     r"\bbalk(?:ed|s|ing)?\s+at|\bdeclin(?:ed|es|ing)\s+to|\bwithout", re.IGNORECASE)


def denied_in_other_words(text: str) -> list[set[str]]:
    """For each denial phrase in the text, the stems of the content words it denies (as `negated` reads
    "not"): "stopped short of a full merger" -> {full, merger}."""
    out = []
    for m in _DENIAL.finditer(text):
        scope = _denied_words(_split_contraction(_clause_tokens(text[m.end():m.end() + 200])), 0,
                              lambda toks, j: toks[j] in {",", ";"})
        if scope:
            out.append(scope)
    return out


NEG_OVERLAP = 2


def negation_problem(statement: str, evidence: str, context: str) -> Optional[str]:
    """A negation the statement adds (no negation in the sources about the same words), or one it drops."""
    s_neg, e_neg = negated(statement), negated(context)
    e_neg = (*e_neg, *denied_in_other_words(context))  # "stopped short of a full merger" denies as "not" does
    for sc, head in zip(s_neg, _heads(statement)):
        if sc and not any(head in ec or len(sc & ec) >= min(NEG_OVERLAP, len(sc)) for ec in e_neg):
            return "negation differs: the statement denies what the evidence does not"
    key = set(content_stems(statement))
    # evidence of several sentences may deny one thing and assert the statement in another ("pleaded not
    # guilty to murder ... pleaded guilty to manslaughter"): a denial counts only when no sentence without
    # one carries at least as much of the statement
    plain = [len(key & set(content_stems(s))) for s in split_sentences(evidence) if not negated(s)]
    for ec in negated(evidence):
        if len(ec & key) >= 2 and not any(ec & sc for sc in s_neg) and max(plain, default=0) < len(ec & key):
            return "negation differs: the evidence denies what the statement asserts"
    return None


_NAME_RUN = r"(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}"
# "..., said the Acme board", "according to Acme's filing", "Acme said": who reports a fact is not the fact
_ATTRIBUTION = re.compile(
    rf"(?:\b(?:according\s+to|said|says|told)\s+{_NAME_RUN}(?:['\u2019]s\s+\w+)?"
    rf"|{_NAME_RUN}(?:['\u2019]s\s+\w+)?\s+(?:said|says|stated|added|noted|reported|announced)\b)")


def unattributed(text: str) -> str:
    """The text without its attribution phrases, so a source that reports the same fact without naming
    who announced it still carries the fact's own names."""
    return _ATTRIBUTION.sub(" ", text)


_MONTHS = frozenset(stem(m) for m in """january february march april may june july august september october
november december""".split())
# A subject that stands for parties the article has named: "both leaders", "the two sides", "the parties".
_PARTIES_AS_SUBJECT = re.compile(r"\b(?:both|the\s+two|the)\s+(?:leaders|sides|parties|governments|countries|"
                                 r"companies|firms|unions|men|women|camps|delegations|presidents|ministers)\b", re.I)


def names_no_one(evidence: str) -> bool:
    """Whether evidence names no actor at all (no capitalised word past a sentence's first, attribution
    aside) and refers to the parties as a group instead ("Following two hours of talks, both leaders agreed
    to suspend attacks for 30 days"): it leaves their names to its article, so a name the statement gives
    is not missing from it; what it says is still judged. A sentence that names no one and no parties
    ("The 17 injured include two firefighters") keeps the names check."""
    actors = [n for n in names(unattributed(evidence)) if n not in WEEKDAYS and n not in _MONTHS]
    return bool(_PARTIES_AS_SUBJECT.search(evidence)) and not actors


def name_found(name: str, have: set[str]) -> bool:
    if name in have:
        return True
    # "Chinese"/"China", "Iranian"/"Iran": a demonym shares all but the end of the place's name
    for h in have:
        if h[:1] == name[:1] and min(len(h), len(name)) >= 4:
            p = 0
            while p < min(len(h), len(name)) and h[p] == name[p]:
                p += 1
            if p >= max(4, min(len(h), len(name)) - 1):
                return True
    return False


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


# Pairs of words that say opposite things; general English, so it holds for any story.
_OPPOSITES = [tuple(p.split("/")) for p in """increase/decrease increase/reduce increase/cut
rise/drop rise/fall rose/fell risen/fallen raise/lower raise/cut grow/shrink gain/loss gain/lose win/lose
won/lost won/lose win/lost higher/lower more/fewer
more/less most/least larger/smaller large/small big/small biggest/smallest largest/smallest major/minor
long/short longer/shorter high/low early/late earlier/later before/after first/last begin/end start/end
start/stop open/close open/shut opened/closed accept/reject accept/refuse approve/reject allow/ban allow/prohibit
allow/forbid permit/ban support/oppose agree/disagree confirm/deny guilty/innocent legal/illegal alive/dead
success/failure succeed/fail true/false right/wrong strong/weak positive/negative public/private rich/poor
old/new old/young ancient/modern recent/distant past/future strengthen/weaken expand/contract up/down
inside/outside internal/external domestic/foreign north/south east/west northern/southern eastern/western
mandatory/voluntary military/civilian military/commercial full/empty male/female man/woman men/women
buy/sell bought/sold import/export arrive/depart enter/leave hire/fire join/leave include/exclude
maximum/minimum above/below over/under ahead/behind best/worst better/worse good/bad cheap/expensive
safe/dangerous easy/difficult hot/cold warm/cold wet/dry light/heavy light/dark fast/slow quick/slow
decline/increase decline/rise drop/rise drop/surge tumble/surge
ahead/backward forward/backward remove/install remove/keep delete/keep
love/hate praise/criticise praise/criticize attack/defend release/detain release/arrest peace/war
""".split()]
OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    OPPOSITE.setdefault(stem(_a), set()).add(stem(_b))
    OPPOSITE.setdefault(stem(_b), set()).add(stem(_a))
_NEG_PREFIX = ("un", "non", "dis")


def opposed(word: str, evidence: set[str]) -> Optional[str]:
    """An evidence word that says the opposite of `word` ("won" vs "lost", "controlled" vs "uncontrolled")."""
    for o in OPPOSITE.get(word, ()):
        if o in evidence:
            return o
    for p in _NEG_PREFIX:
        if word.startswith(p) and len(word) - len(p) >= 4 and word[len(p):] in evidence:
            return word[len(p):]
        if p + word in evidence:
            return p + word
    return None
