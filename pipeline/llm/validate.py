"""A chat completion to a validated output: find the JSON in the reply, check it against the schema, keep the
entries that stand on their own when others are off the schema, and say in one line why a reply cannot be used
(the reason goes back to the model in the re-ask)."""
from __future__ import annotations

import json
import re
import typing
from functools import lru_cache
from typing import Any, TypeVar

import jsonschema
from pydantic import BaseModel, ValidationError

from .replies import REPLIES
from .strict import schema_digest, strict_schema

T = TypeVar("T", bound=BaseModel)


class Invalid(Exception):
    """The server answered, but not with a usable output."""

    def __init__(self, reason: str, content: str | None):
        super().__init__(reason)
        self.reason = reason
        self.content = content


@lru_cache(maxsize=None)
def compiled(output: type[BaseModel]) -> tuple[dict, str, jsonschema.protocols.Validator]:
    """The output's strict schema, its digest (part of the cache key) and a validator for it."""
    schema = strict_schema(output)
    return schema, schema_digest(schema), jsonschema.Draft202012Validator(schema)


def stage_name(output: type[BaseModel]) -> str:
    """The registry name of an output model ("extraction", "merge"...), used in errors and as the
    json_schema name."""
    return next((name for name, model in REPLIES.items() if model is output), output.__name__)


_FENCE = r"```(?:json)?\s*\n(.*?)\n?```"  # a markdown code block, as models without JSON mode wrap their JSON


def strip_fences(content: str) -> str:
    m = re.fullmatch(rf"\s*{_FENCE}\s*", content, re.DOTALL)
    return m.group(1) if m else content


def json_values(content: str, limit: int = 20):
    """The JSON objects a reply may hold, in order: the whole reply, each fenced block, then each object that
    starts at a '{' (a model without JSON mode talks around its JSON, drafts, or adds a note after it)."""
    decoder = json.JSONDecoder()
    texts = [strip_fences(content)] + re.findall(_FENCE, content, re.DOTALL)
    for text in texts:
        try:
            yield json.loads(text)
        except json.JSONDecodeError:
            pass
    at = content.find("{")
    while at >= 0 and limit > 0:
        limit -= 1
        try:
            value, end = decoder.raw_decode(content, at)
            yield value
            at = content.find("{", end)
        except json.JSONDecodeError:
            at = content.find("{", at + 1)


def salvage(data: Any, validator: jsonschema.protocols.Validator, output: type) -> tuple[dict, list] | None:
    """The reply without its entries that are off the schema, when the output's entries stand on their own
    (`output.each`) and at least one is valid; else None, and the whole reply is re-asked."""
    key = output.each
    if not key or not isinstance(data, dict) or not isinstance(data.get(key), list):
        return None
    good, bad = [], []
    for n, entry in enumerate(data[key]):
        error = jsonschema.exceptions.best_match(validator.iter_errors({**data, key: [entry]}))
        if error is None:
            good.append(entry)
        else:
            where = "/".join(map(str, list(error.absolute_path)[2:])) or "the entry"
            bad.append((entry, f"{key}/{n} at {where}: {error.message[:200]}"))
    rest = {**data, key: good}
    if not good or jsonschema.exceptions.best_match(validator.iter_errors(rest)) is not None:
        return None
    return rest, bad


def bare_entries(values: list, output: type) -> dict | None:
    """A small model's reply of bare entries where the schema wants them in its one list (`output.each`): an
    array of them, or one object after another, each with the entry's own fields only (`{"claim": ...}{"claim":
    ...}` for `{"claims": [...]}`). Wrapped, they are validated like any reply; None when the reply is not that."""
    key = output.each
    if not key:
        return None
    entry = typing.get_args(output.model_fields[key].annotation)
    fields = set(entry[0].model_fields) if entry and hasattr(entry[0], "model_fields") else set()
    listed = next((v for v in values if isinstance(v, list)), None)
    objects = listed if listed is not None else [v for v in values if isinstance(v, dict)]
    entries, seen = [], set()
    for v in objects:
        if not isinstance(v, dict) or not v or not set(v) <= fields:
            return None
        mark = json.dumps(v, sort_keys=True)
        if mark not in seen:  # the whole reply and the object at its first brace are one object
            seen.add(mark)
            entries.append(v)
    return {key: entries} if entries else None


def _content(completion: Any) -> str:
    """The reply's text, or Invalid when there is none to read (no choices, a refusal, a cut-off, empty)."""
    if not completion.choices:
        raise Invalid("the response had no choices", None)
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        raise Invalid(f"the model refused: {message.refusal}", message.refusal)
    content = message.content
    if choice.finish_reason == "length":
        raise Invalid("the reply was cut off at the token limit (finish_reason=length); be more concise", content)
    if not content or not content.strip():
        raise Invalid("the reply was empty", content)
    return content


def validate(completion: Any, validator: jsonschema.protocols.Validator, output: type[T]) -> T:
    """The completion's output, validated; entries salvage() left out ride along as ``result._left_out``."""
    content = _content(completion)
    values = list(json_values(content))
    found = [output.tidy(v) for v in values]
    if output.each and not any(isinstance(v, dict) and output.each in v for v in values):
        wrapped = bare_entries(values, output)
        if wrapped is not None:
            found.insert(0, output.tidy(wrapped))
    if not found:
        try:
            json.loads(strip_fences(content))
        except json.JSONDecodeError as e:
            raise Invalid(f"the reply is not valid JSON ({e.msg} at line {e.lineno} column {e.colno})",
                          content) from None
    # the first value the schema accepts that holds entries (a draft "{'items': []}" before the answer is
    # not the answer), else the first it accepts, else the first
    valid = [v for v in found if validator.is_valid(v)]
    data = next((v for v in valid if not output.each or (isinstance(v, dict) and v.get(output.each))),
                valid[0] if valid else found[0])
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    left_out: list[tuple[Any, str]] = []
    if error is not None:
        kept = salvage(data, validator, output)
        if kept is None:
            where = "/".join(map(str, error.absolute_path)) or "the top level"
            raise Invalid(f"the JSON does not match the schema at {where}: {error.message[:300]}", content)
        data, left_out = kept
    try:
        result = output.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = "/".join(map(str, first["loc"])) or "the top level"
        raise Invalid(f"the JSON is invalid at {where}: {first['msg']}", content) from None
    if left_out:
        result._left_out = left_out
    return result
