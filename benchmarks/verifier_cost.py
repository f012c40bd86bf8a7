"""What the verifier costs on a brief: load time of the embedding model, the offline seeds brief with each
verifier (wall time, pairs judged, vetoes), and with --base-url the llm verifier's judge calls and tokens.

Usage: python benchmarks/verifier_cost.py [--inputs seeds/] [--base-url URL --model NAME]
Each figure is one run in a fresh process (`--one KIND` is that process), so the model load is counted.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one(kind: str, inputs: str, base_url: str | None, model: str | None) -> dict:
    t0 = time.perf_counter()
    from pipeline.run import run_pipeline
    from pipeline.verify.encoder import load_encoder

    t_import = time.perf_counter() - t0
    t_load = None
    if kind in ("embed", "auto", "llm"):
        t1 = time.perf_counter()
        try:
            load_encoder()
            t_load = round(time.perf_counter() - t1, 2)
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on (auto falls back)
            t_load = f"unavailable: {exc}"
    t2 = time.perf_counter()
    kw = {"engine": "offline", "verifier": kind}
    if base_url:
        kw.update(base_url=base_url, model=model, use_cache=False)
    result = run_pipeline([inputs], **kw)
    return {"verifier": kind, "import_s": round(t_import, 2), "model_load_s": t_load,
            "brief_s": round(time.perf_counter() - t2, 2), "total_s": round(time.perf_counter() - t0, 2),
            "items": len(result.brief.items()), "dropped": len(result.dropped_items), **result.verifier}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", default=str(ROOT / "seeds"))
    ap.add_argument("--kinds", default="rules,embed")
    ap.add_argument("--base-url")
    ap.add_argument("--model")
    ap.add_argument("--one")
    a = ap.parse_args(argv)
    if a.one:
        print(json.dumps(one(a.one, a.inputs, a.base_url, a.model)))
        return 0
    for kind in a.kinds.split(","):
        cmd = [sys.executable, __file__, "--one", kind, "--inputs", a.inputs]
        if a.base_url:
            cmd += ["--base-url", a.base_url] + (["--model", a.model] if a.model else [])
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True)
        wall = round(time.perf_counter() - t, 2)
        line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
        print(f"{kind}: process wall {wall}s: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
