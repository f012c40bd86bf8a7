"""Which LLM profile a run takes: `small` (the rules label and group, the model merges and rewords) or `full`
(the model extracts atomic claims, groups them and writes each statement; the verifier keeps what the cited
sentences support). The default is `full`, or `small` when the endpoint is a local llama.cpp server with a
small model: a 1.5B model's own claims lost recall to the rules' sentences (benchmarks/RESULTS.md).
"""
from __future__ import annotations

import os
import re
from typing import Any, Optional

from .models import BriefError

PROFILES = ("small", "full")
# parameters at or under which a local model takes the small profile (the 1.5B model the benchmarks run is
# well under; 7-8B models still write poor atomic claims, so the line is drawn above them)
SMALL_PARAMS = 9e9
_SIZE_IN_NAME = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[bB](?![a-zA-Z])")


def check_profile(profile: Optional[str]) -> Optional[str]:
    if profile is not None and profile not in PROFILES:
        raise BriefError(f"unknown --profile {profile!r} (one of {', '.join(PROFILES)})")
    return profile


def _params(entry: dict) -> Optional[float]:
    """The model's parameter count, from llama.cpp's model-list `meta.n_params` or a size in its name."""
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    n = meta.get("n_params")
    if isinstance(n, (int, float)) and not isinstance(n, bool) and n > 0:
        return float(n)
    m = _SIZE_IN_NAME.search(str(entry.get("id") or ""))
    return float(m.group(1)) * 1e9 if m else None


def endpoint_traits(client: Any) -> dict:
    """What the endpoint is, for the default profile: {"llamacpp": bool, "params": float|None}.

    HOOK: the llm helper's detection (issue 21: llama.cpp by GET /props or the model list) is read when the
    client exposes it as `client.endpoint_traits()` returning such a dict; until then the served /v1/models
    entry the client already fetched for the context window is read here (llama.cpp's entries carry `meta`).
    """
    hook = getattr(client, "endpoint_traits", None)
    if callable(hook):
        traits = hook()
        if isinstance(traits, dict):
            return traits
    detect = getattr(client, "detect", None)
    if callable(detect):  # the LLM layer's detection (llm/dialects.py): llama.cpp by its /props or model list
        try:
            report = detect() or {}
            served = getattr(client, "served", None)
            entry = served._model_entry() if served is not None and hasattr(served, "_model_entry") else {}
        except Exception:  # noqa: BLE001 - an endpoint that cannot say keeps the documented default
            return {"llamacpp": False, "params": None}
        entry = entry if isinstance(entry, dict) else {}
        return {"llamacpp": report.get("server") == "llama.cpp",
                "params": _params(entry) or _params({"id": client.model_name()})}
    try:
        client.context_tokens(8192)  # asks the model list (and /props) at most once per run
    except Exception:  # noqa: BLE001 - an endpoint that cannot say keeps the documented default
        return {"llamacpp": False, "params": None}
    entry = getattr(client, "_served_entry", None) or {}
    if not entry and getattr(client, "config", None) is not None and hasattr(client, "_entry_for"):
        try:
            entry = client._entry_for(client.config.model) or {}
            listed = client._models() if not entry and hasattr(client, "_models") else []
            if len(listed) == 1:  # llama.cpp serves one model under any name it is asked for
                entry = listed[0]
        except Exception:  # noqa: BLE001
            entry = {}
    llamacpp = isinstance(entry, dict) and isinstance(entry.get("meta"), dict)
    return {"llamacpp": llamacpp, "params": _params(entry) if isinstance(entry, dict) else None}


def choose_profile(requested: Optional[str], client: Any) -> tuple[str, str]:
    """(profile, why) for the manifest: --profile, else BRIEF_PROFILE, else what the endpoint is."""
    if check_profile(requested):
        return requested, "--profile"
    env = os.environ.get("BRIEF_PROFILE")
    if env:
        if env not in PROFILES:
            raise BriefError(f"BRIEF_PROFILE={env!r} is not a profile (one of {', '.join(PROFILES)})")
        return env, "BRIEF_PROFILE"
    traits = endpoint_traits(client)
    params = traits.get("params")
    if traits.get("llamacpp") and (params is None or params <= SMALL_PARAMS):
        size = f"{params / 1e9:.1f}B" if params else "size unknown"
        return "small", f"default: a local llama.cpp server with a small model ({size})"
    return "full", "default"
