"""`brief nightly` end to end: one brief per event, the index, latest, reruns, locks, failures, budgets."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nightly_corpus import acceptance_feed, write_events  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture
def feed(tmp_path) -> Path:
    """Tonight's feed: the seeds (one event), two other events told by three outlets each, a lone article."""
    folder = tmp_path / "feed"
    write_events(folder)
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


def _index(out: Path, date: str) -> dict:
    return json.loads((out / date / "index.json").read_text(encoding="utf-8"))


def _night(feed, out, date, *extra) -> int:
    return main(["nightly", str(feed), "--out", str(out), "--date", date, "--engine", "offline", *extra])


def test_one_brief_per_event_index_and_latest(feed, tmp_path, capsys):
    out = tmp_path / "out"
    assert _night(feed, out, "2026-11-04") == 0
    index = _index(out, "2026-11-04")
    events = index["events"]
    assert len(events) == 3 and all(e["status"] == "ok" for e in events)
    # ordered by independent sources: the seeds (5 articles, one syndicated pair) first
    assert [e["independent_sources"] for e in events] == sorted((e["independent_sources"] for e in events),
                                                                reverse=True)
    names = {e["folder"]: {s["name"] for s in e["sources"]} for e in events}
    groups = sorted(sorted(n.split("_")[0].split("/")[0] for n in v) for v in names.values())
    assert groups == [["bridge"] * 3, ["seeds"] * 5, ["strike"] * 3]  # no article in the wrong event
    for e in events:
        brief = json.loads((out / "2026-11-04" / e["folder"] / "brief.json").read_text(encoding="utf-8"))
        assert {s["name"] for s in brief["sources"]} == names[e["folder"]]
        assert (out / "2026-11-04" / e["folder"] / "brief.html").is_file()
        assert (out / "2026-11-04" / e["folder"] / "manifest.json").is_file()
        assert e["counts"]["agreements"] == len(brief["agreements"])
    assert [s["sources"][0]["name"] for s in index["single_source"]] == ["lone_06.txt"]
    assert not (out / "2026-11-04" / "volunteers-restore-century-old-village-bandstand").exists()
    assert os.readlink(out / "latest") == "2026-11-04"
    md = (out / "2026-11-04" / "index.md").read_text(encoding="utf-8")
    assert "Eastgate" in md and "Northwind" in md and "Single-source" in md
    html = (out / "latest" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{e["folder"]}/brief.html"' in html for e in events)
    err = capsys.readouterr().err
    assert err.count("[") >= 3 and "[3/3]" in err  # one line per event when stderr is not a terminal


def test_rerun_and_next_night_keep_event_ids(feed, tmp_path):
    out = tmp_path / "out"
    assert _night(feed, out, "2026-11-04") == 0
    first = {e["id"]: e["folder"] for e in _index(out, "2026-11-04")["events"]}
    assert _night(feed, out, "2026-11-04") == 0
    assert {e["id"]: e["folder"] for e in _index(out, "2026-11-04")["events"]} == first
    # tomorrow the bridge story gains an article: same id, same folder name, re-briefed with 4 sources
    (feed / "late.txt").write_text(
        "Eastgate Bridge to reopen next month\n\nThe county said on Friday that the Eastgate Bridge over the Alder "
        "River will reopen next month once the cracked girder is replaced. Transport director Lena Okafor said "
        "Halvorsen Structural had finished measuring the damage.\n", encoding="utf-8")
    assert _night(feed, out, "2026-11-05") == 0
    second = {e["id"]: e for e in _index(out, "2026-11-05")["events"]}
    assert set(second) == set(first)
    bridge = next(e for e in second.values() if "late.txt" in {s["name"] for s in e["sources"]})
    assert bridge["folder"] == first[bridge["id"]] and len(bridge["sources"]) == 4
    assert os.readlink(out / "latest") == "2026-11-05"
    # an earlier date run afterwards does not move latest back
    assert _night(feed, out, "2026-11-01") == 0
    assert os.readlink(out / "latest") == "2026-11-05"


def test_a_second_night_waits_for_none(feed, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    held = os.open(out, os.O_RDONLY)  # the lock is on DIR itself
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert _night(feed, out, "2026-11-04") == 75
    finally:
        os.close(held)
    assert "another `brief nightly`" in capsys.readouterr().err
    assert not (out / "2026-11-04").exists()


def test_brief_run_warns_when_the_folder_holds_several_events(feed, tmp_path, capsys):
    assert main(["run", str(feed), "--out", str(tmp_path / "b"), "--engine", "offline"]) == 0
    err = capsys.readouterr().err
    assert "separate events" in err and "Eastgate" in err and "Northwind" in err
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert any("separate events" in w for w in manifest["warnings"])
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "s"), "--engine", "offline"]) == 0
    assert "separate events" not in capsys.readouterr().err


