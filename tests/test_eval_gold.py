"""Gold files: the shipped seeds gold, a gold file the project has never seen, and bad files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evals.gold import load_gold
from pipeline.models import BriefError

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, data, name: str = "gold.json") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


def test_seeds_gold_is_valid_and_cites_real_files():
    gold = load_gold(ROOT / "evals/gold/seeds.json")
    assert gold.corpus == "trump-putin-call-2025-03-18"
    assert len(gold.facts) >= 20
    assert {f.section for f in gold.facts} == {"agreements", "divergences", "unsaid"}
    seeds = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    for f in gold.facts:
        assert f.sources and set(f.sources) <= seeds, f.id


def test_unseen_gold_with_extra_top_level_keys(tmp_path):
    p = write(tmp_path, {"corpus": "other-event", "labeller": "someone", "version": 3, "facts": [
        {"id": "X1", "section": "divergences", "text": "They disagree.", "keywords": [["disagree", "differ"]],
         "weight": 2.5},
        {"id": "X2", "section": "unsaid", "text": "Nobody mentioned the budget."}]})
    gold = load_gold(p)
    assert gold.corpus == "other-event" and gold.path == str(p)
    assert gold.facts[0].keywords == [["disagree", "differ"]] and gold.facts[0].weight == 2.5
    assert gold.facts[1].weight == 1 and gold.facts[1].sources == []
    assert gold.total_weight() == 3.5


@pytest.mark.parametrize("data, problem", [
    ("{not json", "not JSON"),
    ({"facts": [{"id": "A", "section": "agreements", "text": "t"}]}, "'corpus' is a required property"),
    ({"corpus": "c", "facts": [{"id": "A", "section": "agreement", "text": "t"}]}, "facts/0/section"),
    ({"corpus": "c", "facts": [{"id": "A", "section": "unsaid", "text": "t", "keywords": ["175"]}]},
     "facts/0/keywords/0"),
    ({"corpus": "c", "facts": [{"id": "A", "section": "unsaid", "text": "t", "weight": 0}]}, "facts/0/weight"),
    ({"corpus": "c", "facts": [{"id": "A", "section": "unsaid", "text": "t", "keyword": [["x"]]}]},
     "Additional properties"),
    ({"corpus": "c", "facts": []}, "should be non-empty"),
    ({"corpus": "c", "facts": [{"id": "A", "section": "unsaid", "text": "t"},
                               {"id": "A", "section": "agreements", "text": "u"}]}, "used twice"),
])
def test_bad_gold_names_file_and_problem(tmp_path, data, problem):
    p = write(tmp_path, data)
    with pytest.raises(BriefError) as e:
        load_gold(p)
    msg = str(e.value)
    assert str(p) in msg and problem in msg and "\n" not in msg


def test_missing_gold_file(tmp_path):
    with pytest.raises(BriefError, match="gold file not found"):
        load_gold(tmp_path / "nope.json")
