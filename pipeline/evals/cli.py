"""`brief eval`: score briefs against gold facts, compare pipeline variants, check the scorer itself.

    brief eval BRIEF_JSON --gold GOLD [--report DIR] [--matcher offline|llm] [--verifier rules|embed|llm|auto]
    brief eval --run INPUT... --gold GOLD [--engine offline|llm] [--report DIR]
    brief eval --dataset allsides|summhay [--limit N] [--report DIR]
    brief eval compare --gold GOLD --inputs INPUT... [--a SPEC] --b SPEC [--repeat N] [--baseline FILE]
    brief eval baseline [--write]
    brief eval agreement [--split dev|test|all|each] [--matcher llm] [--verifier KIND]
    brief eval support [--file SUMMEDITS_JSON | --pairs FILE.jsonl] [--verifier rules|embed|llm|auto]

The `eval` sub-parser hands its arguments over untouched (prefix_chars that never occur), so the
implicit scoring action and the named actions can share one command.
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, TextIO

from ..models import SECTIONS, BriefError, UsageError
from .agreement import SPLITS, evaluate, load_human_coverage, render
from .baseline import Baseline, BaselineEntry, entry_for, gate, read_baseline, write_baseline
from .compare import fact_changes, intervals, parse_spec, render_comparison, render_gate, run_variant
from .splits import SPLITS as DATA_SPLITS
from .datasets import DATASETS, HUMAN_COVERAGE_FILE, evaldata_dir, load_dataset
from .gold import load_gold
from .summedits import SPLITS as SUMMEDITS_SPLITS, SUMMEDITS_FILE, evaluate as summedits_evaluate, load_summedits, sample
from .summedits import render as render_summedits
from .match import VerifierMatcher
from .metrics import Matcher, score_brief
from .report import make_report, render_table, write_atomic, write_report
from ..cli_args import add_endpoint_args, llm_options
from .scoring import TRACKED, default_make_brief, load_brief, mean_metrics, score_corpus, tracked
from .pairs import evaluate_pairs, load_pairs, render_pairs
from ..verify import KINDS as VERIFIER_KINDS, get_verifier

DEFAULT_BASELINE = Path("evals/baseline.json")
DEFAULT_GOLD = Path("evals/gold/seeds.json")
DEFAULT_INPUTS = Path("seeds")
BASELINE_SPLITS = ("dev", "heldout")


# --- shared flags ---------------------------------------------------------------------------------

def _verifier_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--verifier", choices=list(VERIFIER_KINDS), default="auto",
                   help="what judges whether an item states a gold fact (the offline matcher): rules, embed, llm "
                        "(the endpoint's model), auto (default: llm with an endpoint, else embed, else rules)")


def _matcher_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--matcher", choices=["offline", "llm"], default="offline",
                   help="offline: a fact is credited to the item whose statement supports it, as --verifier judges "
                        "(default); llm: the judge_fact prompt on the endpoint")
    _verifier_arg(p)
    p.add_argument("--top-k", type=int, default=8,
                   help="llm matcher: show the judge only the K items closest to the fact (0 = all; default 8)")


def _engine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=["offline", "llm"], default="offline",
                   help="engine that makes the briefs for --run/--dataset (default offline)")
    p.add_argument("--prompts", type=Path, help="folder of prompt templates overriding the shipped ones")


def _llm_config(args: argparse.Namespace):
    from ..llm.config import resolve_config

    flags = {"base_url": args.base_url, "model": args.model, "api_key": args.api_key, "cache_dir": args.cache_dir,
             "use_cache": False if args.no_cache else None, "concurrency": args.concurrency, **llm_options(args)}
    return resolve_config(flags={k: v for k, v in flags.items() if v is not None}, config_file=args.config)


def make_verifier(args: argparse.Namespace, out: Optional[TextIO] = None):
    """The verifier --verifier names; llm (and auto) get the endpoint's client when one is configured.
    A fallback (auto without the embedding model) is said on stderr."""
    kind = getattr(args, "verifier", "auto")
    client = None
    if kind in ("llm", "auto") and hasattr(args, "base_url"):
        config = _llm_config(args)
        if config.endpoint_configured:
            from ..llm.client import LLMClient

            client = LLMClient(config, log_path=args.log)
    verifier = get_verifier(kind, client=client)
    for w in verifier.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return verifier


def make_matcher(args: argparse.Namespace) -> Matcher:
    if args.matcher == "offline":
        return VerifierMatcher(make_verifier(args))
    from .judge import LLMJudge

    config = _llm_config(args)
    if not config.endpoint_configured:
        raise BriefError("--matcher llm needs an endpoint: give --base-url and/or --model "
                         "(or OPENAI_BASE_URL / BRIEF_MODEL)")
    return LLMJudge.from_config(config, prompts_dir=getattr(args, "prompts", None), top_k=args.top_k or None,
                                log_path=args.log)


def _brief_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    kw: dict[str, Any] = {"engine": args.engine, "verifier": getattr(args, "verifier", None)}  # the eval's one verifier
    if args.engine == "llm":
        kw.update({k: v for k, v in {"model": args.model, "base_url": args.base_url, "api_key": args.api_key,
                                      "config_file": args.config, "cache_dir": args.cache_dir}.items() if v})
        kw["use_cache"] = not args.no_cache
        kw.update(_endpoint_kwargs(args))
    if args.prompts:
        kw["prompts_dir"] = args.prompts
    return kw


def _endpoint_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """What the endpoint flags say about how to call (not which endpoint), for briefs made by the llm
    engine: the same --concurrency/--timeout/--retries as `brief run`."""
    kw: dict[str, Any] = {"concurrency": args.concurrency, "llm_options": llm_options(args) or None,
                          "log_path": args.log}
    return {k: v for k, v in kw.items() if v is not None}


def _judge_usage(matcher: Matcher):
    client = getattr(matcher, "client", None)
    return client.usage if client is not None else None


# --- brief eval BRIEF | --run | --dataset ---------------------------------------------------------

def score_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief eval",
        description="Score a brief against hand-labelled gold facts. Recall: recall per section (full match = 1, "
                    "partial = 0.5, weighted by fact weight), recall_any_section, misplaced facts. Precision, for any "
                    "brief: citation_precision (share of evidence spans that support their item's statement), "
                    "citation_recall (share of items whose every sentence a span supports), section_precision (of "
                    "the items matching a gold fact, the share in the fact's section), redundancy (share of items "
                    "restating another), unmatched_items (share of the three sections' items credited with no gold fact: padding), "
                    "unsupported_items (items no span supports), unsourced numbers. A fact is credited to the one item "
                    "whose statement supports it (--verifier judges); a statement of more than two sentences is judged "
                    "sentence by sentence and credited once. report.json "
                    "lists every item with its support (0..1) and each unsupported span with the reason. "
                    "Scoring a saved brief calls no generation model.",
        epilog="Other actions: `brief eval compare -h` (prompt/model changes, the baseline gate, bootstrap CIs), "
               "`brief eval baseline -h` (write/check evals/baseline.json), "
               "`brief eval agreement -h` (does the scorer agree with people?), "
               "`brief eval support -h` (does the support check agree with people? SummEdits).")
    src = p.add_argument_group("what to score (one of)")
    src.add_argument("brief", nargs="?", type=Path, metavar="BRIEF_JSON", help="a saved brief.json")
    src.add_argument("--run", nargs="+", metavar="INPUT", help="make the brief from these inputs first")
    src.add_argument("--dataset", choices=DATASETS, help="external corpora: make a brief per story, print mean recall")
    p.add_argument("--gold", type=Path, metavar="GOLD_JSON", help="gold facts (required with a brief or --run)")
    p.add_argument("--report", type=Path, metavar="DIR", help="write report.json and report.md here")
    p.add_argument("--limit", type=int, help="--dataset: at most N stories")
    p.add_argument("--max-docs", type=int, help="--dataset summhay: use the first N documents of each topic")
    p.add_argument("--split", choices=DATA_SPLITS, default="all",
                   help="--dataset: dev (tune on it), heldout (report it) or all; halves fixed by hashes of ids")
    _matcher_args(p)
    _engine_args(p)
    add_endpoint_args(p, "LLM endpoint (the judge with --matcher llm, and the llm engine; the same flags as brief run)")
    return p


def cmd_score(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    out = out or sys.stdout
    chosen = [x for x in (args.brief, args.run, args.dataset) if x]
    if len(chosen) != 1:
        raise BriefError("give exactly one of BRIEF_JSON, --run INPUT..., --dataset NAME")
    if args.dataset:
        return cmd_dataset(args, out)
    if not args.gold:
        raise BriefError("--gold GOLD_JSON is required")
    gold = load_gold(args.gold)
    if args.brief:
        brief, brief_path = load_brief(args.brief), str(args.brief)
    else:
        brief = default_make_brief(args.run if len(args.run) > 1 else args.run[0], **_brief_kwargs(args))
        brief_path = None
        if args.report:  # keep the brief that was scored, so it can be re-graded without a model
            brief_path = str(Path(args.report) / "brief.json")
            write_atomic(Path(brief_path), brief.model_dump_json(indent=2) + "\n")
    matcher = make_matcher(args)
    report = make_report(score_brief(brief, gold, matcher), brief, gold, matcher.name, brief_path=brief_path,
                         judge_usage=_judge_usage(matcher))
    print(render_table(report), file=out)
    if args.report:
        paths = write_report(report, args.report)
        print(f"wrote {paths[0]} and {paths[1]}", file=out)
    return 0


def cmd_dataset(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    out = out or sys.stdout
    stories = load_dataset(args.dataset, limit=args.limit, max_docs=args.max_docs, split=args.split)
    if not stories:
        raise BriefError(f"dataset {args.dataset} gave no stories")
    matcher = make_matcher(args)
    kwargs = _brief_kwargs(args)
    rows = []
    print(f"{'story':<34} {'facts':>5} {'items':>5} {'recall':>7} " + " ".join(f"{s[:5]:>6}" for s in SECTIONS), file=out)
    for corpus, gold in stories:
        cs = score_corpus(corpus, gold, matcher, **kwargs)
        rows.append(cs)
        per = " ".join(_cell(cs.metrics[f"recall_{s}"]) for s in SECTIONS)
        print(f"{cs.corpus[:34]:<34} {len(gold.facts):>5} {cs.n_items:>5} {cs.metrics['recall']:>7.3f} {per}", file=out)
    mean = mean_metrics([r.metrics for r in rows])
    print(f"\n{args.dataset} split={args.split}: {len(rows)} stories, engine={args.engine}, matcher={matcher.name}", file=out)
    print("mean " + "  ".join(f"{k} {_cell(mean[k]).strip()}" for k in TRACKED), file=out)
    if args.report:
        data = {"dataset": args.dataset, "split": args.split, "stories": len(rows), "engine": args.engine, "matcher": matcher.name,
                "mean": mean, "per_story": [r.model_dump() for r in rows]}
        path = Path(args.report) / "report.json"
        write_atomic(path, json.dumps(data, indent=2) + "\n")
        print(f"wrote {path}", file=out)
    return 0


def _cell(x: Optional[float]) -> str:
    return f"{'n/a':>6}" if x is None else f"{x:>6.3f}"


# --- brief eval compare ---------------------------------------------------------------------------

def compare_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief eval compare",
        description="Make the brief of INPUT with two variants (A, B) and score both against the same gold: metric "
                    "deltas and, fact by fact, what B gained or lost. With --baseline, gate B against the stored "
                    "baseline: exit 1 when a tracked metric drops by more than --tolerance (a baseline made with another "
                    "engine, model, corpus or matcher is refused, exit 2, unless --allow-different-engine). Without "
                    "--a, A is the baseline entry with --baseline, else B without its prompts= (the shipped prompts).",
        epilog="SPEC: comma-separated key=value: engine=offline|llm, model, base_url, api_key, prompts=DIR, "
               "cache_dir, cache=on|off, label. E.g. --a engine=offline "
               "--b engine=llm,base_url=http://127.0.0.1:8080/v1,model=m,prompts=prompts-new/")
    p.add_argument("--gold", type=Path, required=True, metavar="GOLD_JSON")
    p.add_argument("--inputs", nargs="+", required=True, metavar="INPUT")
    p.add_argument("--a", metavar="SPEC", help="the reference variant (default: the --baseline entry, else --b "
                                               "without its prompts=)")
    p.add_argument("--b", metavar="SPEC", required=True, help="the candidate variant")
    p.add_argument("--repeat", type=int, default=1, help="run each variant N times; report mean and spread")
    p.add_argument("--baseline", type=Path, metavar="FILE", help="gate B against this baseline (evals/baseline.json)")
    p.add_argument("--tolerance", type=float, default=0.02, help="largest allowed drop of a tracked metric (default 0.02)")
    p.add_argument("--allow-different-engine", action="store_true",
                   help="gate B against a baseline made with another engine, model, corpus or matcher (refused, "
                        "exit 2, without this flag)")
    _matcher_args(p)
    add_endpoint_args(p, "LLM endpoint (the judge with --matcher llm, and the llm engine; the same flags as brief run)")
    return p


def _reference(args: argparse.Namespace, b_spec):
    """A's spec: --a; else, with --baseline, the baseline entry itself (None); else B without its prompts=
    (a prompt change against the shipped prompts, the README's workflow)."""
    if args.a:
        return parse_spec(args.a, "A")
    if args.baseline:
        return None
    if b_spec.prompts:
        return b_spec.model_copy(update={"prompts": None, "label": "A"})
    raise UsageError("give --a SPEC (the reference variant) or --baseline FILE: without them A is --b without its "
                     "prompts=, and this --b has no prompts= to leave out")


def _inputs_key(paths: Sequence[str]) -> str:
    return " ".join(str(Path(p).resolve()) for p in paths)


def _check_same_setup(args: argparse.Namespace, entry, b_spec, out: TextIO, matcher: str) -> None:
    """Refuse (exit 2) a gate whose baseline was made another way (engine, model, corpus, matcher) unless
    --allow-different-engine; with it, say what differs."""
    from .compare import baseline_mismatch

    base = {"engine": entry.engine, "model": getattr(entry, "model", None) or "-", "matcher": entry.matcher}
    cand = {"engine": b_spec.engine or "offline", "model": b_spec.model or ("-" if b_spec.engine != "llm" else "(server's)"),
            "matcher": matcher}
    if entry.inputs:
        same = _inputs_key(entry.inputs.split()) == _inputs_key(args.inputs)
        base["inputs"], cand["inputs"] = entry.inputs, entry.inputs if same else " ".join(args.inputs)
    differ = baseline_mismatch(base, cand)
    if not differ:
        return
    what = "; ".join(differ)
    if not args.allow_different_engine:
        raise UsageError(f"the baseline {args.baseline} was not made the way B is ({what}): the gate would measure "
                         "that difference, not your change. Compare with --a SPEC, or give --allow-different-engine "
                         "to gate anyway")
    print(f"note: gating across different set-ups (--allow-different-engine): {what}", file=out)


def cmd_compare(args: argparse.Namespace, out: Optional[TextIO] = None, make=default_make_brief) -> int:
    from .compare import deciding_line, variant_lines

    out = out or sys.stdout
    if args.repeat < 1:
        raise UsageError("--repeat must be at least 1")
    b_spec = parse_spec(args.b, "B")
    a_spec = _reference(args, b_spec)
    gold = load_gold(args.gold)
    entry = entry_for(read_baseline(args.baseline), gold.corpus, args.baseline) if args.baseline else None
    matcher = make_matcher(args)  # makes no call: its name says which verifier judges
    if entry is not None:  # before any brief is made: a refused gate costs no model call
        _check_same_setup(args, entry, b_spec, out, matcher.name)
    inputs = args.inputs if len(args.inputs) > 1 else args.inputs[0]
    # a variant's spec names its endpoint; the flags say how to call it, and the briefs take the eval's verifier
    make = functools.partial(make, **_endpoint_kwargs(args), verifier=args.verifier)
    b = run_variant(b_spec, inputs, gold, matcher, repeat=args.repeat, make=make)
    drops = gate(b.mean, entry.metrics, args.tolerance) if entry is not None else None
    if a_spec is not None:
        a = run_variant(a_spec, inputs, gold, matcher, repeat=args.repeat, make=make)
        head = variant_lines(a_spec.settings(), a.prompt_versions, b_spec.settings(), b.prompt_versions)
        text = render_comparison(a_spec.describe(), a.mean, a.spread, b, fact_changes(gold, a, b), args.repeat,
                                 intervals(gold, a, b))
    else:
        assert entry is not None
        base = {"engine": entry.engine, "model": "-", "base_url": "-", "prompts": "(shipped)"}
        head = variant_lines(base, {}, b_spec.settings(), b.prompt_versions)
        head[0] = f"A: the baseline {args.baseline} [{gold.corpus}], " + head[0][3:]
        text = render_comparison(f"baseline {args.baseline}", entry.metrics, {}, b,
                                 fact_changes(gold, entry.outcomes, b), args.repeat, intervals(gold, entry.outcomes, b),
                                 gate_drops=drops, tolerance=args.tolerance)
    print("\n".join(head) + "\n\n" + text, file=out)
    if drops is not None:
        print(render_gate(drops, gold.corpus, str(args.baseline), args.tolerance), file=out)
    print(deciding_line(drops, args.tolerance), file=out)
    return 1 if drops else 0


def same_matcher(entry: BaselineEntry, name: str, path) -> None:
    """Figures from two matchers are not comparable: a gate across them would pass or fail by accident."""
    if entry.matcher != name:
        raise BriefError(f"baseline {path} was scored by matcher {entry.matcher}, this run by {name}: give the same "
                         f"--verifier (a missing embedding model falls back to rules), or re-record the baseline")


# --- brief eval baseline --------------------------------------------------------------------------

def baseline_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief eval baseline",
        description="Score the offline engine on the hand-labelled gold and on the dev and held-out halves of the "
                    "external corpora (AllSides, SummHay). With "
                    "--write, store the figures in the baseline file; without, compare them with it and exit 1 "
                    "when a tracked metric dropped by more than --tolerance.")
    p.add_argument("--write", action="store_true", help="write (replace) the baseline file")
    p.add_argument("--path", type=Path, default=DEFAULT_BASELINE, help=f"baseline file (default {DEFAULT_BASELINE})")
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help=f"gold facts (default {DEFAULT_GOLD})")
    p.add_argument("--inputs", nargs="+", default=[str(DEFAULT_INPUTS)], help=f"the gold's inputs (default {DEFAULT_INPUTS})")
    p.add_argument("--dataset", choices=DATASETS, action="append",
                   help="external corpora to include (repeatable; default all of them when the data is present)")
    p.add_argument("--no-datasets", action="store_true", help="only the hand-labelled gold")
    p.add_argument("--limit", type=int, help="at most N stories per dataset")
    p.add_argument("--tolerance", type=float, default=0.02)
    _verifier_arg(p)
    return p


