"""Who did what to whom, who said it, how sure, how many, which way, and when: the checks that shared words
cannot make ("Acme sued Beta" shares every word with "Beta sued Acme").

Each check compares a statement with its evidence and returns a reason when the statement says something
the evidence does not: a reversed role, another speaker, a raised certainty, a widened quantifier, an
opposite direction, another time of day or weekday, or another count of the same thing. General English
only; nothing here knows a story.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..text.attribution import find_holder
from ..text.numbers import TENS, UNITS, numbers_in_digits
from ..text.words import STOPWORDS, topic_word
from .signals import clock_times, content_stems, split_sentences, stem, tokens

NUMBER_WORDS = {**UNITS, **TENS}  # the counts written in words ("one" .. "ninety"), from the one table

_BE = frozenset("was were is are been being be get got gets".split())


@lru_cache(maxsize=65536)
def _clauses(text: str) -> list[list[str]]:
    """Lower-cased tokens per clause (commas, semicolons and 'and'/'but' after a comma end a clause)."""
    out = []
    for sent in split_sentences(text) or [text]:
        for part in re.split(r"[;:,]\s*|\s[\u2014\u2013-]\s", sent):
            toks = [t.lower().rstrip(".") for t in tokens(part)]
            if toks:
                out.append(toks)
    return out


def _content(tok: str) -> bool:
    return topic_word(tok) and tok not in _BE and len(tok) > 1 and not tok[:1].isdigit() and tok not in NUMBER_WORDS


@lru_cache(maxsize=65536)  # read-only for callers: one sentence is read against many in the corroboration search
def _frames(text: str) -> dict[str, set[tuple[str, str]]]:
    """For each content word, the (agent, patient) pairs around it: the nearest content word before it and the
    head (last word) of the first noun run after it in its clause, swapped for a passive ("Beta Corp was sued
    by Acme" is sued: (acme, corp))."""
    out: dict[str, set[tuple[str, str]]] = {}
    for toks in _clauses(text):
        is_c = [_content(t) for t in toks]
        for i, t in enumerate(toks):
            if not is_c[i]:
                continue
            left = next((j for j in range(i - 1, -1, -1) if is_c[j]), None)
            start = next((j for j in range(i + 1, len(toks)) if is_c[j]), None)
            if left is None or start is None:
                continue
            end = start
            while end + 1 < len(toks) and is_c[end + 1]:
                end += 1
            a, p = stem(toks[left]), stem(toks[end])
            if any(x in _BE for x in toks[left + 1:i]):  # a passive: its doer only after "by"
                if "by" not in toks[i + 1:start]:
                    continue
                a, p = p, a
            if a != p:
                out.setdefault(stem(t), set()).add((a, p))
    return out


def reversed_roles(statement: str, evidence: str) -> Optional[str]:
    """'X attacked Y' over evidence that says 'Y attacked X' (and not also 'X attacked Y')."""
    s, e = _frames(statement), _frames(evidence)
    for verb, frames in s.items():
        got = e.get(verb, set())
        for a, p in frames:
            if (p, a) in got and (a, p) not in got:
                return f"roles reversed: the statement has {a} {verb} {p}, the evidence {p} {verb} {a}"
    return None


def _name_stems(holder: str) -> set[str]:
    return {stem(t.lower()) for t in tokens(holder) if t[:1].isupper() or t.lower() not in STOPWORDS}


_SAYER = re.compile(r"((?:[A-Z][\w'\u2019-]+\s+(?:(?:of|for|and)\s+(?:the\s+)?)?){0,3}[A-Z][\w'\u2019-]+),?\s+(?:also\s+)?(?:said|says|told|stated|added|"
                    r"insisted|warned|argued|claimed|wrote)\b")


def _holder(sentence: str) -> Optional[str]:
    """Who a sentence credits: attribution's reading, else the capitalised name right before a saying verb
    ("Union leader Colm Baptiste said:", "Castlegate's managing director, Ian Pryce, told")."""
    h = find_holder(sentence)
    if h:
        return h
    m = _SAYER.search(sentence)
    return m.group(1) if m else None


def _named(holder: str) -> bool:
    """A holder that names someone ("Acme", "the Fenwick Alliance"), not a description ("the company")."""
    return any(w[:1].isupper() for w in holder.split() if w.lower() not in ("the", "a", "an"))


SAYS_SHARE = 0.5  # an evidence sentence carrying half the statement's words is the one that says it


def wrong_speaker(statement: str, evidence: str) -> Optional[str]:
    """The statement credits its words to one named party, the evidence sentence that says them to another.
    A description ("the company") for a name is a reference, not another speaker."""
    hs = _holder(statement)
    if not hs or not _named(hs):
        return None
    mine = _name_stems(hs)
    key = set(content_stems(statement)) - mine
    sents = split_sentences(evidence) or [evidence]
    nearest = max(sents, key=lambda x: len(key & set(content_stems(x))))
    if len(key & set(content_stems(nearest))) < SAYS_SHARE * len(key):
        return None  # no evidence sentence says what the statement credits: not a question of who
    he = _holder(nearest)
    if not he or not _named(he) or mine & _name_stems(he):
        return None
    if mine <= {stem(t.lower()) for t in tokens(nearest)}:
        return None  # the statement's party is named where the words are said: the sentence may credit it
    return f"speaker differs: the statement credits {hs!r}, the evidence {he!r}"


# Words that make a claim less than certain; a statement without one over evidence with one has raised it.
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|possible|perhaps|likely|unlikely|probably|expected|expects?|hint(?:s|ed|ing)?|"
    r"suggest(?:s|ed|ing)?|consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|propos(?:e|es|ed|ing)|plan(?:s|ned|ning)?\s+to|"
    r"aim(?:s|ed)?\s+to|hope(?:s|d)?\s+to|seek(?:s|ing)?\s+to|intend(?:s|ed)?\s+to|signal(?:s|ed|led)?|"
    r"open\s+to|reportedly|alleged(?:ly)?|rumou?red|unconfirmed|tentative(?:ly)?|"
    r"not\s+yet\s+(?:known|clear|confirmed|decided)|unclear|uncertain|undecided|talks?\s+(?:on|about)|"
    r"discuss(?:ed|es|ing)?|explor(?:e|ed|es|ing)|can|(?:risk|threat|chance|danger|fears?)\s+of|"
    r"not\s+yet\s+decided|whether\s+to|take\s+(?:legal\s+)?advice)\b", re.IGNORECASE)


