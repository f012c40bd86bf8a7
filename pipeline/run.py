"""One brief, from inputs to the Brief, stage by stage: ingest -> claims -> sections -> brief.

Each stage is a folder of pipeline/; the two engines (engines.py) differ only in the claims and sections
stages. Grounding (ground/) happens twice: as claims are made (a claim is verified only when its evidence is
found in its source, and only verified claims reach the sections), and after the sections are written (each
cited span must support its item's statement; ground/check.py). Clustering (cluster/) serves both section writers.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from . import __version__
from .brief.assemble import assemble
from .engines import Engine, LLMEngine, OfflineEngine
from .ground.check import ground_sections
from .ground.judge import judge_versions, support_judge
from .ingest.dedup import dedup
from .ingest.load import load_documents
from .ingest.segment import split_sentences
from .llm.redact import redact
from .models import Brief, BriefError, BriefHeader, Document, Limits, RunResult, Sentence
from .ingest.events import several_events_warning


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


def choose_engine(engine: Optional[str], *, model=None, base_url=None, api_key=None, config_file=None, cache_dir=None,
                  use_cache=True, concurrency=None, llm_options=None, prompts_dir=None, log_path=None,
                  max_chunk_tokens=1500, skip_duplicates=True) -> Engine:
    """The offline engine, or the LLM engine when asked for or when an endpoint is configured."""
    if engine == "offline":
        return OfflineEngine()
    from .llm.config import resolve_config

    flags = {"model": model, "base_url": base_url, "api_key": api_key, "cache_dir": cache_dir,
             "use_cache": use_cache, "concurrency": concurrency, **(llm_options or {})}
    config = resolve_config(flags={k: v for k, v in flags.items() if v is not None}, config_file=config_file)
    if engine is None and not config.endpoint_configured:
        return OfflineEngine()
    if not config.endpoint_configured:
        raise BriefError("engine 'llm' needs an endpoint: give --base-url and/or --model (or OPENAI_BASE_URL / BRIEF_MODEL)")
    return LLMEngine(config, prompts_dir=prompts_dir, log_path=log_path, max_chunk_tokens=max_chunk_tokens,
                     skip_duplicates=skip_duplicates)


def run_pipeline(inputs, *, engine: Optional[str] = None, model: Optional[str] = None, base_url: Optional[str] = None,
                 api_key: Optional[str] = None, config_file: Optional[Path] = None, cache_dir: Optional[Path] = None,
                 use_cache: bool = True, concurrency: Optional[int] = None, max_chunk_tokens: int = 1500,
                 prompts_dir: Optional[Path] = None, title: Optional[str] = None, log_path: Optional[Path] = None,
                 limits: Optional[Limits] = None, llm_options: Optional[dict] = None,
                 skip_duplicates: bool = True, support: str = "rules", check_events: bool = True) -> RunResult:
    timer = _Timer()

    # ingest: read and clean, sentences with offsets, syndicated copies found
    with timer.stage("load"):
        docs, warnings = load_documents(inputs)
    with timer.stage("segment"):
        sentences: list[Sentence] = [s for d in docs for s in split_sentences(d)]
    with timer.stage("dedup"):
        dd = dedup(docs, sentences)
    with timer.stage("events"):  # several stories in one brief interleave their items: say so
        mixture = several_events_warning(docs, dd.group_of) if check_events else []

    eng = choose_engine(engine, model=model, base_url=base_url, api_key=api_key, config_file=config_file,
                        cache_dir=cache_dir, use_cache=use_cache, concurrency=concurrency, llm_options=llm_options,
                        prompts_dir=prompts_dir, log_path=log_path, max_chunk_tokens=max_chunk_tokens,
                        skip_duplicates=skip_duplicates)

    # claims, each grounded in spans of its source (ground/align)
    with timer.stage("extract"):
        claims = eng.extract_claims(docs, sentences, dd)

    # sections, from claims clustered across sources (cluster/) and the figures that conflict
    with timer.stage("merge"):
        sections = eng.write_sections(docs, claims, dd, limits or Limits())

    # ground: a cited span stays only if it supports its item's statement; an item none supports is dropped
    judge = support_judge(support, eng, model=model, base_url=base_url, api_key=api_key, config_file=config_file,
                          cache_dir=cache_dir, use_cache=use_cache, llm_options=llm_options, prompts_dir=prompts_dir)
    with timer.stage("ground"):
        grounded = ground_sections(sections.by_name(), dd.independent_count, judge)

    # the brief
    report = eng.report()
    config = getattr(eng, "config", None)
    header = BriefHeader(
        title=_title(docs, title), engine=eng.name, engine_note=report.note,
        model=report.model,
        base_url=redact(config.base_url) if config and config.base_url else None,  # no user:password@
        prompt_versions={**report.prompt_versions, **judge_versions(judge)}, usage=report.usage,
        timings=timer.timings,
        warnings=[f"{w.path}: {w.problem}" for w in warnings] + mixture + report.warnings + claims.warnings
        + sections.warnings + grounded.warnings,
        dedup={"passages": len(dd.passages), "merged": len(dd.merged),
               "syndication_groups": [g for g in dd.syndication_groups if len(g) > 1]},
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), briefsmith_version=__version__,
    )
    with timer.stage("assemble"):
        brief = assemble(docs, grounded.sections, dd.group_of.__getitem__, header)
    brief.header.timings = timer.timings
    return RunResult(brief=brief, documents=docs, warnings=warnings, dedup=dd, calls=report.calls,
                     dropped_items=grounded.dropped)


def make_brief(inputs, **kwargs) -> Brief:
    """A brief of `inputs` (a folder, a list of paths, or a list of texts).

    With no endpoint configured (no base_url or model by argument, environment or config file) this runs
    the deterministic offline engine; otherwise the LLM engine through the OpenAI-compatible endpoint.
    Keyword arguments: engine ("offline" | "llm"), model, base_url, api_key, config_file, cache_dir,
    use_cache, concurrency, max_chunk_tokens, prompts_dir, title, log_path, limits, support ("rules", the default, or
    "llm": who checks that each cited span supports its statement), check_events (warn when the inputs look like
    several separate events; default True), skip_duplicates (LLM engine:
    True, the default, sends a sentence an earlier document already carried only once; False sends every sentence,
    which benchmarks/run.py uses to measure what deduplication saves).
    """
    return run_pipeline(inputs, **kwargs).brief
