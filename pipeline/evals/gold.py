"""Gold facts: the hand-labelled statements a good brief of a corpus should make (schemas/gold.schema.json)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Optional

import jsonschema
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..jsonfile import read_json
from ..models import BriefError, Section
from ..resources import schemas_dir


class GoldFact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    section: Section
    text: str
    keywords: list[list[str]] = Field(default_factory=list)  # all groups must match; any alternative in one
    sources: list[str] = Field(default_factory=list)  # source file names that support the fact
    weight: float = 1.0
    note: Optional[str] = None


class GoldSet(BaseModel):
    model_config = ConfigDict(extra="allow")  # other gold sets carry their own top-level keys

    corpus: str
    facts: list[GoldFact]
    path: Optional[str] = None  # where it was read from; not part of the file

    def total_weight(self, section: Optional[str] = None) -> float:
        return sum(f.weight for f in self.facts if section is None or f.section == section)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((schemas_dir() / "gold.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def parse_gold(data: object, *, where: str = "<gold>") -> GoldSet:
    """Validate already-decoded gold data; every problem is a BriefError naming `where`."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        at = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise BriefError(f"bad gold file {where}: at {at}: {e.message}{more}")
    try:
        gold = GoldSet.model_validate(data)
    except ValidationError as exc:  # the schema should have caught it; keep the message to one line
        first = exc.errors()[0]
        raise BriefError(f"bad gold file {where}: {'/'.join(map(str, first['loc']))}: {first['msg']}") from None
    seen: set[str] = set()
    for f in gold.facts:
        if f.id in seen:
            raise BriefError(f"bad gold file {where}: fact id {f.id!r} is used twice")
        seen.add(f.id)
    return gold


def load_gold(path: str | Path) -> GoldSet:
    p = Path(path)
    data = read_json(p, "gold file")
    gold = parse_gold(data, where=str(p))
    gold.path = str(p)
    return gold
