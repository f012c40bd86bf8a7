"""Fault injection through the whole LLM pipeline on seeds/, over real HTTP.

Faults are planned per logical call (the prompt's system + user messages) and attempt, not per arrival
order, so the same requests get the same faults whatever the thread schedule: the tests run at the
default concurrency and are still deterministic.

- Transient faults at a 30% rate over >= 50 extraction calls: the brief equals the clean run's, and the
  manifest counts exactly the retries and re-asks the plan called for.
- A persistent fault on two chunks costs those chunks: the brief is written from the rules' claims for their
  sentences, a warning names each chunk and its document, the manifest lists them (`--strict`: exit 4), and
  the re-run pays for the two chunks and the merges they changed. A merge that always fails gives the rules' items.
- Retries are bounded: always-503 and always-timeout servers fail the run after max_retries + 1 attempts
  per call, and the time budget stops a call before a large attempt limit.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from pipeline.llm.cache import DiskCache
from pipeline.models import BriefError
from pipeline.run import run_pipeline
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SMALL_CHUNKS = 60  # tokens: the seeds become > 50 extraction calls
TRANSIENT = ["429", "500", "502", "503", "reset", "slow"]
INVALID = ["malformed", "schema", "length", "refusal", "empty"]
RATE = 0.30
SEED = 20250319
FAULTY_ATTEMPTS = 2  # attempts 1 and 2 of a call may be faulted; later ones never, so no call can run out
FAST = {"retry_base_seconds": 0.01, "timeout": 1.0}


def call_key(body: dict) -> str:
    """One logical call: its first two messages (re-asks and retries repeat them)."""
    system, user = (m.get("content") or "" for m in body["messages"][:2])
    return hashlib.sha256(f"{system}\x00{user}".encode()).hexdigest()


def user_text(body: dict) -> str:
    return body["messages"][1]["content"]


def is_merge(body: dict) -> bool:
    return "<groups>" in user_text(body)


class PlannedFaults(FakeOpenAIServer):
    """A fake server whose fault for a request is looked up by (logical call, attempt number).

    ``plan`` maps (call key, attempt) to a fault; ``always`` says, from a request body, which fault it gets
    every time (a persistent fault); anything else is answered normally."""

    def __init__(self, responder, *, plan: dict | None = None,
                 always: Callable[[dict], str | None] | None = None, **kwargs):
        super().__init__(responder, **kwargs)
        self.plan = plan or {}
        self.always = always
        self.attempts: Counter[str] = Counter()

    def _admit(self, body: dict) -> str:
        with self._lock:
            self.requests.append(body)
            key = call_key(body)
            self.attempts[key] += 1
            fault = (self.always(body) if self.always else None) or self.plan.get((key, self.attempts[key]), "ok")
            self.faults_served.append(fault)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return fault


def make_plan(keys: list[str], rate: float, seed: int) -> dict[tuple[str, int], str]:
    """Fault each of the first FAULTY_ATTEMPTS attempts of a call with probability `rate` (seeded, per call
    and attempt); the kinds go round in a fixed order, so every kind is served."""
    kinds = TRANSIENT + INVALID
    plan, n = {}, 0
    for key in sorted(keys):
        for attempt in range(1, FAULTY_ATTEMPTS + 1):  # an attempt happens only if the one before failed
            if random.Random(f"{seed}:{key}:{attempt}").random() >= rate:
                break
            plan[(key, attempt)] = kinds[n % len(kinds)]
            n += 1
    return plan


def content(brief) -> dict:
    """Everything a reader sees, minus the header (timestamps, usage, timings)."""
    return brief.model_dump(mode="json", exclude={"header"})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The clean run on small chunks: the reference brief and every request it made."""
    cache = tmp_path_factory.mktemp("clean-cache")
    with FakeOpenAIServer(newsroom) as server:
        result = run_pipeline(SEEDS, base_url=server.base_url, model="m", extract_with="model", cache_dir=cache,
                              max_chunk_tokens=SMALL_CHUNKS, llm_options=FAST)
    requests = list(server.requests)
    extraction = [r for r in requests if not is_merge(r)]
    assert len(extraction) >= 50 and len(requests) > len(extraction)
    assert len({call_key(r) for r in requests}) == len(requests)  # every call distinct
    return {"result": result, "requests": requests, "extraction": extraction}


