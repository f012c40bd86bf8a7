"""The API key never appears in what a run leaves behind: the output folder (brief, manifest), the cache,
the --log file, stdout and stderr, and log records; after a successful run and after failed ones.

Two shapes of key: an OpenAI-looking one (which the pattern redaction would also catch) and a plain token
(only the explicit redaction of the configured key can catch that one).
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
KEYS = ["sk-test-4f9c2e7aSECRETb81d3a6c90e1", "tok_7Hq2SECRETzz91mmXv0w"]


def leaks(key: str, *places: Path, texts: tuple[str, ...] = ()) -> list[str]:
    """Where the key (or its distinctive middle) occurs: file paths, or 'text #i'."""
    needles = [key.encode(), b"SECRET"]
    found = []
    for place in places:
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()] if place.exists() else []
        for f in files:
            data = f.read_bytes()
            if any(n in data for n in needles):
                found.append(str(f))
    for i, t in enumerate(texts):
        if any(n.decode() in t for n in needles):
            found.append(f"text #{i}: {t[:300]!r}")
    return found


@pytest.fixture
def dirs(tmp_path):
    d = {name: tmp_path / name for name in ("out", "cache", "logs")}
    d["log"] = d["logs"] / "calls.jsonl"
    (tmp_path / "fast.toml").write_text("retry_base_seconds = 0.01\nmax_retries = 2\n")
    d["config"] = tmp_path / "fast.toml"
    return d


def _args(server, dirs, *extra):
    return ["run", str(SEEDS), "--out", str(dirs["out"]), "--base-url", server.base_url, "--model", "m",
            "--cache-dir", str(dirs["cache"]), "--log", str(dirs["log"]), "--config", str(dirs["config"]), *extra]


def _everywhere(dirs) -> tuple[Path, ...]:
    return dirs["out"], dirs["cache"], dirs["logs"]


@pytest.mark.parametrize("key", KEYS)
def test_successful_run_leaks_nothing(key, dirs, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("OPENAI_API_KEY", key)
    with FakeOpenAIServer(newsroom, api_key=key) as server:
        assert main(_args(server, dirs)) == 0
        assert server.count > 0
    out, err = capsys.readouterr()
    assert (dirs["out"] / "manifest.json").exists() and dirs["log"].stat().st_size > 0
    assert list(dirs["cache"].rglob("*.json"))
    assert leaks(key, *_everywhere(dirs), texts=(out, err, caplog.text)) == []


@pytest.mark.parametrize("key", KEYS)
def test_key_given_as_a_flag_is_not_in_the_manifest(key, dirs, monkeypatch, capsys):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer(newsroom, api_key=key) as server:
        assert main(_args(server, dirs, "--api-key", key)) == 0
        assert main(_args(server, dirs, f"--api-key={key}", "--no-cache")) == 0
        assert main(_args(server, dirs, "--api-k", key, "--no-cache")) == 0  # an abbreviation argparse accepts
    out, err = capsys.readouterr()
    assert leaks(key, *_everywhere(dirs), texts=(out, err)) == []
    manifest = (dirs["out"] / "manifest.json").read_text()
    assert "[REDACTED]" in manifest and '"--api-k"' in manifest  # the command is still recorded


@pytest.mark.parametrize("key, how", [(KEYS[0], "in-process"), (KEYS[1], "subprocess")])
def test_wrong_key_401_echoed_by_the_server_leaks_nothing(key, how, dirs, tmp_path, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    # the server expects another key and, like some real servers, echoes the one it got in its error
    with FakeOpenAIServer(newsroom, api_key="sk-the-right-one-0000000000") as server:
        if how == "subprocess":  # the real stderr of a real process
            env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "BRIEF_VERIFIER": os.environ["BRIEF_VERIFIER"],
                   "OPENAI_API_KEY": key}
            proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *_args(server, dirs)], capture_output=True,
                                  text=True, env=env, timeout=120)
            rc, out, err = proc.returncode, proc.stdout, proc.stderr
        else:
            monkeypatch.setenv("OPENAI_API_KEY", key)
            rc = main(_args(server, dirs))
            out, err = capsys.readouterr()
        assert server.count == 0  # refused before any chat request was admitted
    assert rc == 1
    assert "HTTP 401" in err and "check OPENAI_API_KEY" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert dirs["log"].exists()  # the failed attempts were logged
    assert leaks(key, *_everywhere(dirs), texts=(out, err, caplog.text)) == []


@pytest.mark.parametrize("key", KEYS)
def test_persistent_503_leaks_nothing(key, dirs, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("OPENAI_API_KEY", key)
    # an earlier brief is in the folder
    with FakeOpenAIServer(newsroom, api_key=key) as server:
        assert main(_args(server, dirs, "--chunk-tokens", "400")) == 0
    with FakeOpenAIServer(newsroom, api_key=key, faults={"503": 1.0}) as server:
        assert main(_args(server, dirs, "--no-cache")) == 1
        assert server.count > 0
    out, err = capsys.readouterr()
    assert "HTTP 503" in err
    assert leaks(key, *_everywhere(dirs), texts=(out, err, caplog.text)) == []


def test_credentials_in_the_base_url_are_not_recorded(dirs, monkeypatch, capsys, caplog):
    # (httpx itself logs request URLs, user:password@ included, at INFO: only an embedding application that
    # turns INFO logging on for httpx would see them; briefsmith configures no logging)
    caplog.set_level(logging.WARNING)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAIServer(newsroom) as server:
        url = server.base_url.replace("http://", "http://briefbot:pw-SECRET-77aa@")
        args = _args(server, dirs)
        args[args.index("--base-url") + 1] = url
        assert main(args) == 0
    out, err = capsys.readouterr()
    assert leaks("pw-SECRET-77aa", *_everywhere(dirs), texts=(out, err, caplog.text)) == []