@pytest.mark.skipif(__import__("pipeline.evals.datasets", fromlist=["x"]).evaldata_dir(required=False) is None,
                    reason="external eval data (../shared/evaldata or $BRIEF_EVALDATA) absent")
def test_acceptance_feed_seeds_two_summhay_topics_and_more(tmp_path):
    """The issue's acceptance feed: the seeds, 20 documents of each SummHay topic, the hand-written events
    (and evals/corpora/harbor-blast when it is there): one brief per event, no article in the wrong one."""
    from pipeline.evals.datasets import evaldata_dir
    from pipeline.ingest.events import purity_completeness

    feed = tmp_path / "feed"
    gold = acceptance_feed(feed, evaldata_dir())
    harbor = feed / "harbor-blast"
    out = tmp_path / "out"
    assert _night(feed, out, "2026-11-04") == 0
    index = _index(out, "2026-11-04")
    groups = [[s["name"] for s in e["sources"]] for e in index["events"]]
    groups += [[s["name"] for s in x["sources"]] for x in index["single_source"]]
    named = {n: g for n, g in gold.items() if any(n in grp for grp in groups)}
    purity, completeness = purity_completeness(groups, {n: gold.get(n, "?") for grp in groups for n in grp})
    print(f"acceptance feed: {len(named)} articles, {len(index['events'])} briefs; purity {purity:.3f} "
          f"completeness {completeness:.3f}")
    assert (purity, completeness) == (1.0, 1.0)
    events = {frozenset(gold[n] for n in grp) for grp in groups}
    expected = {"seeds", "topic1", "topic2", "bridge", "strike"} | ({"harbor"} if harbor.is_dir() else set())
    assert {next(iter(e)) for e in events if len(e) == 1} >= expected
    assert len(index["events"]) == len(expected)  # one brief per event, the lone article only listed
    assert os.readlink(out / "latest") == "2026-11-04"


def test_index_escapes_what_the_articles_say(feed, tmp_path):
    meta = json.loads((feed / "meta.json").read_text(encoding="utf-8"))
    meta["bridge_00.txt"]["title"] = 'Bridge <script>alert(1)</script> shut "now"'
    meta["bridge_00.txt"]["url"] = "javascript:alert(2)"
    (feed / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    out = tmp_path / "out"
    assert _night(feed, out, "2026-11-04") == 0
    html = (out / "2026-11-04" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html
    assert "Content-Security-Policy" in html
    md = (out / "2026-11-04" / "index.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_out_that_is_a_file_is_one_line(feed, tmp_path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert _night(feed, tmp_path / "file", "2026-11-04") == 1
    err = capsys.readouterr().err
    assert "file" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_progress_bar_when_stderr_is_a_terminal(feed, tmp_path):
    import pty
    import subprocess

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "nightly", str(feed), "--out", str(tmp_path / "out"),
                             "--date", "2026-11-04", "--engine", "offline"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    assert "\r" in shown and "3/3 events" in shown and "cache hits" in shown  # one line redrawn in place
    assert "[1/3]" not in shown  # not the log lines


def test_the_nights_verifier_is_the_rules_unless_one_is_named(feed, tmp_path, monkeypatch):
    """`brief run` defaults to auto (the embedding model offline); a night of many events keeps the rules' cost
    unless --verifier or BRIEF_VERIFIER asks for another."""
    monkeypatch.delenv("BRIEF_VERIFIER", raising=False)

    def kinds(out):
        night = out / "2026-11-06"
        return {json.loads((night / e["folder"] / "manifest.json").read_text())["verifier"]["kind"]
                for e in _index(out, "2026-11-06")["events"]}

    assert _night(feed, tmp_path / "a", "2026-11-06") == 0
    assert kinds(tmp_path / "a") == {"rules"}
    assert _night(feed, tmp_path / "b", "2026-11-06", "--verifier", "embed") == 0
    assert kinds(tmp_path / "b") == {"embed"}
    monkeypatch.setenv("BRIEF_VERIFIER", "embed")
    assert _night(feed, tmp_path / "c", "2026-11-06") == 0
    assert kinds(tmp_path / "c") == {"embed"}