def _config(tmp_path: Path, **settings) -> Path:
    path = tmp_path / "llm.toml"
    path.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items()))
    return path


def _cli(server, out: Path, cache: Path, config: Path, *extra: str) -> list[str]:
    return ["run", str(SEEDS), "--out", str(out), "--base-url", server.base_url, "--model", "m", "--extract", "model",
            "--cache-dir", str(cache), "--config", str(config), "--chunk-tokens", str(SMALL_CHUNKS), *extra]


# --- transient faults -----------------------------------------------------------------------------

def test_transient_faults_at_30_percent_give_the_clean_brief(tmp_path, clean, capsys):
    keys = [call_key(r) for r in clean["requests"]]
    plan = make_plan(keys, RATE, SEED)
    kinds = Counter(plan.values())
    assert set(kinds) == set(TRANSIENT + INVALID)
    first_attempts = sum(1 for (_, attempt) in plan if attempt == 1)
    # about the 30% asked for: within three standard deviations of a binomial draw over these calls (the
    # calls' keys depend on the prompts, which carry the sources' outlets, so the draw moves when they do)
    spread = 3 * (RATE * (1 - RATE) / len(keys)) ** 0.5
    assert RATE - spread < first_attempts / len(keys) < RATE + spread

    out, cache = tmp_path / "out", tmp_path / "cache"
    config = _config(tmp_path, retry_base_seconds=0.01, timeout=1.0)
    with PlannedFaults(newsroom, plan=plan, slow_seconds=1.3, retry_after=0.02) as server:
        assert main(_cli(server, out, cache, config, "-q")) == 0, capsys.readouterr().err
        sent = server.count
        served = Counter(server.faults_served)
    assert sent == len(keys) + len(plan)  # every planned fault cost exactly one more request
    assert {k: v for k, v in served.items() if k != "ok"} == dict(kinds)

    brief = json.loads((out / "brief.json").read_text())
    reference = content(clean["result"].brief)
    assert {k: v for k, v in brief.items() if k != "header"} == reference

    manifest = json.loads((out / "manifest.json").read_text())
    usage = manifest["usage"]
    n_transient = sum(kinds[k] for k in TRANSIENT)
    n_invalid = sum(kinds[k] for k in INVALID)
    assert usage["retries"] == n_transient > 0
    assert usage["reasks"] == n_invalid > 0
    assert usage["failed_attempts"] == len(plan)
    assert usage["calls"] == sent
    records = manifest["calls"]
    assert sum(1 for r in records if r["stage"] == "extraction") >= 50
    assert all(r["outcome"] == "ok" for r in records)
    assert sum(r["attempts"] for r in records) == sent
    assert max(r["attempts"] for r in records) == FAULTY_ATTEMPTS + 1


def test_faults_replay_identically(clean):
    # the plan depends only on the calls and the seed, not on timing
    keys = [call_key(r) for r in clean["requests"]]
    assert make_plan(keys, RATE, SEED) == make_plan(list(reversed(keys)), RATE, SEED)
    assert make_plan(keys, RATE, SEED) != make_plan(keys, RATE, SEED + 1)


# --- a persistent fault ---------------------------------------------------------------------------

def _targets(clean) -> list[str]:
    """The document text of two extraction calls from different documents."""
    picked, docs = [], set()
    for r in clean["extraction"][3:]:
        doc_id = re.search(r"^\[(S\d+)\]$", user_text(r), re.MULTILINE).group(1)
        if doc_id not in docs:
            docs.add(doc_id)
            picked.append(user_text(r))
        if len(picked) == 2:
            return picked
    raise AssertionError("seeds should give chunks of at least two documents")


