"""Stated absences: a sentence saying something was not said, not disclosed or is not known ("The council has
not said how much ...", "It is unclear when ..."), and what it says is missing. One home for the cue, read
by the sections (Things unsaid) and by the ground stage (the same absence in other words)."""
from __future__ import annotations

import re
from typing import Optional

from .lexical import content_terms

_DISCLOSE = (r"(?:say|said|disclose[sd]?|reveal(?:ed)?|explain(?:ed)?|specif(?:y|ied)|comment(?:ed)?|confirm(?:ed)?|"
             r"release[sd]?|announce[sd]?|name[sd]?|identif(?:y|ied)|respond(?:ed)?|provide[sd]?|"
             # "has not given a date", not "doesn't give anyone their money back"
             r"give[n]?\s+(?!(?:anyone|anybody|people|them|us|him|her|customers)\b)(?:[\w'\u2019-]+\s+){0,2}?"
             r"(?:details?|figures?|date|estimate|explanation|timeline|timetable|indication|reason|breakdown|number|"
             r"information|answer|account|cause|name|forecast|guidance|update|assurance)|"
             r"detail(?:ed)?|address(?:ed)?|indicate[sd]?|mention(?:ed)?|include[sd]?|publish(?:ed)?|"
             r"made\s+public|make\s+public|elaborate[sd]?|discuss(?:ed)?|set|offer(?:ed)?|put\s+a\s+figure)")
# what a source can withhold, named as a noun ("gave no figure", "no timetable has been given")
_WITHHELD = (r"(?:details?|figures?|estimate|explanation|timeline|timetable|date|indication|forecast|reason|word|"
             r"comment|breakdown|number|update|guidance)")
STATED_ABSENCE = re.compile(
    r"\b(?:(?:has|have|had)(?:\s+not|n['\u2019]t)\s+(?:yet\s+)?(?:been\s+)?" + _DISCLOSE +
    r"|(?:has|have|had)\s+yet\s+to\s+(?:be\s+)?" + _DISCLOSE +
    r"|(?:nobody|no\s+one|no-one|neither\b[^.;]{0,80}?)\s+(?:has|have|had)\s+(?:yet\s+)?(?:been\s+)?" + _DISCLOSE +
    r"|(?:did|does|do)(?:\s+not|n['\u2019]t)\s+" + _DISCLOSE +
    r"|(?:declined|refused|would\s+not|wouldn['\u2019]t|could\s+not|couldn['\u2019]t|was\s+unable|were\s+unable)\s+to\s+"
    + _DISCLOSE +
    r"|(?:is|are|was|were)\s+not\s+(?:yet\s+)?(?:mentioned|discussed|addressed|disclosed|released|identified|named|"
    r"known|told|made\s+public)"
    r"|no\s+mention\s+of|made\s+no\s+mention|makes\s+no\s+mention|without\s+(?:any\s+)?mention"
    r"|(?:gave|give|gives|given|offered|provided|published|released)\s+no\s+" + _WITHHELD +
    # "no figure has been given for its legal costs", "no date has yet been set"
    r"|\bno\s+" + _WITHHELD + r"\s+(?:has|have|had)\s+(?:yet\s+)?been\s+(?:given|released|published|set|disclosed|"
    r"announced|provided|made\s+public|put\s+forward)"
    r"|not\s+yet\s+(?:known|clear|been\s+\w+)|(?:it\s+(?:is|was|remains|remained)|remains|remained)\s+"
    r"(?:unclear|not\s+clear|unknown|not\s+known)"
    r"|omit(?:ted|ting|s)\b|without\s+(?:mentioning|saying|naming|specifying|addressing)|silent\s+on|no\s+word\s+(?:yet\s+)?on"
    r"|never\s+(?:told|said|mentioned|explained|disclosed)|(?:were|was)\s+never\s+told|stopped\s+short\s+of"
    r"|notable\s+by\s+(?:its|their)\s+absence|absent\s+from)",
    re.IGNORECASE)


# a non-restrictive relative clause is background to the sentence's claim: "X, who has in the past declined
# to discuss it, this time gave a date" states something present
_RELATIVE = re.compile(r",\s+(?:who|which|whose)\b[^,]*,")


