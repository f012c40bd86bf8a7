"""Dev and held-out halves: fixed by hashes of ids, disjoint, and the adapters honour them (own tiny data + real)."""
from __future__ import annotations

import json

import pytest

from pipeline.evals.datasets import evaldata_dir, load_dataset
from pipeline.evals.splits import halves, story_split
from pipeline.models import BriefError

DATA = evaldata_dir(required=False)
needs_data = pytest.mark.skipif(DATA is None, reason="external eval data (../shared/evaldata or $BRIEF_EVALDATA) absent")


def test_halves_are_fixed_balanced_and_independent_of_order():
    keys = [f"id{i}" for i in range(9)]
    h = halves("x", keys)
    assert h == halves("x", list(reversed(keys)))  # order of the input never decides
    assert sorted(h.values()).count("dev") == 5 and list(h.values()).count("heldout") == 4
    assert halves("y", keys) != h  # the kind salts the hash: documents and subtopics split independently
    assert story_split("allsides", "5740") == story_split("allsides", "5740")
    assert {story_split("allsides", str(i)) for i in range(40)} == {"dev", "heldout"}


def _tiny_allsides(root):
    rows = []
    for i in range(30):
        side = {"newsSource": "Outlet", "newsTitle": "T", "newBody": [f"Story {i} says the bridge reopened on Monday."]}
        rows.append({"id": i, "issue": f"story {i}", "roundup": [f"The bridge {i} reopened on Monday after repairs."],
                     "news": {"left": side, "center": side, "right": side}})
    (root / "allsides").mkdir()
    (root / "allsides/roundups_dev.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")


def _tiny_summhay(root):
    (root / "summhay").mkdir()
    for k in (1, 2):
        subs = [{"subtopic_id": f"s{k}{j}", "insights": [{"insight_id": f"i{k}{j}{m}", "insight": f"Fact {j} {m} of topic {k}."}
                                                          for m in range(2)]} for j in range(4)]
        docs = [{"document_id": f"d{k}{n}", "document_text": f"Document {n}.", "insights_included":
                 [f"i{k}{j}{m}" for j in range(4) for m in range(2)]} for n in range(10)]
        (root / f"summhay/topic_news{k}.json").write_text(json.dumps(
            {"topic_id": f"t{k}", "topic": f"topic {k}", "subtopics": subs, "documents": docs}), encoding="utf-8")


def test_allsides_halves_partition_the_stories(tmp_path):
    _tiny_allsides(tmp_path)
    ids = {s: {c.id for c, _ in load_dataset("allsides", root=tmp_path, split=s)} for s in ("dev", "heldout", "all")}
    assert ids["dev"] and ids["heldout"] and not ids["dev"] & ids["heldout"]
    assert ids["dev"] | ids["heldout"] == ids["all"]


def test_summhay_halves_share_no_document_and_no_scored_insight(tmp_path):
    _tiny_summhay(tmp_path)
    dev, held = (load_dataset("summhay", root=tmp_path, split=s) for s in ("dev", "heldout"))
    for (cd, gd), (ch, gh) in zip(dev, held):
        assert len(cd.documents) == len(ch.documents) == 5
        assert not {d.name for d in cd.documents} & {d.name for d in ch.documents}
        assert gd.facts and gh.facts and not {f.id for f in gd.facts} & {f.id for f in gh.facts}
        assert cd.id.endswith("-dev") and ch.id.endswith("-heldout")
    assert len(load_dataset("summhay", root=tmp_path, split="all")[0][0].documents) == 10


def test_unknown_split_is_one_clear_error(tmp_path):
    _tiny_allsides(tmp_path)
    with pytest.raises(BriefError, match="unknown split 'test'"):
        load_dataset("allsides", root=tmp_path, split="test")


@needs_data
def test_real_halves_sizes():
    dev, held = (load_dataset("allsides", split=s) for s in ("dev", "heldout"))
    assert len(dev) + len(held) == len(load_dataset("allsides")) and len(dev) > 150 and len(held) > 150
    for s in ("dev", "heldout"):
        topics = load_dataset("summhay", split=s)
        assert [len(c.documents) for c, _ in topics] == [50, 50]
