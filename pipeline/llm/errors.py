"""The one error the LLM layer raises to the pipeline."""
from __future__ import annotations

from ..models import BriefError


class LLMError(BriefError):
    """One LLM call (or a batch of them) failed for good."""

    def __init__(self, message: str, *, stage: str, label: str):
        super().__init__(" ".join(message.split()))  # one line, always
        self.stage = stage
        self.label = label
