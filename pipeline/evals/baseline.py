"""evals/baseline.json: the reference scores a candidate must not fall below.

One entry per corpus, keyed by the gold's corpus name (hand-labelled gold) or ``dataset:<name>``
(external corpora, metrics averaged over the stories). Each entry records how it was made (engine,
matcher, gold path, inputs) and the tracked metrics; hand-labelled entries keep each fact's outcome so
a comparison against the baseline can say which facts were gained or lost.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ValidationError

from ..models import BriefError
from .report import write_atomic
from .scoring import LOWER_IS_BETTER, TRACKED


class BaselineEntry(BaseModel):
    engine: str
    matcher: str
    gold: Optional[str] = None  # path, relative to the project root when inside it
    inputs: Optional[str] = None
    stories: Optional[int] = None  # datasets: how many stories were averaged
    metrics: dict[str, Optional[float]]
    outcomes: dict[str, str] = {}  # fact id -> outcome (hand-labelled gold only)


class Baseline(BaseModel):
    version: int = 1
    note: str = ("Offline-engine scores; regenerate with `brief eval baseline --write` after an intended change. "
                 "`brief eval compare --baseline` fails when a tracked metric drops by more than the tolerance.")
    entries: dict[str, BaselineEntry] = {}


class Drop(BaseModel):
    metric: str
    baseline: float
    candidate: float


def read_baseline(path: str | Path) -> Baseline:
    p = Path(path)
    try:
        return Baseline.model_validate(json.loads(p.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise BriefError(f"baseline not found: {p} (make it with `brief eval baseline --write`)") from None
    except (json.JSONDecodeError, ValidationError) as exc:
        raise BriefError(f"bad baseline {p}: {str(exc).splitlines()[0]}") from None


def write_baseline(baseline: Baseline, path: str | Path) -> None:
    write_atomic(Path(path), baseline.model_dump_json(indent=2, exclude_none=True) + "\n")


def entry_for(baseline: Baseline, key: str, path: str | Path) -> BaselineEntry:
    if key not in baseline.entries:
        known = ", ".join(sorted(baseline.entries)) or "none"
        raise BriefError(f"baseline {path} has no entry for {key!r} (it has: {known})")
    return baseline.entries[key]


def gate(candidate: dict[str, Optional[float]], reference: dict[str, Optional[float]], tolerance: float) -> list[Drop]:
    """Tracked metrics that got worse than the reference by more than `tolerance` (absolute): fell, or for
    a lower-is-better metric (redundancy) rose."""
    drops = []
    for k in TRACKED:
        ref, cand = reference.get(k), candidate.get(k)
        if ref is None or cand is None:
            continue
        worse = cand - ref if k in LOWER_IS_BETTER else ref - cand
        if worse > tolerance + 1e-9:
            drops.append(Drop(metric=k, baseline=ref, candidate=cand))
    return drops
