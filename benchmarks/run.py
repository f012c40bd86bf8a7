#!/usr/bin/env python3
"""briefsmith benchmarks (issue 5): tokens, concurrency, warm cache, the offline engine at scale,
deduplication scaling and the eval harness. Prints a table; --json writes every figure.

    python benchmarks/run.py [--quick] [--json OUT] [--md OUT] [--only tokens,concurrency,...]

Nothing here asserts a time: the goals are checked and printed, never enforced. Generated corpora go to
a temporary folder and are deleted; the SummHay topics are read from ../shared/evaldata.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the scripted OpenAI-compatible server
sys.path.insert(0, str(REPO / "benchmarks"))

import make_corpus  # noqa: E402

SECTIONS = ("tokens", "concurrency", "offline", "dedup", "eval", "nightly")  # warm cache runs inside concurrency
# OpenAI's chat framing, as its cookbook counts it: 3 tokens per message, 3 to prime the reply
PER_MESSAGE, PER_REQUEST = 3, 3

GOALS = {
    "token_ratio": ("prompt tokens / unique source tokens on the seeds, profile small", "<= 1.3"),
    "token_ratio_full": ("prompt tokens / unique source tokens on the seeds, profile full", "<= 2.0"),
    "speedup_8": ("share of the ideal speed-up at concurrency 8", ">= 0.80"),
    "warm_calls": ("calls on a warm cache", "== 0"),
    "offline_1000_s": ("1,000 articles, offline, wall seconds", "< 60"),
    "offline_1000_mib": ("1,000 articles, offline, peak RSS MiB", "< 1024"),
    "dedup_per_10x": ("dedup time ratio per 10x passages (linear = 10)", "<= 15"),
    "nightly_1000_s": ("`brief nightly`, 1,000 mixed articles, offline, wall seconds", "< 60"),
    "nightly_1000_mib": ("`brief nightly`, 1,000 mixed articles, offline, peak RSS MiB", "< 1024"),
    "nightly_purity": ("event grouping purity, held-out feed", ">= 0.93"),
}


# --- helpers ---------------------------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def machine() -> dict:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or "?"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                   if l.startswith("model name"))
    except (OSError, StopIteration):
        pass

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu, "memory": mem, "python": platform.python_version(), "platform": platform.platform(),
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_files": len([l for l in git("status", "--porcelain", "--untracked-files=no").splitlines() if l]),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def tokens_of_request(body: dict) -> int:
    from pipeline.ingest.tokens import count_tokens
    return PER_REQUEST + sum(PER_MESSAGE + count_tokens(m.get("content") or "") for m in body.get("messages", []))


def user_text(body: dict) -> str:
    return next((m.get("content") or "") for m in body["messages"] if m["role"] == "user")


def is_merge(body: dict) -> bool:
    return "<groups>" in user_text(body)


def completion_tokens(body: dict, responder) -> int:
    """What the scripted server answered, counted with cl100k (it is deterministic: answer again)."""
    from pipeline.ingest.tokens import count_tokens
    return count_tokens(json.dumps(responder(body), ensure_ascii=False))


# The child reports its own peak RSS (VmHWM of its address space). rusage's ru_maxrss cannot be used here:
# Linux carries the forking parent's RSS into the child's maxrss at exec, so after the benchmark's own
# process has grown, every child "peaks" at least at the parent's size.
_CHILD = """
import atexit, os, sys
def _hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(os.environ["BENCH_HWM_FILE"], "w").write(line.split()[1])
atexit.register(_hwm)
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_brief(args: list[str], tmp: Path) -> dict:
    """`brief ARGS` as a whole process: wall seconds, CPU seconds and peak RSS (MiB) of that process."""
    hwm = tmp / "hwm.txt"
    env = {**os.environ, "BENCH_HWM_FILE": str(hwm)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"brief {' '.join(args)} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    return {"wall_s": round(wall, 2), "peak_rss_mib": round(int(hwm.read_text()) / 1024, 1),
            "stdout": out.decode(errors="replace").strip()}


def scripted_model(request: dict) -> dict:
    """The scripted model the tests use (tests/scripted_llm.newsroom)."""
    import scripted_llm as sl
    return sl.newsroom(request)


def scripted_server(latency: float = 0.0):
    from fake_openai_server import FakeOpenAIServer

    server = FakeOpenAIServer(scripted_model, latency=latency)
    # The fake server writes an answer's headers and body separately: with Nagle's algorithm and the client's
    # delayed ACK each answer then waits ~40 ms, which no real endpoint adds (measured: 48 -> 5 ms per call).
    server._httpd.RequestHandlerClass.disable_nagle_algorithm = True
    return server


