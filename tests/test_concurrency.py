"""Two runs at once on one cache and one output folder, and a damaged cache entry, at the pipeline level.

The runs are real `brief run` processes. Each output set must be whole and from one run (brief.json's
sha256 is the one its manifest records), the cache must hold only entries that load, and a truncated or
ill-fitting entry must be reported, ignored and recomputed with exactly one call.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.llm.cache import DiskCache, _canonical
from pipeline.brief.files import folder_lock
from pipeline.run import run_pipeline
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FAST = {"retry_base_seconds": 0.01}


def _env(tmp_path: Path) -> dict:
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "BRIEF_VERIFIER": os.environ["BRIEF_VERIFIER"]}


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(tmp_path), cwd=str(tmp_path))


def _finish(procs: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    outs = [p.communicate(timeout=120) for p in procs]
    return [(p.returncode, *o) for p, o in zip(procs, outs)]


def assert_one_consistent_set(out: Path) -> dict:
    """Every file in the folder is the one the manifest describes, and no temp file is left."""
    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    assert set(manifest["outputs"]) == {"brief.json", "brief.md", "brief.html"}
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    brief = json.loads((out / "brief.json").read_text())
    title = brief["header"]["title"]
    assert (out / "brief.md").read_text().startswith(f"# {title}\n")
    assert f"<h1>{title}</h1>" in (out / "brief.html").read_text()
    return brief


def assert_cache_sound(cache_dir: Path) -> int:
    entries = sorted(cache_dir.rglob("*.json"))
    cache = DiskCache(cache_dir)
    for path in entries:
        assert cache.get(path.stem) is not None, path
    assert not cache.warnings
    assert not list(cache_dir.rglob("*.tmp"))
    return len(entries)


def _holders_of(lock: Path, pids: list[int]) -> set[int]:
    """The processes among `pids` that have `lock` open (they are waiting on it, or holding it)."""
    holders = set()
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(lock):
                    holders.add(pid)
            except OSError:
                pass
    return holders


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see who waits on the lock")
def test_two_offline_runs_contend_for_one_folder_and_leave_one_whole_set(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    lock = out  # the lock is held on the folder's own descriptor
    # hold the folder lock, so both runs reach their write at the same moment and must queue for it
    with folder_lock(out):
        procs = [_start([str(SEEDS), "--out", str(out), "--engine", "offline", "--title", title, "-q"], tmp_path)
                 for title in ("Run A", "Run B")]
        deadline = time.monotonic() + 60
        while _holders_of(lock, [p.pid for p in procs]) != {p.pid for p in procs}:
            assert all(p.poll() is None for p in procs), _finish(procs)
            assert time.monotonic() < deadline, "the runs never reached the output lock"
            time.sleep(0.02)
        assert not (out / "brief.json").exists()  # nothing written while the lock is held
    results = _finish(procs)
    assert [r[0] for r in results] == [0, 0], results
    brief = assert_one_consistent_set(out)
    assert brief["header"]["title"] in ("Run A", "Run B")


def test_two_llm_runs_share_one_cache_and_one_folder(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    config = tmp_path / "fast.toml"
    config.write_text("retry_base_seconds = 0.01\n")
    with FakeOpenAIServer(newsroom) as server:
        common = [str(SEEDS), "--out", str(out), "--base-url", server.base_url, "--model", "m", "--cache-dir",
                  str(cache), "--config", str(config), "-q"]
        procs = [_start(common + ["--title", title], tmp_path) for title in ("Run A", "Run B")]
        results = _finish(procs)
        both = server.count
        assert [r[0] for r in results] == [0, 0], results
        # a third run finds everything it needs in the cache the two left behind
        # (the two ran with a clean environment: the default profile for this server, full)
        third = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, llm_options=FAST,
                             profile="full")
        assert server.count == both and third.brief.header.usage.cache_hits > 0
    brief = assert_one_consistent_set(out)
    assert brief["header"]["title"] in ("Run A", "Run B") and brief["header"]["engine"] == "llm"
    n = assert_cache_sound(cache)
    assert n == third.brief.header.usage.cache_hits


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _wrong_shape(path: Path) -> None:
    """A well-formed entry (good checksum) whose payload is not the output the call expects."""
    entry = json.loads(path.read_bytes())
    entry["payload"] = {"output": {"not": "the schema"}}
    entry["checksum"] = hashlib.sha256(_canonical(entry["payload"])).hexdigest()
    path.write_bytes(_canonical(entry))


@pytest.mark.parametrize("damage, said", [(_truncate, "is corrupt"), (_wrong_shape, "does not fit")])
def test_damaged_cache_entry_is_ignored_and_recomputed_with_one_call(tmp_path, damage, said):
    cache = tmp_path / "cache"
    with FakeOpenAIServer(newsroom) as server:
        first = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, llm_options=FAST)
        paid = server.count
        entries = sorted(cache.rglob("*.json"))
        victim = entries[len(entries) // 2]
        damage(victim)
        second = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, llm_options=FAST)
        assert server.count == paid + 1  # exactly the damaged entry was paid for again
    assert any(said in w and victim.name in w for w in second.brief.header.warnings)
    assert second.brief.header.usage.calls == 1
    assert first.brief.header.usage.calls == paid and second.brief.header.usage.cache_hits == paid - 1
    assert [i.statement for i in second.brief.items()] == [i.statement for i in first.brief.items()]
    assert assert_cache_sound(cache) == len(entries)  # the entry was rewritten whole


def test_damaged_merge_entry_is_reported_too(tmp_path):
    # the merge is the last call: its cache warning must still reach the brief
    cache = tmp_path / "cache"
    with FakeOpenAIServer(newsroom) as server:
        run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, llm_options=FAST)
        victim = next(p for p in cache.rglob("*.json")
                      if json.loads(p.read_text())["payload"]["prompt"].startswith("merge_sections@"))
        _truncate(victim)
        second = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, llm_options=FAST)
    assert second.brief.header.usage.calls == 1
    assert any("is corrupt" in w and victim.name in w for w in second.brief.header.warnings)
