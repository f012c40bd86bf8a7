"""A phrase a written statement adds: "agreed to raise bus fares before the vote" over a sentence that says
only "agreed on a vote about parking" shares words enough to pass as a whole, but "raise bus fares" is carried
by no cited sentence. The statement is cut at its function words (prepositions, "to", conjunctions, relative
words) and punctuation; a phrase of two or more key words none of which the evidence carries is a claim the
evidence does not make. General English only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Optional

from .refer import FIRM_WORDS
from .signals import content_stems, stem

MIN_KEYS = 2  # a phrase this long with no key word carried is an added claim; one word may be a paraphrase
_PARTY = frozenset(stem(w) for w in FIRM_WORDS)  # "the company" names a party the name checks judge, no claim
_CUT = re.compile(r"[,;:()]|\s[\u2014\u2013-]\s|\b(?:to|on|in|at|for|with|before|after|by|from|over|under|about|"
                  r"against|into|during|since|until|and|but|or|nor|that|which|who|whom|whose|while|as|than|"
                  r"because|if|unless|though|although|whereas)\b", re.IGNORECASE)


def phrases(statement: str) -> list[str]:
    return [p.strip() for p in _CUT.split(statement) if p and p.strip()]


def added_phrase(statement: str, evidence: Iterable[str]) -> Optional[str]:
    """Why the statement adds a phrase no evidence text carries, or None."""
    have = {k for text in evidence for k in content_stems(text)}
    for p in phrases(statement):
        key = [k for k in dict.fromkeys(content_stems(p)) if k not in _PARTY]
        if len(key) >= MIN_KEYS and not any(k in have for k in key):
            return f"a phrase no cited sentence carries: '{p[:80]}' ({', '.join(key)[:80]})"
    return None