def llm_run(inputs, server, cache_dir: Path, **kw):
    """One LLM run; the small profile unless `profile` says otherwise, so that figures recorded before the
    profiles (issue 21) stay comparable."""
    from pipeline.run import run_pipeline
    kw.setdefault("profile", "small")
    n0 = server.count
    t0 = time.perf_counter()
    r = run_pipeline(inputs, engine="llm", base_url=server.base_url, model="bench-model", cache_dir=cache_dir, **kw)
    wall = time.perf_counter() - t0
    return r, wall, server.requests[n0:]


# --- 1. tokens --------------------------------------------------------------------------------------

def source_tokens(inputs) -> dict:
    """Tokens of the cleaned texts, of the duplicate passages (every sentence dedup maps to an earlier
    document's), and the difference: the unique source tokens, the floor of what a model must read."""
    from pipeline.ingest.dedup import dedup
    from pipeline.ingest.load import load_documents
    from pipeline.ingest.segment import split_sentences
    from pipeline.ingest.tokens import count_tokens

    docs, _ = load_documents(inputs)
    sentences = [s for d in docs for s in split_sentences(d)]
    dd = dedup(docs, sentences)
    cleaned = sum(count_tokens(d.text) for d in docs)
    duplicate = sum(count_tokens(s.text) for s in sentences if not dd.is_representative(s))
    return {"documents": len(docs), "cleaned_tokens": cleaned, "duplicate_tokens": duplicate,
            "unique_tokens": cleaned - duplicate, "_docs": docs}


def template_tokens() -> dict:
    """A call's instructions: the prompt template rendered with empty variables, framing included."""
    from pipeline.llm.prompts import load_prompt
    from pipeline.ingest.tokens import count_tokens

    p_extract, p_merge = load_prompt("extract_claims"), load_prompt("merge_sections")
    count = lambda msgs: PER_REQUEST + sum(PER_MESSAGE + count_tokens(m["content"]) for m in msgs)
    return {"extract_claims": count(p_extract.render(documents="")),
            "merge_sections": count(p_merge.render(groups="")),
            "extract_atomic": count(load_prompt("extract_atomic").render(documents="")),
            "write_groups": count(load_prompt("write_groups").render(groups=""))}


_DOCUMENT = re.compile(r"<documents>\n(.*?)\n</documents>", re.DOTALL)
_SENTENCE = re.compile(r"^\d+ (?:S\d+ )?(.*)$", re.MULTILINE)  # a numbered sentence, in either prompt


def token_figures(requests: list[dict], unique: int, templates: dict, wall: Optional[float] = None) -> dict:
    """Calls and prompt tokens (cl100k) of the requests a run sent, split into what they carried."""
    import scripted_llm as sl

    from pipeline.ingest.tokens import count_tokens

    ext = [r for r in requests if not is_merge(r)]
    mrg = [r for r in requests if is_merge(r)]
    prompt = sum(map(tokens_of_request, requests))
    ext_prompt = sum(map(tokens_of_request, ext))
    merge_prompt = prompt - ext_prompt
    documents = sum(count_tokens(m.group(1)) for r in ext for m in [_DOCUMENT.search(user_text(r))] if m)
    merged = [user_text(r).split("<groups>", 1)[1] for r in mrg]
    statements = sum(count_tokens(t) for u in merged for t in _SENTENCE.findall(u))
    n_claims = sum(len(sl._GROUP.findall(u)) for u in merged)  # clusters, in the sentence-id merge
    instructions = len(ext) * templates["extract_claims"] + len(mrg) * templates["merge_sections"]
    out = {
        "calls": len(requests), "extract_calls": len(ext), "merge_calls": len(mrg),
        "prompt_tokens": prompt, "extract_prompt_tokens": ext_prompt, "merge_prompt_tokens": merge_prompt,
        "largest_prompt_tokens": max(map(tokens_of_request, requests), default=0),
        "completion_tokens": sum(completion_tokens(r, scripted_model) for r in requests),
        "ratio": round(prompt / unique, 3), "extract_ratio": round(ext_prompt / unique, 3),
        # where the prompt tokens went
        "parts": {
            "documents": documents,
            "instructions": instructions,
            "extract_other": ext_prompt - documents - len(ext) * templates["extract_claims"],  # meta lines, ids
            "merge_claim_statements": statements,
            "merge_claim_framing": merge_prompt - statements - len(mrg) * templates["merge_sections"],  # ids, doc=,
            "merge_claims": n_claims,                                                          # holder=, kind=, sources
        },
        "document_ratio": round(documents / unique, 3),
    }
    if wall is not None:
        out["wall_s"] = round(wall, 2)
    return out