def build_baseline(args: argparse.Namespace, make=default_make_brief) -> Baseline:
    matcher = VerifierMatcher(make_verifier(args))
    gold = load_gold(args.gold)
    # the briefs are made with the verifier that scores them: one verifier for the stages and the eval
    brief = make(args.inputs if len(args.inputs) > 1 else args.inputs[0], engine="offline", verifier=args.verifier)
    s = score_brief(brief, gold, matcher)
    entries = {gold.corpus: BaselineEntry(engine="offline", matcher=matcher.name, gold=str(args.gold),
                                          inputs=" ".join(args.inputs), metrics=tracked(s),
                                          outcomes={f.id: f.outcome for f in s.facts})}
    datasets = [] if args.no_datasets else (args.dataset or (list(DATASETS) if evaldata_dir(required=False) else []))
    for name in datasets:
        for split in BASELINE_SPLITS:  # tuned on dev, reported on heldout: both recorded, never pooled
            rows = [score_corpus(c, g, matcher, make, engine="offline", verifier=args.verifier)
                    for c, g in load_dataset(name, limit=args.limit, split=split)]
            entries[f"dataset:{name}:{split}"] = BaselineEntry(engine="offline", matcher=matcher.name, stories=len(rows),
                                                               metrics=mean_metrics([r.metrics for r in rows]))
    return Baseline(entries=entries)


