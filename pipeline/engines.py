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
from .sections.offline import offline_sections

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
    degraded: list[dict] = Field(default_factory=list)  # calls that failed for good, and what stood in for them
    endpoint: dict = Field(default_factory=dict)  # LLM engine: the server and model quirks found, what was adapted


class Engine(Protocol):
    name: str

    def extract_claims(self, docs: list[Document], sentences: list[Sentence], dd: DedupResult) -> ClaimSet: ...

    def write_sections(self, docs: list[Document], claims: ClaimSet, dd: DedupResult, limits: Limits) -> Sections: ...

    def report(self) -> EngineReport: ...


class OfflineEngine:
    """Deterministic rules: every distinct sentence is a claim; grouping and cue words place them."""
    name = "offline"

    def extract_claims(self, docs, sentences, dd):
        return ClaimSet(claims=offline_claims(docs, sentences, dd))

    def write_sections(self, docs, claims, dd, limits):
        return Sections(**offline_sections(claims.claims, dd.group_of.__getitem__, dd.independent_count, limits))

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
        self._detected = False

    @property
    def context(self) -> int:
        """--context-tokens, else the context the server reports for its model (llama.cpp: n_ctx), else 8192."""
        if self._context is None:
            self._context = self.client.context_tokens(DEFAULT_CONTEXT)
        return self._context

    def _detect(self) -> None:
        """The endpoint's quirks, once, before the first call (llm/dialects.py): on llama.cpp's server one
        cluster per merge call unless --merge-batch says otherwise (a small local model copied one group's
        statement into the others of a ten-group call; its server reuses the instructions' prefix)."""
        if self._detected:
            return
        self._detected = True
        self.client.detect()
        if self.client.server_kind == "llama.cpp" and self.merge_batch is None:
            self.merge_batch = 1
            self.client.adapted.append("merge batch 1: one cluster per call on llama.cpp's server")

    def extract_claims(self, docs, sentences, dd):
        from .claims.llm import extract, extraction_budget
        from .llm.numbered import Numbering

        self._detect()

        if self.extract_with == "rules":  # the model reads each sentence once, in the merge
            claims, warnings = offline_claims(docs, sentences, dd), []
            self.numbering = Numbering(claims)
        else:
            budget = extraction_budget(self.prompts["extract_claims"], self.context, self.max_chunk_tokens)
            claims, self.numbering, warnings = extract(self.client, self.prompts["extract_claims"], docs, sentences,
                                                       dd, budget)
        return ClaimSet(claims=claims, warnings=warnings)

    def write_sections(self, docs, claims, dd, limits):
        from .llm.numbered import source_labels
        from .sections.clusters import clusters
        from .sections.llm import MERGE_BATCH, merge, place

        self._detect()
        group_of, independent = dd.group_of.__getitem__, dd.independent_count
        units, fixed = clusters(claims.claims, group_of, independent, limits)
        items, self.figures = merge(self.client, self.prompts["merge_sections"], units, self.numbering,
                                    source_labels(docs), group_of, independent, {d.id: d.text for d in docs},
                                    self.context, MERGE_BATCH if self.merge_batch is None else self.merge_batch)
        self.figures.update(claims=len(claims.claims), context_tokens=self.context, extract_with=self.extract_with,
                            merge_batch=MERGE_BATCH if self.merge_batch is None else self.merge_batch)
        warnings = [f"merge: the model's answer for {label} did not fit the schema after re-asks; the rules' items "
                    "stand for those clusters" for label in self.figures["invalid_batches"]]
        return Sections(**place(items, fixed, limits), warnings=warnings)

    def report(self):
        # the client's warnings come from every stage (a damaged merge cache entry too): read them last
        model = self.client.model_name()  # with --model omitted, the server's: never "None"
        names = ("extract_claims", "merge_sections") if self.extract_with == "model" else ("merge_sections",)
        degraded = list(self.client.degraded)
        invalid = set(self.figures.get("invalid_batches", ()))  # write_sections warned of these already
        lost = [f"{d['error']}; {d['fallback']}" for d in degraded
                if not (d["stage"] == "merge" and d["call"] in invalid)]
        return EngineReport(note=LLM_NOTE.format(model=model), model=model, usage=self.client.usage,
                            prompt_versions={name: self.prompts[name].id for name in names},
                            calls=[r.model_dump() for r in self.client.records],
                            warnings=list(self.client.warnings) + lost, merge=self.figures, degraded=degraded,
                            endpoint=self.client.endpoint_report())