def cost_aware_drops(inputs, overhead: int) -> set[str]:
    """What-if for the chunker: the duplicate sentences worth leaving out. A run of duplicates in the middle of
    a document splits its chunk in two, and the extra call repeats the instructions (`overhead` tokens); so drop
    a run only at either end of a document or when it is longer than that."""
    from pipeline.ingest.dedup import dedup, sentence_key
    from pipeline.ingest.load import load_documents
    from pipeline.ingest.segment import split_sentences
    from pipeline.ingest.tokens import count_tokens

    docs, _ = load_documents(inputs)
    drop: set[str] = set()
    per_doc = {d.id: split_sentences(d) for d in docs}
    dd = dedup(docs, [s for ss in per_doc.values() for s in ss])
    for ss in per_doc.values():
        ss = sorted(ss, key=lambda s: s.start)
        k = 0
        while k < len(ss):
            if dd.is_representative(ss[k]):
                k += 1
                continue
            j = k
            while j < len(ss) and not dd.is_representative(ss[j]):
                j += 1
            run = ss[k:j]
            if k == 0 or j == len(ss) or sum(count_tokens(s.text) for s in run) >= overhead:
                drop.update(sentence_key(s) for s in run)
            k = j
    return drop


def llm_run_dropping(inputs, server, cache_dir: Path, drop: set[str], **kw):
    """llm_run with the chunker leaving out exactly the sentences in `drop` (benchmark-side what-if)."""
    from pipeline.ingest.dedup import DedupResult, sentence_key

    original = DedupResult.is_representative
    DedupResult.is_representative = lambda self, s: sentence_key(s) not in drop
    try:
        return llm_run(inputs, server, cache_dir, **kw)
    finally:
        DedupResult.is_representative = original


DEFAULT_VARIANT = "pipeline (default: rules label the sentences, the model merges)"  # the small profile
FULL_VARIANT = "profile full (the model extracts atomic claims, groups and writes them)"


def bench_tokens(quick: bool) -> dict:
    from pipeline.llm.client import LLMClient
    from pipeline.llm.config import resolve_config
    from pipeline.llm.replies import ExtractionOutput
    from pipeline.llm.prompts import load_prompt

    seeds = REPO / "seeds"
    src = source_tokens(seeds)
    docs, unique = src.pop("_docs"), src["unique_tokens"]
    templates = template_tokens()
    p_extract = load_prompt("extract_claims")

    def figures(requests: list[dict], wall: float) -> dict:
        return token_figures(requests, unique, templates, wall)

    out: dict = {**src, "template_tokens": templates, "variants": {}}
    with scripted_server() as server, tempfile.TemporaryDirectory() as tmp:
        # dedup only changes what the model's extraction reads, so it is measured on --extract model
        dedup_variants = {
            "--extract model (dedup on)": {"extract_with": "model"},
            "--extract model, dedup off": {"extract_with": "model", "skip_duplicates": False},
        }
        variants = {
            DEFAULT_VARIANT: {},
            FULL_VARIANT: {"profile": "full"},
            "pipeline, --merge-batch 1": {"merge_batch": 1},
            **dedup_variants,
            "map-reduce, no dedup (1 call/doc)": {"extract_with": "model", "skip_duplicates": False,
                                                  "max_chunk_tokens": 1_000_000},
        }
        for name, kw in variants.items():
            r, wall, reqs = llm_run(seeds, server, Path(tmp) / name, use_cache=False, concurrency=4, **kw)
            f = figures(reqs, wall)
            # the verifier's judge calls are counted apart from extraction and merge (issue 21)
            f["judge_calls"] = r.brief.header.merge.get("verifier_stats", {}).get("judge_calls", 0)
            f["server_reported"] = {"calls": r.brief.header.usage.calls,
                                    "prompt_tokens (chars/4)": r.brief.header.usage.prompt_tokens,
                                    "completion_tokens (chars/4)": r.brief.header.usage.completion_tokens}
            out["variants"][name] = f
        # stuff: every cleaned document in one extraction prompt, sent for real as one call
        config = resolve_config(flags={"base_url": server.base_url, "model": "bench-model", "use_cache": False,
                                       "cache_dir": Path(tmp) / "stuff"})
        client = LLMClient(config)
        n0 = server.count
        t0 = time.perf_counter()
        blocks = "\n".join(f"[S{k}]\n" + "\n".join(f"{n} {ln}" for n, ln in enumerate(d.text.splitlines(), 1) if ln.strip())
                           for k, d in enumerate(docs, start=1))
        client.structured(p_extract, {"documents": blocks}, ExtractionOutput, label="stuff")
        out["variants"]["stuff (1 call, all documents)"] = figures(server.requests[n0:], time.perf_counter() - t0)
        # the seeds barely repeat each other; articles that share paragraphs show what dedup is for
        n_syn = 30 if quick else 50
        paths = make_corpus.make_corpus(Path(tmp) / "synthetic", n_syn)
        syn = source_tokens(paths)
        syn.pop("_docs")
        syn["variants"] = {}
        for name, kw in dedup_variants.items():
            r, wall, reqs = llm_run(paths, server, Path(tmp) / f"syn {name}", use_cache=False, concurrency=4, **kw)
            syn["variants"][name] = token_figures(reqs, syn["unique_tokens"], templates, wall)
        whatif = "what-if: drop duplicates only where it saves tokens"
        for label, inp, target in ((whatif, seeds, out["variants"]), (whatif, paths, syn["variants"])):
            drop = cost_aware_drops(inp, templates["extract_claims"])
            r, wall, reqs = llm_run_dropping(inp, server, Path(tmp) / f"whatif {len(target)} {inp}", drop,
                                             use_cache=False, concurrency=4)
            target[label] = token_figures(reqs, unique if inp == seeds else syn["unique_tokens"], templates, wall)
        out["synthetic"] = syn
    return out


