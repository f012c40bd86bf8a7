"""Two checks on a statement the model wrote, against the sentences it cites, that word overlap cannot make:
who said it (a quote one party gave, credited to another) and who did what to whom (the same two parties on
either side of the same verb, swapped). Exact signals, so they veto whatever the verifier scored; they stand
here until the verifier's rules carry them for every backend (issue 19)."""
from __future__ import annotations

import re
from typing import Optional

from ..text.attribution import find_holder
from ..text.lexical import content_terms

_NAME = re.compile(r"(?<![\w'\u2019])[A-Z][\w.&\u2019'-]*(?:\s+[A-Z][\w.&\u2019'-]*)*")
_NOT_NAMES = {"The", "A", "An", "On", "In", "At", "But", "And", "After", "Before", "When", "While", "Its", "His",
              "Her", "Their", "This", "That", "It", "He", "She", "They", "According", "As", "For", "By", "With"}
_POSSESSIVE = re.compile(r"['\u2019]s$")
MAX_BETWEEN = 4  # content words between two names for them to be one relation's two ends
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\b[^.]*\bby\b", re.I)


def _names(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if words:
            name = _POSSESSIVE.sub("", " ".join(words).rstrip("."))
            out.append((name, m.start(), m.end()))
    return out


def _tokens(name: str) -> set[str]:
    return {w.lower().strip(".,") for w in name.split() if w[:1].isupper() or len(w) > 3} - {"the"}


def _same_party(a: str, b: str) -> bool:
    """Names of one party: a shared word, or a shared start of five letters (a country and its adjective)."""
    ta, tb = _tokens(a), _tokens(b)
    stems = lambda ts: {t[:5] for t in ts if len(t) >= 5}  # noqa: E731
    return bool(ta & tb) or bool(stems(ta) & stems(tb)) or a.lower() == b.lower()


def _near(party: str, holder: str, quotes: list[str], chars: int = 60) -> bool:
    """The party named right beside the holder ("the union's general secretary, Colm Baptiste"): the holder
    speaks for it."""
    want = _tokens(party)
    for q in quotes:
        at = q.find(holder)
        if at >= 0:
            around = q[max(0, at - chars):at + len(holder) + chars].lower()
            if any(re.search(rf"\b{re.escape(t)}\b", around) for t in want):
                return True
    return False


def speaker_problem(statement: str, quotes: list[str]) -> Optional[str]:
    said_by = find_holder(statement)
    if not said_by:
        return None
    holders = [h for h in (find_holder(q) for q in quotes) if h]
    if holders and not any(_same_party(said_by, h) or _near(said_by, h, quotes) for h in holders):
        return f"wrong speaker: the statement credits {said_by}, the sources {', '.join(dict.fromkeys(holders))}"
    if not holders and not any(_same_party(said_by, w) for q in quotes for w in re.findall(r"[\w'\u2019-]+", q)):
        return f"wrong speaker: {said_by} is not named in the cited sentences"
    return None


def _between(text: str, a: tuple[str, int, int], b: tuple[str, int, int]) -> str:
    return text[a[2]:b[1]]


def roles_problem(statement: str, quotes: list[str]) -> Optional[str]:
    names = _names(statement)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _same_party(a[0], b[0]):
                continue
            verb = set(content_terms(_between(statement, a, b)))
            if not verb or len(verb) > MAX_BETWEEN:  # a direct "A <verb> B", not two names far apart
                continue
            passive_s = bool(_PASSIVE.search(_between(statement, a, b)))
            same = reversed_ = False
            for q in quotes:
                qa = [n for n in _names(q) if _same_party(n[0], a[0])]
                qb = [n for n in _names(q) if _same_party(n[0], b[0])]
                if not qa or not qb:
                    continue
                first, second = (qa[0], qb[0]) if qa[0][1] < qb[0][1] else (qb[0], qa[0])
                mid = _between(q, first, second)
                if not verb & set(content_terms(mid)) or len(set(content_terms(mid))) > MAX_BETWEEN + 2:
                    continue
                # the same order in the same voice, or the other order in the other voice, is the same roles
                if (first is qa[0]) == (passive_s == bool(_PASSIVE.search(mid))):
                    same = True
                else:
                    reversed_ = True
            if reversed_ and not same:  # no cited sentence has them this way round, one has them swapped
                return f"roles reversed: the statement has {a[0]} before {b[0]}, the source the other way round"
    return None


def role_problem(statement: str, quotes: list[str]) -> Optional[str]:
    """Why the statement misstates who said or did it, or None."""
    return speaker_problem(statement, quotes) or roles_problem(statement, quotes)
