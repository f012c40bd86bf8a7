"""make_brief's inputs as load_documents takes them: which str is a path and which a text, and a clear
pipeline.BriefError (never a TypeError) for anything that is neither."""
from __future__ import annotations

import os
from pathlib import Path

from ..models import BriefError

_PATH_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson")
_WHAT = "a folder, a file, or a list of paths, texts or {'text': ...} records"
_ITEM = "a path, a text or a {'text': ...} record"


def _looks_like_path(s: str) -> bool:
    return not any(c.isspace() for c in s) and ("/" in s or "\\" in s or s.lower().endswith(_PATH_SUFFIXES))


def _one(x, alone: bool, where: str):
    if isinstance(x, (os.PathLike, dict)):
        return x
    if not isinstance(x, str):
        raise BriefError(f"make_brief: {where} must be {_WHAT if alone else _ITEM}, not {type(x).__name__}")
    try:
        exists = "\x00" not in x and len(x) <= 4096 and os.path.lexists(x)
    except (OSError, ValueError):
        exists = False
    if exists:
        return Path(x)
    if _looks_like_path(x) or (alone and "\n" not in x and len(x) <= 200):
        raise BriefError(f"make_brief: no such file or folder: {x!r}" + ("" if _looks_like_path(x) else
                         " (a short text on its own is taken for a path: give texts as a list, [text])"))
    return x if alone else {"text": x}


def api_inputs(inputs):
    """In a list, a str is a path only if it names an existing file or folder (or looks like one: no spaces,
    a slash or an article suffix); any other str is a text, however short. A Path is always a path. A single
    str is a path unless it holds a newline or is long. Anything else (a number, None, bytes, a list holding
    one) is a BriefError whose one line starts "make_brief:"."""
    if isinstance(inputs, (str, os.PathLike, dict)):
        return _one(inputs, alone=True, where="inputs")
    if isinstance(inputs, (bytes, bytearray)) or inputs is None:  # bytes iterate as ints: name the real type
        raise BriefError(f"make_brief: inputs must be {_WHAT}, not {type(inputs).__name__}")
    try:
        items = list(inputs)
    except TypeError:
        raise BriefError(f"make_brief: inputs must be {_WHAT}, not {type(inputs).__name__}") from None
    return [_one(x, alone=False, where=f"inputs[{i}]") for i, x in enumerate(items)]
