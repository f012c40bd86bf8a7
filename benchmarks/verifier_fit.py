"""Fit the `embed` verifier's decision (pipeline/verify/embed_weights.json) on dev data only.

Data: SummEdits' dev half (summaries judged against their documents) and pairs edited from AllSides dev
stories (benchmarks/perturb.py), less one edit kind (HOLDOUT) kept out to test that the model generalises,
plus evals/pairs/dev.jsonl when it exists. A pair an exact rule vetoes never reaches the model, so it is not
fitted on. Logistic regression (numpy, L2, classes and sources weighted equally), threshold chosen for
balanced accuracy on the same dev rows.

Usage: python benchmarks/verifier_fit.py [--out pipeline/verify/embed_weights.json] [--cache /tmp/vf]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402

from perturb import make_pairs  # noqa: E402
from pipeline.evals.summedits import SUMMEDITS_FILE, load_summedits  # noqa: E402
from pipeline.verify.embed import FEATURES, READINGS, read_pair  # noqa: E402
from pipeline.verify.encoder import load_encoder  # noqa: E402
from pipeline.verify.signals import split_sentences  # noqa: E402

HOLDOUT = "clause"  # the edit kind kept out of fitting (an added claim): the test of generalisation
EVALDATA = ROOT.parent / "shared" / "evaldata"


def _sentences(evidence) -> list[str]:
    return split_sentences(evidence) or [evidence] if isinstance(evidence, str) else list(evidence)


def read(enc, claim: str, evidence) -> tuple[bool, list[float]]:
    """(vetoed, features of the weakest sentence of the claim: the one the decision would turn on)."""
    sents = _sentences(evidence)
    rows = [read_pair(enc, part, sents) for part in split_sentences(claim) or [claim]]
    if any(r.veto for r in rows):
        return True, [0.0] * len(READINGS)
    weakest = min(rows, key=lambda r: (r.features["coverage"] + r.features["cos_best"]))
    return False, [weakest.features[n] for n in READINGS]


def rows_for(enc, items: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict]]:
    X, y, veto = [], [], []
    # one encoding pass over every text first: the model is many times faster on full batches
    enc.encode(list(dict.fromkeys([p for it in items for p in split_sentences(it["claim"]) or [it["claim"]]] +
                                  [s for it in items for s in _sentences(it["evidence"])])))
    enc.token_vectors(list(dict.fromkeys([p for it in items for p in split_sentences(it["claim"]) or [it["claim"]]] +
                                         [s for it in items for s in _sentences(it["evidence"])])))
    for i, it in enumerate(items):
        v, f = read(enc, it["claim"], it["evidence"])
        X.append(f), y.append(it["label"]), veto.append(v)
        if i % 500 == 499:
            print(f"  read {i + 1}/{len(items)}", file=sys.stderr)
    return np.array(X, dtype=float), np.array(y), np.array(veto), items


def fit_lr(X, y, w, l2=1.0, iters=200):
    """Weighted logistic regression by Newton's method (a few hundred rows by ten features)."""
    Xb = np.hstack([X, np.ones((len(X), 1))])
    beta = np.zeros(Xb.shape[1])
    reg = l2 * np.eye(Xb.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-Xb @ beta))
        g = Xb.T @ (w * (p - y)) + reg @ beta
        H = (Xb * (w * p * (1 - p))[:, None]).T @ Xb + reg
        step = np.linalg.solve(H, g)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], beta[-1]


