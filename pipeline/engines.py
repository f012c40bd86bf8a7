"""The two engines, each one implementation of the claims and sections stages behind the same two calls.

`extract_claims` returns a ClaimSet and `write_sections` a Sections; `report` says how the engine worked
(calls, tokens, prompt versions, warnings) for the brief's header and the manifest.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Protocol

from pydantic import BaseModel, Field

from .claims.offline import extract_claims as offline_claims
from .models import BriefError, ClaimSet, DedupResult, Document, Limits, Sections, Sentence, Usage
from .sections.stage import offline_stage

DEFAULT_CONTEXT = 8192  # tokens: what most local servers are started with

OFFLINE_NOTE = ("Made by the offline engine: deterministic rules, no language model. Every statement is a sentence "
                "from the sources; grouping, conflicts and absences come from lexical similarity, figures and cue words.")
LLM_NOTE = ("Made with a language model ({model}); every item cites evidence that was found verbatim in the sources, "
            "and deterministic checks (conflicting figures, source counts) were applied after the model.")


class EngineReport(BaseModel):
    """How an engine made its claims and sections, for the header and the manifest."""
    note: str
    model: Optional[str] = None  # the model the answers came from: configured, or the one the server lists
    usage: Usage = Field(default_factory=Usage)
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    calls: list[dict] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # the engine's own (mode downgrades, damaged cache entries)
    merge: dict = Field(default_factory=dict)  # LLM engine: clusters, merge calls, claims dropped for budget (0)


class Engine(Protocol):
    name: str

    def extract_claims(self, docs: list[Document], sentences: list[Sentence], dd: DedupResult) -> ClaimSet: ...

    def write_sections(self, docs: list[Document], claims: ClaimSet, dd: DedupResult, limits: Limits,
                       verifier=None) -> Sections: ...

    def report(self) -> EngineReport: ...


class OfflineEngine:
    """Deterministic rules: every distinct sentence is a claim; grouping and cue words place them."""
    name = "offline"

    def extract_claims(self, docs, sentences, dd):
        return ClaimSet(claims=offline_claims(docs, sentences, dd))

    def write_sections(self, docs, claims, dd, limits, verifier=None):
        return offline_stage(docs, claims.claims, dd.group_of.__getitem__, dd.independent_count, limits, verifier)

    def report(self):
        return EngineReport(note=OFFLINE_NOTE)


class LLMEngine:
    """A language model behind an OpenAI-compatible endpoint, given small checkable jobs: say per cluster of
    claims how the sources relate and write one statement (sections/llm.py), and with extract_with="model"
    label the numbered sentences first (claims/llm.py); an answer that does not hold falls back to the rules'
    item for that cluster. The rules label the sentences by default: on the local 1.5B model, the model's labels
    cost a second reading of every sentence and lost recall (0.575 against 0.851, benchmarks/RESULTS.md)."""
    name = "llm"

    def __init__(self, config, *, prompts_dir: Optional[Path] = None, log_path: Optional[Path] = None,
                 max_chunk_tokens: int = 1500, skip_duplicates: bool = True, context_tokens: Optional[int] = None,
                 extract_with: str = "rules", merge_batch: Optional[int] = None):
        # imported here: an offline run never pays for importing openai
        from .llm.client import LLMClient
        from .llm.prompts import prompt_for

        self.config = config
        self.client = LLMClient(config, log_path=log_path)
        self.prompts = {name: prompt_for(name, prompts_dir) for name in ("extract_claims", "merge_sections")}
        self.max_chunk_tokens, self.skip_duplicates = max_chunk_tokens, skip_duplicates
        self._context = context_tokens
        if extract_with not in ("model", "rules"):
            raise ValueError(f"extract_with must be 'model' or 'rules', not {extract_with!r}")
        self.extract_with = extract_with
        if merge_batch is not None and merge_batch < 1:
            raise BriefError(f"--merge-batch must be 1 or more, not {merge_batch}")
        self.merge_batch = merge_batch
        self.numbering = None
        self.figures: dict = {}

    @property
    def context(self) -> int:
        """--context-tokens, else the context the server reports for its model (llama.cpp: n_ctx), else 8192."""
        if self._context is None:
            self._context = self.client.context_tokens(DEFAULT_CONTEXT)
        return self._context

    def extract_claims(self, docs, sentences, dd):
        from .claims.llm import extract, extraction_budget
        from .llm.numbered import Numbering

        if self.extract_with == "rules":  # the model reads each sentence once, in the merge
            claims, warnings = offline_claims(docs, sentences, dd), []
            self.numbering = Numbering(claims)
        else:
            budget = extraction_budget(self.prompts["extract_claims"], self.context, self.max_chunk_tokens)
            claims, self.numbering, warnings = extract(self.client, self.prompts["extract_claims"], docs, sentences,
                                                       dd, budget)
        return ClaimSet(claims=claims, warnings=warnings)

    def write_sections(self, docs, claims, dd, limits, verifier=None):
        from .llm.numbered import source_labels
        from .sections.clusters import clusters
        from .sections.llm import MERGE_BATCH, merge, place

        from .sections.stage import write_sections

        group_of, independent = dd.group_of.__getitem__, dd.independent_count

        def write(kept):
            units, fixed = clusters(kept, group_of, independent, limits, docs=docs)
            items, self.figures = merge(self.client, self.prompts["merge_sections"], units, self.numbering,
                                        source_labels(docs), group_of, independent, {d.id: d.text for d in docs},
                                        self.context, MERGE_BATCH if self.merge_batch is None else self.merge_batch)
            self.figures.update(claims=len(kept), context_tokens=self.context, extract_with=self.extract_with,
                                merge_batch=MERGE_BATCH if self.merge_batch is None else self.merge_batch)
            warnings = [f"merge: the model's answer for {label} did not fit the schema after re-asks; the rules' "
                        "items stand for those clusters" for label in self.figures["invalid_batches"]]
            return place(items, fixed, limits), warnings

        # the same input checks and section definitions as the offline engine (sections/stage.py)
        return write_sections(docs, claims.claims, group_of, independent, write, verifier)

    def report(self):
        # the client's warnings come from every stage (a damaged merge cache entry too): read them last
        model = self.client.model_name()  # with --model omitted, the server's: never "None"
        names = ("extract_claims", "merge_sections") if self.extract_with == "model" else ("merge_sections",)
        return EngineReport(note=LLM_NOTE.format(model=model), model=model, usage=self.client.usage,
                            prompt_versions={name: self.prompts[name].id for name in names},
                            calls=[r.model_dump() for r in self.client.records], warnings=list(self.client.warnings),
                            merge=self.figures)