def test_persistent_fault_costs_its_chunks_only_and_the_rerun_pays_only_for_what_failed(tmp_path, clean, capsys):
    out, cache = tmp_path / "out", tmp_path / "cache"
    config = _config(tmp_path, retry_base_seconds=0.01, max_retries=2)
    # an earlier brief in the folder
    assert main(["run", str(SEEDS), "--out", str(out), "--engine", "offline", "-q"]) == 0
    before = snapshot(out)

    targets = _targets(clean)
    n_extract = len(clean["extraction"])
    broken = lambda body: "503" if user_text(body) in targets else None  # noqa: E731
    with PlannedFaults(newsroom, always=broken) as server:
        # --strict: the brief is written, and the status says a call was lost
        assert main(_cli(server, out, cache, config, "--strict")) == 4
        sent = server.count
        err = capsys.readouterr().err
        assert "Traceback" not in err
        lost = re.findall(r"^warning: extraction failed for sentences of (S\d+(?:\.\.S\d+)?) \((.+?)\) after 3 "
                          r"attempts: HTTP 503 from http://127\.0\.0\.1:\d+/v1: .*; the rules' claims stand for "
                          r"these sentences$", err, re.MULTILINE)
        assert len(lost) == 2, err
        names = {f"S{n}": d.name for n, d in enumerate(clean["result"].documents, start=1)}
        target_docs = {label for t in targets for label in re.findall(r"^\[(S\d+)\]$", t, re.MULTILINE)}
        for span, files in lost:  # each named by its documents' labels and files
            assert span.split("..")[0] in target_docs and files.split(",")[0] in {names[d] for d in target_docs}
        # every other chunk answered once; each broken one was tried max_retries + 1 times; the merge ran
        extraction_sent = sum(not is_merge(r) for r in server.requests)
        assert extraction_sent == (n_extract - 2) + 2 * 3 and sent > extraction_sent
        assert snapshot(out) != before
        manifest = json.loads((out / "manifest.json").read_text())
        assert [(d["stage"], d["fallback"]) for d in manifest["degraded"]] == \
            [("extraction", "the rules' claims stand for these sentences")] * 2
        assert sorted(d["call"] for d in manifest["degraded"]) == sorted(f"sentences of {s} ({f})" for s, f in lost)
        assert json.loads((out / "brief.json").read_text())["agreements"]  # a brief, from the rules' claims there
        entries = list(cache.rglob("*.json"))
        assert len(entries) >= n_extract - 2  # what succeeded is in the cache
        assert all(DiskCache(cache).get(p.stem) for p in entries)

        # the fault clears (same endpoint: it is part of the cache key): the re-run pays for the two chunks
        # and the merges their claims changed, and gives the clean brief
        server.always = None
        assert main(_cli(server, out, cache, config, "-q", "--strict")) == 0
        rerun = server.requests[sent:]
        assert sorted(user_text(r) for r in rerun if not is_merge(r)) == sorted(targets)
    brief = json.loads((out / "brief.json").read_text())
    assert {k: v for k, v in brief.items() if k != "header"} == content(clean["result"].brief)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["degraded"] == [] and manifest["usage"]["calls"] == len(rerun)


def test_persistent_fault_in_the_merge_gives_the_rules_items_and_keeps_every_extraction(tmp_path, capsys):
    out, cache = tmp_path / "out", tmp_path / "cache"
    config = _config(tmp_path, retry_base_seconds=0.01, max_retries=1)
    args = ["run", str(SEEDS), "--out", str(out), "--base-url", "", "--model", "m", "--extract", "model", "--cache-dir", str(cache),
            "--config", str(config)]
    with PlannedFaults(newsroom, always=lambda body: "503" if is_merge(body) else None) as server:
        args[args.index("--base-url") + 1] = server.base_url
        assert main(args) == 0  # without --strict: written, with warnings
        err = capsys.readouterr().err
        assert re.search(r"^warning: merge failed for clusters G\d+\.\.G\d+ after 2 attempts: HTTP 503 from \S+: "
                         r".*; the rules' items stand for these clusters$", err, re.MULTILINE), err
        merges = [user_text(r) for r in server.requests if is_merge(r)]
        assert merges and all(merges.count(m) == 2 for m in merges)  # each merge call tried twice
        brief = json.loads((out / "brief.json").read_text())
        items = [i for s in ("agreements", "divergences", "unsaid", "single_source") for i in brief[s]]
        sent_clusters = [i for i in items if any("the merge call failed for good (HTTP 503" in c for c in i["checks"])]
        assert sent_clusters and all(i["origin"] == "rules" for i in items)
        assert not any("127.0.0.1" in c for i in items for c in i["checks"])  # the brief names no endpoint
        manifest = json.loads((out / "manifest.json").read_text())
        assert len(manifest["degraded"]) == len(set(merges)) and {d["stage"] for d in manifest["degraded"]} == {"merge"}
        server.always = None
        sent = server.count
        assert main(args + ["-q"]) == 0
        again = server.requests[sent:]
        assert all(map(is_merge, again)) and len(again) == len(set(merges))  # only the merge is paid again


