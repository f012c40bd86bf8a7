"""`brief cache stats` and `brief cache prune`: what the response cache holds, and removing what is unused."""
from __future__ import annotations

import json
import os
import time

import pytest

from pipeline.cli import main
from pipeline.llm.cache import DiskCache, cache_key, cache_stats, parse_duration, prune_cache

DAY = 86400


def _fill(root, n, prompt="extract_claims@1+abc", age_days=0.0):
    cache = DiskCache(root)
    keys = []
    for i in range(n):
        key = cache_key(prompt=prompt, i=i, age=age_days)
        cache.put(key, {"prompt": prompt, "model": "m", "output": {"i": i}})
        t = time.time() - age_days * DAY
        os.utime(cache.path(key), (t, t))
        keys.append(key)
    return cache, keys


def test_stats_count_entries_by_prompt(tmp_path):
    _fill(tmp_path, 3)
    _fill(tmp_path, 2, prompt="merge_sections@1+def", age_days=40)
    (tmp_path / "ab").mkdir(exist_ok=True)
    (tmp_path / "ab" / "damaged.json").write_text("{not json", encoding="utf-8")
    s = cache_stats(tmp_path)
    assert s["entries"] == 6 and s["damaged"] == 1
    assert s["by_prompt"] == {"(damaged)": 1, "extract_claims@1+abc": 3, "merge_sections@1+def": 2}
    assert s["newest_used"] - s["oldest_used"] > 39 * DAY


def test_prune_removes_only_entries_unused_for_longer(tmp_path):
    cache, fresh = _fill(tmp_path, 3)
    _, old = _fill(tmp_path, 4, age_days=40)
    dry = prune_cache(tmp_path, 30 * DAY, dry_run=True)
    assert dry["removed"] == 4 and cache_stats(tmp_path)["entries"] == 7
    # reading an old entry is using it: it survives the prune
    assert cache.get(old[0]) is not None
    r = prune_cache(tmp_path, 30 * DAY)
    assert r["removed"] == 3 and r["bytes"] > 0
    assert all(cache.get(k) is not None for k in fresh + old[:1])
    assert all(cache.get(k) is None for k in old[1:])


def test_prune_never_walks_outside_the_cache_layout(tmp_path):
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.json").write_text("{}", encoding="utf-8")
    os.utime(other / "keep.json", (0, 0))
    assert prune_cache(tmp_path, 1)["removed"] == 0
    assert (other / "keep.json").exists()


def test_durations():
    assert parse_duration("30d") == 30 * DAY and parse_duration("12h") == 12 * 3600 and parse_duration("2w") == 14 * DAY
    for bad in ("30", "d", "-3d", "3 days", ""):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_cache_commands(tmp_path, capsys):
    _fill(tmp_path / "c", 2)
    _fill(tmp_path / "c", 3, age_days=45)
    assert main(["cache", "stats", "--cache-dir", str(tmp_path / "c")]) == 0
    assert "5 entries" in capsys.readouterr().out
    assert main(["cache", "prune", "--older-than", "30d", "--cache-dir", str(tmp_path / "c"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == 3
    assert main(["cache", "stats", "--cache-dir", str(tmp_path / "c"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 2
    with pytest.raises(SystemExit) as e:
        main(["cache", "prune", "--older-than", "soon", "--cache-dir", str(tmp_path / "c")])
    assert e.value.code == 2
    assert "not a duration" in capsys.readouterr().err
