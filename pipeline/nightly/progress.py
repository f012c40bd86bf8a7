"""What a night prints while it runs: a bar on a terminal, one line per event in a log."""
from __future__ import annotations

import sys
import threading
import time
from typing import Optional, TextIO

from ..brief.present import plural


def _duration(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class Progress:
    """Counts events, calls, tokens and cache hits. On a terminal (``tty``) one status line is redrawn in
    place (at most ``hz`` times a second); otherwise each finished event prints one line, which is what a
    cron mail or a journal wants."""

    def __init__(self, total_events: int, stream: Optional[TextIO] = None, tty: Optional[bool] = None,
                 hz: float = 5.0, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = total_events
        self.done = 0
        self.failed = 0
        self.calls = 0
        self.tokens = 0
        self.cache_hits = 0
        self.current = ""
        self._clock = clock
        self._started = clock()
        self._last_draw = 0.0
        self._interval = 1.0 / hz
        self._lock = threading.Lock()

    # --- fed by the night --------------------------------------------------------------------------

    def event_started(self, name: str) -> None:
        with self._lock:
            self.current = name
        self._draw(force=True)

    def event_finished(self, name: str, status: str, detail: str = "", *, seconds: float = 0.0,
                       usage: Optional[dict] = None) -> None:
        """One event done; `usage` (its brief's calls, cache hits and tokens) goes on its log line. Events
        may finish in any order (several run at once), so nothing here is a difference of running totals."""
        with self._lock:
            self.done += 1
            self.failed += status != "ok"
        if self.tty:
            self._draw(force=True)
            return
        extra = f" ({detail})" if detail else ""
        counts = ""
        if usage:
            tokens = usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0)
            counts = (f"; {plural(usage.get('calls', 0), 'call')}, {plural(usage.get('cache_hits', 0), 'cache hit')}, "
                      f"{tokens:,} tokens")
        self._print(f"[{self.done}/{self.total}] {name}: {status}{extra}{counts}, {seconds:.1f}s")

    def call(self, prompt_tokens: int = 0, completion_tokens: int = 0, cached: bool = False) -> None:
        with self._lock:
            if cached:
                self.cache_hits += 1
            else:
                self.calls += 1
                self.tokens += prompt_tokens + completion_tokens
        self._draw()

    def note(self, message: str) -> None:
        """A line that must be seen (a batch's status, a budget stop), whatever the mode."""
        if self.tty:
            self.stream.write("\r\x1b[K")
        self._print(message)
        self._draw(force=True)

    def close(self) -> None:
        if self.tty:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    # --- output ------------------------------------------------------------------------------------

    def line(self) -> str:
        elapsed = self._clock() - self._started
        width = 20
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        eta = ""
        if 0 < self.done < self.total:
            eta = f" | ETA {_duration(elapsed / self.done * (self.total - self.done))}"
        current = f" | {self.current[:30]}" if self.current and self.done < self.total else ""
        return (f"[{bar}] {self.done}/{self.total} events | {self.calls} calls | {self.tokens:,} tokens | "
                f"{self.cache_hits} cache hits | {_duration(elapsed)}{eta}{current}")

    def _draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = self._clock()
        if not force and now - self._last_draw < self._interval:
            return
        self._last_draw = now
        with self._lock:
            text = self.line()
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()

    def _print(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()
