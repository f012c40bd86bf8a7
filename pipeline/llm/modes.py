"""Structured-output modes: how a request asks for JSON, and which mode auto mode tries next when refused.

Strongest first: ``json_schema`` (OpenAI's strict structured outputs), ``llamacpp`` (``json_object`` plus a
``schema`` key, which llama.cpp and llama-cpp-python compile into a grammar that constrains sampling), then
plain ``json_object`` (any JSON object; the schema is only in the prompt), then ``text`` (no
``response_format`` at all: the schema in the prompt, the JSON read out of the reply, fenced or not). A server
that ignores the ``schema`` key gets plain JSON mode, so ``llamacpp`` is never worse than ``json_object``.

``text`` is also the fast choice on llama.cpp, which enforces JSON mode with a grammar checked at every
token: the seeds' merge on the local 1.5B model took 245.8 s in json_object mode and 188.5 s in text mode,
each on a cold server (benchmarks/RESULTS.md). The answer is validated the same way; a reply with no JSON in
it is re-asked.

``Ladder`` holds the mode the next request uses and steps it down, once per refused mode, for the whole run.
"""
from __future__ import annotations

import json
import re
import threading
from typing import Optional

MODES = ("json_schema", "llamacpp", "json_object", "text")
NEXT_MODE = {"json_schema": "llamacpp", "llamacpp": "json_object", "json_object": "text"}

# How a server says it will not take a mode (HTTP 400/422, or 500 from llama-cpp-python, whose pydantic
# check answers 500 "Input should be 'text' or 'json_object'"). A refused json_schema names the format;
# a refused schema key names the key ("Unrecognized request argument supplied: schema") or the grammar
# it could not build.
_REFUSAL = {
    "json_schema": re.compile(r"response_format|json_schema|structured output|guided|grammar", re.IGNORECASE),
    "llamacpp": re.compile(r"response_format|\bschema\b|grammar|gbnf", re.IGNORECASE),
    "json_object": re.compile(r"response_format|json_object|json mode", re.IGNORECASE),
}
REFUSAL_STATUS = frozenset({400, 422, 500})

_DESCRIBE = {
    "json_schema": "json_schema structured outputs",
    "llamacpp": "llama.cpp's json_object + schema (a grammar built from the schema)",
    "json_object": "json_object mode with the schema in the prompt",
    "text": "plain replies with the schema in the prompt (no response_format)",
}


def response_format(mode: str, schema: dict, name: str) -> Optional[dict]:
    """The request's response_format; None (the key left out) in text mode."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if mode == "llamacpp":
        return {"type": "json_object", "schema": schema}  # llama.cpp server extension: grammar from schema
    if mode == "text":
        return None
    return {"type": "json_object"}


def refused(mode: str, status: int, message: str) -> bool:
    """Is this error the server refusing ``mode`` itself (so a weaker mode may work)?"""
    pattern = _REFUSAL.get(mode)
    return pattern is not None and status in REFUSAL_STATUS and bool(pattern.search(message))


def weaker(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """The weaker of two modes (None counts as unknown and loses to any mode)."""
    if a is None or b is None:
        return a or b
    return max(a, b, key=MODES.index)


def downgrade_warning(endpoint: str, mode: str, status: int, message: str) -> str:
    message = " ".join(message.split())  # one line: llama-cpp-python's message spans several
    return (f"{endpoint} does not support {_DESCRIBE[mode]} (HTTP {status}: {message[:200]}); "
            f"using {_DESCRIBE[NEXT_MODE[mode]]} for the rest of the run")


# Unfenced: a small model shown the schema in a ```json fence fences (and indents) its answers too.
SCHEMA_IN_PROMPT = "\n\nReply with one line: the JSON object alone (no code fence), valid against this JSON Schema: {schema}"


def pasted_schema(schema: dict) -> str:
    """The schema as the modes without json_schema paste it into the system prompt: compact and unfenced,
    since a model mimics the layout it is shown (an indented, fenced schema got indented, fenced answers:
    80 tokens for a 54-token merge answer on the local 1.5B model)."""
    return SCHEMA_IN_PROMPT.format(schema=json.dumps(schema, separators=(",", ":"), ensure_ascii=False))


def with_schema(base: list[dict], schema: dict, mode: str) -> list[dict]:
    """The messages a mode sends. Without json_schema the model never sees the schema (llama.cpp only uses it
    for its grammar), so its field descriptions go into the system prompt."""
    if mode == "json_schema":
        return list(base)
    system, *rest = base
    return [{**system, "content": system["content"] + pasted_schema(schema)}, *rest]


def format_fields(mode: str, schema: dict, name: str) -> dict:
    """The request fields a mode adds: {"response_format": ...}, or nothing in text mode."""
    rf = response_format(mode, schema, name)
    return {} if rf is None else {"response_format": rf}


class Ladder:
    """The mode requests use now. In auto mode it starts at json_schema and a refusal steps it down to the
    next weaker mode (NEXT_MODE) for the rest of the run; a fixed mode never moves."""

    def __init__(self, configured: str, start: Optional[str] = None):
        self.auto = configured == "auto"
        self.mode = (start or "json_schema") if self.auto else configured
        self._lock = threading.Lock()

    def refuses(self, mode: str, status: int, message: str) -> bool:
        """Is this error the server refusing ``mode``, with a weaker one left to try?"""
        return self.auto and mode in NEXT_MODE and refused(mode, status, message)

    def start_at(self, mode: str) -> bool:
        """In auto mode, start at ``mode`` when it is weaker than the current one (a server known to need it)."""
        with self._lock:
            if not self.auto or MODES.index(mode) <= MODES.index(self.mode):
                return False
            self.mode = mode
            return True

    def step_down(self, mode: str) -> bool:
        """Leave ``mode`` for the next weaker one; False when another thread already did."""
        with self._lock:
            if self.mode != mode:
                return False
            self.mode = NEXT_MODE[mode]
            return True
