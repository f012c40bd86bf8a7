"""Which claims from different sources say the same thing: tf-idf cosine through an inverted index.

Candidates come from shared rare terms only, so the cost grows with the number of claims, not its square.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from .lexical import content_terms
from .models import Claim
from .quantities import find_quantities

# Terms in more than this share of claims are too common to propose candidates (still weighted in cosine).
COMMON_SHARE = 0.05
MIN_COMMON = 50


class ClaimIndex:
    def __init__(self, claims: list[Claim]):
        self.claims = claims
        terms = [content_terms(c.statement, drop_reporting=True) for c in claims]
        n = max(len(claims), 1)
        df = Counter(t for ts in terms for t in set(ts))
        # no +1 smoothing: names in every other sentence (Trump, Putin) should weigh next to nothing
        self.idf = {t: math.log((1 + n) / (1 + d)) + 0.1 for t, d in df.items()}
        self.vectors: list[dict[str, float]] = []
        for ts in terms:
            tf = Counter(ts)
            vec = {t: (1 + math.log(c)) * self.idf[t] for t, c in tf.items()}
            norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
            self.vectors.append({t: w / norm for t, w in vec.items()})
        self.quantities = [{(q.dimension, q.thing, q.value) for q in find_quantities(c.statement)} for c in claims]
        cap = max(MIN_COMMON, int(COMMON_SHARE * n))
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, ts in enumerate(terms):
            for t in set(ts):
                if df[t] <= cap:
                    self.postings[t].append(i)

    def similarity(self, i: int, j: int) -> float:
        a, b = self.vectors[i], self.vectors[j]
        if len(a) > len(b):
            a, b = b, a
        cos = sum(w * b.get(t, 0.0) for t, w in a.items())
        if self.quantities[i] & self.quantities[j]:
            cos += 0.1  # the same figure for the same thing is strong evidence of the same fact
        return min(cos, 1.0)

    def neighbours(self, i: int, min_sim: float) -> list[tuple[int, float]]:
        """Claims from other documents at least min_sim alike, best first."""
        doc = self.claims[i].doc_id
        overlap: Counter[int] = Counter()
        for t in self.vectors[i]:
            for j in self.postings.get(t, ()):
                if j != i and self.claims[j].doc_id != doc:
                    overlap[j] += 1
        out = []
        for j in overlap:
            s = self.similarity(i, j)
            if s >= min_sim:
                out.append((j, s))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out
