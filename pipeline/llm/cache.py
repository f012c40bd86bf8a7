"""On-disk cache of validated LLM outputs: one checksummed JSON file per entry.

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
            self._warn(f"cache entry {path} unreadable ({e}); recomputing")
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
            self._warn(f"cache entry {path} is corrupt; ignoring it and recomputing")
            return None
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

    def _warn(self, message: str) -> None:
        log.warning(message)
        with self._lock:
            self.warnings.append(message)
