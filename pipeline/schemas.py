"""JSON Schemas for everything briefsmith reads or writes, checked in under schemas/.

LLM outputs get a *strict* schema (the subset OpenAI's strict structured outputs accept, which
llama.cpp's grammar converter also handles); document formats (the brief, gold files) get pydantic's
plain schema. Register a new one with one line in ``SCHEMAS`` (and in ``LLM_OUTPUTS`` if a model
must produce it), then run ``python -m pipeline.schemas`` to regenerate the files.
"""
from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from .models import Brief
from .llm.replies import ExtractionOutput, JudgeVerdict, MergeOutput
from .resources import schemas_dir

SCHEMAS: dict[str, type[BaseModel]] = {
    "extraction": ExtractionOutput,
    "merge": MergeOutput,
    "judge": JudgeVerdict,
    "brief": Brief,
}
LLM_OUTPUTS = frozenset({"extraction", "merge", "judge"})

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Keywords strict mode rejects (or that only add noise for the model); pydantic still enforces them.
_DROP = frozenset({
    "title", "default", "examples", "discriminator", "format", "pattern", "minLength", "maxLength",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
    "uniqueItems", "contains", "minContains", "maxContains", "minProperties", "maxProperties",
    "patternProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems",
})


def strict_schema(model: type[BaseModel]) -> dict:
    """The model's schema in the strict subset: every property required, no extra properties,
    $refs inlined, unsupported keywords removed, oneOf as anyOf."""
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})

    def walk(node: object, seen: tuple[str, ...]) -> object:
        if isinstance(node, list):
            return [walk(x, seen) for x in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                raise ValueError(f"{model.__name__}: recursive $ref {name!r} cannot be inlined")
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return walk({**copy.deepcopy(defs[name]), **siblings}, (*seen, name))
        out = {}
        for key, value in node.items():
            if key in _DROP:
                continue
            if key == "properties":
                out[key] = {name: walk(sub, seen) for name, sub in value.items()}
            else:
                out["anyOf" if key == "oneOf" else key] = walk(value, seen)
        if out.get("type") == "object" or "properties" in out:
            if isinstance(out.get("additionalProperties"), dict):
                raise ValueError(f"{model.__name__}: strict outputs cannot hold free-form maps (dict fields)")
            out["additionalProperties"] = False
            out["required"] = list(out.get("properties", {}))
        return out

    schema = walk(raw, ())
    assert isinstance(schema, dict) and schema.get("type") == "object", "strict root must be an object"
    return schema


def schema_for(name: str) -> dict:
    model = SCHEMAS[name]
    return strict_schema(model) if name in LLM_OUTPUTS else model.model_json_schema()


def schema_hash(schema: str | dict) -> str:
    """sha256 of a registered schema (by name) or of a schema dict, over its canonical JSON."""
    doc = schema_for(schema) if isinstance(schema, str) else schema
    return hashlib.sha256(json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


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
