"""A run's files: brief.json, brief.md, brief.html and the manifest that says how they were made."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from .files import write_files
from .render import to_html, to_markdown
from ..models import Brief, RunResult


def manifest(result: RunResult, files: dict[str, bytes], argv: list[str] | None = None) -> dict:
    h = result.brief.header
    return {
        "briefsmith_version": h.briefsmith_version,
        "created_at": h.created_at,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": argv,
        "engine": h.engine,
        "model": h.model,
        "structured_mode": h.usage.structured_mode,  # the mode the model's answers came in (llm engine)
        "endpoint": result.endpoint,  # llm engine: llama.cpp or a reasoning model found, and what was adapted
        "base_url": h.base_url,
        "prompt_versions": h.prompt_versions,
        "inputs": [{"id": d.id, "name": d.name, "path": d.path, "format": d.format, "sha256": d.sha256,
                    "chars": len(d.raw), "clean_chars": len(d.text), "removals": len(d.removals)}
                   for d in result.documents],
        "usage": h.usage.model_dump(),
        "calls": result.calls,
        "verifier": result.verifier,  # kind, pairs judged, vetoes, judge calls and tokens (apart from "usage")
        "timings": h.timings,
        "warnings": h.warnings,
        "dropped_items": [d.model_dump() for d in result.dropped_items],
        "degraded": result.degraded,  # LLM calls that failed for good (`brief run --strict` exits 4)
        # what dedup collapsed, each copy with the carrier it matched; what independent outlets share stays
        "dedup": {"passages": len(result.dedup.passages), "merged": result.dedup.merged,
                  "syndication_groups": result.dedup.syndication_groups,
                  "syndication_links": result.dedup.syndication_links, "removed": result.dedup.removed,
                  "shared_passages": sum(p.shared for p in result.dedup.passages)},
        "origin": {o: sum(i.origin == o for i in result.brief.items()) for o in ("model", "rules")},
        "profile": {k: h.merge[k] for k in ("profile", "profile_reason", "verifier") if k in h.merge} or None,
        "merge": h.merge,
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


def save_brief(brief: Brief, folder) -> dict[str, Path]:
    """Brief.save: the same four files as `brief run` (the run's manifest when make_brief made it)."""
    return save(brief._run if brief._run is not None else brief, Path(folder))


def brief_manifest(brief: Brief, files: dict[str, bytes]) -> dict:
    """The manifest of a brief without its run (one read back from brief.json): what the brief itself
    records of how it was made; the run's own details (calls, dropped items) are unknown and left empty."""
    h = brief.header
    return {
        "briefsmith_version": h.briefsmith_version, "created_at": h.created_at,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": None,
        "engine": h.engine, "model": h.model, "structured_mode": h.usage.structured_mode, "base_url": h.base_url,
        "prompt_versions": h.prompt_versions,
        "inputs": [{"id": s.id, "name": s.name, "sha256": s.sha256} for s in brief.sources],
        "usage": h.usage.model_dump(), "calls": [], "timings": h.timings, "warnings": h.warnings,
        "dropped_items": [], "dedup": h.dedup,
        "origin": {o: sum(i.origin == o for i in brief.items()) for o in ("model", "rules")},
        "merge": h.merge,
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


def save(result: RunResult | Brief, out_dir: Path, argv: list[str] | None = None) -> dict[str, Path]:
    """brief.json, brief.md, brief.html and manifest.json, written atomically under the folder's lock.
    `brief run`, `brief nightly` and Brief.save() all write through here: the same four files."""
    brief = result if isinstance(result, Brief) else result.brief
    files = {
        "brief.json": brief.model_dump_json(indent=2).encode(),
        "brief.md": to_markdown(brief).encode(),
        "brief.html": to_html(brief).encode(),
    }
    made = brief_manifest(brief, files) if isinstance(result, Brief) else manifest(result, files, argv)
    files["manifest.json"] = json.dumps(made, indent=2, ensure_ascii=False).encode()
    write_files(Path(out_dir), files)
    return {name: Path(out_dir) / name for name in files}
