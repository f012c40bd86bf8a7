"""`brief nightly`: a day's articles in, one brief per event out, unattended, resumable and within budget.

The night: lock DIR; load every input once; dedup across the whole feed (syndicated copies); group into
events; brief each event with two or more independent sources through the ordinary single-brief pipeline,
each event on its own (one failing leaves the others alone, and keeps its earlier brief); write the index;
point DIR/latest at the night. Every validated model answer is cached as it arrives, so a night run again,
or killed and run again, pays only for what is missing. With ``batch`` the calls go through the Batch API
in rounds (extractions, then merges) and the briefs are then made from the cache.
"""
from __future__ import annotations

from contextlib import contextmanager
import json
from concurrent.futures import ThreadPoolExecutor
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Optional

from ..brief.files import FolderBusy, folder_lock
from ..brief.present import SECTION_NOUNS, plural
from ..brief.write import save
from ..ingest.dedup import dedup
from ..ingest.load import load_documents
from ..ingest.segment import split_sentences
from ..llm import observe
from ..models import BriefError, Document
from ..run import run_pipeline
from .budget import BATCH_DISCOUNT, Budget, BudgetExceeded, price_of, read_prices
from ..ingest.events import Event, articles_of, group_events
from .events import continue_ids, folder_names
from .index import write_index
from .progress import Progress

# exit statuses a scheduler can act on (README: "Exit status")
OK, FAILED, PARTIAL, BUDGET, WAITING, BUSY = 0, 1, 4, 5, 6, 75
INDEX = "index.json"
BUDGET_MARK = "budget reached"  # in the error of a call the budget refused, whatever wraps it


class NightBusy(BriefError):
    """Another nightly run holds the lock on DIR."""


class NightWaiting(BriefError):
    """The night's batch is still running: nothing more can be done until it finishes."""


@dataclass
class EventOutcome:
    event: Event
    folder: str
    status: str = "pending"  # ok | failed | budget | single (listed, not briefed)
    error: Optional[str] = None
    kept_from: Optional[str] = None  # the night whose brief is shown instead (a failed event)
    counts: dict = field(default_factory=dict)
    independent: int = 0
    sources: list[dict] = field(default_factory=list)
    usage: dict = field(default_factory=dict)
    degraded: list[str] = field(default_factory=list)  # calls lost for good: their part stands on the rules


@dataclass
class NightResult:
    night_dir: Path
    outcomes: list[EventOutcome]
    singles: list[dict]
    exit_code: int
    budget: dict
    seconds: float
    warnings: list[str]


class _Watcher:
    """Counts calls for the progress line, enforces the budget, and (batch mode) collects misses."""

    def __init__(self, progress: Progress, budget: Budget, collect: bool = False):
        self.progress = progress
        self.budget = budget
        self.collect = collect
        self.deferred: dict[str, dict] = {}  # cache key -> {body, output, prompt_id, client}
        self.refused = 0
        self._held = threading.local()

    def cache_hit(self) -> None:
        self.progress.call(cached=True)

    def before_call(self, *, client, key: str, body: dict, output: type, prompt_id: str, label: str) -> None:
        from ..ingest.tokens import count_tokens

        stale = getattr(self._held, "estimate", None)
        if stale is not None:  # this thread's previous call ended without an answer (it failed): free its hold
            self.budget.release(*stale)
            self._held.estimate = None
        prompt = sum(count_tokens(m.get("content") or "") for m in body.get("messages", []))
        completion = min(prompt, body.get("max_tokens") or prompt)
        try:
            self.budget.reserve(prompt, completion)
        except BudgetExceeded as e:
            self.refused += 1
            raise BriefError(f"{BUDGET_MARK}: {e}; not sent: {label}") from None
        if self.collect:
            # stays held until the batch's real usage replaces it, so the batch itself stays in budget
            self.deferred[key] = {"body": body, "output": output, "prompt_id": prompt_id, "client": client,
                                  "mode": client.mode,
                                  "estimate": (prompt, completion), "label": label}
            raise observe.Deferred(f"deferred to the batch: {label}")
        self._held.estimate = (prompt, completion)

    def after_call(self, prompt_tokens: int, completion_tokens: int) -> None:
        # a call's attempts run in the thread that reserved for it: its first answer releases the estimate
        held = getattr(self._held, "estimate", None)
        if held is not None:
            self.budget.release(*held)
            self._held.estimate = None
        self.budget.spend(prompt_tokens, completion_tokens)
        self.progress.call(prompt_tokens, completion_tokens)


