"""How often two matchers agree, fact by fact, on the same brief: two `brief eval --report` folders in.

    python benchmarks/judge_agreement.py /tmp/offline-report /tmp/llm-report [--json out.json]

Compares each fact's verdict regardless of section (full / partial / none), the same collapsed to covered
or not, the scored outcome (hit / partial / misplaced / miss), and, where both found the fact, whether they
named the same item. Cohen's kappa is printed only where it
means something: when a matcher gives one label to every fact, kappa is 0 whatever the other says, and the
plain agreement is the only figure.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.evals.agreement import accuracy, binary, cohen_kappa  # noqa: E402


def _facts(folder: Path) -> tuple[str, dict[str, dict]]:
    path = folder / "report.json" if folder.is_dir() else folder
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        return report["matcher"], {f["id"]: f for f in report["facts"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(f"judge_agreement: {path}: not a brief eval report ({e})") from None


def compare(a: dict[str, dict], b: dict[str, dict]) -> dict:
    ids = [i for i in a if i in b]
    if not ids:
        raise SystemExit("judge_agreement: the two reports share no fact id")
    views = {
        "verdict (3-way)": ([a[i]["verdict_any"] for i in ids], [b[i]["verdict_any"] for i in ids]),
        "covered (binary)": (binary([a[i]["verdict_any"] for i in ids]), binary([b[i]["verdict_any"] for i in ids])),
        "outcome (4-way)": ([a[i]["outcome"] for i in ids], [b[i]["outcome"] for i in ids]),
    }
    figures = {}
    for name, (x, y) in views.items():
        meaningful = len(set(x)) > 1 and len(set(y)) > 1
        figures[name] = {"agree": sum(p == q for p, q in zip(x, y)), "n": len(ids),
                         "accuracy": round(accuracy(x, y), 3),
                         "kappa": round(cohen_kappa(x, y), 3) if meaningful else None}
    both = [i for i in ids if a[i]["verdict_any"] != "none" and b[i]["verdict_any"] != "none"]
    figures["same item (both covered)"] = {"agree": sum(a[i]["item_id"] == b[i]["item_id"] for i in both),
                                           "n": len(both), "accuracy": round(sum(
                                               a[i]["item_id"] == b[i]["item_id"] for i in both) / len(both), 3)
                                           if both else None, "kappa": None}
    disagreements = [{"id": i, "a": a[i]["outcome"], "b": b[i]["outcome"], "b_item": b[i].get("item_id"),
                      "b_reason": b[i].get("reason")} for i in ids if a[i]["outcome"] != b[i]["outcome"]]
    return {"facts": len(ids), "figures": figures, "disagreements": disagreements}


def render(name_a: str, name_b: str, result: dict) -> str:
    lines = [f"A = {name_a}, B = {name_b}, {result['facts']} facts",
             f"{'view':<26} {'agree':>7} {'accuracy':>9} {'kappa':>7}"]
    for view, f in result["figures"].items():
        kappa = "n/a" if f["kappa"] is None else f"{f['kappa']:.3f}"
        acc = "n/a" if f["accuracy"] is None else f"{f['accuracy']:.3f}"
        lines.append(f"{view:<26} {f['agree']:>3}/{f['n']:<3} {acc:>9} {kappa:>7}")
    for d in result["disagreements"]:
        lines.append(f"  {d['id']:<5} A {d['a']:<9} B {d['b']:<9} ({d['b_item']}) {d['b_reason']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a", type=Path, help="report folder (or report.json) of matcher A, e.g. offline")
    p.add_argument("b", type=Path, help="report folder (or report.json) of matcher B, e.g. the LLM judge")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    (name_a, a), (name_b, b) = _facts(args.a), _facts(args.b)
    result = compare(a, b)
    print(render(name_a, name_b, result))
    if args.json:
        args.json.write_text(json.dumps({"a": name_a, "b": name_b, **result}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
