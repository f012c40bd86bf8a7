"""Group claims that state the same fact across sources (both engines use this for the offline merge).

Average linkage over the claims' similarity graph: two groups merge only while the mean similarity of
all their cross-document pairs (a pair with no edge counts 0) stays at or above the threshold, so every
member resembles the group as a whole, not just one seed claim (star groups and single-link chains
glue unrelated facts together through one shared phrase).
"""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable

from .similarity import ClaimIndex

# Mean cosine on content terms for one fact. Tuned on the dev halves only, on the mean of AllSides and
# SummHay dev recall: 0.22 / 0.26 / 0.30 / 0.34 -> 0.283 / 0.301 / 0.291 / 0.301 (0.26 and 0.34 tie; the
# pair study, benchmarks/similarity_eval.py on SummHay dev, puts its best-F1 cut at 0.257).
SAME_FACT = 0.26


def group_claims(index: ClaimIndex, group_of: Callable[[str], int], *, min_sim: float = SAME_FACT) -> list[list[int]]:
    """Groups of claim indices, each telling one fact; ordered by how many independent sources tell
    it, then by first appearance. `group_of` maps a document to its syndication group."""
    return average_linkage(index, min_sim, group_of)


def average_linkage(index: ClaimIndex, min_sim: float, group_of: Callable[[str], int] | None = None) -> list[list[int]]:
    claims = index.claims
    n = len(claims)
    # pairs below the threshold count 0 towards a group's mean (stricter, never looser, than their cosine);
    # working out the weaker edges too cost 2.4x the time on 1,000 articles
    neighbours = index.neighbour_lists(min_sim)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    docs: dict[int, Counter] = {i: Counter([claims[i].doc_id]) for i in range(n)}
    # sums[a][b]: total similarity between groups a and b over their edges (symmetric)
    sums: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for i, lst in enumerate(neighbours):
        for j, s in lst:
            if j > i:
                sums[i][j] = sums[j][i] = s

    def pairs(a: int, b: int) -> int:
        """Cross pairs that could have an edge: same-document pairs are never compared."""
        da, db = docs[a], docs[b]
        if len(da) > len(db):
            da, db = db, da
        return len(members[a]) * len(members[b]) - sum(c * db.get(d, 0) for d, c in da.items())

    # entries carry both groups' versions: an entry made before either group changed is stale
    heap: list[tuple[float, int, int, int, int]] = []
    for a in range(n):
        for b, s in sums[a].items():
            if b > a and s >= min_sim:
                heapq.heappush(heap, (-s / max(pairs(a, b), 1), a, b, 0, 0))
    version = [0] * n
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue
        # merge b into a (a is the smaller index: groups keep their first claim's place)
        members[a].extend(members.pop(b))
        docs[a].update(docs.pop(b))
        version[a] += 1
        for c, s in sums.pop(b).items():
            if c == a:
                continue
            sums[c].pop(b, None)
            sums[a][c] = sums[a].get(c, 0.0) + s
            sums[c][a] = sums[a][c]
        sums[a].pop(b, None)
        for c, s in sums[a].items():
            avg = s / max(pairs(a, c), 1)
            if avg >= min_sim:
                x, y = (a, c) if a < c else (c, a)
                heapq.heappush(heap, (-avg, x, y, version[x], version[y]))
    groups = [sorted(g) for g in members.values()]
    if group_of is None:
        return sorted(groups, key=lambda g: g[0])
    reach = {id(g): len({group_of(d) for i in g for d in (claims[i].carriers or [claims[i].doc_id])}) for g in groups}
    return sorted(groups, key=lambda g: (-reach[id(g)], g[0]))
