"""`brief`: make a brief from articles, and score briefs against gold facts."""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from . import cli_log
from .cli_log import one_line
from .cli_args import add_endpoint_args, llm_options
from .brief.present import SECTION_NOUNS, plural
from .models import LISTS, BriefError, UsageError


def _run_kwargs(args) -> dict:
    options = llm_options(args)
    return dict(engine=args.engine, model=args.model, base_url=args.base_url, api_key=args.api_key,
                config_file=args.config, cache_dir=args.cache_dir, use_cache=not args.no_cache,
                concurrency=args.concurrency, max_chunk_tokens=args.chunk_tokens, prompts_dir=args.prompts,
                context_tokens=args.context_tokens, extract_with=args.extract, merge_batch=args.merge_batch,
                profile=args.profile,
                title=args.title, log_path=args.log,
                llm_options=options or None, support=args.support, verifier=args.verifier, limits=_limits(args.max_items))


def _limits(cap):
    """--max-items N: every list holds at most N items (sizes otherwise follow the corpus, see Limits)."""
    if cap is None:
        return None
    from .models import BriefError, Limits

    if cap < 1:
        raise BriefError(f"--max-items must be at least 1 (got {cap})")
    defaults = Limits()
    return Limits(**{name: min(cap, getattr(defaults, name)) for name in ("agreements", "divergences", "unsaid",
                                                                          "single_source")})


def add_run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=["offline", "llm"],
                   help="default: llm when an endpoint is configured, else the offline engine")
    p.add_argument("--title", help="the brief's title (default: from the first article with a title)")
    p.add_argument("--chunk-tokens", type=int, default=1500, help="max tokens per extraction chunk (default 1500)")
    p.add_argument("--max-items", type=int, metavar="N",
                   help="at most N items per section (default: as many as the corpus's distinct clustered facts, "
                        "capped at 40 agreements, 20 divergences, 15 unsaid, 10 single-source)")
    p.add_argument("--prompts", type=Path, help="folder of prompt templates overriding the shipped ones")
    p.add_argument("--verifier", choices=["rules", "embed", "llm", "auto"], default=None,
                   help="who checks that each cited span supports its statement and which sources state an item: "
                        "auto (default, or BRIEF_VERIFIER): llm with an endpoint's capable model, embed offline and "
                        "on the small profile, rules if the embedding model cannot load; rules (deterministic, "
                        "fastest); embed (sentence embeddings + the rules' exact signals); llm (the endpoint's "
                        "model, yes/no per pair; needs --base-url/--model)")
    p.add_argument("--support", choices=["rules", "llm"], default=None,
                   help="older name of --verifier (rules or llm); --verifier wins when both are given")
    p.add_argument("--context-tokens", type=int, metavar="N",
                   help="LLM path: no prompt is longer than this (default: the server's context, else 8192)")
    p.add_argument("--extract", choices=["model", "rules"], default=None,
                   help="LLM path: who labels the sentences (positions, absences): the offline rules (default; "
                        "the model then reads each sentence once, in the merge), or the model")
    p.add_argument("--profile", choices=["small", "full"],
                   help="LLM path: full (the model extracts atomic claims, groups them and writes each statement; "
                        "the verifier keeps what the cited sentences support) or small (the rules group, the model "
                        "merges). Default: full, or small for a local llama.cpp server with a small model")
    p.add_argument("--merge-batch", type=int, metavar="N",
                   help="LLM path: clusters per merge call (default 10; 1 for a small local model, whose server "
                        "reuses the instructions from one call to the next)")
    add_endpoint_args(p, "LLM endpoint (any OpenAI-compatible server; without one the offline engine runs)")


def _public_argv(argv: list[str], args) -> list[str]:
    """The command line as the manifest records it: an --api-key value (however the option was spelt) and
    anything shaped like a credential (a bearer token, sk-..., user:password@ in a URL) are redacted."""
    from .llm.redact import redact

    secrets = [s for s in (getattr(args, "api_key", None), os.environ.get("OPENAI_API_KEY")) if s]
    return [redact(a, secrets) for a in argv]


