"""The command line's one logging setup: every warning (the run's, the LLM client's, the cache's) goes to
stderr once, as "warning: ..."; -v shows more, -q less; LLM progress on one line when stderr is a terminal."""
from __future__ import annotations

import logging
import re
import sys

ROOT = "pipeline"  # every module logs under it: pipeline.llm.client, pipeline.llm.cache...
PROGRESS = "pipeline.progress"  # "extraction: 3 of 12" from the LLM client, for people watching a terminal

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PREFIX = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warning", logging.ERROR: "error",
           logging.CRITICAL: "error"}


def one_line(text: str) -> str:
    """A message for the terminal: one line, with control characters (newlines, escape sequences from
    hostile file names) shown as escapes rather than acted on."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (tests and callers may swap it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{_PREFIX.get(record.levelno, 'info')}: {one_line(record.getMessage())}"


class _Once(logging.Filter):
    """A warning already printed is not printed again (the client logs it live, the run then lists it)."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        msg = record.getMessage()
        if msg in self.seen:
            return False
        self.seen.add(msg)
        return True


class _ProgressLine(logging.Handler):
    """Progress on one terminal line, rewritten in place; `finish()` ends the line."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.open = False

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write("\r" + one_line(record.getMessage())[:120] + "\x1b[K")
        sys.stderr.flush()
        self.open = True

    def finish(self) -> None:
        if self.open:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.open = False


_installed: list[logging.Handler] = []


def setup(verbosity: int = 0, progress: bool | None = None) -> _ProgressLine | None:
    """Install the handlers (again: main() may run several times in one process). verbosity: -1 quiet
    (errors only), 0 warnings, 1 info, 2 debug. progress: show LLM progress (default: stderr is a terminal
    and not quiet). Returns the progress handler, if any, so the caller can end its line."""
    root, prog = logging.getLogger(ROOT), logging.getLogger(PROGRESS)
    for h in _installed:
        root.removeHandler(h)
        prog.removeHandler(h)
    _installed.clear()
    handler = _Stderr()
    handler.setFormatter(_Format())
    handler.addFilter(_Once())
    root.addHandler(handler)
    root.setLevel({-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(max(-1, min(verbosity, 2)), logging.DEBUG))
    root.propagate = False  # printed here, not again by an application's root logger
    _installed.append(handler)
    if progress is None:
        progress = verbosity >= 0 and sys.stderr.isatty()
    line = None
    prog.propagate = verbosity >= 1 and not progress  # with -v and no terminal: plain info lines
    if progress:
        line = _ProgressLine()
        prog.addHandler(line)
        prog.setLevel(logging.INFO)
        _installed.append(line)
    else:
        prog.setLevel(logging.INFO if verbosity >= 1 else logging.WARNING)
    return line