def cmd_baseline(args: argparse.Namespace, out: Optional[TextIO] = None, make=default_make_brief) -> int:
    out = out or sys.stdout
    fresh = build_baseline(args, make)
    if args.write:
        write_baseline(fresh, args.path)
        for key, e in fresh.entries.items():
            print(f"{key}: " + "  ".join(f"{k} {_cell(e.metrics.get(k)).strip()}" for k in TRACKED), file=out)
        print(f"wrote {args.path}", file=out)
        return 0
    stored = read_baseline(args.path)
    failed = False
    for key, e in fresh.entries.items():
        ref = entry_for(stored, key, args.path)
        same_matcher(ref, e.matcher, args.path)
        drops = gate(e.metrics, ref.metrics, args.tolerance)
        print(render_gate(drops, key, str(args.path), args.tolerance), file=out)
        failed |= bool(drops)
    return 1 if failed else 0


# --- brief eval agreement -------------------------------------------------------------------------

def agreement_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief eval agreement",
        description="Agreement of the fact matcher with people: SummHay summaries whose reference insights were "
                    "labelled fully/partially/not covered by people. Prints accuracy and Cohen's kappa (binary: "
                    "covered vs not; and three-way) for our matcher(s) and for the six LLM judges stored in the "
                    "same file. Offline thresholds were tuned on the dev split only; report the test split.")
    p.add_argument("--file", type=Path, help=f"default: $BRIEF_EVALDATA/{HUMAN_COVERAGE_FILE}")
    p.add_argument("--split", choices=[*SPLITS, "each"], default="each", help="default: each of dev, test, all")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    _matcher_args(p)
    p.set_defaults(top_k=0)
    add_endpoint_args(p, "LLM endpoint (the judge with --matcher llm, and the llm engine; the same flags as brief run)")
    return p


