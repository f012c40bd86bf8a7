"""One brief, from inputs to the Brief, stage by stage: ingest -> claims -> sections -> brief.

Each stage is a folder of pipeline/; the two engines (engines.py) differ only in the claims and sections
stages. Grounding (ground/) happens twice: as claims are made (a claim is verified only when its evidence is
found in its source, and only verified claims reach the sections), and after the sections are written (each
cited span must support its item's statement; ground/check.py). Clustering (cluster/) serves both section writers.
"""
from __future__ import annotations

import logging
import os
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from . import __version__
from .brief.assemble import assemble
from .engines import Engine, LLMEngine, OfflineEngine
from .ground.check import ground_sections
from .ground.judge import judge_versions, support_judge, verifier_kind
from .ingest.dedup import dedup
from .ingest.inputs import api_inputs
from .ingest.load import load_documents
from .ingest.segment import split_sentences
from .llm.redact import redact
from .profiles import check_profile
from .models import Brief, BriefError, BriefHeader, Document, Limits, RunResult, Sentence
from .ingest.events import several_events_warning


log = logging.getLogger(__name__)  # -vv (debug): each stage's counts and each model call


def _debug_ingest(docs, warnings, sentences, dd) -> None:
    if not log.isEnabledFor(logging.DEBUG):  # counted only for someone looking (-vv)
        return
    roles = Counter(getattr(s, "role", None) or "body" for s in sentences)
    log.debug(f"ingest: {len(docs)} documents ({len(warnings)} inputs skipped or warned about), {len(sentences)} "
              f"sentences ({', '.join(f'{n} {r}' for r, n in roles.most_common())}); dedup: {len(dd.passages)} passages, "
              f"{len(dd.merged)} merged, {len([g for g in dd.syndication_groups if len(g) > 1])} syndication groups, "
              f"{dd.independent_count([d.id for d in docs])} independent sources")


def _debug_claims(claims, group_of) -> None:
    if not log.isEnabledFor(logging.DEBUG):  # counted only for someone looking (-vv)
        return
    kinds = Counter(str(getattr(c.kind, "value", c.kind)) for c in claims.claims)
    log.debug(f"claims: {len(claims.claims)} ({', '.join(f'{n} {k}' for k, n in kinds.most_common())}), "
              f"{sum(not c.verified for c in claims.claims)} unverified")
    if claims.claims:  # the clusters counted again, only for this line
        from .cluster.group import group_claims
        from .cluster.similarity import ClaimIndex

        groups = group_claims(ClaimIndex(claims.claims), group_of)
        log.debug(f"clusters: {len(groups)} groups of claims, {sum(len(g) > 1 for g in groups)} with two or more")


def _debug_sections(before: dict, after: dict, dropped, claims) -> None:
    if not log.isEnabledFor(logging.DEBUG):  # counted only for someone looking (-vv)
        return
    log.debug("sections: " + ", ".join(f"{len(v)} {k}" for k, v in before.items()))
    cited = {(e.doc_id, e.start) for items in after.values() for it in items for e in it.evidence}
    unused = sum((c.doc_id, c.evidence[0].start) not in cited for c in claims.claims if c.evidence)
    log.debug("after grounding: " + ", ".join(f"{len(v)} {k}" for k, v in after.items())
              + f"; {len(dropped)} items dropped; {unused} of {len(claims.claims)} claims in no item")
    for d in dropped:
        log.debug(f"dropped ({d.section}): {d.statement[:80]!r}: {d.reason}")


def _debug_calls(calls: list[dict]) -> None:
    if not log.isEnabledFor(logging.DEBUG):  # counted only for someone looking (-vv)
        return
    for c in calls:
        how = "cache hit" if c.get("cache_hit") else f"{c.get('attempts')} attempt(s), {c.get('seconds')} s"
        log.debug(f"call {c.get('stage')} {c.get('label')} [{c.get('prompt_id')}]: {c.get('prompt_tokens')}+"
                  f"{c.get('completion_tokens')} tokens, {how}, {c.get('outcome')}")


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
    return f"Brief: {titled[0]}" if titled else f"Brief of {len(docs)} source{'' if len(docs) == 1 else 's'}"


def choose_engine(engine: Optional[str], *, model=None, base_url=None, api_key=None, config_file=None, cache_dir=None,
                  use_cache=True, concurrency=None, llm_options=None, prompts_dir=None, log_path=None,
                  max_chunk_tokens=1500, skip_duplicates=True, context_tokens=None, extract_with=None,
                  merge_batch=None, profile=None, verifier="auto") -> Engine:
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
                     skip_duplicates=skip_duplicates, context_tokens=context_tokens, extract_with=extract_with,
                     merge_batch=merge_batch, profile=profile, verifier=verifier)


