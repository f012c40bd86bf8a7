"""`brief nightly` through a model, over real HTTP against the scripted server: reruns cost nothing, a killed
night resumes paying only for what is missing, a failing event leaves the others, budgets, and --batch."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from scripted_llm import newsroom

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nightly_corpus import write_events  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def feed(tmp_path) -> Path:
    folder = tmp_path / "feed"
    write_events(folder)
    return folder


def _night(feed, out, date, server, cache, *extra) -> int:
    return main(["nightly", str(feed), "--out", str(out), "--date", date, "--base-url", server.base_url,
                 "--model", "m", "--extract", "model", "--cache-dir", str(cache), "--retries", "0", *extra])


def _index(out, date) -> dict:
    return json.loads((out / date / "index.json").read_text(encoding="utf-8"))


def _items(out, date, folder) -> list:
    brief = json.loads((out / date / folder / "brief.json").read_text(encoding="utf-8"))
    return [(s, i["statement"], [(e["doc_id"], e["start"], e["end"]) for e in i["evidence"]])
            for s in ("agreements", "divergences", "unsaid") for i in brief[s]]


def _cache_entries(cache: Path) -> int:
    return sum(1 for _ in cache.glob("??/*.json"))


def test_same_night_again_makes_no_model_call(feed, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, out, "2026-11-04", server, cache) == 0
        sent = server.count
        assert sent >= 4  # per event at least one extraction (short articles share a call) and one merge
        assert _night(feed, out, "2026-11-04", server, cache) == 0
        assert server.count == sent
    assert [e["status"] for e in _index(out, "2026-11-04")["events"]] == ["ok", "ok"]


def test_one_event_failing_for_good_leaves_the_others_and_keeps_yesterday(feed, tmp_path, capsys):
    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, out, "2026-11-04", server, tmp_path / "c1") == 0
    yesterday = {e["id"]: e for e in _index(out, "2026-11-04")["events"]}
    strike = next(e for e in yesterday.values() if "Northwind" in e["title"])
    kept = (out / "2026-11-04" / strike["folder"] / "brief.json").read_bytes()

    def northwind_fails(body):  # every call about the airline strike answers 503, whatever is retried
        return "503" if "Northwind" in json.dumps(body) else None

    with FakeOpenAIServer(newsroom, fault_for=northwind_fails) as server:
        code = _night(feed, out, "2026-11-05", server, tmp_path / "c2")
    assert code == 4  # partial
    index = _index(out, "2026-11-05")
    by_id = {e["id"]: e for e in index["events"]}
    assert by_id[strike["id"]]["status"] == "failed" and "503" in by_id[strike["id"]]["error"]
    assert by_id[strike["id"]]["kept_from"] == "2026-11-04"
    assert (out / "2026-11-05" / strike["folder"] / "brief.json").read_bytes() == kept
    bridge = next(e for e in index["events"] if e["id"] != strike["id"])
    assert bridge["status"] == "ok" and (out / "2026-11-05" / bridge["folder"] / "brief.json").is_file()
    assert os.readlink(out / "latest") == "2026-11-05"
    assert "FAILED" in (out / "2026-11-05" / "index.md").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "failed" in err and "partial" in err


def test_an_event_briefed_with_a_call_lost_for_good_says_so_in_the_index(feed, tmp_path):
    # the merge calls about one event fail for good: its brief is written with the rules' items for them
    # (issue 23), and the night's index says which calls stand on the rules instead of "briefed" alone
    def northwind_merges_fail(body):
        text = json.dumps(body)
        return "503" if "Northwind" in text and "<groups>" in text else None

    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom, fault_for=northwind_merges_fail) as server:
        assert _night(feed, out, "2026-11-05", server, tmp_path / "c") == 0  # written: not a failed event
    index = _index(out, "2026-11-05")
    strike = next(e for e in index["events"] if "Northwind" in e["title"])
    bridge = next(e for e in index["events"] if e is not strike)
    assert strike["status"] == "ok" and strike["degraded"] and all(d.startswith("merge:") for d in strike["degraded"])
    assert bridge["status"] == "ok" and bridge["degraded"] == []
    assert index["status"]["degraded"] == 1
    md = (out / "2026-11-05" / "index.md").read_text(encoding="utf-8")
    assert "lost for good, the rules' items stand in" in md and "1 with a call lost" in md


def test_a_night_whose_every_event_fails_is_a_failure_and_latest_stays(feed, tmp_path, capsys):
    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, out, "2026-11-04", server, tmp_path / "c1") == 0
    with FakeOpenAIServer(newsroom, fault_for=lambda body: "503") as server:
        code = _night(feed, out, "2026-11-05", server, tmp_path / "c2")
    assert code == 1  # not "partial": a scheduler that accepts 4 must hear of this one
    assert os.readlink(out / "latest") == "2026-11-04"
    assert all(e["status"] == "failed" for e in _index(out, "2026-11-05")["events"])


def test_a_bad_date_is_a_bad_command_line(feed, tmp_path, capsys):
    from pipeline.cli import main

    for bad in ("2026-13-40", "20261202", ""):
        with pytest.raises(SystemExit) as e:
            main(["nightly", str(feed), "--out", str(tmp_path / "out"), "--date", bad, "--engine", "offline"])
        assert e.value.code == 2
    assert "is not a date" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_budget_stops_before_the_limit_and_says_what_is_undone(feed, tmp_path, capsys):
    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom) as server:
        code = _night(feed, out, "2026-11-04", server, tmp_path / "c", "--max-tokens", "1500")
        sent = server.count
    assert code == 5
    index = _index(out, "2026-11-04")
    assert index["budget"]["prompt_tokens"] + index["budget"]["completion_tokens"] <= 1500
    undone = [e for e in index["events"] if e["status"] == "budget"]
    assert undone
    err = capsys.readouterr().err
    assert "left undone" in err and all(e["title"][:20] in err for e in undone)
    assert sent < 8  # it stopped sending
    # with room, the rerun completes the night
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, out, "2026-11-04", server, tmp_path / "c") == 0


def test_max_cost_needs_a_price(feed, tmp_path, capsys):
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, tmp_path / "out", "2026-11-04", server, tmp_path / "c", "--max-cost", "0.5") == 1
        assert server.count == 0
    assert "[prices]" in capsys.readouterr().err
    config = tmp_path / "config.toml"
    config.write_text('[prices]\n"m" = [0.15, 0.60]\n', encoding="utf-8")
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, tmp_path / "out", "2026-11-04", server, tmp_path / "c", "--max-cost", "0.5",
                      "--config", str(config)) == 0


def test_killed_night_resumes_paying_only_for_missing_calls(feed, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeOpenAIServer(newsroom) as server:  # what a whole night costs, on a cold cache
        # one cluster per merge call: enough calls that the kill lands mid-night
        assert _night(feed, tmp_path / "ref", "2026-11-04", server, tmp_path / "ref-cache", "--merge-batch", "1") == 0
        total = server.count
    with FakeOpenAIServer(newsroom, latency=0.15) as server:
        port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
        cmd = [sys.executable, "-m", "pipeline.cli", "nightly", str(feed), "--out", str(out), "--date", "2026-11-04",
               "--base-url", server.base_url, "--model", "m", "--extract", "model", "--cache-dir", str(cache),
               "--concurrency", "1", "--merge-batch", "1"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while _cache_entries(cache) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    cached = _cache_entries(cache)
    assert 4 <= cached < total
    assert not (out / "latest").exists()  # the killed night never became the latest
    # the same endpoint (the cache key holds its URL), restarted
    with FakeOpenAIServer(newsroom, port=port) as server:
        assert _night(feed, out, "2026-11-04", server, cache, "--merge-batch", "1") == 0
        assert server.count == total - cached  # only the calls not yet cached
    assert os.readlink(out / "latest") == "2026-11-04"


def test_batch_gives_the_same_briefs_as_direct_calls(feed, tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        assert _night(feed, tmp_path / "direct", "2026-11-04", server, tmp_path / "c1") == 0
        direct_calls = server.count
    with FakeOpenAIServer(newsroom) as server:
        server.batch_polls = 2
        assert _night(feed, tmp_path / "batch", "2026-11-04", server, tmp_path / "c2", "--batch",
                      "--poll-seconds", "0.01") == 0
        assert server.count == 0  # nothing went the direct way
        assert len(server.batches) == 2  # the extractions, then the merges
        assert len(server.batch_lines) == direct_calls
    d, b = _index(tmp_path / "direct", "2026-11-04"), _index(tmp_path / "batch", "2026-11-04")
    assert [(e["id"], e["folder"], e["counts"]) for e in d["events"]] == \
        [(e["id"], e["folder"], e["counts"]) for e in b["events"]]
    for e in d["events"]:
        assert _items(tmp_path / "direct", "2026-11-04", e["folder"]) == \
            _items(tmp_path / "batch", "2026-11-04", e["folder"])
    state = json.loads((tmp_path / "batch" / "2026-11-04" / ".batch.json").read_text(encoding="utf-8"))
    assert [x["status"] for x in state["batches"]] == ["completed", "completed"]


def test_batch_still_running_is_resumed_not_sent_twice(feed, tmp_path, capsys):
    out, cache = tmp_path / "out", tmp_path / "c"
    with FakeOpenAIServer(newsroom) as server:
        server.batch_polls = 10**6  # never finishes while we wait
        code = _night(feed, out, "2026-11-04", server, cache, "--batch", "--poll-seconds", "0.01",
                      "--batch-wait", "0.2")
        assert code == 6
        assert "still" in capsys.readouterr().err
        assert not (out / "latest").exists()
        pending = json.loads((out / "2026-11-04" / ".batch.json").read_text(encoding="utf-8"))["batches"]
        assert len(pending) == 1 and pending[0]["status"] in ("validating", "in_progress")
        server.batch_polls = 0  # it finishes now
        assert _night(feed, out, "2026-11-04", server, cache, "--batch", "--poll-seconds", "0.01") == 0
        assert len(server.batches) == 2  # the pending extraction batch was polled again, then the merges
        assert server.count == 0
        ids = [x["batch_id"] for x in json.loads((out / "2026-11-04" / ".batch.json").read_text())["batches"]]
        assert ids[0] == pending[0]["batch_id"]


def test_batch_lines_that_fail_go_directly(feed, tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        server.batch_status = "expired"  # the service gave up on every batch
        assert _night(feed, tmp_path / "out", "2026-11-04", server, tmp_path / "c", "--batch",
                      "--poll-seconds", "0.01") == 0
        assert server.count >= 4  # every call then went the direct way
        assert len(server.batch_lines) == 0


def test_events_are_briefed_side_by_side(feed, tmp_path):
    with FakeOpenAIServer(newsroom, latency=0.1) as server:
        assert _night(feed, tmp_path / "one", "2026-11-04", server, tmp_path / "c1", "--concurrency", "1",
                      "--events-at-once", "1") == 0
        assert server.max_in_flight == 1
    with FakeOpenAIServer(newsroom, latency=0.1) as server:
        assert _night(feed, tmp_path / "two", "2026-11-04", server, tmp_path / "c2", "--concurrency", "1",
                      "--events-at-once", "2") == 0
        assert server.max_in_flight == 2  # one call of each event at once
    one, two = _index(tmp_path / "one", "2026-11-04"), _index(tmp_path / "two", "2026-11-04")
    assert [(e["id"], e["counts"]) for e in one["events"]] == [(e["id"], e["counts"]) for e in two["events"]]
    for e in one["events"]:
        assert _items(tmp_path / "one", "2026-11-04", e["folder"]) == _items(tmp_path / "two", "2026-11-04", e["folder"])


def test_the_key_is_in_no_file_of_the_night(feed, tmp_path, capsys):
    key = "sk-nightly-SECRET-0123456789abcdef"
    out, cache = tmp_path / "out", tmp_path / "cache"

    def strike_fails(body):
        return "503" if "Northwind" in json.dumps(body) else None

    with FakeOpenAIServer(newsroom, api_key=key, fault_for=strike_fails) as server:
        code = main(["nightly", str(feed), "--out", str(out), "--date", "2026-11-04", "--base-url", server.base_url,
                     "--model", "m", "--cache-dir", str(cache), "--retries", "0", "--api-key", key])
        assert code == 4
        assert main(["nightly", str(feed), "--out", str(tmp_path / "b"), "--date", "2026-11-04", "--base-url",
                     server.base_url, "--model", "m", "--cache-dir", str(tmp_path / "c2"), "--api-key", key,
                     "--batch", "--poll-seconds", "0.01"]) == 0  # batch lines are not faulted
    printed = capsys.readouterr()
    assert key not in printed.out + printed.err
    for root in (out, cache, tmp_path / "b", tmp_path / "c2"):
        for p in root.rglob("*"):
            if p.is_file():
                assert key.encode() not in p.read_bytes(), p
    manifest = next(out.rglob("manifest.json")).read_text(encoding="utf-8")
    assert "--api-key" in manifest  # the command line is recorded, its key is not