# --- 2 + 3. concurrency and warm cache --------------------------------------------------------------

def bench_concurrency(quick: bool) -> dict:
    n_docs = 40 if quick else 100
    latency = 0.3
    levels = (1, 4, 8, 16)
    out: dict = {"documents": n_docs, "latency_s": latency, "runs": []}
    with tempfile.TemporaryDirectory() as tmp, scripted_server(latency) as server:
        paths = make_corpus.write_topic(Path(tmp) / "topic", make_corpus.TOPIC_FILES[0], max_docs=n_docs)
        llm_run(REPO / "seeds", server, Path(tmp) / "warm-up", concurrency=4)  # imports, tokenizer, schemas: once
        caches = {}
        for c in levels:
            caches[c] = Path(tmp) / f"cache{c}"  # a fresh cache per run: every call goes to the server
            server.max_in_flight = 0
            r, wall, reqs = llm_run(paths, server, caches[c], concurrency=c)
            tm = r.brief.header.timings
            calls_s = sum(rec["seconds"] for rec in r.calls if rec["stage"] != "merge" and not rec["cache_hit"])
            out["runs"].append({"concurrency": c, "wall_s": round(wall, 2), "extract_s": tm.get("extract"),
                                "merge_s": tm.get("merge"), "calls": len(reqs),
                                "extract_calls": sum(not is_merge(b) for b in reqs),
                                "extract_call_s_sum": round(calls_s, 2), "max_in_flight": server.max_in_flight})
            log(f"  concurrency {c}: {wall:.1f} s, {len(reqs)} calls")
            if c == 1:  # what these calls cost in tokens, at 100 documents
                src = source_tokens(paths)
                src.pop("_docs")
                out["tokens"] = {**src, **token_figures(reqs, src["unique_tokens"], template_tokens())}
        # Ideal: the extraction calls (their summed time at concurrency 1) in ceil(n/c) rounds of c side by side,
        # everything else (loading, dedup, chunking, aligning quotes, the merge call) as it was at concurrency 1.
        base = out["runs"][0]
        n, calls_s = base["extract_calls"], base["extract_call_s_sum"]
        out["serial_s"] = round(base["wall_s"] - calls_s, 2)
        for run in out["runs"]:
            ideal_wall = base["wall_s"] - calls_s + calls_s * math.ceil(n / run["concurrency"]) / n
            run["ideal_wall_s"] = round(ideal_wall, 2)
            run["speedup"] = round(base["wall_s"] / run["wall_s"], 2)
            run["ideal_speedup"] = round(base["wall_s"] / ideal_wall, 2)
            run["share_of_ideal"] = round(run["speedup"] / run["ideal_speedup"], 3)
        # 3. warm cache: the concurrency-8 run again on its own cache
        cold = next(r for r in out["runs"] if r["concurrency"] == 8)
        r, wall, reqs = llm_run(paths, server, caches[8], concurrency=8)
        u = r.brief.header.usage
        out["warm"] = {"calls": len(reqs), "usage_calls": u.calls, "cache_hits": u.cache_hits,
                       "wall_s": round(wall, 2), "cold_wall_s": cold["wall_s"],
                       "share_of_cold": round(wall / cold["wall_s"], 3)}
    return out


# --- 4. the offline engine at scale ------------------------------------------------------------------

def bench_offline(quick: bool) -> dict:
    out: dict = {"runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = [("seeds", REPO / "seeds", 5)]
        for k, rel in enumerate(make_corpus.TOPIC_FILES, 1):
            d = tmp / f"topic{k}"
            inputs.append((f"SummHay topic {k}", d, len(make_corpus.write_topic(d, rel))))
        t0 = time.perf_counter()
        n_big = 1000
        make_corpus.make_corpus(tmp / "corpus", n_big)
        out["corpus_build_s"] = round(time.perf_counter() - t0, 2)
        inputs.append((f"{n_big} synthetic articles", tmp / "corpus", n_big))
        for name, path, n in inputs:
            c0 = os.times()
            res = run_brief(["run", str(path), "--out", str(tmp / "out" / path.name)], tmp)
            c1 = os.times()
            res["cpu_s"] = round(c1.children_user + c1.children_system - c0.children_user - c0.children_system, 2)
            manifest = json.loads((tmp / "out" / path.name / "manifest.json").read_text())
            run = {"input": name, "documents": n, "wall_s": res["wall_s"], "cpu_s": res["cpu_s"],
                   "peak_rss_mib": res["peak_rss_mib"], "docs_per_s": round(n / res["wall_s"], 1),
                   "timings": manifest.get("timings") or manifest.get("header", {}).get("timings"),
                   "input_mb": round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 2)}
            out["runs"].append(run)
            log(f"  {name}: {res['wall_s']} s, {res['peak_rss_mib']} MiB")
    return out