def cmd_agreement(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    out = out or sys.stdout
    path = args.file or evaldata_dir() / HUMAN_COVERAGE_FILE
    data = load_human_coverage(path)
    offline = VerifierMatcher(make_verifier(args))
    matchers: dict[str, Callable] = {offline.name: offline.match}
    if args.matcher == "llm":
        judge = make_matcher(args)
        matchers[judge.name] = judge.match
    splits = SPLITS if args.split == "each" else (args.split,)
    result = {}
    for split in splits:
        figs = evaluate(data, matchers, split)
        result[split] = [f.model_dump() for f in figs]
        print(render(figs, split) + "\n", file=out)
    if args.json:
        write_atomic(args.json, json.dumps({"file": str(path), "splits": result}, indent=2) + "\n")
    return 0


# --- brief eval support ---------------------------------------------------------------------------

def support_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief eval support",
        description="Agreement of the verifier (pipeline/verify/) with people. Alone: SummEdits news, 819 "
                    "document/summary pairs labelled consistent or not; prints balanced accuracy on the dev and "
                    "held-out halves (split by document, fixed in code); thresholds were tuned on dev only, so "
                    "report held-out. Published: GPT-4 0.824, humans about 0.909, most other LLMs near 0.50. "
                    "With --pairs FILE.jsonl (lines with claim, evidence, label 1/0, optional kind): balanced "
                    "accuracy, kept/caught counts and the errors by kind.")
    p.add_argument("--file", type=Path, help=f"default: $BRIEF_EVALDATA/{SUMMEDITS_FILE}")
    p.add_argument("--pairs", type=Path, metavar="FILE.jsonl", help="judge these labelled pairs instead of SummEdits")
    p.add_argument("--verifier", choices=list(VERIFIER_KINDS), default="auto",
                   help="rules, embed (sentence embeddings + a fitted decision), llm (the endpoint's model, yes/no "
                        "per pair), or auto (llm when an endpoint is configured, else embed, else rules)")
    p.add_argument("--split", choices=["dev", "heldout", "both"], default="both", help="SummEdits half (default both)")
    p.add_argument("--limit", type=int, help="SummEdits: at most N pairs per half, a fixed sample (by a hash of "
                                             "each pair's id), for a slow verifier")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    add_endpoint_args(p, "LLM endpoint (the llm verifier; the same flags as brief run)")
    return p


