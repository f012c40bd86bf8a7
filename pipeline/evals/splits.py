"""Dev and held-out halves of the external corpora, fixed by a hash of each item's id (never by order or chance)."""
from __future__ import annotations

import hashlib
from typing import Iterable

SPLITS = ("dev", "heldout", "all")


def _h(kind: str, key: str) -> bytes:
    return hashlib.sha256(f"briefsmith-split:{kind}:{key}".encode()).digest()


def story_split(kind: str, key: str) -> str:
    """One item on its own (an AllSides story): its half does not depend on which other stories exist."""
    return "dev" if _h(kind, key)[0] % 2 == 0 else "heldout"


def halves(kind: str, keys: Iterable[str]) -> dict[str, str]:
    """Items of one set (a topic's subtopics or documents) in two equal halves: ordered by hash, first half dev."""
    ordered = sorted(dict.fromkeys(keys), key=lambda k: _h(kind, k))
    cut = (len(ordered) + 1) // 2
    return {k: ("dev" if i < cut else "heldout") for i, k in enumerate(ordered)}


def wanted(split: str, of: str) -> bool:
    return split == "all" or of == split
