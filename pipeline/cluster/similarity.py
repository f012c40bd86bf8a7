"""Which claims from different sources say the same thing: tf-idf cosine through an inverted index.

Candidates come from shared rare terms only. A rare term may still be shared by hundreds of claims in a
large corpus (the cap grows with it), so `neighbour_lists` scores each candidate pair once, with an upper
bound first (the exact dot product over the rare terms plus Cauchy-Schwarz over the rest): only pairs that
could reach the threshold get the exact `similarity`, and the lists equal `neighbours`' exactly.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from ..text.lexical import content_terms
from ..models import Claim
from ..text.quantities import find_quantities

# Terms in more than this share of claims are too common to propose candidates (still weighted in cosine).
COMMON_SHARE = 0.05
MIN_COMMON = 50
_BOUND_SLACK = 1e-9  # the bound sums in another order than `similarity`; never prune a pair this close


class ClaimIndex:
    def __init__(self, claims: list[Claim]):
        self.claims = claims
        terms = [content_terms(c.statement, drop_reporting=True) for c in claims]
        n = max(len(claims), 1)
        df = Counter(t for ts in terms for t in set(ts))
        # no +1 smoothing: names in every other sentence (the two leaders' names) should weigh next to nothing
        self.idf = {t: math.log((1 + n) / (1 + d)) + 0.1 for t, d in df.items()}
        self.vectors: list[dict[str, float]] = []
        for ts in terms:
            tf = Counter(ts)
            vec = {t: (1 + math.log(c)) * self.idf[t] for t, c in tf.items()}
            norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
            self.vectors.append({t: w / norm for t, w in vec.items()})
        self.quantities = [{(q.dimension, q.thing, q.value) for q in find_quantities(c.statement, loose=True)} for c in claims]
        cap = max(MIN_COMMON, int(COMMON_SHARE * n))
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, ts in enumerate(terms):
            for t in set(ts):
                if df[t] <= cap:
                    self.postings[t].append(i)
        self._lists: dict[float, list[list[tuple[int, float]]]] = {}

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
        if min_sim in self._lists:
            return list(self._lists[min_sim][i])
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

    def neighbour_lists(self, min_sim: float) -> list[list[tuple[int, float]]]:
        """neighbours(i, min_sim) for every claim (the same lists), each candidate pair scored once. Cached."""
        if min_sim in self._lists:
            return self._lists[min_sim]
        n = len(self.claims)
        doc_ids: dict[str, int] = {}
        doc = [doc_ids.setdefault(c.doc_id, len(doc_ids)) for c in self.claims]
        # per rare term: (claim, weight) in claim order; per claim: its rare terms and where it sits in them
        post: dict[str, list[tuple[int, float]]] = {}
        rare: list[list[tuple[float, list[tuple[int, float]], int]]] = [[] for _ in range(n)]
        common_norm = [0.0] * n
        for i, vec in enumerate(self.vectors):
            sq = 0.0
            for t, w in vec.items():
                if t in self.postings:
                    lst = post.setdefault(t, [])
                    rare[i].append((w, lst, len(lst)))
                    lst.append((i, w))
                else:
                    sq += w * w
            common_norm[i] = math.sqrt(sq)
        lists: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        floor = min_sim - _BOUND_SLACK
        quantities, sizes, similarity = self.quantities, [len(v) for v in self.vectors], self.similarity
        for i in range(n):
            acc: dict[int, float] = {}
            get = acc.get
            for wi, lst, k in rare[i]:
                for j, wj in lst[k + 1:]:  # later claims only: each pair once
                    acc[j] = get(j, 0.0) + wi * wj
            di, ci, qi = doc[i], common_norm[i], quantities[i]
            for j, rare_dot in acc.items():
                if doc[j] == di:
                    continue
                bound = rare_dot + ci * common_norm[j]  # >= the cosine
                if bound < floor and (bound + 0.1 < floor or not (qi and qi & quantities[j])):
                    continue
                s = similarity(i, j)
                if s >= min_sim:
                    lists[i].append((j, s))
                # similarity sums over the shorter vector; with equal lengths the order (and last bit) may differ
                if sizes[i] == sizes[j]:
                    s = similarity(j, i)
                if s >= min_sim:
                    lists[j].append((i, s))
        for out in lists:
            out.sort(key=lambda x: (-x[1], x[0]))
        self._lists[min_sim] = lists
        return lists