def hedges(text: str) -> int:
    return len(_HEDGE.findall(text))


_CLAUSES = re.compile(r"[;,]\s+|\s[\u2014\u2013-]\s")


def _nearest_clause(statement: str, evidence: str, breaks: re.Pattern = _CLAUSES) -> str:
    """The clause of the evidence that shares most of the statement's key words (where its claim is made)."""
    key = set(content_stems(statement))
    parts = [p for s in split_sentences(evidence) or [evidence] for p in breaks.split(s) if p]
    return max(parts, key=lambda p: len(key & set(content_stems(p))), default=evidence)


# a hedge that is a clause's own verb ("discussed the plan and agreed that ...": what was discussed is hedged,
# what was agreed is not); a modal or an adverb ("may have breached X and misled Y", "reportedly lied and
# ignored") hedges every verb after it, so only these end at an "and"/"but" before a second verb
_HEDGING_VERB = re.compile(r"(?:discuss|explor|consider|weigh|propos|hint|suggest|signal|talk)\w*"
                           r"(?:\s+(?:on|about))?", re.IGNORECASE)
_PREDICATES = re.compile(r"[;,]\s+|\s[\u2014\u2013-]\s|\s+(?:and|but)\s+(?=(?:also\s+)?[a-z]+ed\b)")
# a statement of a right or a deadline ("have six weeks to appeal", "is entitled to appeal"): over "can appeal
# within six weeks" it states the same ability, not a certainty the evidence lacks. Not "has voted to", "must"
_ABILITY = re.compile(r"\b(?:ha(?:ve|s|d)\s+(?:(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|"
                      r"twelve|fourteen|thirty|several|a\s+few)\s+(?:days|weeks|months|years|hours)|until\s+\w+)\s+"
                      r"to|(?:is|are|was|were)\s+(?:entitled|allowed|permitted|able|free)\s+to)\b", re.IGNORECASE)
_CAN = re.compile(r"\bcan\b", re.IGNORECASE)


