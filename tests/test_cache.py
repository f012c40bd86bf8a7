import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipeline.llm.cache import DiskCache, cache_key

PARTS = dict(model="m", base_url="http://x/v1", prompt="extract_claims@1+abcdef12", schema="h", mode="auto",
             messages=[{"role": "user", "content": "hi"}], temperature=0.0, seed=0, max_tokens=None)


def test_key_depends_on_every_part():
    base = cache_key(**PARTS)
    assert base == cache_key(**dict(reversed(list(PARTS.items()))))  # order of arguments does not matter
    for name, other in [("model", "m2"), ("base_url", "http://y/v1"), ("prompt", "extract_claims@2+abcdef12"),
                        ("schema", "h2"), ("mode", "json_object"), ("messages", []), ("temperature", 0.5),
                        ("seed", 1), ("max_tokens", 100)]:
        assert cache_key(**{**PARTS, name: other}) != base, name


def test_roundtrip_and_miss(tmp_path):
    cache = DiskCache(tmp_path)
    key = cache_key(**PARTS)
    assert cache.get(key) is None
    cache.put(key, {"output": {"claims": []}})
    assert cache.get(key) == {"output": {"claims": []}}
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.json"]  # no temp files left
    assert not cache.warnings


def _corrupt_truncate(path: Path):
    path.write_bytes(path.read_bytes()[:-15])


def _corrupt_payload(path: Path):
    entry = json.loads(path.read_text())
    entry["payload"]["output"] = {"claims": ["tampered"]}
    path.write_text(json.dumps(entry))


def _corrupt_garbage(path: Path):
    path.write_bytes(b"\x00\xff not json")


def _corrupt_empty(path: Path):
    path.write_bytes(b"")


@pytest.mark.parametrize("corrupt", [_corrupt_truncate, _corrupt_payload, _corrupt_garbage, _corrupt_empty])
def test_corrupt_entry_is_detected_and_overwritten(tmp_path, corrupt):
    cache = DiskCache(tmp_path)
    key = cache_key(**PARTS)
    cache.put(key, {"output": {"claims": []}})
    corrupt(cache.path(key))
    assert cache.get(key) is None
    assert len(cache.warnings) == 1 and "corrupt" in cache.warnings[0]
    cache.put(key, {"output": {"claims": []}})
    assert cache.get(key) == {"output": {"claims": []}}


def test_unwritable_cache_is_a_warning_not_a_failure(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    cache = DiskCache(blocker)
    key = cache_key(**PARTS)
    cache.put(key, {"v": 1})
    assert cache.get(key) is None
    assert "cannot write" in cache.warnings[0]


def test_entry_under_the_wrong_key_is_rejected(tmp_path):
    cache = DiskCache(tmp_path)
    a, b = cache_key(**PARTS), cache_key(**{**PARTS, "seed": 9})
    cache.put(a, {"v": 1})
    cache.path(b).parent.mkdir(parents=True, exist_ok=True)
    cache.path(b).write_bytes(cache.path(a).read_bytes())
    assert cache.get(b) is None and cache.warnings


def test_threads_hammering_the_same_keys_never_see_a_torn_entry(tmp_path):
    cache = DiskCache(tmp_path)
    keys = [cache_key(**{**PARTS, "seed": i}) for i in range(3)]
    bad = []

    def hammer(worker):
        for n in range(100):
            key = keys[n % len(keys)]
            cache.put(key, {"worker": worker, "n": n, "text": "x" * (n * 37 % 5000)})
            got = cache.get(keys[(n + 1) % len(keys)])
            if got is not None and set(got) != {"worker", "n", "text"}:
                bad.append(got)

    threads = [threading.Thread(target=hammer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad and not cache.warnings
    assert all(cache.get(k) is not None for k in keys)
    assert not [p for p in tmp_path.rglob("*.tmp")]


WRITER = """
import sys
from pipeline.llm.cache import DiskCache
cache = DiskCache(sys.argv[1])
keys, me = sys.argv[2].split(","), sys.argv[3]
torn = 0
for n in range(200):
    cache.put(keys[n % len(keys)], {"writer": me, "n": n, "text": me * (n * 53 % 8000)})
    got = cache.get(keys[(n + 1) % len(keys)])
    torn += got is not None and set(got) != {"writer", "n", "text"}
print(torn + len(cache.warnings))
"""


def test_two_processes_sharing_one_cache_do_not_corrupt_it(tmp_path):
    keys = [cache_key(**{**PARTS, "seed": i}) for i in range(4)]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), ",".join(keys), name],
                              stdout=subprocess.PIPE, text=True) for name in ("a", "b")]
    outs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0] and outs == ["0", "0"]
    cache = DiskCache(tmp_path)
    assert all(cache.get(k)["writer"] in ("a", "b") for k in keys) and not cache.warnings
