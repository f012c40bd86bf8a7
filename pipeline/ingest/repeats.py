"""Is a text one sentence (or phrase) said over and over? Such a file (a scraper's loop, a fixture gone wrong)
is no article: as a source it would cite the same words thousands of times, so it is skipped with a warning.

Natural text compresses to about a third of its size; a text that repeats one sentence compresses to almost
nothing, whatever its punctuation (a 6 MB line of one phrase has no sentence ends at all).
"""
from __future__ import annotations

import zlib
from collections import Counter
from typing import Optional

from ..text.sentences import sentence_spans

MIN_CHARS = 2_000  # shorter: a refrain or a repeated quote in a short text is its own business
MAX_RATIO = 0.05  # compressed size / size; natural English is ~0.3-0.4
SAMPLE = 1_000_000  # judged on the first million characters: enough, and fast on a 20 MB file


def repeated_sentence(text: str) -> Optional[tuple[str, int]]:
    """(the words repeated, how many times) when `text` is one sentence or phrase over and over, else None."""
    if len(text) < MIN_CHARS:
        return None
    sample = text[:SAMPLE].encode("utf-8", "replace")
    if len(zlib.compress(sample, 6)) > MAX_RATIO * len(sample):
        return None
    head = text[:SAMPLE]
    parts = [" ".join(head[a:b].split()) for a, b in sentence_spans(head)]
    if len(parts) > 1:
        unit = Counter(parts).most_common(1)[0][0]
    else:  # no sentence ends: the shortest prefix that the text repeats
        words = text[:SAMPLE].split()
        n = next((k for k in range(1, 50) if words[k:2 * k] == words[:k] and words[2 * k:3 * k] == words[:k]),
                 min(len(words), 12))
        unit = " ".join(words[:n])
    return unit, max(1, text.count(unit))
