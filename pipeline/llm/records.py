"""What the client keeps of each call: a record per logical call (for the manifest) and, when a log file is
given, one JSON line per attempt with the messages sent and the reply."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Literal, NamedTuple, Optional

from pydantic import BaseModel


class CallRecord(BaseModel):
    """One logical call: every attempt it took, or the cache hit that replaced them."""
    label: str
    stage: str
    prompt_id: str
    cache_hit: bool
    attempts: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    outcome: Literal["ok", "cached", "invalid", "error"]
    error: Optional[str] = None
    mode: Optional[str] = None  # the structured-output mode of the answer (of the last attempt if none)


class Reply(NamedTuple):
    completion: Any  # openai ChatCompletion, or None for an attempt that got none
    messages: list[dict]  # as sent
    mode: str
    seconds: float


class Call:
    """Per-call tallies (the client-wide ones live in LLMClient.usage)."""

    def __init__(self) -> None:
        self.attempts = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.mode: str | None = None
        self.body: dict | None = None  # the last request sent: what a later retry on llama.cpp re-primes with

    def attempts_text(self) -> str:
        return f"{self.attempts} attempt{'' if self.attempts == 1 else 's'}"


def log_entry(*, label: str, stage: str, prompt_id: str, model: str | None, endpoint: str, call: Call,
              reply: Reply, error: str | None) -> str:
    """One attempt as a JSON line (not yet redacted)."""
    completion = reply.completion
    choice = completion.choices[0] if completion is not None and completion.choices else None
    usage = completion.usage if completion is not None else None
    entry = {
        "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "label": label,
        "stage": stage,
        "prompt": prompt_id,
        "model": model,
        "base_url": endpoint,
        "mode": reply.mode,
        "attempt": call.attempts,
        "seconds": round(reply.seconds, 4),
        "messages": reply.messages,
        "response": choice.message.content if choice else None,
        "finish_reason": choice.finish_reason if choice else None,
        "refusal": getattr(choice.message, "refusal", None) if choice else None,
        "usage": usage.model_dump(exclude_none=True) if usage is not None else None,
        "error": error,
    }
    return json.dumps(entry, ensure_ascii=False)
