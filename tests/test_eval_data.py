"""The eval data stays well formed: gold files valid and pointing at real outlets, verifier pairs well formed and split."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema
import pytest

from pipeline.evals.match import keyword_groups_missing

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "evals/gold"
CORPORA = ROOT / "evals/corpora"
PAIRS = ROOT / "evals/pairs"
SCHEMA = json.loads((ROOT / "schemas/gold.schema.json").read_text(encoding="utf-8"))
KINDS = {"paraphrase": 1, "entailed": 1, "reversed_role": 0, "wrong_speaker": 0, "negation": 0, "certainty": 0,
         "quantifier": 0, "figure": 0, "date_time": 0, "added_clause": 0, "unrelated": 0}
EXTERNAL = re.compile(r"allsides-\d+|summhay-[0-9a-f]+-heldout|summhay-[0-9a-f]+-dev")
SEED_WORDS = re.compile(r"\b(?:putin|kremlin|trump|ukrain\w*|ceasefire|prisoners?|white house|russia|moscow)\b", re.I)


def corpus_dir(gold_path: Path) -> Path:
    return ROOT / "seeds" if gold_path.stem == "seeds" else CORPORA / gold_path.stem


def plain(path: Path) -> str:
    """A file's words without markup (naive on purpose: independent of pipeline/clean.py)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        raw = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", raw, flags=re.S | re.I)
        raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return re.sub(r"\s+", " ", raw)


def gold_split(story: str) -> str | None:
    """A repo story's split as its gold file says ('dev' / 'heldout'); None when the gold says nothing."""
    path = GOLD_DIR / f"{story}.json"
    return json.loads(path.read_text(encoding="utf-8")).get("split") if path.exists() else None


def pair_problems(path: Path, split: str) -> list[str]:
    """Every problem of a pairs file, each naming the file and line; [] when it is well formed."""
    problems = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{where}: not an object")
            continue
        for key in ("claim", "evidence", "kind", "story"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                problems.append(f"{where}: '{key}' missing or empty")
        if row.get("label") not in (0, 1) or isinstance(row.get("label"), bool):
            problems.append(f"{where}: 'label' must be 1 or 0, got {row.get('label')!r}")
        kind, story = row.get("kind"), row.get("story")
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind {kind!r}")
        elif row.get("label") != KINDS[kind]:
            problems.append(f"{where}: kind {kind} needs label {KINDS[kind]}")
        if not isinstance(story, str):
            continue
        if (CORPORA / story).is_dir():
            # harbor-blast's gold names no split: the brief for these pairs put it on the dev side
            if split == "heldout" and gold_split(story) != "heldout":
                problems.append(f"{where}: story {story} is not a held-out story")
            if split == "dev" and gold_split(story) == "heldout":
                problems.append(f"{where}: story {story} is held out")
            text = " ".join(plain(p) for p in (CORPORA / story).iterdir() if p.name != "meta.json")
            if isinstance(row.get("evidence"), str) and re.sub(r"\s+", " ", row["evidence"]) not in text:
                problems.append(f"{where}: evidence not found verbatim in evals/corpora/{story}")
        elif not EXTERNAL.fullmatch(story):
            problems.append(f"{where}: unknown story {story!r}")
        elif split == "heldout" and story.endswith("-dev"):
            problems.append(f"{where}: story {story} is a dev half")
    return problems


GOLDS = sorted(GOLD_DIR.glob("*.json"))


def gold_problems(data: dict, folder: Path) -> list[str]:
    """Schema errors, and outlets the gold names that its story's meta.json (or folder) does not have."""
    problems = [f"schema: {e.message}" for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)]
    if not folder.is_dir():
        return problems + [f"no corpus folder {folder}"]
    meta_path = folder / "meta.json"
    names = set(json.loads(meta_path.read_text(encoding="utf-8"))) if meta_path.exists() else \
        {p.name for p in folder.iterdir()}
    for fact in data.get("facts", []):
        problems += [f"{fact.get('id')}: unknown outlet {s}" for s in fact.get("sources", []) if s not in names]
    copies = data.get("syndicated", {})
    problems += [f"syndicated: unknown outlet {s}" for s in [*copies, *copies.values()] if s not in names]
    problems += [f"outlets: unknown outlet {s}" for s in data.get("outlets", {}) if s not in names]
    return problems