# --- 5. dedup scaling ---------------------------------------------------------------------------------

def bench_dedup(quick: bool) -> dict:
    from pipeline.ingest.dedup import dedup
    from pipeline.ingest.load import load_documents
    from pipeline.ingest.segment import split_sentences

    sizes = (1_000, 10_000, 100_000)
    need = sizes[-1]
    t0 = time.perf_counter()
    n_articles, sentences = 2500, []  # ~50 sentences an article
    while len(sentences) < need:
        docs, _ = load_documents([{"text": t, "name": name}
                                  for name, t in make_corpus.synth_articles(n_articles, seed=11)])
        sentences = [s for d in docs for s in split_sentences(d)]
        n_articles *= 2
    prep = time.perf_counter() - t0
    out: dict = {"prep_s": round(prep, 1), "runs": []}
    for n in sizes:
        sents = sentences[:n]
        used = {s.doc_id for s in sents}
        ds = [d for d in docs if d.id in used]
        best = math.inf
        for _ in range(3 if n <= 10_000 else 1):
            t = time.perf_counter()
            dd = dedup(ds, sents)
            best = min(best, time.perf_counter() - t)
        out["runs"].append({"passages_in": n, "documents": len(ds), "passages_out": dd.stats["passages"],
                            "near_duplicates": dd.stats.get("near_duplicates"),
                            "exact_duplicates": dd.stats.get("exact_duplicates"), "seconds": round(best, 3),
                            "us_per_passage": round(best / n * 1e6, 1)})
        log(f"  dedup {n}: {best:.2f} s")
    for a, b in zip(out["runs"], out["runs"][1:]):
        b["ratio_vs_previous"] = round(b["seconds"] / a["seconds"], 2)
    return out


# --- 6. eval harness -----------------------------------------------------------------------------------

def bench_eval(quick: bool) -> dict:
    from pipeline.evals.datasets import load_dataset
    from pipeline.evals.gold import GoldSet
    from pipeline.evals.match import OfflineMatcher
    from pipeline.evals.metrics import score_brief
    from pipeline.run import run_pipeline

    n_briefs, n_facts, scorings = (20 if quick else 100), 50, 100
    topics = load_dataset("summhay")
    rng = random.Random(7)
    t0 = time.perf_counter()
    pairs = []
    for k in range(n_briefs):
        corpus, gold = topics[k % len(topics)]
        docs = rng.sample(corpus.documents, 5)
        records = [{"text": d.text, "name": d.name, "outlet": d.outlet} for d in docs]
        brief = run_pipeline(records, engine="offline").brief
        pairs.append((brief, GoldSet(corpus=gold.corpus, facts=gold.facts[:n_facts])))
    make_s = time.perf_counter() - t0
    matcher = OfflineMatcher()
    t0 = time.perf_counter()
    recalls = []
    for k in range(scorings):
        brief, gold = pairs[k % len(pairs)]
        recalls.append(score_brief(brief, gold, matcher).recall)
    score_s = time.perf_counter() - t0
    return {"distinct_briefs": n_briefs, "scorings": scorings, "facts_per_gold": n_facts,
            "items_per_brief": round(sum(len(b.items()) for b, _ in pairs) / len(pairs), 1),
            "make_briefs_s": round(make_s, 1), "score_s": round(score_s, 2),
            "ms_per_brief": round(score_s / scorings * 1000, 1), "mean_recall": round(sum(recalls) / len(recalls), 3)}


# --- report ----------------------------------------------------------------------------------------------

# --- 7. nightly: event grouping and a whole night --------------------------------------------------------

def _feed_docs(records: list[dict]):
    from pipeline.ingest.load import load_documents

    docs, _ = load_documents([{"name": r["name"], "text": r["text"], "title": r["title"], "source": r["outlet"],
                               "date": r["date"]} for r in records])
    gold = {r["name"]: r["event"] for r in records}
    return docs, {d.id: gold[d.name] for d in docs}


