"""One watcher of model calls for a whole night (progress, spending limits, batch collection).

The client tells the watcher, if one is set, about every cache hit, every call it is about to send and every
answer's token usage. The watcher may refuse a call by raising: over budget (a BriefError the run reports),
or deferred into a batch. A process runs one night at a time, so the watcher is one module-wide slot,
visible from the client's worker threads.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Optional, Protocol

from ..models import BriefError


class Deferred(BriefError):
    """The call was put in a batch instead of being sent; its answer will come from the cache."""


class Watcher(Protocol):
    def cache_hit(self) -> None: ...
    def before_call(self, *, client, key: str, body: dict, output: type, prompt_id: str, label: str) -> None: ...
    def after_call(self, prompt_tokens: int, completion_tokens: int) -> None: ...


_watcher: Optional[Watcher] = None
_lock = threading.Lock()


def current() -> Optional[Watcher]:
    return _watcher


@contextmanager
def watching(watcher: Watcher):
    global _watcher
    with _lock:
        previous, _watcher = _watcher, watcher
    try:
        yield watcher
    finally:
        with _lock:
            _watcher = previous
