"""Is the support check right? Its balanced accuracy against people on SummEdits (news domain).

Each of the 819 items is a (document, summary) pair labelled by people 1 = consistent, 0 = not (subtle
edits: a swapped entity, an antonym, an inserted or removed negation, an invented fact). We judge the
summary with the chosen verifier (each summary sentence against the document's few sentences most like it)
and report balanced accuracy (the mean of the
recall on consistent and on inconsistent items; 0.5 is chance), beside the published figures.

The split is by document, fixed in code: sha256 of the document text, even -> dev, odd -> held-out, so
no document is on both sides. Thresholds in verify/support.py were tuned on dev only; report held-out.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Optional, Sequence

from pydantic import BaseModel

from ..models import BriefError
from ..text.sentences import split_sentences

SUMMEDITS_FILE = "summedits/summedits_news.json"
SPLITS = ("dev", "heldout")
# Laban et al. 2023, "SummEdits": balanced accuracy over all ten domains.
PUBLISHED = (("GPT-4", 0.824), ("estimated human", 0.909), ("most other LLMs", 0.50))


class Pair(BaseModel):
    id: str
    doc: str
    summary: str
    label: int  # 1 = consistent
    split: str


class SplitFigures(BaseModel):
    split: str
    n: int
    n_consistent: int
    n_docs: int
    balanced_accuracy: float
    recall_consistent: float  # consistent summaries judged supported
    recall_inconsistent: float  # inconsistent summaries judged unsupported


def split_of(doc: str) -> str:
    return "dev" if int(hashlib.sha256(doc.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "heldout"


def load_summedits(path: Path) -> list[Pair]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BriefError(f"SummEdits file not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BriefError(f"{path}: not JSON: {exc}") from None
    try:
        return [Pair(id=r["id"], doc=r["doc"], summary=r["summary"], label=int(r["label"]), split=split_of(r["doc"]))
                for r in rows]
    except (KeyError, TypeError, ValueError) as exc:
        raise BriefError(f"{path}: not a SummEdits file (each item needs id, doc, summary, label): {exc}") from None


def sample(pairs: Sequence[Pair], limit: Optional[int]) -> list[Pair]:
    """At most `limit` pairs of each half, the same ones every time (ordered by a hash of their id)."""
    if not limit:
        return list(pairs)
    out = []
    for split in SPLITS:
        rows = sorted((p for p in pairs if p.split == split), key=lambda p: hashlib.sha256(p.id.encode()).hexdigest())
        out += rows[:limit]
    return out


def evaluate(pairs: Sequence[Pair], split: str, verifier=None) -> SplitFigures:
    """`verifier` (default: the rules) judges each summary against its document's sentences; it picks the
    few sentences each summary sentence is judged on, never the whole document."""
    if verifier is None:
        from ..verify import get_verifier
        verifier = get_verifier("rules")
    rows = [p for p in pairs if p.split == split]
    if not rows:
        raise BriefError(f"no SummEdits items in split {split!r}")
    sentences: dict[str, list[str]] = {}
    hits = {0: 0, 1: 0}
    counts = {0: 0, 1: 0}
    verdicts = verifier.supports_many([(p.summary, sentences.setdefault(p.doc, split_sentences(p.doc))) for p in rows])
    for p, v in zip(rows, verdicts):
        supported = v.supported
        counts[p.label] += 1
        hits[p.label] += int(supported == bool(p.label))
    rc = hits[1] / counts[1] if counts[1] else 0.0
    ri = hits[0] / counts[0] if counts[0] else 0.0
    return SplitFigures(split=split, n=len(rows), n_consistent=counts[1], n_docs=len(sentences),
                        balanced_accuracy=round((rc + ri) / 2, 3), recall_consistent=round(rc, 3),
                        recall_inconsistent=round(ri, 3))


def render(figs: Sequence[SplitFigures], path: Optional[str] = None, verifier: str = "rules") -> str:
    lines = [f"SummEdits (news) support check ({verifier}) vs people{f': {path}' if path else ''}",
             f"{'split':<9} {'pairs':>5} {'docs':>4} {'consistent':>10} {'bal.acc':>8} {'rec(cons)':>9} "
             f"{'rec(incons)':>11}"]
    for f in figs:
        lines.append(f"{f.split:<9} {f.n:>5} {f.n_docs:>4} {f.n_consistent:>10} {f.balanced_accuracy:>8.3f} "
                     f"{f.recall_consistent:>9.3f} {f.recall_inconsistent:>11.3f}")
    lines.append("tuned on dev only; the held-out figure is the one to report. Published (all domains): "
                 + ", ".join(f"{n} {v:.3f}" for n, v in PUBLISHED))
    return "\n".join(lines)