def stated_absence(statement: str) -> bool:
    """The sentence says something was not said, not disclosed or is not known (in its main clause)."""
    return bool(STATED_ABSENCE.search(_RELATIVE.sub(",", statement)))


def absent_part(statement: str) -> Optional[str]:
    """What a stated absence says is missing, the cue around it left out ("It was unclear when residents
    could return home" -> "when residents could return home"), or None when no cue or little follows it."""
    text = _RELATIVE.sub(",", " ".join(statement.split()))
    m = STATED_ABSENCE.search(text)
    if not m:
        return None
    end = m.end() + len(re.match(r"\w*", text[m.end():]).group())  # "has given", not "has give" + "n"
    rest = text[end:].strip(" ,.;:")
    return rest if len(re.findall(r"[A-Za-z]{3,}", rest)) >= 3 else None


_QUESTION = re.compile(r"^(how\s+(?:much|many|long|far)|when|whether|if|how|who|whom|whose|what|why|where|which)\b",
                       re.IGNORECASE)


def same_question(a: str, b: str) -> bool:
    """Whether two absent parts ask the same kind of thing: "when demolition will begin" and "whether tenants
    will be rehoused" are two absences however many words they share; "if" is "whether"."""
    qa, qb = (_QUESTION.match(x.strip()) for x in (a, b))
    if not qa or not qb:
        return True
    norm = {"if": "whether", "whom": "who"}
    ka, kb = (" ".join(q.group(1).lower().split()) for q in (qa, qb))
    return norm.get(ka, ka) == norm.get(kb, kb)


_NOT_A_NAME = frozenset("the it there a an its their this that these those neither nobody no none".split())


def _withholder(statement: str) -> tuple[set[str], set[str]]:
    """The names before the cue (who has not said it) and every word there, lower-cased."""
    text = _RELATIVE.sub(",", " ".join(statement.split()))
    m = STATED_ABSENCE.search(text)
    frame = text[:m.start()] if m else text
    words = {w.lower() for w in re.findall(r"[\w&'\u2019-]+", frame)}
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w&'\u2019-]*", frame)} - _NOT_A_NAME
    return names, words


_EVERYONE = frozenset({"nobody", "neither", "none", "no-one"})
_FRAME_FILLER = frozenset("the a an it there is was are were has have had not yet been its their this that "
                          "no one so far still".split())


def same_withholder(a: str, b: str) -> bool:
    """Whether two absences name no different withholders: "Harlow & Finch has not said" is not "The company
    has not said" read alone (the ground stage reads a span with its source's names first), nor is "The council
    has not said" "The port authority has not said"; "Nobody has" and "Neither X nor Y has" cover anyone."""
    (na, wa), (nb, wb) = _withholder(a), _withholder(b)
    if not (na <= wb and nb <= wa):
        return False
    if wa & _EVERYONE or wb & _EVERYONE or {"no", "one"} <= wa or {"no", "one"} <= wb:
        return True
    ca, cb = wa - _FRAME_FILLER, wb - _FRAME_FILLER
    return not ca or not cb or bool(ca & cb)


# where a sentence joins a second absence to its first: "has given no timetable for X, and no figure has been given
# for Y"
_JOIN = re.compile(r",\s*(?:and|but)\s+|;\s*")


def absence_clauses(statement: str) -> list[str]:
    """The stated absences a sentence joins, each its own clause ("The authority has given no timetable for a
    fresh decision", "no figure has been given for its legal costs"); the sentence whole when it states one."""
    pieces = [p for p in _JOIN.split(" ".join(statement.split())) if p.strip()]
    cued = [p for p in pieces if STATED_ABSENCE.search(p)]
    return cued if len(cued) > 1 else [statement]


def comparable_absences(a: str, b: str) -> Optional[tuple[str, str]]:
    """What two stated absences each say is missing, when they ask the same question of no different
    withholder (so the two parts may be judged as one fact); None otherwise or when either is no absence. A
    sentence joining two absences is read clause by clause, the pair sharing the most words first."""
    best, shared = None, -1
    for ca in absence_clauses(a):
        for cb in absence_clauses(b):
            pa, pb = absent_part(ca), absent_part(cb)
            if pa and pb and same_question(pa, pb) and same_withholder(ca, cb):
                n = len(set(content_terms(pa)) & set(content_terms(pb)))
                if n > shared:
                    best, shared = (pa, pb), n
    return best
