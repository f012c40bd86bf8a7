"""Glue: make (or load) a brief, score it, and reduce the scores to the metrics the gate tracks."""
from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from pydantic import BaseModel, ValidationError

from ..jsonfile import read_json
from ..models import SECTIONS, Brief, BriefError
from .datasets import Corpus
from .gold import GoldSet
from .metrics import Matcher, Scores, score_brief

# The gate fails when a tracked metric gets worse by more than the tolerance: higher is better for
# every one but those in LOWER_IS_BETTER.
PRECISION = ("citation_precision", "citation_recall", "section_precision", "redundancy", "unmatched_items")
TRACKED = ("recall", "recall_any_section", *(f"recall_{s}" for s in SECTIONS), "supported_share", *PRECISION)
LOWER_IS_BETTER = frozenset({"redundancy", "unmatched_items"})

MakeBrief = Callable[..., Brief]


def load_brief(path: str | Path) -> Brief:
    p = Path(path)
    data = read_json(p, "brief")
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BriefError(f"{p} is not a brief: {'/'.join(map(str, first['loc']))}: {first['msg']}") from None


def default_make_brief(inputs: Any, **kwargs: Any) -> Brief:
    from ..run import make_brief  # imported late: scoring a saved brief never needs the pipeline

    return make_brief(inputs, **kwargs)


def tracked(scores: Scores) -> dict[str, Optional[float]]:
    m: dict[str, Optional[float]] = {"recall": scores.recall, "recall_any_section": scores.recall_any_section}
    for s in SECTIONS:
        m[f"recall_{s}"] = scores.per_section[s]
    m["supported_share"] = round(1 - len(scores.unsupported_items) / scores.n_items, 4) if scores.n_items else None
    for k in PRECISION:
        m[k] = getattr(scores, k)
    return m


def mean_metrics(runs: Sequence[dict[str, Optional[float]]]) -> dict[str, Optional[float]]:
    out: dict[str, Optional[float]] = {}
    for k in TRACKED:
        xs = [r[k] for r in runs if r.get(k) is not None]
        out[k] = round(statistics.fmean(xs), 4) if xs else None
    return out


def spread(runs: Sequence[dict[str, Optional[float]]]) -> dict[str, Optional[float]]:
    """Population standard deviation of each metric over repeated runs (0 for one run)."""
    out: dict[str, Optional[float]] = {}
    for k in TRACKED:
        xs = [r[k] for r in runs if r.get(k) is not None]
        out[k] = round(statistics.pstdev(xs), 4) if xs else None
    return out


class CorpusScore(BaseModel):
    corpus: str
    metrics: dict[str, Optional[float]]
    outcomes: dict[str, str]  # fact id -> hit / partial / misplaced / miss
    n_items: int


def score_corpus(corpus: Corpus, gold: GoldSet, matcher: Matcher, make: MakeBrief = default_make_brief,
                 **brief_kwargs: Any) -> CorpusScore:
    brief = make(corpus.records(), **brief_kwargs)
    s = score_brief(brief, gold, matcher)
    return CorpusScore(corpus=corpus.id, metrics=tracked(s), outcomes={f.id: f.outcome for f in s.facts},
                       n_items=s.n_items)
