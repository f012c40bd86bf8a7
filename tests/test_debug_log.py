"""-vv shows each stage's counts and each model call (purpose, tokens, cache hit); the default shows none."""
import re
import sys
from pathlib import Path

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from scripted_llm import newsroom

sys.path.insert(0, str(Path(__file__).parent))
from test_night_index import FLOOD  # noqa: E402  (not about the seeds)


def _feed(tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for name, text in FLOOD.items():
        (feed / name).write_text(text, encoding="utf-8")
    return feed


def test_debug_shows_every_stage_count(tmp_path, capsys):
    feed = _feed(tmp_path)
    assert main(["-vv", "run", str(feed), "--out", str(tmp_path / "o"), "--engine", "offline"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"debug: ingest: 3 documents .* \d+ sentences .*3 independent sources", err), err
    assert re.search(r"debug: claims: \d+ \(", err) and re.search(r"debug: clusters: \d+ groups", err), err
    assert re.search(r"debug: sections: \d+ agreements, \d+ divergences, \d+ unsaid, \d+ single_source", err), err
    assert re.search(r"debug: after grounding: .*\d+ items dropped; \d+ of \d+ claims in no item", err), err
    assert main(["run", str(feed), "--out", str(tmp_path / "o"), "--engine", "offline"]) == 0
    assert "debug:" not in capsys.readouterr().err


def test_debug_shows_each_model_call_with_tokens_and_cache_hits(tmp_path, capsys):
    feed = _feed(tmp_path)
    with FakeOpenAIServer(newsroom) as server:
        args = ["-vv", "run", str(feed), "--out", str(tmp_path / "o"), "--base-url", server.base_url, "--model", "m",
                "--cache-dir", str(tmp_path / "cache")]
        assert main(args) == 0
        first = capsys.readouterr().err
        assert main(args) == 0
        second = capsys.readouterr().err
    calls = re.findall(r"^debug: call (\w+) (.+?) \[(merge_sections@[^\]]+)\]: (\d+)\+(\d+) tokens, (.+), (\w+)$", first, re.M)
    assert calls, first
    assert all(int(p) > 0 and "attempt" in how and outcome == "ok" for *_, p, _c, how, outcome in calls), calls
    again = re.findall(r"debug: call (\w+) .*?: \d+\+\d+ tokens, cache hit, cached", second)
    assert len(again) == len(calls), second
