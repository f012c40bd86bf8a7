"""Choose the eval matcher's cut-offs for one verifier on SummHay's human coverage labels, dev split only.

    python benchmarks/matcher_fit.py --verifier embed

Grids pipeline/evals/match.py's Thresholds (support weight, contrast, partial cut-off, support floor) for
the best binary Cohen's kappa with people on the dev split, then prints the dev-best setting's figures on the
held-out test split (read, never tuned on). Each verifier judgement is computed once and reused across the
grid. Needs $BRIEF_EVALDATA (or ../shared/evaldata).
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.evals.agreement import figures, load_human_coverage  # noqa: E402
from pipeline.evals.datasets import HUMAN_COVERAGE_FILE, evaldata_dir  # noqa: E402
from pipeline.evals.match import THRESHOLDS, Thresholds, VerifierMatcher  # noqa: E402
from pipeline.verify import get_verifier  # noqa: E402


class Memo:
    """A verifier whose rank and supports answers are computed once (the grid asks the same pairs again)."""

    def __init__(self, v):
        self.v, self.kind, self.warnings = v, v.kind, v.warnings
        self._supports: dict = {}
        self._rank: dict = {}

    def rank(self, statement, sentences, k=3):
        key = (statement, tuple(sentences))
        if key not in self._rank:
            self._rank[key] = self.v.rank(statement, sentences, k=len(sentences))
        return self._rank[key][:k]

    def supports_many(self, pairs):
        todo = [p for p in dict.fromkeys(pairs) if p not in self._supports]
        for p, x in zip(todo, self.v.supports_many(todo) if todo else []):
            self._supports[p] = x
        return [self._supports[p] for p in pairs]


def agreement(data, matcher, split: str):
    human, pred = [], []
    for d in data:
        if d.split != split:
            continue
        got = {m.fact_id: m.best.verdict for m in matcher.match(d.facts, d.candidates)}
        for f in d.facts:
            human.append(d.human[f.id])
            pred.append(got[f.id])
    return figures(matcher.name, human, pred)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verifier", default="embed")
    ap.add_argument("--top", type=int, default=5, help="print the N best dev settings")
    args = ap.parse_args()
    data = load_human_coverage(evaldata_dir() / HUMAN_COVERAGE_FILE)
    raw = get_verifier(args.verifier)
    v = Memo(raw)
    judge = Memo(VerifierMatcher(raw).judge)  # what the matcher judges support with for this verifier
    current = THRESHOLDS.get(v.kind, THRESHOLDS["embed"])
    grid = [Thresholds(support_weight=w, contrast=c, partial=p / 100, min_support=ms)
            for ms, w, c in itertools.product((0.0, 0.3), (0.5, 1.0, 1.5), (0.0, 0.5, 0.75, 1.0))
            for p in range(-20, 120, 4)]
    scored = []
    for th in grid:
        f = agreement(data, VerifierMatcher(v, th, judge), "dev")
        scored.append((f.kappa_binary, f.kappa_3way, th))
    scored.sort(key=lambda r: (-r[0], -r[1]))
    print(f"verifier {v.kind}: {len(grid)} settings on SummHay dev (binary kappa, three-way kappa)")
    for kb, k3, th in scored[:args.top]:
        print(f"  dev {kb:.3f} {k3:.3f}  {th.model_dump()}")
    for label, th in (("dev-best", scored[0][2]), ("shipped", current)):
        dev = agreement(data, VerifierMatcher(v, th, judge), "dev")
        test = agreement(data, VerifierMatcher(v, th, judge), "test")
        print(f"{label:<9} dev  kappa(bin) {dev.kappa_binary:.3f} kappa(3) {dev.kappa_3way:.3f} | "
              f"test kappa(bin) {test.kappa_binary:.3f} kappa(3) {test.kappa_3way:.3f}  {th.model_dump()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
