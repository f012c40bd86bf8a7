"""A sentence's main clause: what it says before the first clause it hangs on itself (", directing the
military to comply", ", with all four voting against", ", ending a two-year battle", "; ...", " but ...").

Outlets tell one fact with different details around it; a source that states the main clause of another's
sentence corroborates that fact even when it leaves the trailing details out. The corroboration search
(sections/corroborate) asks the verifier about this clause, and the ground stage (ground/check) accepts a
span that supports it, so both read the same clause.
"""
from __future__ import annotations

import re
from typing import Optional

# where a trailing clause starts: a comma before a participle or a linking word, a semicolon, a colon, a
# dash, or a "but" before a verb ("... agreed on X but stopped short of Y"; not "a crucial but fragile")
_TAIL = re.compile(r",\s+(?=(?:[a-z]+ing|[a-z]+ed\s+by|with|along|while|whereas|although|though|which|who|including|plus|"
                   r"and|but|as|after|before|amid|despite|according|adding|saying)\b)|;\s+|:\s+|\s[\u2014\u2013]\s|"
                   r"\s+(?=but\s+(?:also\s+|not\s+|still\s+)?(?:[a-z]+ed|did|was|were|is|are|has|have|had|would|"
                   r"could|will|said|says|remains?|made|took|gave|kept|left|held|fell|rose|won|lost)\b)")
# where a sentence joins a claim of its own to the first ("..., and the mayor welcomed the vote"): the embed
# verifier judges each such clause apart, and an agreement is shown in a telling whose sources carry them
JOINED = re.compile(r",\s+(?:and|but|while|whereas|although|adding|saying|which)\s+|;\s+|\s[\u2014\u2013]\s")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+|\d+")
MIN_WORDS = 6  # a shorter opening ("In a call Tuesday") is a lead-in, not a claim
MIN_CONTENT = 3  # ... and it must carry this many words that are not stop words


def main_clause(sentence: str, stopwords: frozenset[str] = frozenset()) -> Optional[str]:
    """The sentence up to its first trailing clause, when that part is a claim of its own (MIN_WORDS words,
    MIN_CONTENT of them not in `stopwords`) and something follows it; else None."""
    s = sentence.strip()
    for m in _TAIL.finditer(s):
        head = s[:m.start()].strip()
        words = _WORD.findall(head)
        if len(words) < MIN_WORDS:
            continue  # a lead-in ("In a call Tuesday,"): the clause goes on past it
        if sum(w.lower() not in stopwords for w in words) < MIN_CONTENT:
            continue
        rest = s[m.end():].strip()
        if len(_WORD.findall(rest)) < 2:
            return None
        return head.rstrip(",;:") + "."
    return None