def bacc(pred, y) -> tuple[float, float, float]:
    rc = float(pred[y == 1].mean()) if (y == 1).any() else 0.0
    ri = float((~pred[y == 0]).mean()) if (y == 0).any() else 0.0
    return round((rc + ri) / 2, 3), round(rc, 3), round(ri, 3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "pipeline/verify/embed_weights.json")
    ap.add_argument("--allsides", type=Path, default=EVALDATA / "allsides/roundups_dev.jsonl")
    ap.add_argument("--summedits", type=Path, default=EVALDATA / SUMMEDITS_FILE)
    ap.add_argument("--pairs", type=Path, default=ROOT / "evals/pairs/dev.jsonl")
    ap.add_argument("--credits", type=Path, help="also fit on these labelled credits of a brief (evals/pairs/"
                    "credits_dev.jsonl), those of --credits-stories only")
    ap.add_argument("--credits-stories", default="", help="comma-separated stories of --credits to fit on")
    ap.add_argument("--limit", type=int, default=2500, help="perturbed pairs from dev stories (default 2500)")
    ap.add_argument("--features", type=Path, help="an .npz to keep the pairs' features in, and reuse (refits)")
    a = ap.parse_args(argv)
    enc = load_encoder()

    se = [{"claim": p.summary, "evidence": split_sentences(p.doc), "label": p.label, "kind": "summedits",
           "source": "summedits"} for p in load_summedits(a.summedits) if p.split == "dev"]
    pert = [dict(p, source="perturb") for p in make_pairs(a.allsides, "dev", a.limit)]
    own = []
    if a.pairs.is_file():
        own = [dict(json.loads(l), source="pairs") for l in a.pairs.read_text(encoding="utf-8").splitlines() if l.strip()]
    credits = []
    if a.credits:
        keep = set(filter(None, a.credits_stories.split(",")))
        credits = [dict(json.loads(l), source="credits") for l in a.credits.read_text(encoding="utf-8").splitlines()
                   if l.strip() and json.loads(l)["story"] in keep]
    fit_items = se + [p for p in pert if p["kind"] != HOLDOUT] + own + credits
    held_items = [p for p in pert if p["kind"] == HOLDOUT] + [p for p in pert if p["kind"] == "faithful"]
    print(f"fitting on {len(fit_items)} dev pairs: {dict(Counter(p['source'] for p in fit_items))}", file=sys.stderr)
    cache = a.features
    if cache and cache.is_file():  # the same items read before (features only; the fit is redone)
        z = np.load(cache)
        X_all, y_all, veto_all = z["X"], z["y"], z["veto"]
    else:
        X_all, y_all, veto_all, _ = rows_for(enc, fit_items + held_items)
        if cache:
            np.savez(cache, X=X_all, y=y_all, veto=veto_all)
    n = len(fit_items)
    X_all = X_all[:, [READINGS.index(f) for f in FEATURES]]  # every reading is kept in the cache; fit these
    X, y, veto, items = X_all[:n], y_all[:n], veto_all[:n], fit_items

    # equal weight to each (source, label): SummEdits' 473 pairs count as much as the edited ones
    groups = Counter((it["source"], int(lab)) for it, lab, v in zip(items, y, veto) if not v)
    w = np.array([0.0 if v else 1.0 / groups[(it["source"], int(lab))] for it, lab, v in zip(items, y, veto)])
    w *= (w > 0).sum() / w.sum()
    keep = ~veto
    mean = X[keep].mean(0)
    scale = X[keep].std(0) + 1e-6
    Z = (X - mean) / scale
    coef, bias = fit_lr(Z[keep], y[keep].astype(float), w[keep])
    prob = 1 / (1 + np.exp(-(Z @ coef + bias)))
    prob[veto] = 0.0

    # threshold: the mean over sources of their balanced accuracy, on dev rows
    src = np.array([it["source"] for it in items])
    best = (0.0, 0.5)
    for t in np.linspace(0.2, 0.8, 61):
        score = np.mean([bacc(prob[src == s] >= t, y[src == s])[0] for s in set(src)])
        best = max(best, (float(score), float(t)))
    threshold = round(best[1], 3)
    figs = {s: bacc(prob[src == s] >= threshold, y[src == s]) for s in sorted(set(src))}
    spec = {"features": list(FEATURES), "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale], "weights": [round(float(v), 6) for v in coef],
            "bias": round(float(bias), 6), "threshold": threshold,
            "fitted_on": {"pairs": int(keep.sum()), "vetoed_before_the_model": int(veto.sum()),
                          "sources": dict(Counter(src.tolist())), "held_out_kind": HOLDOUT,
                          "dev_balanced_accuracy": {s: f[0] for s, f in figs.items()}}}
    a.out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({n: round(float(c), 3) for n, c in zip(FEATURES, coef)}), file=sys.stderr)
    print(f"threshold {threshold}; dev (bacc, kept, caught) by source: {figs}")

    # the kind kept out, on the same stories: caught share, beside the faithful pairs kept
    Zh = (X_all[n:] - mean) / scale
    ph = 1 / (1 + np.exp(-(Zh @ coef + bias)))
    ok = (ph >= threshold) & ~veto_all[n:]
    by = defaultdict(list)
    for it, got in zip(held_items, ok):
        by[it["kind"]].append(bool(got) == bool(it["label"]))
    print("not fitted on:", {k: f"{sum(v)}/{len(v)} right" for k, v in by.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
