"""The two engines, each one implementation of the claims and sections stages behind the same two calls.

`extract_claims` returns a ClaimSet and `write_sections` a Sections; `report` says how the engine worked
(calls, tokens, prompt versions, warnings) for the brief's header and the manifest.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Protocol

from pydantic import BaseModel, Field

from .claims.offline import extract_claims as offline_claims
from .models import ClaimSet, DedupResult, Document, Limits, Sections, Sentence, Usage
from .sections.offline import offline_sections

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
    """A language model behind an OpenAI-compatible endpoint: schema-bound extraction per chunk, one merge."""
    name = "llm"

    def __init__(self, config, *, prompts_dir: Optional[Path] = None, log_path: Optional[Path] = None,
                 max_chunk_tokens: int = 1500, skip_duplicates: bool = True):
        # imported here: an offline run never pays for importing openai
        from .llm.client import LLMClient
        from .llm.prompts import prompt_for

        self.config = config
        self.client = LLMClient(config, log_path=log_path)
        self.prompts = {name: prompt_for(name, prompts_dir) for name in ("extract_claims", "merge_sections")}
        self.max_chunk_tokens, self.skip_duplicates = max_chunk_tokens, skip_duplicates

    def extract_claims(self, docs, sentences, dd):
        from .claims.llm import extract

        return extract(self.client, self.prompts["extract_claims"], docs, sentences, dd, self.max_chunk_tokens,
                       self.skip_duplicates)

    def write_sections(self, docs, claims, dd, limits):
        from .sections.llm import merge

        return merge(self.client, self.prompts["merge_sections"], docs, claims.claims, dd, limits)

    def report(self):
        # the client's warnings come from every stage (a damaged merge cache entry too): read them last
        model = self.client.model_name()  # with --model omitted, the server's: never "None"
        return EngineReport(note=LLM_NOTE.format(model=model), model=model, usage=self.client.usage,
                            prompt_versions={name: p.id for name, p in self.prompts.items()},
                            calls=[r.model_dump() for r in self.client.records], warnings=list(self.client.warnings))
