"""Is a metric's change bigger than the noise? A bootstrap confidence interval of the delta B - A.

Recall-type metrics are paired over the gold facts (the same fact scored under A and under B, resampled
together); metrics over a brief's own items or spans (citation precision...) are resampled within each
brief, since items of two briefs do not pair. Stories, when there are several, are the units the same
way facts are. The seed is fixed, so the same inputs give the same interval.
"""
from __future__ import annotations

import random
from typing import Optional, Sequence

from pydantic import BaseModel

SEED = 20240521
ROUNDS = 2000


class Interval(BaseModel):
    delta: float
    low: float
    high: float

    @property
    def verdict(self) -> str:
        if self.low == self.high == self.delta == 0:
            return "no change"
        if self.low > 0:
            return "gain"
        if self.high < 0:
            return "loss"
        return "within noise"


def _weighted(values: Sequence[float], weights: Sequence[float], idx: Sequence[int]) -> float:
    total = sum(weights[i] for i in idx)
    return sum(values[i] * weights[i] for i in idx) / total if total else 0.0


def paired(a: Sequence[float], b: Sequence[float], weights: Optional[Sequence[float]] = None, *,
           rounds: int = ROUNDS, seed: int = SEED, level: float = 0.95) -> Optional[Interval]:
    """CI of weighted-mean(b) - weighted-mean(a) over units scored under both (facts, stories)."""
    n = len(a)
    if n == 0 or len(b) != n:
        return None
    w = list(weights) if weights is not None else [1.0] * n
    rng = random.Random(seed)
    full = list(range(n))
    deltas = []
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in full]
        deltas.append(_weighted(b, w, idx) - _weighted(a, w, idx))
    return _interval(_weighted(b, w, full) - _weighted(a, w, full), deltas, level)


def unpaired(a: Sequence[float], b: Sequence[float], *, rounds: int = ROUNDS, seed: int = SEED,
             level: float = 0.95) -> Optional[Interval]:
    """CI of mean(b) - mean(a) when the units of A and B do not pair (items, spans of two briefs)."""
    if not a or not b:
        return None
    rng = random.Random(seed)
    deltas = []
    for _ in range(rounds):
        ra = [a[rng.randrange(len(a))] for _ in a]
        rb = [b[rng.randrange(len(b))] for _ in b]
        deltas.append(sum(rb) / len(rb) - sum(ra) / len(ra))
    return _interval(sum(b) / len(b) - sum(a) / len(a), deltas, level)


def _interval(delta: float, deltas: list[float], level: float) -> Interval:
    deltas.sort()
    k = int((1 - level) / 2 * len(deltas))
    return Interval(delta=round(delta, 4), low=round(deltas[k], 4), high=round(deltas[len(deltas) - 1 - k], 4))
