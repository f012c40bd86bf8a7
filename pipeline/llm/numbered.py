"""Sentences as the model sees them: one number per candidate claim sentence, shared by every call of a run.

The model cites these numbers, never quotes, so evidence comes from the sentence offsets and is exact by
construction. A number is 1-2 tokens; the document label (S1, S2...) names the source.
"""
from __future__ import annotations

from .prompts import neutralise
from ..models import Claim, Document

# every fence tag the LLM path's prompts use: data can neither open nor close one
FENCES = {"documents", "groups"}


def source_labels(docs: list[Document]) -> dict[str, str]:
    return {d.id: f"S{n}" for n, d in enumerate(docs, start=1)}


def line(number: int, text: str) -> str:
    """One numbered sentence, on one line, with any fence tag in it neutralised."""
    return f"{number} {neutralise(' '.join(text.split()), FENCES)}"


class Numbering:
    """Claim <-> number, in corpus order (the first claim is 1)."""

    def __init__(self, claims: list[Claim]):
        self.claims = list(claims)
        self.number = {c.id: n for n, c in enumerate(self.claims, start=1)}

    def claim(self, number: int) -> Claim | None:
        return self.claims[number - 1] if 1 <= number <= len(self.claims) else None


def instruction_tokens(prompt, reply: type, count) -> int:
    """Tokens of a call's instructions, counted as the longest form any structured mode sends: the prompt
    with the reply's schema pasted into it (json_object mode), plus the chat framing."""
    from .modes import pasted_schema
    from .strict import strict_schema

    return count(prompt.system) + count(prompt.user) + count(pasted_schema(strict_schema(reply))) + 16