def certainty_raised(statement: str, evidence: str) -> Optional[str]:
    """'hinted at a deal' stated as 'agreed a deal': the evidence hedges, in the clause that makes the claim,
    what the statement asserts. An ability stated as an ability ("can appeal" / "have six weeks to appeal") is
    not raised."""
    near = _nearest_clause(statement, evidence)
    found = _HEDGE.findall(near)
    if not found or hedges(statement):
        return None
    if _ABILITY.search(statement) and all(_CAN.fullmatch(h) for h in found):
        return None
    if all(_HEDGING_VERB.fullmatch(h) for h in found) and not hedges(_nearest_clause(statement, near, _PREDICATES)):
        return None
    return f"certainty raised: the evidence says {found[0]!r}, the statement asserts it"


# Quantifiers by what they claim: a statement's class the evidence does not have (where it counts or
# hedges instead: "two suppliers", "around 150 of", "thirty per cent") is a widened claim.
_QUANT = {"all": re.compile(r"\b(?:all|every|entire|whole|always|everyone|everybody|unanimous(?:ly)?|completely|"
                           r"fully|totally)\b", re.IGNORECASE),
          "most": re.compile(r"\bmost\s+of\b", re.IGNORECASE),
          "none": re.compile(r"\b(?:none|nobody|no\s+one)\b", re.IGNORECASE)}


def quantifier_widened(statement: str, evidence: str) -> Optional[str]:
    """'four of the five' stated as 'all', 'two suppliers' as 'all of the suppliers', '150 of' as 'most'."""
    for cls, rx in _QUANT.items():
        m = rx.search(statement)
        if m and not rx.search(evidence):
            return f"quantifier widened: the statement says {m.group(0)!r}, the evidence does not"
    return None


# What a figure is said to be: "fell to 5%" is not "fell by 5%", "more than 40" is not "fewer than 40".
_SLOT = {"to": "to", "by": "by", "from": "from",
         "more than": "above", "over": "above", "above": "above", "at least": "above", "exceeding": "above",
         "fewer than": "below", "less than": "below", "under": "below", "below": "below", "at most": "below",
         "up to": "below"}
_SLOT_RX = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SLOT), key=len, reverse=True)) +
                      r")\s+(?:a\s+|an\s+|the\s+|about\s+|around\s+|some\s+|roughly\s+|nearly\s+|almost\s+)?"
                      r"(\$|\u00a3|\u20ac)?(\d[\d,.]*|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) +
                      r")\b", re.IGNORECASE)


