"""Words as the offline engine compares them: tokens, content terms (stemmer and stop words: words.py)."""
from __future__ import annotations

import re

from .numbers import is_number_word
from .words import stem, topic_word

__all__ = ["REPORTING", "stem", "words", "content_terms", "proper_names"]  # stem: the one stemmer, words.py

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][a-z]+)?|\d+(?:[.,]\d+)*")

# Words that mark who said something or how, not what was said: they make unrelated sentences look alike.
REPORTING = frozenset("""
said say says stated statement statements told added noted according readout readouts report reported reports
reportedly announced confirmed expressed highlighted emphasized emphasised stressed described call phone
conversation talks talk discussed discussion leaders leader president
""".split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_terms(text: str, *, drop_reporting: bool = False) -> list[str]:
    """Stemmed words that carry meaning, in order, duplicates kept."""
    out = []
    for w in words(text):
        lw = w.lower()
        if not topic_word(lw) or is_number_word(lw) or (drop_reporting and lw in REPORTING):
            continue
        if len(lw) < 2 and not lw.isdigit():
            continue
        out.append(stem(lw))
    return out


def proper_names(text: str) -> set[str]:
    """Capitalised words not at the start of the sentence: cheap named-entity signal."""
    toks = words(text)
    return {t.lower() for i, t in enumerate(toks) if i > 0 and t[:1].isupper() and topic_word(t.lower())}
