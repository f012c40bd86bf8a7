"""What every verifier answers, and the interface every stage codes against.

Two judgements decide what a brief may claim: *does this evidence support this statement?* (`supports`)
and *do these two sentences state the same fact?* (`same_fact`). Each backend (rules, embed, llm) answers
both with a Verdict; the batch forms let a model-backed backend score many pairs in one pass.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Union, runtime_checkable

from pydantic import BaseModel, Field, field_validator

# One passage judged whole (a quote, a sentence), or the sentences of a longer text: the verifier then
# judges the statement against the few of them most likely to support it, never against the whole.
EvidenceText = Union[str, Sequence[str]]


class Verdict(BaseModel):
    supported: bool
    score: float = Field(ge=0.0, le=1.0)  # 0..1: how strongly the evidence carries the statement
    reason: str = ""  # why not (or what decided it), in words a reader understands

    @field_validator("reason", mode="before")
    @classmethod
    def _no_none(cls, v):
        return "" if v is None else v


@runtime_checkable
class Verifier(Protocol):
    kind: str  # "rules", "embed" or "llm": what actually judges (after any fallback)
    warnings: list[str]  # what a reader of the manifest should know (a fallback, a model that failed)

    def supports(self, statement: str, evidence: EvidenceText) -> Verdict: ...

    def supports_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[Verdict]: ...

    def same_fact(self, a: str, b: str) -> Verdict: ...

    def same_fact_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]: ...

    def rank(self, statement: str, sentences: Sequence[str], k: int = 3) -> list[tuple[int, float]]:
        """The k sentences most likely to state `statement`, best first: (index, similarity 0..1)."""
        ...

    def stats(self) -> dict[str, int]:
        """Counters for the manifest (judge calls, pairs judged, vetoes), apart from other model calls."""
        ...


class BaseVerifier:
    """The single forms over the batch forms, and the counters; a backend implements the `_many` methods."""

    kind = "base"

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {"pairs": 0, "vetoed": 0, "judge_calls": 0}

    def supports(self, statement: str, evidence: EvidenceText) -> Verdict:
        return self.supports_many([(statement, evidence)])[0]

    def same_fact(self, a: str, b: str) -> Verdict:
        return self.same_fact_many([(a, b)])[0]

    def supports_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[Verdict]:
        raise NotImplementedError

    def same_fact_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        raise NotImplementedError

    def holds_many(self, pairs: Sequence[tuple[str, EvidenceText]]) -> list[bool]:
        """supports_many's yes/no alone (the section rules read nothing else); a backend may answer it faster."""
        return [v.supported for v in self.supports_many(pairs)]

    def rank(self, statement: str, sentences: Sequence[str], k: int = 3) -> list[tuple[int, float]]:
        raise NotImplementedError

    def stats(self) -> dict[str, int]:
        return dict(self.counts)

    def __call__(self, statement: str, quote: str) -> Verdict:
        """A verifier is also the ground stage's judge: (statement, quote) -> Verdict."""
        return self.supports(statement, quote)