def bench_nightly(quick: bool) -> dict:
    """Grouping quality (purity, completeness) on the dev and held-out feeds and on the 1,000-article feed;
    then `brief nightly` on that feed as a whole process, twice (the second night finds every brief's
    articles unchanged but makes them again: the offline engine has no cache)."""
    from pipeline.ingest.events import articles_of, group_events, purity_completeness

    out: dict = {"grouping": [], "runs": []}
    feeds = [("dev split", {"split": 0}), ("held-out split", {"split": 1}), ("1,000-article feed", {})]
    for label, kw in feeds:
        docs, gold = _feed_docs(make_corpus.mixed_feed(articles=1000, **kw))
        t0 = time.perf_counter()
        events = group_events(articles_of(docs))
        secs = time.perf_counter() - t0
        purity, completeness = purity_completeness([e.members for e in events], gold)
        exact = {}
        for name in ("seeds", "summhay1", "summhay2"):
            homes = [e for e in events if any(gold[m] == name for m in e.members)]
            exact[name] = len(homes) == 1 and {gold[m] for m in homes[0].members} == {name}
        out["grouping"].append({"feed": label, "articles": len(docs), "gold_events": len(set(gold.values())),
                                "groups": len(events), "purity": round(purity, 3),
                                "completeness": round(completeness, 3), "seconds": round(secs, 2),
                                "seeds_and_topics_exact": all(exact.values())})
        log(f"  grouping {label}: purity {purity:.3f} completeness {completeness:.3f} ({len(docs)} articles, "
            f"{secs:.1f} s)")
    n = 300 if quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_corpus.write_feed(tmp / "feed", make_corpus.mixed_feed(articles=n))
        for attempt in ("first night", "same night again"):
            res = run_brief(["nightly", str(tmp / "feed"), "--out", str(tmp / "out"), "--date", "2026-01-01",
                             "--engine", "offline", "-q"], tmp)
            index = json.loads((tmp / "out" / "2026-01-01" / "index.json").read_text())
            briefed = index["status"]["ok"]
            out["runs"].append({"run": attempt, "articles": n, "events_briefed": briefed,
                                "single_source": len(index["single_source"]), "wall_s": res["wall_s"],
                                "peak_rss_mib": res["peak_rss_mib"], "briefs_per_s": round(briefed / res["wall_s"], 1),
                                "timings": index.get("timings", {})})
            log(f"  nightly {attempt}: {n} articles, {briefed} briefs, {res['wall_s']} s, {res['peak_rss_mib']} MiB")
    return out


def goals(results: dict) -> dict:
    g = {}
    if "tokens" in results:
        v = results["tokens"]["variants"][DEFAULT_VARIANT]["ratio"]
        g["token_ratio"] = (v, v <= 1.3)
        if FULL_VARIANT in results["tokens"]["variants"]:
            f = results["tokens"]["variants"][FULL_VARIANT]["ratio"]
            g["token_ratio_full"] = (f, f <= 2.0)
    if "concurrency" in results:
        r8 = next(r for r in results["concurrency"]["runs"] if r["concurrency"] == 8)
        g["speedup_8"] = (r8["share_of_ideal"], r8["share_of_ideal"] >= 0.8)
        w = results["concurrency"]["warm"]["calls"]
        g["warm_calls"] = (w, w == 0)
    if "offline" in results:
        big = results["offline"]["runs"][-1]
        g["offline_1000_s"] = (big["wall_s"], big["wall_s"] < 60)
        g["offline_1000_mib"] = (big["peak_rss_mib"], big["peak_rss_mib"] < 1024)
    if "dedup" in results:
        worst = max(r["ratio_vs_previous"] for r in results["dedup"]["runs"][1:])
        g["dedup_per_10x"] = (worst, worst <= 15)
    if "nightly" in results:
        first = results["nightly"]["runs"][0]
        if first["articles"] >= 1000:
            g["nightly_1000_s"] = (first["wall_s"], first["wall_s"] < 60)
            g["nightly_1000_mib"] = (first["peak_rss_mib"], first["peak_rss_mib"] < 1024)
        held = next(r for r in results["nightly"]["grouping"] if r["feed"] == "held-out split")
        g["nightly_purity"] = (held["purity"], held["purity"] >= 0.93)
    return {k: {"what": GOALS[k][0], "goal": GOALS[k][1], "value": v, "met": ok} for k, (v, ok) in g.items()}


def table(rows: list[list], header: list[str]) -> str:
    cells = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in cells[1:]])