def _check_out(out: Path) -> None:
    """Fail before the run (which may pay for LLM calls), not after it, when --out cannot take the brief.
    Creates nothing: a failed run leaves the disk as it was."""
    existing = out
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise BriefError(f"cannot write the brief to {out}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BriefError(f"cannot write the brief to {out}: {existing} is not writable")


SHOWN_PER_PROBLEM = 5


def summarize_warnings(warnings: list[str]) -> list[str]:
    """One line per warning, but a problem shared by many files (10,000 notes too short to be articles) is
    shown a few times and then counted; the manifest keeps every one."""
    by_problem: dict[str, list[str]] = {}
    for w in warnings:
        _, sep, problem = w.rpartition(": ")
        by_problem.setdefault(problem if sep else w, []).append(w)
    lines = []
    for problem, ws in by_problem.items():
        lines.extend(ws[:SHOWN_PER_PROBLEM])
        if len(ws) > SHOWN_PER_PROBLEM:
            lines.append(f"... and {len(ws) - SHOWN_PER_PROBLEM} more: {problem} (all listed in manifest.json)")
    return lines


def cmd_run(args) -> int:
    from .run import run_pipeline
    from .brief.write import save

    _check_out(args.out)
    # on the command line every INPUT is a path: a mistyped one must not be taken for article text
    inputs = [Path(p) for p in args.inputs]
    result = run_pipeline(inputs if len(inputs) > 1 else inputs[0], **_run_kwargs(args))
    try:
        paths = save(result, args.out, argv=_public_argv(getattr(args, "argv", None) or sys.argv[1:], args))
    except OSError as e:  # disk full, folder removed meanwhile...: nothing half-written is left (atomic writes)
        raise BriefError(f"cannot write the brief to {args.out}: {e.strerror or e}") from None
    b = result.brief
    log = logging.getLogger(cli_log.ROOT)
    for line in summarize_warnings(b.header.warnings):
        log.warning(line)  # once: what the LLM client or cache already logged is not repeated
    log.info("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in b.header.timings.items()))
    if not args.quiet:
        counts = ", ".join(plural(len(getattr(b, s)), *SECTION_NOUNS[s]) for s in LISTS)
        u = b.header.usage
        llm = (f"; {plural(u.calls, 'call')}, {plural(u.cache_hits, 'cache hit')}, "
               f"{u.prompt_tokens}+{u.completion_tokens} tokens" if b.header.engine == "llm" else "")
        print(f"brief of {plural(len(b.sources), 'source')} ({b.header.engine} engine{llm}): {counts}")
        print(f"wrote {', '.join(str(p) for p in paths.values())}")
    # a degraded call is in the warnings above and the manifest's "degraded"; --strict makes it a status
    return 4 if getattr(args, "strict", False) and result.degraded else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="brief",
        description="Read several articles about one event and write one brief: key agreements, points of "
                    "divergence and things unsaid, every statement citing the exact words of its sources.",
        epilog="Without an endpoint the deterministic offline engine runs (no model, no network). "
               "Give --base-url/--model (or OPENAI_BASE_URL/BRIEF_MODEL) to use any OpenAI-compatible server.")
    parser.add_argument("--version", action="version", version=f"briefsmith {__version__}")
    _add_verbosity(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="make a brief from a folder or files",
                         description="Make a brief of INPUT (folders are read recursively: .txt .md .html .json .jsonl) "
                                     "and write brief.json, brief.md, brief.html and manifest.json into --out, atomically: "
                                     "a failed run leaves an earlier brief there untouched.")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="folder(s) or file(s)")
    run.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    _add_verbosity(run)
    add_run_args(run)
    run.add_argument("--strict", action="store_true",
                     help="exit 4 when an LLM call failed for good and the rules stood in for its answer "
                          "(the brief is still written; without --strict that is exit 0 with warnings)")
    run.set_defaults(func=cmd_run)
    # always there: a harness that fails to import is an error to see, not a command that vanishes
    from .evals.cli import add_eval_parser

    add_eval_parser(sub)
    from .nightly.cli import add_nightly_parsers

    add_nightly_parsers(sub, add_run_args, {"run_kwargs": _run_kwargs, "public_argv": _public_argv,
                                            "one_line": one_line, "summarize_warnings": summarize_warnings})
    return parser


def _add_verbosity(p: argparse.ArgumentParser) -> None:
    # SUPPRESS: given before or after the command, neither overrides the other
    p.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                   help="say more on stderr (-vv: debug)")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="print only errors (nothing on success)")


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ImportError as e:  # a broken install: one line, like any other bug
        if os.environ.get("BRIEF_DEBUG"):
            traceback.print_exc()
        print(f"brief: internal error: cannot load the command line ({type(e).__name__}: {one_line(e)}); "
              "set BRIEF_DEBUG=1 for the traceback", file=sys.stderr)
        return 3
    args = parser.parse_args(argv)
    args.argv = list(argv) if argv is not None else sys.argv[1:]  # what the manifest records
    args.quiet = getattr(args, "quiet", False)
    verbosity = -1 if args.quiet else getattr(args, "verbose", 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    progress = cli_log.setup(verbosity)
    try:
        try:
            return args.func(args)
        finally:  # end the progress line before any message below
            if progress:
                progress.finish()
    except UsageError as e:  # a bad command line: 2, as README's exit table says
        print(f"brief: error: {one_line(e)}", file=sys.stderr)
        return 2
    except BriefError as e:
        print(f"brief: error: {one_line(e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("brief: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `brief eval ... | head`: the reader left; the outputs were already written
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141
    except Exception as e:  # a bug: still one line, with the way to see more
        if os.environ.get("BRIEF_DEBUG"):
            traceback.print_exc()
        print(f"brief: internal error: {type(e).__name__}: {one_line(e)} (set BRIEF_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
