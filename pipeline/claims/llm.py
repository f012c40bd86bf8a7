"""LLM extraction by sentence id: documents go to the model as numbered sentences, packed several to a call;
the model names which sentences state a party's position, which note an absence and which are off the
event. Every claim is a source sentence, so its evidence is exact by construction and nothing is echoed."""
from __future__ import annotations

import re
from typing import Optional

from ..ingest.tokens import count_tokens
from ..llm.client import LLMClient, LLMError
from ..llm.numbered import Numbering, instruction_tokens, line, source_labels
from ..llm.prompts import Prompt
from ..llm.replies import ExtractionOutput
from ..models import BriefError, Claim, ClaimKind, DedupResult, Document, Sentence
from .offline import extract_claims as candidate_claims

EXTRACT_REPLY = 0.35  # of a call's sentence tokens, kept free in the context for the answer (ids and holders)
# a call that calls most of its sentences off the event is not believed: a weak model must not empty a brief
MAX_OFF_TOPIC_SHARE = 0.5
_OUTLET = re.compile(r"^(?:the\s+)?(?:outlet|article|author|reporter|writer|newspaper|source)$", re.IGNORECASE)


def _blocks(claims: list[Claim], numbering: Numbering, labels: dict[str, str], budget: int) -> list[list[str]]:
    """Calls, each a list of document blocks ("[S1]", then its numbered sentences), at most `budget` tokens;
    a document longer than the budget continues in the next call under the same label."""
    calls: list[list[str]] = []
    current: list[str] = []
    used = 0
    by_doc: dict[str, list[Claim]] = {}
    for c in claims:
        by_doc.setdefault(c.doc_id, []).append(c)
    for doc_id, members in by_doc.items():
        head = f"[{labels[doc_id]}]"
        frame = count_tokens(head) + 1
        lines: list[str] = []
        for c in members:
            ln = line(numbering.number[c.id], c.statement)
            cost = count_tokens(ln) + 1
            if used + frame + cost > budget and (lines or current):
                if lines:
                    current.append("\n".join([head, *lines]))
                calls.append(current)
                current, lines, used = [], [], 0
            lines.append(ln)
            used += cost
        current.append("\n".join([head, *lines]))
        used += frame
    if current:
        calls.append(current)
    return calls


def extraction_budget(prompt: Prompt, context_tokens: int, max_chunk_tokens: int) -> int:
    """Tokens of numbered sentences one extraction call may carry: the chunk budget, or less when the
    instructions and the answer would not fit the context."""
    overhead = instruction_tokens(prompt, ExtractionOutput, count_tokens)
    fits = int((context_tokens - overhead) / (1 + EXTRACT_REPLY))
    if fits < 64:
        raise BriefError(f"--context-tokens {context_tokens} cannot hold the extraction instructions "
                         f"({overhead} tokens) and any text")
    return min(max_chunk_tokens, fits)


def _holder(text: str) -> Optional[str]:
    text = " ".join(text.split()).strip(" .,\"'")
    return None if not text or _OUTLET.match(text) else text


def extract(client: LLMClient, prompt: Prompt, docs: list[Document], sentences: list[Sentence], dd: DedupResult,
            budget: int) -> tuple[list[Claim], Numbering, list[str]]:
    """Claims with the model's kinds and holders, the numbering the model saw, and warnings for ids the model made up and for calls whose
    off-topic list was not believed."""
    claims = candidate_claims(docs, sentences, dd)
    numbering = Numbering(claims)
    labels = source_labels(docs)
    calls = _blocks(claims, numbering, labels, budget)

    names = {labels[d.id]: d.name for d in docs}

    def ask(blocks: list[str]) -> ExtractionOutput:
        # errors name the call's documents and their files
        shown = list(dict.fromkeys(b.split("\n", 1)[0].strip("[]") for b in blocks))
        files = ", ".join(names[x] for x in shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        span = shown[0] if len(shown) == 1 else f"{shown[0]}..{shown[-1]}"
        return client.structured(prompt, {"documents": "\n".join(blocks)}, ExtractionOutput,
                                 label=f"sentences of {span} ({files})")

    # a call that fails for good costs its chunk only: its sentences keep the rules' claims
    outputs = client.map(ask, calls, label="extraction", fallback="the rules' claims stand for these sentences")
    kind: dict[int, ClaimKind] = {}
    holder: dict[int, Optional[str]] = {}
    off: set[int] = set()
    lost: set[int] = set()
    stray, disbelieved = 0, 0
    for blocks, out in zip(calls, outputs):
        offered = {int(ln.split(" ", 1)[0]) for b in blocks for ln in b.splitlines()[1:]}
        if isinstance(out, LLMError):
            lost |= offered
            continue
        for entries, k in ((out.positions, ClaimKind.position), (out.absences, ClaimKind.absence)):
            for e in entries:
                for n in e.ids:
                    if n not in offered:
                        stray += 1
                        continue
                    if kind.get(n) != ClaimKind.absence:  # a sentence noting an absence is first of all that
                        kind[n], holder[n] = k, _holder(e.holder)
        listed = [n for n in out.off_topic if n in offered]
        stray += len(out.off_topic) - len(listed)
        if len(listed) > MAX_OFF_TOPIC_SHARE * len(offered):
            disbelieved += 1
        else:
            off.update(listed)
    result = []
    for n, c in enumerate(claims, start=1):
        if n in off:
            continue
        if n in lost:
            result.append(c)
            continue
        k = kind.get(n, ClaimKind.fact)
        result.append(c.model_copy(update={"kind": k, "holder": holder[n] if n in holder and holder[n] else c.holder}))
    warnings = []
    if stray:
        warnings.append(f"extraction: the model cited {stray} sentence ids that were not in its input (ignored)")
    if disbelieved:
        warnings.append(f"extraction: {disbelieved} calls marked most of their sentences off the event; "
                        "their off-topic lists were ignored")
    return result, numbering, warnings


def calls_needed(docs: list[Document], sentences: list[Sentence], dd: DedupResult, budget: int) -> int:
    """How many extraction calls a corpus takes at this budget (for benchmarks and the manifest)."""
    claims = candidate_claims(docs, sentences, dd)
    return len(_blocks(claims, Numbering(claims), source_labels(docs), budget))