@contextmanager
def _lock(out: Path):
    """The night's lock on DIR itself (no lock file is left in DIR)."""
    try:
        with folder_lock(out, wait=False):
            yield
    except FolderBusy:
        raise NightBusy(f"another `brief nightly` is writing to {out} (it holds the lock on the folder); "
                        "not started") from None


def _read_index(path: Path) -> Optional[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("events"), list) else None
    except (OSError, ValueError):
        return None


KEEP_LOOKING = 14  # nights back that an event's id, folder and last good brief are looked for


def previous_nights(out: Path, date: str, limit: int = KEEP_LOOKING) -> list[tuple[str, dict]]:
    """(date, index) of the newest `limit` complete nights on or before `date`, newest first (a night is
    complete once its index.json is written). Only those are read: a year of nights is not."""
    names = sorted((c.name for c in out.iterdir() if c.is_dir() and not c.is_symlink() and _is_date(c.name)
                    and c.name <= date) if out.is_dir() else [], reverse=True)
    nights = []
    for name in names:
        index = _read_index(out / name / INDEX)
        if index is not None:
            nights.append((name, index))
            if len(nights) >= limit:
                break
    return nights


def _is_date(name: str) -> bool:
    try:
        return len(name) == 10 and Date.fromisoformat(name) is not None
    except ValueError:
        return False


def _keep_previous(outcome: EventOutcome, night_dir: Path, nights: list[tuple[str, dict]], today: str) -> None:
    """A failed event shows its last good brief: the one already in tonight's folder (an earlier run of
    the same night) or a copy of the newest earlier night's."""
    target = night_dir / outcome.folder
    for night, index in nights:
        old = next((x for x in index["events"] if x.get("id") == outcome.event.id and x.get("folder")), None)
        if old is None or not (old.get("status") == "ok" or old.get("kept_from")):
            continue
        src = night_dir.parent / night / old["folder"]
        if not (src / "manifest.json").is_file():
            continue
        if night != today or src != target:
            tmp = night_dir / f".{outcome.folder}.copy"
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(src, tmp, symlinks=True)
            shutil.rmtree(target, ignore_errors=True)
            os.replace(tmp, target)
        outcome.kept_from = old.get("kept_from") or night
        outcome.counts = old.get("counts", {})
        return


def _swap_latest(out: Path, date: str) -> None:
    """DIR/latest -> DATE, replaced in one rename: a reader sees the old night or the new one."""
    tmp = out / f".latest.{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(date, tmp)
    os.replace(tmp, out / "latest")


def _newest_complete(out: Path) -> Optional[str]:
    nights = previous_nights(out, "9999-99-99", limit=1)
    return nights[0][0] if nights else None


def _sources(docs: list[Document]) -> list[dict]:
    return [{"id": d.id, "name": d.name, "title": d.meta.title, "outlet": d.meta.outlet, "url": d.meta.url,
             "date": d.meta.date} for d in docs]


def run_night(inputs, out: Path, *, date: Optional[str] = None, run_kwargs: Optional[dict] = None,
              batch: bool = False, max_tokens: Optional[int] = None, max_cost: Optional[float] = None,
              config_file: Optional[Path] = None, argv: Optional[list[str]] = None, stream=None,
              tty: Optional[bool] = None, poll_seconds: float = 30.0, batch_wait: float = 26 * 3600,
              events_at_once: int = 4) -> NightResult:
    t0 = time.monotonic()
    run_kwargs = dict(run_kwargs or {})
    date = date or Date.today().isoformat()
    try:
        Date.fromisoformat(date)
    except ValueError:
        raise BriefError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
    out = Path(out)
    with _lock(out):
        return _night(inputs, out, date, run_kwargs, batch, max_tokens, max_cost, config_file, argv, stream, tty,
                      poll_seconds, batch_wait, events_at_once, t0)


def _default_config() -> Optional[Path]:
    from ..llm.config import default_config_path

    path, _ = default_config_path(os.environ)
    return path if path.is_file() else None


def _engine_config(run_kwargs: dict, config_file: Optional[Path]):
    """The endpoint settings a night's briefs will use (None: offline engine)."""
    if run_kwargs.get("engine") == "offline":
        return None
    from ..llm.config import resolve_config

    flags = {"model": run_kwargs.get("model"), "base_url": run_kwargs.get("base_url"),
             "api_key": run_kwargs.get("api_key"), "cache_dir": run_kwargs.get("cache_dir"),
             "use_cache": run_kwargs.get("use_cache"), **(run_kwargs.get("llm_options") or {})}
    config = resolve_config(flags={k: v for k, v in flags.items() if v is not None}, config_file=config_file)
    if run_kwargs.get("engine") is None and not config.endpoint_configured:
        return None
    return config