# --- bounded retries ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def n_chunks(tmp_path_factory):
    """Extraction calls for the seeds at the default chunk size."""
    with FakeOpenAIServer(newsroom) as server:
        run_pipeline(SEEDS, base_url=server.base_url, model="m", extract_with="model", use_cache=False, llm_options=FAST,
                     cache_dir=tmp_path_factory.mktemp("unused"))
        return sum(not is_merge(r) for r in server.requests)


@pytest.mark.parametrize("fault, options, says", [
    ("503", {"max_retries": 3}, r"HTTP 503 from"),
    ("429", {"max_retries": 2}, r"HTTP 429 from"),
    ("reset", {"max_retries": 2}, r"connection to http://127\.0\.0\.1:\d+/v1 failed"),
    ("slow", {"max_retries": 1, "timeout": 0.1}, r"timed out after 0\.1s"),
])
def test_always_failing_server_fails_the_run_after_bounded_attempts(tmp_path, n_chunks, fault, options, says):
    with FakeOpenAIServer(newsroom, faults={fault: 1.0}, slow_seconds=0.4) as server:
        with pytest.raises(BriefError) as e:
            run_pipeline(SEEDS, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path,
                         llm_options={**FAST, **options})
        sent = server.count
    attempts = options["max_retries"] + 1
    if fault == "slow":  # a timed-out attempt's retry may still be waiting when the run stops: never more
        assert n_chunks <= sent <= n_chunks * attempts
    else:
        assert sent == n_chunks * attempts  # every chunk tried exactly max_retries + 1 times; no merge
    message = str(e.value)
    assert "\n" not in message and message.startswith("extraction failed for sentences of S")
    assert re.search(rf"after {attempts} attempts: {says}", message), message
    assert f"({n_chunks - 1} more extraction calls failed)" in message


def test_retry_time_budget_stops_calls_before_the_attempt_limit(tmp_path, n_chunks):
    options = {"max_retries": 50, "max_retry_seconds": 0.3, "retry_base_seconds": 0.05}
    with PlannedFaults(newsroom, always=lambda body: "503") as server:
        with pytest.raises(BriefError, match=r"extraction failed .* HTTP 503"):
            run_pipeline(SEEDS, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path, llm_options=options)
        per_call = list(server.attempts.values())
    assert len(per_call) == n_chunks
    assert all(2 <= n <= 8 for n in per_call), per_call  # the budget, not the 51-attempt limit, stopped them


def test_a_model_off_the_schema_every_time_gives_the_rules_brief_and_says_so(tmp_path, n_chunks):
    # the endpoint answers, but never usably: every call costs its own answer, and the rules' brief stands
    # (an endpoint that never answers at all fails the run: the tests above)
    with FakeOpenAIServer(newsroom, faults={"schema": 1.0}) as server:
        result = run_pipeline(SEEDS, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path,
                              llm_options={**FAST, "reasks": 2})
        sent = server.count
    offline = run_pipeline(SEEDS, engine="offline").brief
    degraded = result.degraded
    assert [d["stage"] for d in degraded][:n_chunks] == ["extraction"] * n_chunks
    assert {d["stage"] for d in degraded[n_chunks:]} == {"merge"} and sent == len(degraded) * 3
    assert all(re.search(r"after 3 attempts: invalid output: the JSON does not match the schema", d["error"])
               for d in degraded)
    brief = result.brief
    assert brief.items() and all(i.origin == "rules" for i in brief.items())
    assert [i.statement for i in brief.items()] == [i.statement for i in offline.items()]
