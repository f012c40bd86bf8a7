"""One brief, from inputs to the Brief, stage by stage: load -> segment -> dedup -> claims -> merge -> assemble.

The two engines differ only in how claims are extracted and merged; loading, dedup, verification,
deterministic checks and assembly are shared.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict

from . import __version__
from .brief.assemble import assemble
from .ingest.dedup import DedupResult, dedup
from .claims.offline import extract_claims
from .llm.redact import redact
from .ingest.load import load_documents
from .models import Brief, BriefError, BriefHeader, Document, LoadWarning, Sentence, Usage
from .sections.offline import Limits, offline_sections
from .ingest.segment import split_sentences

OFFLINE_NOTE = ("Made by the offline engine: deterministic rules, no language model. Every statement is a sentence "
                "from the sources; grouping, conflicts and absences come from lexical similarity, figures and cue words.")
LLM_NOTE = ("Made with a language model ({model}); every item cites evidence that was found verbatim in the sources, "
            "and deterministic checks (conflicting figures, source counts) were applied after the model.")


class RunResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    brief: Brief
    documents: list[Document]
    warnings: list[LoadWarning]
    dedup: DedupResult
    calls: list[dict] = []


class _Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - t0, 4)


def _title(docs: list[Document], title: Optional[str]) -> str:
    if title:
        return title
    titled = [d.meta.title for d in docs if d.meta.title]
    return f"Brief: {titled[0]}" if titled else f"Brief of {len(docs)} sources"


def run_pipeline(inputs, *, engine: Optional[str] = None, model: Optional[str] = None, base_url: Optional[str] = None,
                 api_key: Optional[str] = None, config_file: Optional[Path] = None, cache_dir: Optional[Path] = None,
                 use_cache: bool = True, concurrency: Optional[int] = None, max_chunk_tokens: int = 1500,
                 prompts_dir: Optional[Path] = None, title: Optional[str] = None, log_path: Optional[Path] = None,
                 limits: Optional[Limits] = None, llm_options: Optional[dict] = None,
                 skip_duplicates: bool = True) -> RunResult:
    timer = _Timer()
    with timer.stage("load"):
        docs, warnings = load_documents(inputs)
    with timer.stage("segment"):
        sentences: list[Sentence] = [s for d in docs for s in split_sentences(d)]
    with timer.stage("dedup"):
        dd = dedup(docs, sentences)
    group_of = dd.group_of.__getitem__
    independent = dd.independent_count

    config = None
    if engine != "offline":
        from .llm.config import resolve_config

        flags = {"model": model, "base_url": base_url, "api_key": api_key, "cache_dir": cache_dir,
                 "use_cache": use_cache, "concurrency": concurrency, **(llm_options or {})}
        config = resolve_config(flags={k: v for k, v in flags.items() if v is not None}, config_file=config_file)
        if engine is None:
            engine = "llm" if config.endpoint_configured else "offline"
        elif not config.endpoint_configured:
            raise BriefError("engine 'llm' needs an endpoint: give --base-url and/or --model (or OPENAI_BASE_URL / BRIEF_MODEL)")

    usage = Usage()
    prompt_versions: dict[str, str] = {}
    calls: list[dict] = []
    extra_warnings: list[str] = []
    if engine == "offline":
        with timer.stage("extract"):
            claims = extract_claims(docs, sentences, dd)
        with timer.stage("merge"):
            sections = offline_sections(claims, group_of, independent, limits)
        note = OFFLINE_NOTE
    else:
        from .claims.llm import llm_brief_sections

        sections, usage, prompt_versions, calls, extra_warnings = llm_brief_sections(
            docs, sentences, dd, config, timer=timer, max_chunk_tokens=max_chunk_tokens,
            prompts_dir=prompts_dir, log_path=log_path, limits=limits, skip_duplicates=skip_duplicates)
        note = LLM_NOTE.format(model=config.model)

    header = BriefHeader(
        title=_title(docs, title), engine=engine, engine_note=note,
        model=config.model if engine == "llm" else None,
        base_url=redact(config.base_url) if engine == "llm" and config.base_url else None,  # no user:password@
        prompt_versions=prompt_versions, usage=usage, timings=timer.timings,
        warnings=[f"{w.path}: {w.problem}" for w in warnings] + extra_warnings,
        dedup={"passages": len(dd.passages), "merged": len(dd.merged),
               "syndication_groups": [g for g in dd.syndication_groups if len(g) > 1]},
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), briefsmith_version=__version__,
    )
    with timer.stage("assemble"):
        brief = assemble(docs, sections, group_of, header)
    brief.header.timings = timer.timings
    return RunResult(brief=brief, documents=docs, warnings=warnings, dedup=dd, calls=calls)


def make_brief(inputs, **kwargs) -> Brief:
    """A brief of `inputs` (a folder, a list of paths, or a list of texts).

    With no endpoint configured (no base_url or model by argument, environment or config file) this runs
    the deterministic offline engine; otherwise the LLM engine through the OpenAI-compatible endpoint.
    Keyword arguments: engine ("offline" | "llm"), model, base_url, api_key, config_file, cache_dir,
    use_cache, concurrency, max_chunk_tokens, prompts_dir, title, log_path, limits, skip_duplicates (LLM engine:
    True, the default, sends a sentence an earlier document already carried only once; False sends every sentence,
    which benchmarks/run.py uses to measure what deduplication saves).
    """
    return run_pipeline(inputs, **kwargs).brief