@pytest.mark.parametrize("path", GOLDS, ids=[p.stem for p in GOLDS])
def test_gold_validates_and_names_only_real_outlets(path):
    assert gold_problems(json.loads(path.read_text(encoding="utf-8")), corpus_dir(path)) == []


def test_gold_check_catches_a_bad_gold():
    data = json.loads((GOLD_DIR / "fenwick-vote.json").read_text(encoding="utf-8"))
    data["facts"][0]["sources"].append("evening-herald.html")  # an outlet the story does not have
    data["facts"][1]["section"] = "headlines"                    # a section the schema does not know
    problems = gold_problems(data, CORPORA / "fenwick-vote")
    assert "A1: unknown outlet evening-herald.html" in problems
    assert any(p.startswith("schema:") and "headlines" in p for p in problems), problems


NEW_STORIES = [p.stem for p in GOLDS if "split" in json.loads(p.read_text(encoding="utf-8"))]


def test_new_stories_are_seven_dev_and_one_heldout():
    # grocer-results, fenwick-vote, flood-hollinford, rail-strike, water-breach, watchdog-fine, court-closure (dev);
    # driver-ruling (held out)
    assert sorted(gold_split(s) for s in NEW_STORIES) == ["dev"] * 7 + ["heldout"]


@pytest.mark.parametrize("story", NEW_STORIES)
def test_new_story_plants(story):
    """What the README promises each new story holds: 12-25 facts in all three sections, facts in 2+
    independent outlets, a syndicated copy that repeats its original, and no seed-story words."""
    gold = json.loads((GOLD_DIR / f"{story}.json").read_text(encoding="utf-8"))
    folder = CORPORA / story
    docs = {p.name: plain(p) for p in folder.iterdir() if p.name != "meta.json"}
    copies = gold["syndicated"]
    assert 4 <= len(docs) <= 7 and 12 <= len(gold["facts"]) <= 25
    assert {f["section"] for f in gold["facts"]} == {"agreements", "divergences", "unsaid"}
    for f in gold["facts"]:
        assert len({copies.get(s, s) for s in f["sources"]}) >= 2, f["id"]
        if f["section"] != "divergences":  # every listed outlet says every required detail
            for s in f["sources"]:
                assert not keyword_groups_missing(f.get("keywords", []), docs[s]), (f["id"], s)
        else:  # each side is told by some listed outlet
            for group in f["keywords"]:
                assert any(not keyword_groups_missing([group], docs[s]) for s in f["sources"]), (f["id"], group)
    (copy, original), = copies.items()
    first = re.split(r"(?<=[.!?]) ", docs[original].split(" - ", 1)[-1])[0]
    assert first in docs[copy], (copy, first)  # the copy repeats its original word for word
    assert not [n for n, t in docs.items() if SEED_WORDS.search(t)]


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_pairs_files_are_well_formed(split):
    path = PAIRS / f"{split}.jsonl"
    assert pair_problems(path, split) == []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80
    counts = {k: sum(r["kind"] == k for r in rows) for k in KINDS}
    assert min(counts.values()) >= 6, counts
    assert 0.4 <= sum(r["label"] for r in rows) / len(rows) <= 0.6


def test_pairs_check_catches_planted_bad_lines(tmp_path):
    good = {"claim": "The committee approved the plan.", "evidence": "Councillors approved the plan on Monday.",
            "label": 1, "kind": "paraphrase", "story": "allsides-1"}
    lines = [good,
             {**good, "kind": "sarcasm"},                      # unknown kind
             {**good, "kind": "negation"},                     # label does not match the kind
             {k: v for k, v in good.items() if k != "claim"},  # a field missing
             {**good, "story": "driver-ruling"},               # evidence not in that story
             {**good, "story": "grocer-results"}]              # a dev story in a held-out file
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    problems = pair_problems(path, "heldout")
    for n, what in [(2, "unknown kind 'sarcasm'"), (3, "needs label 0"), (4, "'claim' missing"),
                    (5, "evidence not found verbatim"), (6, "not a held-out story"), (7, "not JSON")]:
        assert any(p.startswith(f"bad.jsonl:{n}:") and what in p for p in problems), (n, what, problems)
    assert not any(p.startswith("bad.jsonl:1:") for p in problems)