@lru_cache(maxsize=65536)  # read-only for callers
def _slots(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in _SLOT_RX.finditer(text):
        out.setdefault(m.group(3).lower().rstrip(".,"), set()).add(_SLOT[m.group(1).lower()])
    return out


_BEFORE_AFTER = re.compile(r"\b(before|after|ahead\s+of|following|prior\s+to)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|"
                           r"their\s+|its\s+)?([A-Za-z]+)", re.IGNORECASE)
_BA = {"before": "before", "ahead of": "before", "prior to": "before", "after": "after", "following": "after"}


def direction_flipped(statement: str, evidence: str) -> Optional[str]:
    """to/by/from and more/fewer around the same figure, before/after around the same event."""
    s, e = _slots(statement), _slots(evidence)
    for value, kinds in s.items():
        if value in e and not kinds & e[value]:
            return f"direction differs around {value}: the statement says {sorted(kinds)[0]}, the evidence {sorted(e[value])[0]}"
    sb = {(stem(m.group(2).lower()), _BA[re.sub(r'\s+', ' ', m.group(1).lower())]) for m in _BEFORE_AFTER.finditer(statement)}
    eb = {(stem(m.group(2).lower()), _BA[re.sub(r'\s+', ' ', m.group(1).lower())]) for m in _BEFORE_AFTER.finditer(evidence)}
    for what, way in sb:
        other = "after" if way == "before" else "before"
        if (what, other) in eb and (what, way) not in eb:
            return f"order differs: the statement says {way} {what}, the evidence {other}"
    return None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def time_differs(statement: str, evidence: str) -> Optional[str]:
    """9 a.m. over 9 p.m., or over evidence that gives no time of day ("early on Wednesday": the statement says
    more than it); Thursday over evidence that names another weekday and not this one."""
    ec = clock_times(evidence)
    for t, said in clock_times(statement).items():
        if t not in ec:
            return (f"time differs: the statement says {said}" if ec else
                    f"time missing: the statement says {said}, the evidence gives no time")
    sw = {w.lower() for w in _WEEKDAY.findall(statement)}
    ew = {w.lower() for w in _WEEKDAY.findall(evidence)}
    if sw and ew and not sw & ew:
        return f"day differs: the statement says {sorted(sw)[0].title()}, the evidence {sorted(ew)[0].title()}"
    return None


_COUNT_WORD = dict(NUMBER_WORDS)


_COUNTED = re.compile(r"(?<![\w.-])(\d+|" + "|".join(w for w in sorted(_COUNT_WORD, key=len, reverse=True)
                      if _COUNT_WORD[w] is not None) + r")\s+([A-Za-z][a-z]+)\b", re.IGNORECASE)
_NOT_COUNTED = frozenset("of another more hundred thousand million billion percent per".split())
_SCALE = frozenset("hundred thousand million billion half third fourth fifth tenth".split())


_NUMERAL = r"(?<![\w.-])(\d+|" + "|".join(w for w in sorted(_COUNT_WORD, key=len, reverse=True) if _COUNT_WORD[w] is not None) + ")"
# "four of the five unions": four unions as much as five
_PART_OF = re.compile(rf"(?<![\w.-]){_NUMERAL}\s+of\s+(?:the|their|its|these|those|our)\s+{_NUMERAL}\s+([A-Za-z][a-z]+)",
                      re.IGNORECASE)


def _value(word: str) -> float:
    return float(word) if word.isdigit() else float(_COUNT_WORD[word.lower()])


@lru_cache(maxsize=65536)  # read-only for callers
def _counts(text: str) -> dict[str, set[float]]:
    """What is counted -> the counts given for it: 'one ship' -> {ship: {1}}, '9 ships' -> {ship: {9}},
    'four of the five unions' -> {union: {4, 5}}."""
    out: dict[str, set[float]] = {}
    text = numbers_in_digits(text)  # "four hundred and fifty nurses" counts 450 nurses, not fifty
    for m in _PART_OF.finditer(text):
        if m.group(1).lower() not in _SCALE:
            out.setdefault(stem(m.group(3).lower()), set()).add(_value(m.group(1)))
    for m in _COUNTED.finditer(text):
        word, nxt = m.group(1).lower(), m.group(2).lower()
        if word in _SCALE or nxt in _NOT_COUNTED or not _content(nxt):
            continue
        v = float(word) if word.isdigit() else float(_COUNT_WORD[word])
        out.setdefault(stem(nxt), set()).add(v)
    return out


def count_differs(statement: str, evidence: str) -> Optional[str]:
    """'one ship' over '9 ships' (the rules' figures leave 'one' out: 'one of the' is rarely a figure). Only a
    count the evidence gives nowhere: the same thing may be counted in several scopes (170 this year, 870 in all)."""
    s, e = _counts(statement), _counts(evidence)
    given = {_value(m.group(1)) for m in re.finditer(_NUMERAL + r"\b", numbers_in_digits(evidence), re.IGNORECASE)}
    for thing, vals in s.items():
        if thing in e and not vals & e[thing] and not vals & given:
            return f"count differs: {thing}: the statement says {sorted(vals)[0]:g}, the evidence {sorted(e[thing])[0]:g}"
    return None


# The checks that decide alone (exact: a role, a speaker, a time, a direction, a count); certainty and
# quantifier are read by the learned decision and the rules' own verdict, never as a veto in front of a model.
VETOES = (("roles", reversed_roles), ("speaker", wrong_speaker), ("time", time_differs),
          ("direction", direction_flipped), ("count", count_differs))
SOFT = (("certainty", certainty_raised), ("quantifier", quantifier_widened))


def meaning_problems(statement: str, evidence: str) -> dict[str, str]:
    """Every check's reason, by name, for the checks that fire."""
    out = {}
    for name, check in VETOES + SOFT:
        r = check(statement, evidence)
        if r:
            out[name] = r
    return out


def key_overlap(statement: str, evidence: str) -> float:
    key = set(content_stems(statement))
    return len(key & set(content_stems(evidence))) / len(key) if key else 0.0
