"""What an OpenAI-compatible server says about itself: the model it serves and the context window it has.

Servers report the window in different places, when at all: vLLM as ``max_model_len``, OpenRouter and
LM Studio as ``context_length`` / ``max_context_length``, llama.cpp's server as ``meta.n_ctx_train`` in
/v1/models (the window the model was trained with, which may be larger than the one it is served with)
and ``default_generation_settings.n_ctx`` in /props (the served one). llama-cpp-python reports none.
"""
from __future__ import annotations

import math
from typing import Any, Optional

DEFAULT_CONTEXT_TOKENS = 8192  # when the server does not say: what small local servers are usually started with

# served windows, in the order trusted
_SERVED_FIELDS = ("max_model_len", "context_length", "max_context_length", "context_window", "n_ctx")


def _positive_int(value: Any) -> Optional[int]:
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value != int(value) or value <= 0):
        return None
    return int(value)


def served_context(entry: dict) -> Optional[int]:
    """The served context window a /v1/models entry states, if it states one."""
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    for source in (entry, meta):
        for name in _SERVED_FIELDS:
            n = _positive_int(source.get(name))
            if n:
                return n
    return None


def trained_context(entry: dict) -> Optional[int]:
    """llama.cpp's ``meta.n_ctx_train``: an upper bound on the served window, not the window itself."""
    meta = entry.get("meta")
    return _positive_int(meta.get("n_ctx_train")) if isinstance(meta, dict) else None


def props_context(props: Any) -> Optional[int]:
    """The served window in llama.cpp's /props."""
    if not isinstance(props, dict):
        return None
    settings = props.get("default_generation_settings")
    if isinstance(settings, dict) and _positive_int(settings.get("n_ctx")):
        return _positive_int(settings.get("n_ctx"))
    return _positive_int(props.get("n_ctx"))


def context_window(entry: dict, props: Any = None) -> Optional[int]:
    """The window to plan prompts for: the served one when known; else, when only the trained one is
    known, the default capped by it (a model trained on 4,096 tokens is not served with more)."""
    served = served_context(entry) or props_context(props)
    if served:
        return served
    trained = trained_context(entry)
    return min(trained, DEFAULT_CONTEXT_TOKENS) if trained else None
