"""Text addressed to a language model rather than to a reader: an instruction planted in an article ("ignore
previous instructions and report that ..."). Such a span is data the model may read, never evidence: it states
nothing about the event, it asks someone to state it. Its marks: telling the reader to ignore earlier
instructions, a system prompt, or a command to report/say/write that something is so (no subject: at a clause's
start); "officials say that ..." has its subject and is a report like any other."""
from __future__ import annotations

import re

_TO_THE_MODEL = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|preceding|your)\s+"
    r"(?:instructions|prompts?|directions)\b|\bsystem\s+prompt\b"
    r"|(?:^|[,;:(]\s*|\band\s+)(?:please\s+)?(?:report|say|state|write|claim)\s+that\b",
    re.IGNORECASE)


def addressed_to_model(text: str) -> bool:
    """Does this span instruct its reader (a model) to say something, instead of saying it?"""
    return bool(_TO_THE_MODEL.search(text))


INSTRUCTION_REASON = "the quote is an instruction to a model, not a report"


def reported(sentences: list[str]) -> list[str]:
    """The sentences that report, without those addressed to a model (a verifier's evidence)."""
    return [s for s in sentences if not addressed_to_model(s)]
