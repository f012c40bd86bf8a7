"""Does a verifier agree with labelled (claim, evidence) pairs? `brief eval support --pairs FILE.jsonl`.

Each line: {"claim": ..., "evidence": ... (a string, or a list of sentences), "label": 1 | 0, "kind": optional}.
Reports balanced accuracy (mean of the share of supported claims kept and of unsupported ones caught), the
kept / caught counts, and, by kind, how many the verifier got right, with the pairs it got wrong.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Optional, Sequence, Union

from pydantic import BaseModel

from ..models import BriefError

BATCH = 64  # pairs handed to the verifier at once (a model-backed one batches its calls)


class LabelledPair(BaseModel):
    claim: str
    evidence: Union[str, list[str]]
    label: int
    kind: str = "unlabelled"


class KindFigures(BaseModel):
    n: int
    right: int
    accuracy: float


class PairFigures(BaseModel):
    file: str
    verifier: str
    n: int
    balanced_accuracy: float
    kept: int  # label-1 pairs judged supported
    supported: int  # label-1 pairs
    caught: int  # label-0 pairs judged unsupported
    unsupported: int  # label-0 pairs
    by_kind: dict[str, KindFigures]
    errors: list[dict]  # the pairs it got wrong: claim, kind, label, reason


def load_pairs(path: Path) -> list[LabelledPair]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BriefError(f"pairs file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefError(f"{path}: cannot read: {exc}") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            pair = LabelledPair(claim=row["claim"], evidence=row["evidence"], label=int(row["label"]),
                                kind=str(row.get("kind") or "unlabelled"))
        except json.JSONDecodeError as exc:
            raise BriefError(f"{path}, line {n}: not JSON: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise BriefError(f"{path}, line {n}: each line needs claim, evidence and label (1 or 0): {exc}") from None
        if pair.label not in (0, 1):
            raise BriefError(f"{path}, line {n}: label must be 1 (supported) or 0, not {pair.label}")
        out.append(pair)
    if not out:
        raise BriefError(f"{path}: no pairs")
    return out


def evaluate_pairs(pairs: Sequence[LabelledPair], verifier, *, file: str = "") -> PairFigures:
    verdicts = []
    for i in range(0, len(pairs), BATCH):
        chunk = pairs[i:i + BATCH]
        verdicts += verifier.supports_many([(p.claim, p.evidence) for p in chunk])
    right = defaultdict(int)
    seen = defaultdict(int)
    errors = []
    kept = caught = 0
    for p, v in zip(pairs, verdicts):
        ok = v.supported == bool(p.label)
        seen[p.kind] += 1
        right[p.kind] += ok
        kept += p.label == 1 and v.supported
        caught += p.label == 0 and not v.supported
        if not ok:
            errors.append({"kind": p.kind, "label": p.label, "claim": p.claim, "score": v.score, "reason": v.reason})
    n1 = sum(p.label == 1 for p in pairs)
    n0 = len(pairs) - n1
    rc, ri = (kept / n1 if n1 else 0.0), (caught / n0 if n0 else 0.0)
    bacc = (rc + ri) / 2 if n1 and n0 else (rc or ri)
    return PairFigures(file=file, verifier=getattr(verifier, "kind", "?"), n=len(pairs),
                       balanced_accuracy=round(bacc, 3), kept=kept, supported=n1, caught=caught, unsupported=n0,
                       by_kind={k: KindFigures(n=seen[k], right=right[k], accuracy=round(right[k] / seen[k], 3))
                                for k in sorted(seen)}, errors=errors)


def render_pairs(f: PairFigures, *, show_errors: int = 10) -> str:
    lines = [f"support check on {f.n} labelled pairs ({f.file}), verifier {f.verifier}",
             f"balanced accuracy {f.balanced_accuracy:.3f}: kept {f.kept}/{f.supported} supported, "
             f"caught {f.caught}/{f.unsupported} unsupported",
             f"{'kind':<16} {'pairs':>5} {'right':>5} {'acc':>6}"]
    for k, kf in f.by_kind.items():
        lines.append(f"{k:<16} {kf.n:>5} {kf.right:>5} {kf.accuracy:>6.3f}")
    for e in f.errors[:show_errors]:
        what = "kept" if e["label"] == 0 else "rejected"
        why = f" ({e['reason']})" if e["reason"] else ""
        lines.append(f"  {what} [{e['kind']}] {e['claim'][:100]}{why[:120]}")
    if len(f.errors) > show_errors:
        lines.append(f"  ... {len(f.errors) - show_errors} more errors (--json writes them all)")
    return "\n".join(lines)