def cmd_support(args: argparse.Namespace, out: Optional[TextIO] = None) -> int:
    out = out or sys.stdout
    verifier = make_verifier(args, out)
    if args.pairs:
        figs = evaluate_pairs(load_pairs(args.pairs), verifier, file=str(args.pairs))
        print(render_pairs(figs), file=out)
        if args.json:
            write_atomic(args.json, json.dumps(figs.model_dump(), indent=2) + "\n")
        return 0
    path = args.file or evaldata_dir() / SUMMEDITS_FILE
    pairs = sample(load_summedits(path), args.limit)
    splits = SUMMEDITS_SPLITS if args.split == "both" else (args.split,)
    figs = [summedits_evaluate(pairs, split, verifier) for split in splits]
    print(render_summedits(figs, str(path), verifier.kind), file=out)
    if args.json:
        write_atomic(args.json, json.dumps({"file": str(path), "verifier": verifier.kind, "stats": verifier.stats(),
                                            "splits": [f.model_dump() for f in figs]}, indent=2) + "\n")
    return 0


# --- entry points ---------------------------------------------------------------------------------

ACTIONS: dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable[..., int]]] = {
    "compare": (compare_parser, cmd_compare),
    "baseline": (baseline_parser, cmd_baseline),
    "agreement": (agreement_parser, cmd_agreement),
    "support": (support_parser, cmd_support),
}


def eval_main(argv: Sequence[str]) -> int:
    """Dispatch `brief eval ...`: a named action, else scoring. Raises BriefError for the caller to print."""
    argv = list(argv)
    if argv and argv[0] in ACTIONS:
        make_parser, handler = ACTIONS[argv[0]]
        return handler(make_parser().parse_args(argv[1:]))
    return cmd_score(score_parser().parse_args(argv))


def add_eval_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "eval", add_help=False, prefix_chars="\x00",
        help="score briefs against gold facts; compare variants; check the scorer (brief eval -h)",
        description="see `brief eval -h`")
    p.add_argument("eval_argv", nargs="*")
    p.set_defaults(func=lambda args: eval_main(args.eval_argv))


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m pipeline.evals.cli ...`, for when the `brief` command is not installed."""
    try:
        return eval_main(sys.argv[1:] if argv is None else argv)
    except BriefError as e:
        print(f"brief eval: error: {e}", file=sys.stderr)
        return 2 if isinstance(e, UsageError) else 1


if __name__ == "__main__":
    sys.exit(main())
