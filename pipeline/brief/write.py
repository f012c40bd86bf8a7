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
        "dedup": {"passages": len(result.dedup.passages), "merged": result.dedup.merged,
                  "syndication_groups": result.dedup.syndication_groups},
        "origin": {o: sum(i.origin == o for i in result.brief.items()) for o in ("model", "rules")},
        "merge": h.merge,
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


def save_brief(brief: Brief, folder) -> dict[str, Path]:
    """Brief.save: brief.json, brief.md and brief.html into `folder` (created if missing), each atomically."""
    files = {"brief.json": brief.model_dump_json(indent=2).encode(), "brief.md": to_markdown(brief).encode(),
             "brief.html": to_html(brief).encode()}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder, files)
    return {name: folder / name for name in files}


def save(result: RunResult, out_dir: Path, argv: list[str] | None = None) -> dict[str, Path]:
    brief = result.brief
    files = {
        "brief.json": brief.model_dump_json(indent=2).encode(),
        "brief.md": to_markdown(brief).encode(),
        "brief.html": to_html(brief).encode(),
    }
    files["manifest.json"] = json.dumps(manifest(result, files, argv), indent=2, ensure_ascii=False).encode()
    write_files(Path(out_dir), files)
    return {name: Path(out_dir) / name for name in files}