def run_pipeline(inputs, *, engine: Optional[str] = None, model: Optional[str] = None, base_url: Optional[str] = None,
                 api_key: Optional[str] = None, config_file: Optional[Path] = None, cache_dir: Optional[Path] = None,
                 use_cache: bool = True, concurrency: Optional[int] = None, max_chunk_tokens: int = 1500,
                 prompts_dir: Optional[Path] = None, title: Optional[str] = None, log_path: Optional[Path] = None,
                 limits: Optional[Limits] = None, llm_options: Optional[dict] = None,
                 skip_duplicates: bool = True, support: Optional[str] = None, check_events: bool = True,
                 context_tokens: Optional[int] = None, extract_with: Optional[str] = None,
                 merge_batch: Optional[int] = None, profile: Optional[str] = None,
                 verifier: Optional[str] = None) -> RunResult:
    timer = _Timer()
    check_profile(profile)
    kind = verifier_kind(verifier, support)

    # ingest: read and clean, sentences with offsets, syndicated copies found
    with timer.stage("load"):
        docs, warnings = load_documents(inputs)
    with timer.stage("segment"):
        sentences: list[Sentence] = [s for d in docs for s in split_sentences(d)]
    with timer.stage("dedup"):
        dd = dedup(docs, sentences)
    with timer.stage("events"):  # several stories in one brief interleave their items: say so
        mixture = several_events_warning(docs, dd.group_of) if check_events else []
    _debug_ingest(docs, warnings, sentences, dd)

    eng = choose_engine(engine, model=model, base_url=base_url, api_key=api_key, config_file=config_file,
                        cache_dir=cache_dir, use_cache=use_cache, concurrency=concurrency, llm_options=llm_options,
                        prompts_dir=prompts_dir, log_path=log_path, max_chunk_tokens=max_chunk_tokens,
                        skip_duplicates=skip_duplicates, context_tokens=context_tokens, extract_with=extract_with,
                        merge_batch=merge_batch, profile=profile, verifier=kind)

    # claims, each grounded in spans of its source (ground/align)
    with timer.stage("extract"):
        claims = eng.extract_claims(docs, sentences, dd)
    _debug_claims(claims, dd.group_of.__getitem__)

    # the one verifier: the sections' corroboration search and the ground stage ask the same one (an LLM run
    # judges with the verifier its profile uses: one judge, one set of counts)
    judge = eng.verifier if getattr(eng, "profile", None) else support_judge(
        kind, eng, model=model, base_url=base_url, api_key=api_key, config_file=config_file,
        cache_dir=cache_dir, use_cache=use_cache, llm_options=llm_options, prompts_dir=prompts_dir)

    # sections, from claims clustered across sources (cluster/) and the figures that conflict
    with timer.stage("merge"):
        sections = eng.write_sections(docs, claims, dd, limits or Limits(), verifier=judge)

    # ground: a cited span stays only if it supports its item's statement; an item none supports is dropped
    with timer.stage("ground"):
        grounded = ground_sections(sections.by_name(), dd.independent_count, judge, {d.id: d.text for d in docs})
    _debug_sections(sections.by_name(), grounded.sections, grounded.dropped, claims)

    # the brief
    report = eng.report()
    _debug_calls(report.calls)
    config = getattr(eng, "config", None)
    header = BriefHeader(
        title=_title(docs, title), engine=eng.name, engine_note=report.note,
        model=report.model,
        base_url=redact(config.base_url) if config and config.base_url else None,  # no user:password@
        prompt_versions={**report.prompt_versions, **judge_versions(judge)}, usage=report.usage,
        timings=timer.timings, merge=report.merge,
        warnings=[f"{w.path}: {w.problem}" for w in warnings] + mixture + report.warnings + claims.warnings
        + sections.warnings + judge.warnings + grounded.warnings,
        dedup={"passages": len(dd.passages), "merged": len(dd.merged),
               "syndication_groups": [g for g in dd.syndication_groups if len(g) > 1]},
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), briefsmith_version=__version__,
    )
    with timer.stage("assemble"):
        brief = assemble(docs, grounded.sections, dd.group_of.__getitem__, header)
    brief.header.timings = timer.timings
    result = RunResult(brief=brief, documents=docs, warnings=warnings, dedup=dd, calls=report.calls,
                       dropped_items=grounded.dropped, verifier={"kind": judge.kind, **judge.stats()},
                       degraded=report.degraded + _judge_degraded(judge, eng), endpoint=report.endpoint)
    brief._run = result  # so that brief.save() writes the same manifest as `brief run`
    return result


def _judge_degraded(judge, eng) -> list[dict]:
    """Judge calls lost for good on a client of the judge's own (the offline engine's `--verifier llm`)."""
    client = getattr(judge, "client", None)
    return list(client.degraded) if client is not None and client is not getattr(eng, "client", None) else []


