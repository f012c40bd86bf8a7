"""What the eval says about the offline engine, by matcher: recall and unmatched_items on the hand-labelled
gold, and mean recall on the external held-out halves with and without the items that are not facts.

    python benchmarks/matcher_eval.py --verifier embed [--json out.json] [--limit N] [--split heldout]

"Not facts": items whose basis is a framing note ("different-leads", "framing"): what each source led with
is not a statement a gold fact can be, so recall that comes from them is padding. Each brief is made once
per corpus and scored twice (as made; with those items taken out).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evals.datasets import evaldata_dir, load_dataset  # noqa: E402
from pipeline.evals.gold import load_gold  # noqa: E402
from pipeline.evals.match import VerifierMatcher  # noqa: E402
from pipeline.evals.metrics import score_brief  # noqa: E402
from pipeline.run import make_brief  # noqa: E402
from pipeline.verify import get_verifier  # noqa: E402

NOT_FACTS = frozenset({"different-leads", "framing"})
GOLD = {"seeds": "seeds", "harbor-blast": "evals/corpora/harbor-blast", "fenwick-vote": "evals/corpora/fenwick-vote",
        "grocer-results": "evals/corpora/grocer-results", "driver-ruling": "evals/corpora/driver-ruling"}


def facts_only(brief):
    b = brief.model_copy(deep=True)
    for sec in ("agreements", "divergences", "unsaid"):
        setattr(b, sec, [i for i in getattr(b, sec) if i.basis not in NOT_FACTS])
    return b


def score(brief, gold, matcher) -> dict:
    s = score_brief(brief, gold, matcher)
    # as metrics.unmatched: items that are no fact's deciding item (computed here so any matcher can be read)
    credited = {f.item_id for f in s.facts if f.item_id is not None and f.verdict_any != "none"}
    three = [i for sec in ("agreements", "divergences", "unsaid") for i in getattr(brief, sec)]
    loose = sum(i.id not in credited for i in three) / len(three) if three else None
    return {"recall": s.recall, "recall_any_section": s.recall_any_section, "unmatched_items": loose,
            "section_precision": s.section_precision, "n_items": s.n_items,
            "per_section": s.per_section}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verifier", default="auto")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--split", default="heldout")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    matcher = VerifierMatcher(get_verifier(args.verifier))
    out: dict = {"matcher": matcher.name, "gold": {}, "datasets": {}}
    print(f"matcher {matcher.name}")
    for name, inputs in GOLD.items():
        path = ROOT / "evals" / "gold" / f"{name}.json"
        if not path.exists():
            continue
        brief = make_brief(str(ROOT / inputs), engine="offline")
        gold = load_gold(path)
        row = {"as_made": score(brief, gold, matcher), "facts_only": score(facts_only(brief), gold, matcher)}
        out["gold"][name] = row
        a, f = row["as_made"], row["facts_only"]
        print(f"{name:<16} recall {a['recall']:.3f} (facts only {f['recall']:.3f})  any {a['recall_any_section']:.3f}  "
              f"unmatched_items {a['unmatched_items']:.3f}  section_precision {a['section_precision']}  items {a['n_items']}")
    if evaldata_dir(required=False):
        for ds in ("allsides", "summhay"):
            rows = []
            for corpus, gold in load_dataset(ds, limit=args.limit, split=args.split):
                brief = make_brief(corpus.records(), engine="offline")
                rows.append({"as_made": score(brief, gold, matcher), "facts_only": score(facts_only(brief), gold, matcher)})
            mean = {v: {k: round(statistics.fmean(r[v][k] for r in rows if r[v][k] is not None), 4)
                        for k in ("recall", "recall_any_section", "unmatched_items")} for v in ("as_made", "facts_only")}
            div = {v: round(statistics.fmean(r[v]["per_section"]["divergences"] for r in rows
                                             if r[v]["per_section"]["divergences"] is not None), 4)
                   for v in ("as_made", "facts_only")} if any(r["as_made"]["per_section"]["divergences"] is not None
                                                               for r in rows) else None
            out["datasets"][ds] = {"split": args.split, "stories": len(rows), "mean": mean, "recall_divergences": div}
            print(f"{ds} {args.split} ({len(rows)} stories): recall {mean['as_made']['recall']:.3f} "
                  f"(facts only {mean['facts_only']['recall']:.3f})  unmatched_items {mean['as_made']['unmatched_items']:.3f}"
                  + (f"  divergence recall {div['as_made']:.3f} (facts only {div['facts_only']:.3f})" if div else ""))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