def _night(inputs, out, date, run_kwargs, batch, max_tokens, max_cost, config_file, argv, stream, tty,
           poll_seconds, batch_wait, events_at_once, t0) -> NightResult:
    config = _engine_config(run_kwargs, config_file)
    if batch and config is None:
        raise BriefError("--batch needs a model endpoint (--base-url/--model); the offline engine makes no calls")
    if batch and not config.use_cache:
        raise BriefError("--batch needs the response cache (the batch's answers are read back from it)")
    try:
        prices = read_prices(config_file if config_file is not None else _default_config())
        # the offline engine spends nothing: its limits can never be reached
        budget = Budget(max_tokens=max_tokens, max_cost=max_cost if config else None,
                        price=price_of(config.model if config else None, prices),
                        discount=BATCH_DISCOUNT if batch else 1.0)
    except ValueError as e:
        raise BriefError(str(e)) from None

    timings: dict[str, float] = {}
    mark = time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        timings[name] = round(timings.get(name, 0.0) + now - mark, 3)
        mark = now

    docs, load_warnings = load_documents(inputs)
    lap("load")
    sentences = [s for d in docs for s in split_sentences(d)]
    dd = dedup(docs, sentences)
    lap("dedup")
    by_id = {d.id: d for d in docs}
    events = group_events(articles_of(docs, dd.group_of))
    lap("group")
    nights = previous_nights(out, date)
    continue_ids(events, nights)
    folders = folder_names(events)
    outcomes, singles = [], []
    for e in events:
        members = [by_id[m] for m in e.members]
        independent = dd.independent_count(e.members)
        if independent >= 2:
            outcomes.append(EventOutcome(event=e, folder=folders[e.id], independent=independent,
                                         sources=_sources(members)))
        else:
            singles.append({"id": e.id, "slug": e.slug, "title": e.title, "members": e.members,
                            "sources": _sources(members)})
    outcomes.sort(key=lambda o: (-o.independent, o.event.title.lower(), o.event.id))

    night_dir = out / date
    night_dir.mkdir(parents=True, exist_ok=True)
    progress = Progress(len(outcomes), stream=stream, tty=tty)
    watcher = _Watcher(progress, budget)
    pending = list(outcomes)
    if batch:
        pending = _batch_rounds(pending, by_id, night_dir, run_kwargs, config, watcher, progress, argv,
                                poll_seconds, batch_wait)
    # several events at once through a model (each waits on its calls); the offline engine is CPU-bound
    at_once = max(1, events_at_once) if config is not None else 1
    with observe.watching(watcher), ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="event") as pool:
        list(pool.map(lambda o: _brief_event(o, by_id, night_dir, run_kwargs, argv, watcher, progress), pending))
    progress.close()
    lap("briefs")

    for o in outcomes:
        if o.status != "ok":
            _keep_previous(o, night_dir, nights, date)
    warnings = [f"{w.path}: {w.problem}" for w in load_warnings]
    write_index(night_dir, date, outcomes, singles, budget=budget.summary(), warnings=warnings,
                seconds=round(time.monotonic() - t0, 3), timings=timings)
    _remove_stale(night_dir, {o.folder for o in outcomes})
    # a night whose every event failed is no night a reader should be sent to: latest stays, the run fails
    all_failed = bool(outcomes) and all(o.status == "failed" for o in outcomes)
    if not all_failed and _newest_complete(out) == date:
        _swap_latest(out, date)
    if any(o.status == "budget" for o in outcomes):
        code = BUDGET
    elif all_failed:
        code = FAILED
    elif any(o.status == "failed" for o in outcomes):
        code = PARTIAL
    else:
        code = OK
    return NightResult(night_dir=night_dir, outcomes=outcomes, singles=singles, exit_code=code,
                       budget=budget.summary(), seconds=round(time.monotonic() - t0, 3), warnings=warnings)


