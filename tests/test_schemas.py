import json

import jsonschema
import pytest
from pydantic import BaseModel

from pipeline.llm.replies import ExtractionOutput
from pipeline.resources import schemas_dir
from pipeline.schemas import (
    LLM_OUTPUTS,
    SCHEMAS,
    schema_document,
    schema_for,
    schema_hash,
    strict_schema,
    write_schemas,
)

# What OpenAI strict structured outputs accept (https://platform.openai.com/docs/guides/structured-outputs)
STRICT_KEYWORDS = {"type", "properties", "required", "additionalProperties", "items", "enum", "const",
                   "anyOf", "description"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_checked_in_schema_matches_the_models(name):
    path = schemas_dir() / f"{name}.schema.json"
    assert path.is_file(), f"{path} missing: run python -m pipeline.schemas"
    assert path.read_text(encoding="utf-8") == schema_document(name), (
        f"{path} is stale: the models changed. Run python -m pipeline.schemas and commit the result.")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_checked_in_schema_is_valid_draft_2020_12(name):
    doc = json.loads((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)


def _walk(node, path="#"):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


@pytest.mark.parametrize("name", sorted(LLM_OUTPUTS))
def test_llm_output_schemas_are_strict(name):
    schema = schema_for(name)
    assert schema["type"] == "object"
    for path, node in _walk(schema):
        if path.endswith("/properties"):
            continue  # keys here are field names, not keywords
        assert set(node) <= STRICT_KEYWORDS, f"{name} {path}: unsupported {set(node) - STRICT_KEYWORDS}"
        if node.get("type") == "object":
            assert node["additionalProperties"] is False, f"{name} {path}"
            assert node["required"] == list(node["properties"]), f"{name} {path}: all properties required"


def test_strict_schema_accepts_what_the_model_accepts():
    sample = {"positions": [{"ids": [2, 5], "holder": "the mayor"}], "absences": [], "off_topic": [3]}
    jsonschema.validate(sample, strict_schema(ExtractionOutput))
    ExtractionOutput.model_validate(sample)
    bad = {**sample, "positions": [{"ids": ["two"], "holder": "the mayor"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, strict_schema(ExtractionOutput))


def test_write_schemas_regenerates_every_file(tmp_path):
    written = write_schemas(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{n}.schema.json" for n in SCHEMAS)
    for p in written:
        assert p.read_text(encoding="utf-8") == schema_document(p.name.removesuffix(".schema.json"))


def test_schema_hash_is_stable_and_distinct():
    assert schema_hash("extraction") == schema_hash(schema_for("extraction"))
    assert len({schema_hash(n) for n in SCHEMAS}) == len(SCHEMAS)


def test_free_form_maps_cannot_be_strict():
    class WithMap(BaseModel):
        counts: dict[str, int]

    with pytest.raises(ValueError, match="free-form maps"):
        strict_schema(WithMap)
