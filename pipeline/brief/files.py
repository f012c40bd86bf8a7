"""Write a run's files so that a reader never sees a half-written brief and a failed run changes nothing.

Everything is rendered in memory first; only then is each file written to a temporary name beside its
target and renamed over it. A lock on the folder keeps two runs from interleaving their sets of files: the
lock is taken on the folder itself (flock on its descriptor), so no lock file is left among the outputs.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None


class FolderBusy(Exception):
    """Another process holds the folder's lock (non-blocking request)."""


@contextlib.contextmanager
def folder_lock(folder: Path, *, wait: bool = True):
    """An exclusive lock on `folder` (created if missing), held on the folder's own descriptor: a lock
    file would stay behind in the folder, and removing one races with the next process that opens it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if fcntl:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise FolderBusy(str(folder)) from None
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _read_umask() -> int:
    # reading the umask means setting it: do it once, at import, not while worker threads write the cache
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a brief is published like any file the user writes
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write the set under the folder's lock; the manifest (last key) goes last so it describes the rest."""
    with folder_lock(folder):
        for name, data in files.items():
            atomic_write(folder / name, data)
