"""The two engines, each one implementation of the claims and sections stages behind the same two calls.

`extract_claims` returns a ClaimSet and `write_sections` a Sections; `report` says how the engine worked
(calls, tokens, prompt versions, warnings) for the brief's header and the manifest.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Protocol

from pydantic import BaseModel, Field

from .claims.offline import extract_claims as offline_claims
from .profiles import check_profile, choose_profile
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
    degraded: list[dict] = Field(default_factory=list)  # calls that failed for good, and what stood in for them
    endpoint: dict = Field(default_factory=dict)  # LLM engine: the server and model quirks found, what was adapted


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
                 extract_with: Optional[str] = None, merge_batch: Optional[int] = None, profile: Optional[str] = None,
                 verifier: str = "auto"):
        # imported here: an offline run never pays for importing openai
        from .llm.client import LLMClient
        from .llm.prompts import prompt_for

        self.config, self.prompts_dir = config, prompts_dir
        self.client = LLMClient(config, log_path=log_path)
        self.prompts = {name: prompt_for(name, prompts_dir)
                        for name in ("extract_claims", "merge_sections", "extract_atomic", "write_groups")}
        self.max_chunk_tokens, self.skip_duplicates = max_chunk_tokens, skip_duplicates
        self._context = context_tokens
        if extract_with not in (None, "model", "rules"):
            raise ValueError(f"extract_with must be 'model' or 'rules', not {extract_with!r}")
        self.extract_with = extract_with or "rules"
        if merge_batch is not None and merge_batch < 1:
            raise BriefError(f"--merge-batch must be 1 or more, not {merge_batch}")
        self.merge_batch = merge_batch
        # the small profile's options, as given: the full profile says it ignores them (ignored_options)
        self.given = {"--extract": extract_with, "--merge-batch": merge_batch}
        self.numbering = None
        self.figures: dict = {}
        self._profile = check_profile(profile)
        self.profile_reason = ""
        self.verifier_kind = verifier
        self._verifier = None
        self.atomic = None
        self._detected = False

    @property
    def profile(self) -> str:
        """--profile, else small for a local llama.cpp server with a small model, else full (profiles.py)."""
        if not self.profile_reason:
            self._profile, self.profile_reason = choose_profile(self._profile, self.client)
        return self._profile

    @property
    def verifier(self):
        """The judge of the model's statements (and of the ground stage's spans), through this engine's client."""
        if self._verifier is None:
            from .verify import get_verifier

            # auto on the small profile: the embedding model, not the local model. On the seeds its judge calls
            # (41 calls, 10,755 tokens) would more than double a brief's time, and the 1.5B judge is no better than
            # embed on our held-out pairs (0.804 vs 0.821 balanced accuracy, evals/README.md)
            client = None if self.verifier_kind == "auto" and self.profile == "small" else self.client
            self._verifier = get_verifier(self.verifier_kind, client=client, prompts_dir=self.prompts_dir)
        return self._verifier

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

    def ignored_options(self) -> list[str]:
        """The full profile extracts atomic claims and writes its groups in batches of its own: --extract and
        --merge-batch (the small profile's) change nothing, and a user who gave them is told so."""
        given = [f"{flag} {value}" for flag, value in self.given.items() if value is not None]
        return [f"profile full ({self.profile_reason}) ignores {', '.join(given)}: they apply to --profile small"] \
            if given else []

    def extract_claims(self, docs, sentences, dd):
        from .claims.llm import extract, extraction_budget
        from .llm.numbered import Numbering

        self._detect()

        if self.profile == "full":
            from .claims.atomic import atomic_budget, extract_atomic
            budget = atomic_budget(self.prompts["extract_atomic"], self.context)
            self.atomic = extract_atomic(self.client, self.prompts["extract_atomic"], docs, sentences, dd, budget)
            return ClaimSet(claims=self.atomic.claims, warnings=self.ignored_options() + self.atomic.warnings)
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
        from .sections.verdicts import get_judge

        self._detect()
        group_of, independent = dd.group_of.__getitem__, dd.independent_count

        def write(kept):
            units, fixed = clusters(kept, group_of, independent, limits, docs=docs, judge=get_judge(self.verifier))
            items, self.figures = merge(self.client, self.prompts["merge_sections"], units, self.numbering,
                                        source_labels(docs), group_of, independent, {d.id: d.text for d in docs},
                                        self.context, MERGE_BATCH if self.merge_batch is None else self.merge_batch,
                                        self.verifier)
            self.figures.update(claims=len(kept), context_tokens=self.context, extract_with=self.extract_with,
                                merge_batch=MERGE_BATCH if self.merge_batch is None else self.merge_batch,
                                **self._profile_figures())
            warnings = [f"merge: the model's answer for {label} did not fit the schema after re-asks; the rules' "
                        "items stand for those clusters" for label in self.figures["invalid_batches"]]
            return place(items, fixed, limits), warnings

        if self.profile == "full":
            def write(kept):  # noqa: F811 - the full profile's writer, behind the same checks
                return self._write_full(docs, claims.claims, kept, dd, limits)

        # the same input checks and section definitions as the offline engine (sections/stage.py)
        return write_sections(docs, claims.claims, group_of, independent, write, verifier or self.verifier)

    def _profile_figures(self) -> dict:
        return {"profile": self.profile, "profile_reason": self.profile_reason, "verifier": self.verifier.kind,
                "verifier_stats": self.verifier.stats()}

    def _write_full(self, docs, claims, kept, dd, limits):
        """The full profile's lists and warnings, over the claims the input checks kept."""
        from .llm.numbered import source_labels
        from .sections.full import write_full

        left_out = {c.doc_id for c in claims} - {c.doc_id for c in kept}  # articles the input checks set aside
        sentences = [c for c in self.atomic.sentences if c.doc_id not in left_out]
        placed, figures, warnings = write_full(
            self.client, self.prompts["write_groups"], kept, sentences, source_labels(docs),
            dd.group_of.__getitem__, dd.independent_count, {d.id: d.text for d in docs}, self.verifier,
            self.context, limits)
        self.figures = {**self.atomic.figures, **figures, "context_tokens": self.context, **self._profile_figures()}
        return placed, warnings + list(self.verifier.warnings)

    def report(self):
        # the client's warnings come from every stage (a damaged merge cache entry too): read them last
        model = self.client.model_name()  # with --model omitted, the server's: never "None"
        if self.profile == "full":
            names = ("extract_atomic", "write_groups")
        else:
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
