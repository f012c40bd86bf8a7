"""SummEdits, pair by pair: each verifier score written out, and the cut-off on P(yes) fitted on dev only.

`brief eval support` reports balanced accuracy at the verifier's own cut-off; this keeps every pair's score
(a sentence's worst P(yes) for llm; 0 where a rule vetoed) so the cut-off can be chosen on the dev half and
read on the held-out half. The llm verifier's calls are cached, so a second run costs nothing.

Usage: python benchmarks/summedits_scores.py --verifier llm --base-url http://127.0.0.1:8765/v1 \
           --model qwen-local [--limit-dev 150] [--out benchmarks/out/summedits_llm.jsonl]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def balanced(rows: list[dict], cut: float) -> tuple[float, float, float]:
    pos = [r for r in rows if r["label"] == 1]
    neg = [r for r in rows if r["label"] == 0]
    rc = sum(r["score"] >= cut for r in pos) / max(len(pos), 1)
    ri = sum(r["score"] < cut for r in neg) / max(len(neg), 1)
    return (rc + ri) / 2, rc, ri


def fit_cut(rows: list[dict]) -> float:
    """The cut-off with the best dev balanced accuracy (ties: the one nearest 0.5)."""
    grid = sorted({0.5} | {round(x / 100, 2) for x in range(1, 100)})
    return max(grid, key=lambda c: (round(balanced(rows, c)[0], 4), -abs(c - 0.5)))


def main(argv=None) -> int:
    from pipeline.evals.cli import make_verifier, support_parser
    from pipeline.evals.summedits import SUMMEDITS_FILE, load_summedits, sample
    from pipeline.evals.datasets import evaldata_dir
    from pipeline.text.sentences import split_sentences

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit-dev", type=int, default=0, help="dev pairs scored (a fixed sample); 0: all")
    ap.add_argument("--limit-heldout", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "summedits_scores.jsonl")
    a, rest = ap.parse_known_args(argv)
    args = support_parser().parse_args(rest)
    verifier = make_verifier(args)
    pairs = load_summedits(args.file or evaldata_dir() / SUMMEDITS_FILE)
    rows: list[dict] = []
    for split, limit in (("dev", a.limit_dev), ("heldout", a.limit_heldout)):
        chosen = [p for p in sample(pairs, limit or None) if p.split == split]
        verdicts = verifier.supports_many([(p.summary, split_sentences(p.doc)) for p in chosen])
        rows += [{"id": p.id, "split": split, "label": p.label, "score": v.score,
                  "supported": v.supported, "reason": v.reason} for p, v in zip(chosen, verdicts)]
        print(f"{split}: {len(chosen)} pairs scored; stats {verifier.stats()}", file=sys.stderr)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    dev = [r for r in rows if r["split"] == "dev"]
    held = [r for r in rows if r["split"] == "heldout"]
    cut = fit_cut(dev)
    for name, part in (("dev", dev), ("heldout", held)):
        b5, rc5, ri5 = balanced(part, 0.5)
        b, rc, ri = balanced(part, cut)
        print(f"{name:<8} n={len(part):>4}  at 0.50: bacc {b5:.3f} (kept {rc5:.3f}, caught {ri5:.3f})   "
              f"at dev-fitted {cut:.2f}: bacc {b:.3f} (kept {rc:.3f}, caught {ri:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
