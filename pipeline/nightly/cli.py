"""The `brief nightly` and `brief cache` subcommands (added to `brief`'s parser by pipeline/cli.py)."""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from datetime import date
from pathlib import Path


def _night_date(text: str) -> str:
    """--date as YYYY-MM-DD, a real day: a bad one is a bad command line (exit 2), not a folder named after it."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_nightly_parsers(sub, add_run_args, tools: dict) -> None:
    """`tools`: what the main command line shares with these subcommands (run_kwargs, public_argv, one_line,
    summarize_warnings), handed down so that nothing here imports back up from pipeline/cli.py."""
    night = sub.add_parser(
        "nightly", help="one brief per event of a day's feed, with an index",
        description="Read a day's articles (folders, .json/.jsonl records, RSS/Atom files), group them into events "
                    "and write DIR/DATE/<event>/brief.{json,md,html} for every event told by two or more independent "
                    "sources, DIR/DATE/index.{html,md,json}, and DIR/latest pointing at the newest complete night. "
                    "Exit status: 0 all briefed, 4 partial (an event failed; its last good brief is kept), 5 a "
                    "--max-tokens/--max-cost limit left events undone, 6 a --batch is still running (run again "
                    "later), 75 another nightly run holds DIR, 1 the night could not run. The verifier defaults to the rules "
                    "here (a night's cost stays small and predictable); --verifier or BRIEF_VERIFIER names another.")
    night.add_argument("inputs", nargs="+", metavar="INPUT", help="folder(s) or file(s) of the day's articles")
    night.add_argument("--out", type=Path, required=True, metavar="DIR", help="the nights' folder")
    night.add_argument("--date", type=_night_date, help="the night's date, YYYY-MM-DD (default: today)")
    night.add_argument("--batch", action="store_true",
                       help="send the model calls through the OpenAI Batch API (half price, answers within 24h)")
    night.add_argument("--poll-seconds", type=float, default=30.0, help="--batch: seconds between polls (default 30)")
    night.add_argument("--batch-wait", type=float, default=26 * 3600,
                       help="--batch: stop waiting after this many seconds, exit 6; a rerun picks the batch up")
    night.add_argument("--max-tokens", type=int, metavar="N", help="send no call that could take the night past N tokens")
    night.add_argument("--max-cost", type=float, metavar="USD",
                       help="send no call that could take the night past USD dollars (prices: built-in table, or "
                            "the config file's [prices] table)")
    night.add_argument("--events-at-once", type=int, default=4, metavar="N",
                       help="events briefed side by side through a model (default 4; each has --concurrency calls)")
    night.add_argument("-q", "--quiet", action="store_true", help="no progress, only the summary and problems")
    add_run_args(night)
    night.set_defaults(func=cmd_nightly, tools=tools)

    cache = sub.add_parser("cache", help="inspect or prune the response cache",
                           description="The response cache holds every validated model answer (default "
                                       "~/.cache/briefsmith, or --cache-dir / BRIEF_CACHE_DIR / the config file).")
    csub = cache.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    stats = csub.add_parser("stats", help="entries, size, age, entries per prompt")
    prune = csub.add_parser("prune", help="remove entries not used for a while")
    prune.add_argument("--older-than", required=True, metavar="AGE", type=_duration,
                       help="e.g. 30d, 12h, 2w: entries not used for longer are removed")
    prune.add_argument("--dry-run", action="store_true", help="say what would be removed, remove nothing")
    for p in (stats, prune):
        p.add_argument("--cache-dir", type=Path, help="the cache (default: as `brief run` finds it)")
        p.add_argument("--config", type=Path, help="TOML config file")
        p.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=cmd_cache_stats)
    prune.set_defaults(func=cmd_cache_prune)


def _duration(text: str) -> float:
    from ..llm.cache import parse_duration

    try:
        return parse_duration(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def cmd_nightly(args) -> int:
    from ..models import BriefError
    from .night import BUSY, WAITING, NightBusy, NightWaiting, run_night

    one_line, summarize_warnings = args.tools["one_line"], args.tools["summarize_warnings"]
    kwargs = args.tools["run_kwargs"](args)
    kwargs.pop("title", None)  # each event's brief is titled after the event
    if not (kwargs.get("verifier") or kwargs.get("support") or os.environ.get("BRIEF_VERIFIER")):
        # the night's default is the rules, not auto: the embedding model took the 1,000-article benchmark feed
        # from 14 s to 319 s of CPU (benchmarks/RESULTS.md); --verifier embed|llm|auto asks for it
        kwargs["verifier"] = "rules"
    config = kwargs.get("config_file")
    try:
        night = run_night(
            [Path(p) for p in args.inputs], args.out, date=args.date, run_kwargs=kwargs,
            batch=args.batch, max_tokens=args.max_tokens, max_cost=args.max_cost, config_file=config,
            argv=args.tools["public_argv"](getattr(args, "argv", None) or sys.argv[1:], args),
            stream=io.StringIO() if args.quiet else None,  # progress kept quiet
            poll_seconds=args.poll_seconds, batch_wait=args.batch_wait, events_at_once=args.events_at_once)
    except NightBusy as e:
        print(f"brief: {one_line(e)}", file=sys.stderr)
        return BUSY
    except NightWaiting as e:
        print(f"brief: waiting: {one_line(e)}", file=sys.stderr)
        return WAITING
    except OSError as e:
        raise BriefError(f"cannot write the night under {args.out}: {e.strerror or e}") from None
    for line in summarize_warnings(night.warnings):
        print(f"warning: {one_line(line)}", file=sys.stderr)
    ok = [o for o in night.outcomes if o.status == "ok"]
    failed = [o for o in night.outcomes if o.status == "failed"]
    undone = [o for o in night.outcomes if o.status == "budget"]
    for o in failed:
        kept = f"; the brief of {o.kept_from} is kept" if o.kept_from else "; no earlier brief to keep"
        print(f"brief: event failed: {one_line(o.event.title)}: {one_line(o.error or '')}{kept}", file=sys.stderr)
    if undone:
        print(f"brief: budget reached ({one_line(undone[0].error or '')}); left undone: "
              + "; ".join(one_line(o.event.title) for o in undone), file=sys.stderr)
    if failed and not undone:
        print(f"brief: partial night: {len(failed)} of {len(night.outcomes)} events failed", file=sys.stderr)
    b = night.budget
    cost = f", ${b['cost_usd']:.4f}" if b.get("cost_usd") is not None else ""
    print(f"night {night.night_dir.name}: {len(ok)} of {len(night.outcomes)} events briefed, "
          f"{len(night.singles)} single-source articles listed; {b['prompt_tokens'] + b['completion_tokens']:,} "
          f"tokens{cost}; {night.seconds:.1f}s")
    print(f"wrote {night.night_dir / 'index.html'}")
    return night.exit_code


def _cache_root(args) -> Path:
    from ..llm.config import resolve_config

    flags = {"cache_dir": args.cache_dir} if args.cache_dir else {}
    return resolve_config(flags=flags, config_file=args.config).cache_dir


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _ago(ts) -> str:
    if ts is None:
        return "-"
    days = (time.time() - ts) / 86400
    return f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(ts))} ({days:.1f} days ago)"


def cmd_cache_stats(args) -> int:
    from ..llm.cache import cache_stats

    s = cache_stats(_cache_root(args))
    if args.json:
        print(json.dumps(s, indent=2))
        return 0
    print(f"cache {s['root']}: {s['entries']:,} entries, {_size(s['bytes'])}")
    print(f"  least recently used: {_ago(s['oldest_used'])}")
    print(f"  most recently used:  {_ago(s['newest_used'])}")
    if s["damaged"] or s["temp_files"]:
        print(f"  {s['damaged']} damaged entries, {s['temp_files']} temp files left by interrupted writes")
    for prompt, n in s["by_prompt"].items():
        print(f"  {n:>8,}  {prompt}")
    return 0


def cmd_cache_prune(args) -> int:
    from ..llm.cache import prune_cache

    root = _cache_root(args)
    r = prune_cache(root, args.older_than, dry_run=args.dry_run)
    if args.json:
        print(json.dumps({"root": str(root), **r}, indent=2))
        return 0
    verb = "would remove" if args.dry_run else "removed"
    print(f"cache {root}: {verb} {r['removed']:,} entries ({_size(r['bytes'])}) not used for "
          f"{args.older_than / 86400:g} days")
    return 0