def _brief_event(o: EventOutcome, by_id, night_dir: Path, run_kwargs: dict, argv, watcher: _Watcher,
                 progress: Progress) -> bool:
    """Brief one event; False when it is still waiting for a batch. Never raises for the event's own
    failures: they become its outcome."""
    name = o.folder
    progress.event_started(name)
    started = time.monotonic()
    deferred = len(watcher.deferred)  # batch rounds brief one event at a time
    try:
        result = run_pipeline([by_id[m] for m in o.event.members],
                              **{**run_kwargs, "title": o.event.title, "check_events": False})  # grouped already
        save(result, night_dir / o.folder, argv=argv)
    except BriefError as e:
        over_budget = BUDGET_MARK in str(e)
        if watcher.collect and len(watcher.deferred) > deferred and not over_budget:
            return False  # its calls are in the batch: counted when it is briefed
        o.status = "budget" if over_budget else "failed"
        o.error = str(e)
        progress.event_finished(name, o.status, o.error[:200], seconds=time.monotonic() - started)
        return True
    except OSError as e:
        o.status, o.error = "failed", f"cannot write the brief: {e.strerror or e}"
        progress.event_finished(name, o.status, o.error, seconds=time.monotonic() - started)
        return True
    except Exception as e:  # a bug met by one event's articles must not cost the night its other events
        o.status, o.error = "failed", f"internal error: {type(e).__name__}: {e}"
        progress.event_finished(name, o.status, o.error[:200], seconds=time.monotonic() - started)
        return True
    b = result.brief
    o.status = "ok"
    o.degraded = [f"{d.get('stage')}: {d.get('call')}" for d in result.degraded]
    o.counts = {s: len(getattr(b, s)) for s in ("agreements", "divergences", "unsaid")}
    o.usage = b.header.usage.model_dump()
    progress.event_finished(name, "ok", ", ".join(plural(n, *SECTION_NOUNS[s]) for s, n in o.counts.items()),
                            seconds=time.monotonic() - started, usage=o.usage)
    return True


def _status_printer(progress: Progress):
    last = {}

    def show(status: str, counts: dict) -> None:
        if last.get("status") != status:  # each change once, not every poll
            last["status"] = status
            done = f" ({counts.get('completed', 0)}/{counts.get('total', 0)} done)" if counts else ""
            progress.note(f"batch {status}{done}")
    return show


def _batch_rounds(pending, by_id, night_dir, run_kwargs, config, watcher: _Watcher, progress: Progress, argv,
                  poll_seconds: float, batch_wait: float) -> list[EventOutcome]:
    """Extraction calls go in one batch, then the merges in another; each round's events that are still
    waiting run again from the cache. What a batch did not answer usably is left to the direct pass."""
    import openai

    from ..llm.batch import BatchError, BatchPending, run_batch, store_answers

    client = openai.OpenAI(base_url=config.base_url, api_key=config.key(), timeout=config.timeout, max_retries=2)
    state = night_dir / ".batch.json"
    try:
        for _round in range(3):
            watcher.collect, watcher.deferred = True, {}
            waiting = []
            with observe.watching(watcher):
                for o in pending:
                    if not _brief_event(o, by_id, night_dir, run_kwargs, argv, watcher, progress):
                        waiting.append(o)
            pending = waiting
            if not watcher.deferred:
                break
            requests = {key: d["body"] for key, d in watcher.deferred.items()}
            progress.note(f"batch: {len(requests)} calls for {len(waiting)} events")
            try:
                answers = run_batch(client, requests, state, poll_seconds=poll_seconds, max_wait=batch_wait,
                                    on_status=_status_printer(progress))
            except BatchPending as e:
                raise NightWaiting(str(e)) from None
            except BatchError as e:
                raise BriefError(str(e)) from None
            for d in watcher.deferred.values():  # the estimate held for the batch gives way to the real usage
                watcher.budget.release(*d["estimate"])
            usage, stored, problems = store_answers(watcher.deferred, answers)
            watcher.budget.spend(*usage)
            if problems:
                progress.note(f"batch: {problems} of {len(requests)} answers missing or unusable; "
                              "they are asked directly")
            if not stored:
                break  # the batch brought nothing (failed or expired): the direct pass does it all
    finally:
        watcher.collect = False
        client.close()
    return pending


def _remove_stale(night_dir: Path, keep: set[str]) -> None:
    """Event folders an earlier run of this night wrote for groupings that no longer exist."""
    for child in night_dir.iterdir():
        if child.is_dir() and not child.name.startswith(".") and child.name not in keep \
                and (child / "manifest.json").is_file():
            shutil.rmtree(child, ignore_errors=True)
