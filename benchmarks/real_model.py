"""The LLM path on a real model, run by hand (never in CI): the seeds (or --corpus with its --gold) side by side
through the offline engine, the LLM path (sentences labelled by the rules, the default, or by the model) and one
stuff-all prompt on the same model.

    python benchmarks/real_model.py --real-model http://127.0.0.1:8765/v1,qwen-local --merge-batch 1 \
        --json out.json --md out.md

Per variant: calls, prompt and completion tokens (as the server reports them), wall time, the load average
before and after (the machine may be shared: a figure without its load is not a figure), recall overall and
per section on evals/gold/seeds.json (offline matcher), how many shown items the support check accepts
(statement against its evidence), and how many items came from the model or fell back to the rules.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STUFF_PROMPT = (
    "You write a neutral brief about one event from several news articles. Return only a JSON object "
    '{"agreements": [...], "divergences": [...], "unsaid": [...]}, each a list of short sentences: what the '
    "sources agree on; where the parties or sources differ; what the sources note was not said or not done.")


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + ("+uncommitted" if dirty else "")
    except OSError:
        return "?"


def _support_share(brief) -> tuple[int, int, list[str]]:
    from pipeline.verify.support import check_support
    checked = [i for i in brief.items() if i.basis != "conflicting-figures" and i.evidence]
    bad = [i.statement for i in checked if not check_support(i.statement, " ".join(e.quote for e in i.evidence)).supported]
    return len(checked) - len(bad), len(checked), bad


def _scores(brief, gold) -> dict:
    from pipeline.evals.match import OfflineMatcher
    from pipeline.evals.metrics import score_brief

    s = score_brief(brief, gold, OfflineMatcher())
    ok, n, bad = _support_share(brief)
    items = brief.items()
    return {"recall": round(s.recall, 3), "recall_any_section": round(s.recall_any_section, 3),
            "per_section": {k: (round(v, 3) if v is not None else None) for k, v in s.per_section.items()},
            "items": len(items), "supported_items": ok, "checked_items": n, "unsupported_statements": bad,
            "origin_model": sum(i.origin == "model" for i in items), "origin_rules": sum(i.origin == "rules" for i in items),
            "unverified_items": len(s.unsupported_items)}


def run_variant(name: str, base_url: str, model: str, gold, cache: Path, log_dir: Path | None = None,
                replay: bool = False, structured_mode: str = "text", corpus: Path = REPO / "seeds", **kw) -> dict:
    from pipeline.run import run_pipeline

    load0, t0 = _load(), time.perf_counter()
    if name == "offline":
        kw.pop("extract_with", None)
        r = run_pipeline(corpus, engine="offline")
    else:
        r = run_pipeline(corpus, engine="llm", base_url=base_url, model=model, concurrency=1,
                         cache_dir=cache, use_cache=replay,
                         log_path=(log_dir / f"{name}.jsonl") if log_dir else None,
                         llm_options={"timeout": 900, "structured_mode": structured_mode, "max_retries": 1}, **kw)
    wall = time.perf_counter() - t0
    u = r.brief.header.usage
    return {"variant": name, "wall_s": round(wall, 1), "load_before": load0, "load_after": _load(),
            "calls": u.calls, "prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
            "reasks": u.reasks, "merge": r.brief.header.merge, **_scores(r.brief, gold),
            "fallback_notes": [c for i in r.brief.items() for c in i.checks if "rules" in c][:12],
            "_brief": r.brief}


def run_stuff(base_url: str, model: str, gold, corpus: Path = REPO / "seeds") -> dict:
    """One prompt with every article, one answer of three lists of sentences; scored as a brief with no evidence."""
    from openai import OpenAI

    from pipeline.ingest.load import load_documents
    from pipeline.models import Brief, BriefHeader, BriefItem, SourceInfo

    docs, _ = load_documents(corpus)
    text = "\n\n".join(f"<article {n}>\n{d.text}\n</article {n}>" for n, d in enumerate(docs, start=1))
    client = OpenAI(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "none"), timeout=1800)
    load0, t0 = _load(), time.perf_counter()
    r = client.chat.completions.create(model=model, messages=[{"role": "system", "content": STUFF_PROMPT},
                                                              {"role": "user", "content": text}],
                                       temperature=0, max_tokens=1200, response_format={"type": "json_object"})
    wall = time.perf_counter() - t0
    content = r.choices[0].message.content or "{}"
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        data = {}
    sections = {}
    for name in ("agreements", "divergences", "unsaid"):
        raw = data.get(name) if isinstance(data, dict) else None
        sections[name] = [BriefItem(id=f"{name[0]}{k}", section=name, statement=str(x), sources=[],
                                    independent_sources=0, evidence=[], verified=False)
                          for k, x in enumerate(raw if isinstance(raw, list) else [], start=1)]
    header = BriefHeader(title="stuff", engine="llm", engine_note="one prompt", created_at="", briefsmith_version="")
    sources = [SourceInfo(id=d.id, n=n, name=d.name, sha256=d.sha256, syndication_group=n, text=d.text)
               for n, d in enumerate(docs, start=1)]
    brief = Brief(header=header, sources=sources, **sections)
    return {"variant": "stuff-all prompt", "wall_s": round(wall, 1), "load_before": load0, "load_after": _load(),
            "calls": 1, "prompt_tokens": r.usage.prompt_tokens if r.usage else None,
            "completion_tokens": r.usage.completion_tokens if r.usage else None, "reasks": 0, "merge": {},
            **_scores(brief, gold), "fallback_notes": [], "raw_answer": content[:4000], "_brief": brief}


def render(report: dict) -> str:
    rows = []
    for v in report["variants"]:
        ps = v["per_section"]
        shown = v["items"]
        rows.append(f"| {v['variant']} | {v['wall_s']} | {v['load_before'][0]} / {v['load_after'][0]} | {v['calls']} | "
                    f"{v['prompt_tokens']} | {v['completion_tokens']} | {v['recall']} | {ps['agreements']} / "
                    f"{ps['divergences']} / {ps['unsaid']} | {shown} | {v['supported_items']}/{v['checked_items']} | "
                    f"{v['origin_model']} / {v['origin_rules']} |")
    return "\n".join([
        f"Real model {report['model']} at {report['base_url']}, corpus {report.get('corpus')}, "
        f"commit {report['commit']}, {report['date']}, "
        f"{os.cpu_count()} CPUs; LLM path --structured-mode {report.get('structured_mode')}, --merge-batch "
        f"{report.get('merge_batch') or 'default'}.",
        "",
        "| variant | wall s | load 1-min before / after | calls | prompt tok | completion tok | recall | "
        "agreements / divergences / unsaid | items | supported / checked | origin model / rules |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows, ""])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real-model", required=True, metavar="URL,MODEL", help="e.g. http://127.0.0.1:8765/v1,qwen-local")
    ap.add_argument("--variants", default="offline,llm,stuff",
                    help="comma-separated: offline, llm (the LLM path as configured: rules label the sentences, "
                         "the model merges), llm-model (--extract model: the model labels them too), stuff")
    ap.add_argument("--merge-batch", type=int, help="clusters per merge call (brief run --merge-batch)")
    ap.add_argument("--structured-mode", default="text", choices=["json_object", "llamacpp", "text"],
                    help="how the LLM path asks for JSON (brief run --structured-mode; default text, the fast "
                         "one on llama.cpp)")
    ap.add_argument("--corpus", type=Path, default=REPO / "seeds", help="the articles (default seeds/)")
    ap.add_argument("--gold", type=Path, default=REPO / "evals" / "gold" / "seeds.json",
                    help="their gold facts (default evals/gold/seeds.json)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--md", type=Path)
    ap.add_argument("--replay", type=Path, metavar="DIR",
                    help="keep the answers in this cache and serve them again on the next run: for working on what "
                         "the pipeline does with the answers (wall times of a replay are not the model's)")
    ap.add_argument("--log", type=Path, metavar="DIR", help="keep every prompt and answer, one JSONL file per variant")
    args = ap.parse_args(argv)
    base_url, _, model = args.real_model.partition(",")
    if not base_url or not model:
        ap.error("--real-model takes URL,MODEL")
    import tempfile

    from pipeline.evals.gold import load_gold

    gold = load_gold(args.gold)
    report = {"base_url": base_url, "model": model, "commit": _commit(), "corpus": str(args.corpus),
              "structured_mode": args.structured_mode,
              "merge_batch": args.merge_batch,
              "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "variants": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.variants.split(","):
            print(f"[{name}] ...", file=sys.stderr, flush=True)
            if name == "stuff":
                v = run_stuff(base_url, model, gold, args.corpus)
            elif name in ("offline", "llm", "llm-model", "llm-rules"):
                if args.log:
                    args.log.mkdir(parents=True, exist_ok=True)
                v = run_variant(name, base_url, model, gold, (args.replay or Path(tmp)) / name, args.log,
                                bool(args.replay), args.structured_mode,
                                extract_with="model" if name == "llm-model" else "rules", corpus=args.corpus,
                                **({"merge_batch": args.merge_batch} if name != "offline" else {}))
            else:
                ap.error(f"unknown variant {name!r}")
            brief = v.pop("_brief")
            v["statements"] = {s: [i.statement for i in getattr(brief, s)] for s in ("agreements", "divergences", "unsaid")}
            report["variants"].append(v)
            print(f"[{name}] {v['wall_s']} s, recall {v['recall']}, items {v['items']}, "
                  f"model/rules {v['origin_model']}/{v['origin_rules']}", file=sys.stderr, flush=True)
            if args.json:  # after each variant: a long run that fails late keeps what it measured
                args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    text = render(report)
    print(text)
    if args.md:
        args.md.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
