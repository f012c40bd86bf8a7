"""The strict JSON Schema of a reply model: the subset OpenAI's strict structured outputs accept, which
llama.cpp's grammar converter also handles."""
from __future__ import annotations

import copy
import hashlib
import json

from pydantic import BaseModel

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


def schema_digest(schema: dict) -> str:
    """sha256 of a schema over its canonical JSON: part of every cache key."""
    return hashlib.sha256(json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
