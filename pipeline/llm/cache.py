"""On-disk cache of validated LLM outputs: one checksummed JSON file per entry; its stats and pruning.

Writes go to a temp file in the same directory and are moved into place with os.replace, which is
atomic, so concurrent writers (threads or processes) never leave a half-written entry: a reader sees
the old file, the new file, or none. A file damaged some other way (disk full, manual edit) fails its
checksum, is reported and ignored, and the next successful call overwrites it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = 1


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def cache_key(**parts: object) -> str:
    """sha256 over every input that can change the output (model, endpoint, prompt id, schema hash,
    mode, messages, sampling settings). Pass JSON-serialisable values only, never the API key."""
    return hashlib.sha256(_canonical(parts)).hexdigest()


class DiskCache:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.warnings: list[str] = []
        self._lock = threading.Lock()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        path = self.path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            self._warn(f"cache entry {path} unreadable ({e}); asking again")
            return None
        try:
            entry = json.loads(raw)
            ok = (
                entry["format"] == FORMAT
                and entry["key"] == key
                and entry["checksum"] == hashlib.sha256(_canonical(entry["payload"])).hexdigest()
            )
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            self._warn(f"cache entry {path} is corrupt; ignoring it and asking again")
            return None
        try:
            os.utime(path)  # `brief cache prune` removes what was not *used* for a while
        except OSError:
            pass  # a read-only cache still serves
        return entry["payload"]

    def put(self, key: str, payload: dict) -> None:
        """Store an entry. A cache that cannot be written is reported, never fatal."""
        path = self.path(key)
        entry = {
            "format": FORMAT,
            "key": key,
            "checksum": hashlib.sha256(_canonical(payload)).hexdigest(),
            "payload": payload,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:16]}.", suffix=".tmp")
        except OSError as e:
            self._warn(f"cannot write the cache under {self.root} ({e}); continuing without it")
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_canonical(entry))
            os.replace(tmp, path)
        except BaseException as e:
            Path(tmp).unlink(missing_ok=True)
            if not isinstance(e, OSError):
                raise
            self._warn(f"cannot write cache entry {path} ({e}); continuing without it")

    def answer(self, key: str, output: type):
        """A validated answer stored under ``key`` and the structured mode it came in (None for entries written
        before modes were kept); (None, None) when there is none, or it no longer fits ``output``."""
        from pydantic import ValidationError

        payload = self.get(key)
        if payload is None:
            return None, None
        try:
            mode = payload.get("mode")
            return output.model_validate(payload["output"]), mode if isinstance(mode, str) else None
        except (KeyError, TypeError, AttributeError, ValidationError):
            self._warn(f"cache entry {self.path(key)} does not fit {output.__name__}; asking again")
            return None, None

    def put_answer(self, key: str, prompt_id: str, model: str, result, mode: str | None) -> None:
        """Store a validated answer (a pydantic model) with what produced it."""
        self.put(key, {"prompt": prompt_id, "model": model, "mode": mode, "output": result.model_dump(mode="json")})

    def _warn(self, message: str) -> None:
        log.warning(message)
        with self._lock:
            self.warnings.append(message)


# --- housekeeping: `brief cache stats` and `brief cache prune` ----------------------------------------

def _entries(root: Path):
    """(path, stat) of every entry file under the cache root, and of leftover temp files."""
    if not root.is_dir():
        return
    for sub in sorted(root.iterdir()):
        if not sub.is_dir() or len(sub.name) != 2:
            continue  # only the cache's own two-character shards: never walk a wrongly given folder
        for p in sorted(sub.iterdir()):
            if p.suffix in (".json", ".tmp") and p.is_file():
                try:
                    yield p, p.stat()
                except OSError:
                    continue


def cache_stats(root: Path, *, by_prompt: bool = True) -> dict:
    """Entries, bytes, oldest and newest use, and entries per prompt id (read from each entry)."""
    root = Path(root)
    n = size = tmp = damaged = 0
    oldest = newest = None
    prompts: dict[str, int] = {}
    for p, st in _entries(root):
        if p.suffix == ".tmp":
            tmp += 1
            continue
        n += 1
        size += st.st_size
        oldest = st.st_mtime if oldest is None else min(oldest, st.st_mtime)
        newest = st.st_mtime if newest is None else max(newest, st.st_mtime)
        if by_prompt:
            try:
                payload = json.loads(p.read_bytes())["payload"]
                name = str(payload.get("prompt") or "?")
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                damaged += 1
                name = "(damaged)"
            prompts[name] = prompts.get(name, 0) + 1
    return {"root": str(root), "entries": n, "bytes": size, "temp_files": tmp, "damaged": damaged,
            "oldest_used": oldest, "newest_used": newest, "by_prompt": dict(sorted(prompts.items()))}


def prune_cache(root: Path, older_than: float, *, now: float | None = None, dry_run: bool = False) -> dict:
    """Remove entries not used for `older_than` seconds (a hit refreshes an entry's time), and temp files
    left by a killed writer that are older than an hour. Returns what was (or would be) removed."""
    import time

    now = time.time() if now is None else now
    removed = freed = 0
    for p, st in _entries(Path(root)):
        limit = 3600 if p.suffix == ".tmp" else older_than
        if now - st.st_mtime <= limit:
            continue
        if not dry_run:
            try:
                p.unlink()
            except FileNotFoundError:
                continue
            except OSError as e:
                log.warning(f"cannot remove cache entry {p} ({e})")
                continue
        removed += 1
        freed += st.st_size
    return {"removed": removed, "bytes": freed, "dry_run": dry_run}


_DURATION = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> float:
    """'30d', '12h', '90m', '2w', '45s' -> seconds."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text or "")
    if not m:
        raise ValueError(f"not a duration: {text!r} (expected e.g. 30d, 12h, 90m, 2w)")
    return float(m.group(1)) * _DURATION[m.group(2)]
