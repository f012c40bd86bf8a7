"""JSON Schemas for everything briefsmith reads or writes, checked in under schemas/.

LLM replies get a *strict* schema (llm/strict.py: the subset strict structured outputs accept, which
llama.cpp's grammar converter also handles); document formats (the brief, gold files) get pydantic's
plain schema. Register a new one with one line in ``SCHEMAS`` (and in ``LLM_OUTPUTS`` if a model
must produce it), then run ``python -m pipeline.schemas`` to regenerate the files.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from .llm.full_replies import FULL_REPLIES
from .llm.replies import REPLIES
from .llm.strict import schema_digest, strict_schema
from .models import Brief
from .resources import schemas_dir

# Nothing in the flow imports this module: it writes (and the tests check) the files under schemas/.
SCHEMAS: dict[str, type[BaseModel]] = {**REPLIES, **FULL_REPLIES, "brief": Brief}
LLM_OUTPUTS = frozenset(REPLIES) | frozenset(FULL_REPLIES)

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(name: str) -> dict:
    model = SCHEMAS[name]
    return strict_schema(model) if name in LLM_OUTPUTS else model.model_json_schema()


def schema_hash(schema: str | dict) -> str:
    """sha256 of a registered schema (by name) or of a schema dict, over its canonical JSON."""
    return schema_digest(schema_for(schema) if isinstance(schema, str) else schema)


def schema_document(name: str) -> str:
    """The exact text of schemas/<name>.schema.json."""
    doc = {"$schema": DRAFT, "$id": f"https://briefsmith.invalid/schemas/{name}.schema.json", **schema_for(name)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path | None = None) -> list[Path]:
    directory = Path(directory) if directory is not None else schemas_dir()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = directory / f"{name}.schema.json"
        path.write_text(schema_document(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_schemas(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(p)