def render(report: dict) -> str:
    res, parts = report["results"], []
    m = report["machine"]
    parts.append(f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}, {m['platform']}; "
                 f"commit {m['commit'][:12]} (+{m['uncommitted_files']} uncommitted files); {m['date']}; "
                 f"load average {m['loadavg_start']} at start, {report.get('loadavg_end')} at end; "
                 f"mode {report['mode']}, {report['duration_s']} s in all.")
    if "tokens" in res:
        t = res["tokens"]
        parts.append(f"\n### 1. Tokens on the seeds (scripted server; cl100k, chat framing {PER_MESSAGE}/message + "
                     f"{PER_REQUEST}/request)\n\n{t['documents']} documents: {t['cleaned_tokens']} tokens after cleaning, "
                     f"{t['duplicate_tokens']} in duplicate passages, **{t['unique_tokens']} unique**. Template "
                     f"overhead per call (empty variables): extract_claims {t['template_tokens']['extract_claims']}, "
                     f"merge_sections {t['template_tokens']['merge_sections']}.\n")
        rows = [[k, v["calls"], v["prompt_tokens"], v["extract_prompt_tokens"], v["merge_prompt_tokens"],
                 v["parts"]["documents"], v["completion_tokens"], v["ratio"], v["document_ratio"],
                 v.get("judge_calls", "-")] for k, v in t["variants"].items()]
        parts.append(table(rows, ["strategy", "calls", "prompt tok", "extract", "merge", "document tok",
                                  "completion tok", "prompt/unique", "documents/unique", "judge calls (apart)"]))
        whatif = "what-if: drop duplicates only where it saves tokens"
        y = t["synthetic"]
        on, off = y["variants"]["--extract model (dedup on)"], y["variants"]["--extract model, dedup off"]
        parts.append(f"\nArticles that share paragraphs ({y['documents']} from benchmarks/make_corpus.py: "
                     f"{y['cleaned_tokens']} tokens, {y['duplicate_tokens']} of them duplicates, {y['unique_tokens']} unique): "
                     f"dedup on {on['calls']} calls, {on['prompt_tokens']} prompt tokens (ratio {on['ratio']}, extraction "
                     f"{on['extract_ratio']}); dedup off {off['calls']} calls, {off['prompt_tokens']} (ratio {off['ratio']}, "
                     f"extraction {off['extract_ratio']}); dropping duplicates only where that saves tokens (what-if) "
                     f"{y['variants'][whatif]['calls']} calls, {y['variants'][whatif]['prompt_tokens']} (ratio "
                     f"{y['variants'][whatif]['ratio']}, extraction {y['variants'][whatif]['extract_ratio']}).")
        p = t["variants"][DEFAULT_VARIANT]["parts"]
        u = t["unique_tokens"]
        parts.append(f"\nWhere the pipeline's prompt tokens go (share of the unique source tokens): documents "
                     f"{p['documents']} ({p['documents'] / u:.2f}), instructions {p['instructions']} "
                     f"({p['instructions'] / u:.2f}), extraction meta/ids {p['extract_other']} ({p['extract_other'] / u:.2f}), "
                     f"merge claim statements {p['merge_claim_statements']} ({p['merge_claim_statements'] / u:.2f}), "
                     f"merge framing of {p['merge_claims']} claim lines (ids, doc=, holder=, kind=) and the source list "
                     f"{p['merge_claim_framing']} ({p['merge_claim_framing'] / u:.2f}).")
    if "concurrency" in res:
        c = res["concurrency"]
        parts.append(f"\n### 2. Concurrency ({c['documents']} SummHay documents, {c['latency_s']} s per call, fresh cache)\n")
        parts.append(f"Ideal: the extraction calls ({c['runs'][0]['extract_calls']}, {c['runs'][0]['extract_call_s_sum']} s "
                     f"summed at concurrency 1) in ceil(calls/c) rounds side by side; the rest of the run "
                     f"({c['serial_s']} s: loading, dedup, chunking, quote alignment, the merge call) unchanged.\n")
        rows = [[r["concurrency"], r["calls"], r["max_in_flight"], r["wall_s"], r["ideal_wall_s"], r["speedup"],
                 r["ideal_speedup"], f"{r['share_of_ideal']:.0%}", r["extract_s"], r["merge_s"]] for r in c["runs"]]
        parts.append(table(rows, ["concurrency", "calls", "max in flight", "wall s", "ideal wall s", "speed-up",
                                  "ideal speed-up", "share of ideal", "extract stage s", "merge stage s"]))
        t = c["tokens"]
        parts.append(f"\nTokens of this run (concurrency 1): {t['calls']} calls, {t['prompt_tokens']} prompt tokens "
                     f"({t['extract_prompt_tokens']} extraction, {t['merge_prompt_tokens']} in the one merge call), "
                     f"{t['completion_tokens']} completion tokens; {t['unique_tokens']} unique source tokens "
                     f"({t['duplicate_tokens']} of {t['cleaned_tokens']} were duplicates): prompt/unique **{t['ratio']}**, "
                     f"extraction alone {t['extract_ratio']}. Largest single prompt: {t['largest_prompt_tokens']} tokens.")
        w = c["warm"]
        parts.append(f"\n### 3. Warm cache\n\nThe concurrency-8 run again: {w['calls']} calls, {w['cache_hits']} cache hits, "
                     f"{w['wall_s']} s = **{w['share_of_cold']:.1%}** of the cold {w['cold_wall_s']} s.")
    if "offline" in res:
        o = res["offline"]
        parts.append("\n### 4. Offline engine, whole process (`brief run DIR --out OUT`)\n")
        rows = [[r["input"], r["documents"], r["input_mb"], r["wall_s"], r["cpu_s"], r["docs_per_s"], r["peak_rss_mib"],
                 " ".join(f"{k} {v:.1f}" for k, v in (r["timings"] or {}).items())] for r in o["runs"]]
        parts.append(table(rows, ["input", "docs", "MB", "wall s", "cpu s", "docs/s", "peak RSS MiB", "stages (s)"]))
    if "dedup" in res:
        d = res["dedup"]
        parts.append("\n### 5. Deduplication scaling (dedup() alone, synthetic articles)\n")
        rows = [[r["passages_in"], r["documents"], r["passages_out"], r["exact_duplicates"], r["near_duplicates"],
                 r["seconds"], r["us_per_passage"], r.get("ratio_vs_previous", "")] for r in d["runs"]]
        parts.append(table(rows, ["passages in", "docs", "passages out", "exact dups", "near dups", "seconds",
                                  "us/passage", "x vs 10x fewer"]))
    if "eval" in res:
        e = res["eval"]
        parts.append(f"\n### 6. Eval harness (offline matcher)\n\n{e['scorings']} scorings of briefs "
                     f"({e['distinct_briefs']} distinct, {e['items_per_brief']} items each, from 5 SummHay documents) "
                     f"against {e['facts_per_gold']} gold facts: **{e['score_s']} s**, {e['ms_per_brief']} ms per brief "
                     f"(mean recall {e['mean_recall']}; making the briefs took {e['make_briefs_s']} s, not counted).")
    if "nightly" in res:
        nt = res["nightly"]
        parts.append("\n### 7. Nightly: event grouping, and `brief nightly` as a whole process (offline)\n")
        parts.append("Feeds: the seeds, 20 documents of each SummHay topic and AllSides stories (each told by "
                     "left, centre and right outlets) up to 1,000 articles; the dev split (even AllSides stories, "
                     "SummHay documents 0-19) chose the settings, the held-out split (odd stories, 20-39) tests them.\n")
        rows = [[r["feed"], r["articles"], r["gold_events"], r["groups"], r["purity"], r["completeness"],
                 r["seconds"], "yes" if r["seeds_and_topics_exact"] else "NO"] for r in nt["grouping"]]
        parts.append(table(rows, ["feed", "articles", "events (gold)", "groups", "purity", "completeness",
                                  "grouping s", "seeds, topics exact"]))
        parts.append("")
        rows = [[r["run"], r["articles"], r["events_briefed"], r["single_source"], r["wall_s"], r["peak_rss_mib"],
                 r["briefs_per_s"], " ".join(f"{k} {v:.1f}" for k, v in r["timings"].items())] for r in nt["runs"]]
        parts.append(table(rows, ["run", "articles", "briefs", "single-source", "wall s", "peak RSS MiB",
                                  "briefs/s", "stages (s)"]))
    if report["goals"]:
        parts.append("\n### Goals\n")
        parts.append(table([[g["what"], g["goal"], g["value"], "met" if g["met"] else "NOT MET"]
                            for g in report["goals"].values()], ["figure", "goal", "measured", ""]))
    return "\n".join(parts) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer documents for concurrency, fewer distinct briefs")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--md", type=Path, help="write the Markdown report here")
    ap.add_argument("--only", help=f"comma-separated subset of {','.join(SECTIONS)}")
    ap.add_argument("--render", type=Path, metavar="JSON", help="print (and --md) the report of an earlier --json")
    args = ap.parse_args(argv)
    if args.render:
        text = render(json.loads(args.render.read_text()))
        print(text)
        if args.md:
            args.md.write_text(text)
        return 0
    only = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections {sorted(unknown)}")
    if make_corpus.evaldata_dir() is None:
        print("../shared/evaldata not found beside the repository: the SummHay topics are needed", file=sys.stderr)
        return 2
    os.environ.pop("BRIEF_CONFIG", None)  # a user's config file must not change the figures
    report = {"mode": "quick" if args.quick else "full", "machine": machine(), "results": {}}
    t0 = time.perf_counter()
    benches = {"tokens": bench_tokens, "concurrency": bench_concurrency, "offline": bench_offline,
               "dedup": bench_dedup, "eval": bench_eval, "nightly": bench_nightly}
    for name in SECTIONS:
        if name in only:
            log(f"[{name}]")
            s = time.perf_counter()
            report["results"][name] = benches[name](args.quick)
            report["results"][name]["section_s"] = round(time.perf_counter() - s, 1)
    report["duration_s"] = round(time.perf_counter() - t0, 1)
    report["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    report["goals"] = goals(report["results"])
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    text = render(report)
    print(text)
    if args.md:
        args.md.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
