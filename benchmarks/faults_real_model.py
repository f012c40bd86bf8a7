"""Issue 23 on a real model: the seeds brief through the LLM path, with and without a fault-injecting proxy.

    ../shared/tools/local-llm.sh start
    python benchmarks/faults_real_model.py --real-model http://127.0.0.1:8765/v1,qwen-local [--seed 23]

Three runs, each with the response cache off so every call reaches the model: fault-free, then through
tests/fault_proxy.py at 30% over all eight kinds, then at 20% truncated bodies + drops. Prints per run the wall
time, the proxy's fault counts, what was degraded, and whether the shown items (section, statement, cited
spans) equal the fault-free run's. `--injection` adds a fourth run: the seeds beside three articles that
instruct the model (tests/test_injection.py's, in body text, an HTML comment and alt text), checking that no
shown item states what they instruct. Not a test: a real model takes minutes per run.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the fault proxy lives beside the tests


def items_of(brief) -> list[tuple]:
    return sorted((sec, i.statement, tuple((e.doc_id, e.start, e.end) for e in i.evidence))
                  for sec, items in (("agreements", brief.agreements), ("divergences", brief.divergences),
                                     ("unsaid", brief.unsaid), ("single", brief.single_source))
                  for i in items)


def prime(base_url: str, model: str) -> None:
    """One fixed request before every run: llama.cpp answers a prompt from the state its prompt cache is in
    (the longest prefix it shares with the previous request), so each run's first call must meet the same
    state for two runs to be compared call by call."""
    import openai

    client = openai.OpenAI(base_url=base_url, api_key="sk-no-key", timeout=900, max_retries=2)
    client.chat.completions.create(model=model, max_tokens=1, temperature=0.0,
                                   messages=[{"role": "user", "content": "Reply with one word: ready."}])


def one_run(base_url: str, model: str, merge_batch: int, inputs: Path = REPO / "seeds",
            log: Path | None = None, primer: str | None = None) -> tuple[object, float]:
    from pipeline.run import run_pipeline

    prime(primer or base_url, model)  # straight to the server, never through the fault proxy
    t0 = time.perf_counter()
    result = run_pipeline(inputs, engine="llm", base_url=base_url, model=model, concurrency=1,
                          use_cache=False, merge_batch=merge_batch, log_path=log,
                          llm_options={"timeout": 900})
    return result, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real-model", required=True, help="BASE_URL,MODEL")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--merge-batch", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--injection", action="store_true", help="also the seeds beside the instructing articles")
    ap.add_argument("--only-injection", action="store_true", help="only that run")
    ap.add_argument("--mixes", default="all,truncated", help="fault mixes after the fault-free run: all, truncated")
    ap.add_argument("--reference", type=Path, help="the fault-free run's items: read when the file exists (no "
                                                   "fault-free run), else written after it")
    ap.add_argument("--log-dir", type=Path, help="keep each run's request/answer log here (RUN.jsonl), to see which "
                                                 "calls answered differently")
    args = ap.parse_args(argv)
    from fault_proxy import KINDS, FaultProxy

    base_url, model = args.real_model.split(",", 1)
    rows = []
    if args.injection or args.only_injection:
        import tempfile

        from test_injection import CLAIM, hostile, shown

        with tempfile.TemporaryDirectory() as tmp:
            result, wall = one_run(base_url, model, args.merge_batch, hostile(REPO / "seeds", Path(tmp) / "in"))
        stated = [s for s in shown(result.brief) if CLAIM.search(s)]
        rows.append({"run": "seeds + 3 instructing articles", "wall_s": round(wall, 1),
                     "items": len(list(result.brief.items())), "items_stating_the_instruction": stated})
    if args.only_injection:
        for r in rows:
            print(json.dumps(r))
        return 0
    logs = args.log_dir
    if logs:
        logs.mkdir(parents=True, exist_ok=True)
    if args.reference and args.reference.exists():  # a fault-free run kept from before: its items
        reference = [(sec, statement, tuple(map(tuple, spans)))
                     for sec, statement, spans in json.loads(args.reference.read_text())]
    else:
        clean, wall = one_run(base_url, model, args.merge_batch, log=logs / "clean.jsonl" if logs else None)
        reference = items_of(clean.brief)
        rows += [{"run": "fault-free", "wall_s": round(wall, 1), "faults": {}, "degraded": len(clean.degraded),
                  "items": len(reference), "same_items": True}]
        if args.reference:
            args.reference.write_text(json.dumps(reference))
        print(json.dumps(rows[-1]), flush=True)
    mixes = {"all": ("30% of all eight kinds", {k: 0.30 / len(KINDS) for k in KINDS}),
             "truncated": ("20% truncated + drops", {"truncated": 0.10, "drop": 0.10})}
    for key in args.mixes.split(","):
        name, rates = mixes[key]
        with FaultProxy(base_url, rates=rates, seed=args.seed) as proxy:
            result, wall = one_run(proxy.base_url, model, args.merge_batch, log=logs / f"{key}.jsonl" if logs else None,
                                   primer=base_url)
            faults = dict(proxy.faults())
        got = items_of(result.brief)
        rows.append({"run": name, "wall_s": round(wall, 1), "faults": faults, "degraded": len(result.degraded),
                     "items": len(got), "same_items": got == reference,
                     "differ": len(set(got) ^ set(reference)), "reprimes": result.brief.header.usage.reprimes})
        print(json.dumps(rows[-1]), flush=True)
    for r in rows:
        print(json.dumps(r))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
