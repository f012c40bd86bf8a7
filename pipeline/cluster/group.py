"""Group claims that state the same fact across sources (both engines use this for the offline merge)."""
from __future__ import annotations

from collections.abc import Callable

from .similarity import ClaimIndex

SAME_FACT = 0.32  # cosine on content terms; tuned on the seeds
JOIN = 0.45  # a leftover claim joins a group only when clearly the same fact


def group_claims(index: ClaimIndex, group_of: Callable[[str], int], *, min_sim: float = SAME_FACT) -> list[list[int]]:
    """Greedy star grouping: the claim matched by the most independent sources seeds a group, which takes
    at most one claim from each other source. Single-link chaining would glue unrelated facts together."""
    claims = index.claims
    neighbours = index.neighbour_lists(min_sim)
    best: list[dict[int, tuple[int, float]]] = []
    for i in range(len(claims)):
        per_source: dict[int, tuple[int, float]] = {}
        own = group_of(claims[i].doc_id)
        for j, s in neighbours[i]:
            g = group_of(claims[j].doc_id)
            if g != own and g not in per_source:
                per_source[g] = (j, s)
        best.append(per_source)
    order = sorted(range(len(claims)), key=lambda i: (-len(best[i]), -sum(s for _, s in best[i].values()), i))
    used: set[int] = set()
    groups: list[list[int]] = []
    for i in order:
        if i in used:
            continue
        members = [i] + [j for j, _ in best[i].values() if j not in used]
        used.update(members)
        groups.append(members)
    # A source may tell one fact in two sentences: a claim left alone joins the group of its best match.
    where = {i: k for k, g in enumerate(groups) for i in g}
    for k, g in enumerate(groups):
        if len(g) != 1:
            continue
        i = g[0]
        figures = {n for n in claims[i].numbers if len(n) > 1}
        for j, sim in neighbours[i]:
            # clearly the same fact, or alike and stating the same figure ("175 to be freed by each side")
            if sim < JOIN and not figures & set(claims[j].numbers):
                continue
            home = where[j]
            if home != k and len(groups[home]) > 1:
                groups[home].append(i)
                groups[k] = []
                where[i] = home
                break
    return [g for g in groups if g]
