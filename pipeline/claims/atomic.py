"""The `full` profile's extraction: the model lists the atomic claims of each article in its own words, each
citing the ids of the sentences that state it (several short documents packed per call, as claims/llm.py
packs them). A claim's evidence is its cited sentences, so it is exact by construction; whether the words
the model wrote are true of them is the verifier's to say when the statement is written (sections/full.py).
"""
from __future__ import annotations

from ..ingest.tokens import count_tokens
from ..llm.client import LLMClient, LLMError
from ..llm.full_replies import AtomicOutput
from ..llm.numbered import Numbering, instruction_tokens, source_labels
from ..llm.prompts import Prompt
from ..models import BriefError, Claim, ClaimKind, DedupResult, Document, Sentence
from ..text.numbers import find_numbers
from ..text.dates import find_dates
from .llm import _blocks, _holder
from .offline import extract_claims as candidate_claims

# room kept for the answer, as a share of a call's sentence tokens: atomic claims restate their sentences
ATOMIC_REPLY = 1.0


def atomic_budget(prompt: Prompt, context_tokens: int) -> int:
    """Tokens of numbered sentences one call may carry: as many documents as the context holds with room for
    the answer. Packing to the context, not to --chunk-tokens, is what keeps the instructions' share small
    (the seeds: one call, 1.07 times their tokens)."""
    overhead = instruction_tokens(prompt, AtomicOutput, count_tokens)
    fits = int((context_tokens - overhead) / (1 + ATOMIC_REPLY))
    if fits < 64:
        raise BriefError(f"--context-tokens {context_tokens} cannot hold the extraction instructions "
                         f"({overhead} tokens) and any text")
    return fits


class Atomic:
    """What extraction gave: the model's claims, the sentences they came from and how the calls went."""

    def __init__(self, claims: list[Claim], sentences: list[Claim], numbering: Numbering, warnings: list[str],
                 figures: dict):
        self.claims, self.sentences, self.numbering = claims, sentences, numbering
        self.warnings, self.figures = warnings, figures


def _claim(k: int, text: str, cited: list[Claim], holder: str, kind: str) -> Claim:
    evidence, seen = [], set()
    for c in cited:
        for e in c.evidence:
            if (e.doc_id, e.start, e.end) not in seen:
                seen.add((e.doc_id, e.start, e.end))
                evidence.append(e)
    return Claim(id=f"a{k}", statement=text, holder=_holder(holder) or next((c.holder for c in cited if c.holder), None),
                 kind=ClaimKind[kind], doc_id=cited[0].doc_id, evidence=evidence,
                 numbers=find_numbers(text), dates=find_dates(text),
                 carriers=list(dict.fromkeys(d for c in cited for d in (c.carriers or [c.doc_id]))),
                 verified=all(c.verified for c in cited))


def extract_atomic(client: LLMClient, prompt: Prompt, docs: list[Document], sentences: list[Sentence],
                   dd: DedupResult, budget: int) -> Atomic:
    sentence_claims = candidate_claims(docs, sentences, dd)
    numbering = Numbering(sentence_claims)
    labels = source_labels(docs)
    calls = _blocks(sentence_claims, numbering, labels, budget)

    def ask(blocks: list[str]) -> AtomicOutput:
        shown = list(dict.fromkeys(b.split("\n", 1)[0].strip("[]") for b in blocks))
        span = shown[0] if len(shown) == 1 else f"{shown[0]}..{shown[-1]}"
        return client.structured(prompt, {"documents": "\n".join(blocks)}, AtomicOutput,
                                 label=f"atomic claims of {span}")

    # a call that fails for good costs its sentences only: no model claim covers them, so the rules' items
    # for them stand (sections/full.py's floor)
    outputs = client.map(ask, calls, label="extraction", fallback="the rules' items stand for these sentences")
    claims: list[Claim] = []
    stray = mixed = 0
    cited_any: set[int] = set()
    lost = sum(isinstance(out, LLMError) for out in outputs)
    for blocks, out in zip(calls, outputs):
        if isinstance(out, LLMError):
            continue
        offered = {int(ln.split(" ", 1)[0]) for b in blocks for ln in b.splitlines()[1:]}
        for a in out.claims:
            text = " ".join(a.claim.split())
            ids = [n for n in dict.fromkeys(a.ids) if n in offered]
            stray += len(set(a.ids)) - len(ids)
            if not ids or not text:
                continue
            cited = [numbering.claim(n) for n in ids]
            same_doc = [c for c in cited if c.doc_id == cited[0].doc_id]  # a claim is one article's
            mixed += len(cited) - len(same_doc)
            cited_any.update(numbering.number[c.id] for c in same_doc)
            claims.append(_claim(len(claims) + 1, text, same_doc, a.holder, a.kind))
    warnings = []
    if stray:
        warnings.append(f"extraction: the model cited {stray} sentence ids that were not in its input (ignored)")
    if mixed:
        warnings.append(f"extraction: {mixed} cited sentences belonged to another article than the claim's (ignored)")
    figures = {"extract_calls": len(calls), "extract_calls_failed": lost, "atomic_claims": len(claims),
               "sentences": len(sentence_claims), "sentences_cited": len(cited_any)}
    return Atomic(claims, sentence_claims, numbering, warnings, figures)
