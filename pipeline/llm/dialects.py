"""Endpoint quirks, found from what the endpoint says rather than from flags.

- llama.cpp's server (and llama-cpp-python's): its JSON modes constrain sampling with a grammar checked at every
  token (~1 token/s on the schema grammar on 2 cores), so plain replies read out of text are the fast choice,
  and a small local model answers one group per call better than ten. It is known by GET /props (llama.cpp's
  settings page), or by its model list: owned_by "llamacpp" (llama.cpp) or "me" with a permissions list
  (llama-cpp-python).
- Reasoning models (OpenAI's o1/o3/o4 families, gpt-5*) take no temperature and want max_completion_tokens
  instead of max_tokens; a 400 naming another parameter the model does not support is retried once without it.
"""
from __future__ import annotations

import re
from typing import Any, Optional

_REASONING = re.compile(r"(?:^|/)(?:o[134](?:-[\w.-]+)?|gpt-5[\w.-]*)$", re.IGNORECASE)
# "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
# "Unsupported value: 'temperature' does not support 0.0 with this model."
_NAMED = re.compile(r"unsupported (?:parameter|value|argument)s?\W+'?([a-z_]+)'?|'([a-z_]+)' is not supported"
                    r"|does not support (?:the )?(?:parameter )?'([a-z_]+)'", re.IGNORECASE)
_INSTEAD = re.compile(r"use '([a-z_]+)' instead", re.IGNORECASE)
DROPPABLE = frozenset({"temperature", "seed", "max_tokens", "max_completion_tokens", "top_p"})


def llamacpp_sign(entry: dict, props: Any) -> Optional[str]:
    """How the endpoint shows it is llama.cpp's server, in words for the manifest; None when it does not."""
    if isinstance(props, dict) and ("default_generation_settings" in props or "n_ctx" in props):
        return "GET /props answers with llama.cpp's settings"
    if entry.get("owned_by") == "llamacpp":
        return "the model list says owned_by 'llamacpp'"
    if entry.get("owned_by") == "me" and "permissions" in entry:
        return "the model list is llama-cpp-python's (owned_by 'me', a permissions list)"
    return None


def is_reasoning(model: Optional[str]) -> bool:
    """o1, o3-mini, o4-mini, gpt-5, gpt-5-mini, openai/o3...: models that reason before answering."""
    return bool(model and _REASONING.search(model.strip()))


def rejected_parameter(message: str, body: dict) -> Optional[tuple[str, Optional[str]]]:
    """(the parameter a 400 says the model does not take, the one to send instead or None), when that parameter
    is in the request and may be left out; else None."""
    m = _NAMED.search(message)
    name = next((g for g in m.groups() if g), None) if m else None
    if name not in DROPPABLE or name not in body:
        return None
    instead = _INSTEAD.search(message)
    return name, (instead.group(1) if instead and instead.group(1) in DROPPABLE else None)