def make_brief(inputs, *, engine: Optional[str] = None, model: Optional[str] = None, base_url: Optional[str] = None,
               api_key: Optional[str] = None, config_file: Optional[Path] = None, cache_dir: Optional[Path] = None,
               use_cache: bool = True, concurrency: Optional[int] = None, timeout: Optional[float] = None,
               max_retries: Optional[int] = None, structured_mode: Optional[str] = None, max_chunk_tokens: int = 1500,
               prompts_dir: Optional[Path] = None, title: Optional[str] = None, log_path: Optional[Path] = None,
               limits: Optional[Limits] = None, skip_duplicates: bool = True, support: Optional[str] = None,
               context_tokens: Optional[int] = None, extract_with: Optional[str] = None,
               merge_batch: Optional[int] = None, profile: Optional[str] = None,
               verifier: Optional[str] = None) -> Brief:
    """A brief of `inputs`: key agreements, points of divergence and things unsaid, each citing exact spans.

    inputs: a folder (read recursively: .txt .md .html .json .jsonl), a file, or a list of paths, texts and
        records ({"text": ..., "outlet": ..., "title": ..., "date": ..., "url": ...}). In a list, a str is a
        text unless it names an existing file or folder; a pathlib.Path is always a path.
    engine: "offline" (deterministic rules, no model) or "llm"; by default llm when an endpoint is
        configured (by these arguments, OPENAI_BASE_URL / BRIEF_MODEL, or the config file), else offline.
    model, base_url, api_key: the OpenAI-compatible endpoint (api_key defaults to OPENAI_API_KEY).
    config_file: a TOML file with base_url, model, api_key, concurrency, timeout, structured_mode, cache_dir.
    cache_dir, use_cache: the response cache (a re-run with the same inputs makes no calls).
    concurrency, timeout, max_retries: requests at once, seconds per request, retries of transient faults.
    structured_mode: "auto" (default: json_schema, then llama.cpp's grammar, JSON mode, text, each tried when
        the one before is refused), or one of "json_schema", "llamacpp", "json_object", "text".
    max_chunk_tokens: the size of an extraction chunk (LLM engine).
    prompts_dir: a folder of prompt templates overriding the shipped ones.
    title: the brief's title (default: from the first article with a title).
    log_path: a JSONL file of every LLM request and answer.
    limits: a pipeline.models.Limits, how many items each section may hold.
    skip_duplicates: LLM engine: True sends a sentence an earlier document already carried only once.
    verifier: who checks that each cited span supports its statement (and which sources state an item):
        "rules", "embed", "llm" or "auto" (default, or the BRIEF_VERIFIER environment variable): llm with a
        capable model's endpoint, embed offline and on the small profile, rules if the embedding model cannot load.
    support: the older name of `verifier` ("rules" or "llm"); `verifier` wins when both are given.
    context_tokens: LLM engine: no prompt longer than this (default: the server's context, else 8192).
    extract_with: LLM engine: who labels the sentences (positions, absences): "rules" (default) or "model".
    merge_batch: LLM engine: clusters per merge call (default 10; 1 for a small local model).
        Both are the small profile's: the full profile ignores them and says so in the warnings.
    profile: LLM engine: "full" (the model extracts atomic claims, groups and writes them; the verifier keeps
        what the cited sentences support) or "small" (the rules group, the model merges); default full, or
        small for a local llama.cpp server with a small model. The manifest says which and why.

    Returns a pipeline.Brief: `brief.agreements[0].statement`, `.citations` [(1, "Outlet"), ...], `.evidence`;
    `brief.to_markdown()`, `brief.to_html()`, `brief.save(folder)`. Raises pipeline.BriefError (its message
    starts with "make_brief:") when the inputs or the endpoint cannot give a brief.
    """
    if engine not in (None, "offline", "llm"):
        raise ValueError(f"make_brief: engine must be 'offline' or 'llm', not {engine!r}")
    llm_options = {k: v for k, v in {"timeout": timeout, "max_retries": max_retries,
                                     "structured_mode": structured_mode}.items() if v is not None}
    try:
        return run_pipeline(api_inputs(inputs), engine=engine, model=model, base_url=base_url, api_key=api_key,
                            config_file=config_file, cache_dir=cache_dir, use_cache=use_cache,
                            concurrency=concurrency, max_chunk_tokens=max_chunk_tokens, prompts_dir=prompts_dir,
                            title=title, log_path=log_path, limits=limits, llm_options=llm_options or None,
                            skip_duplicates=skip_duplicates, support=support, context_tokens=context_tokens,
                            extract_with=extract_with, merge_batch=merge_batch, profile=profile,
                            verifier=verifier).brief
    except BriefError as e:
        if str(e).startswith("make_brief:"):
            raise
        raise BriefError(f"make_brief: {e}") from None
