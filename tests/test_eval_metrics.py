"""Metrics and reports on hand-built Briefs: recall, sections, misplaced facts, soundness, report files."""
from __future__ import annotations

import json

import pytest

from pipeline.evals.gold import GoldFact, GoldSet
from pipeline.evals.match import OfflineMatcher
from pipeline.evals.metrics import score_brief, unsourced_numbers, unsupported_items
from pipeline.evals.report import make_report, render_markdown, render_table, write_report
from pipeline.models import Brief, BriefHeader, BriefItem, Evidence, SourceInfo, Variant

SOURCE = ("Russia and Ukraine will exchange 175 prisoners each on Wednesday. "
          "Putin agreed to a 30-day halt to strikes on energy infrastructure. "
          "The two sides made no mention of territorial concessions. "
          "The call lasted two hours, the Kremlin said; others said more than 90 minutes.")


def brief_of(items, *, source: str = SOURCE, verified: bool = True) -> Brief:
    """A Brief whose items quote `source` (the statement itself when it is in the source)."""
    by_section = {"agreements": [], "divergences": [], "unsaid": []}
    for item_id, section, statement, *rest in items:
        quote = statement if statement in source else source.split(". ")[0]
        start = source.index(quote)
        ev = Evidence(doc_id="d1", source="one.txt", start=start, end=start + len(quote), quote=quote,
                      raw_start=start, raw_end=start + len(quote))
        by_section[section].append(BriefItem(
            id=item_id, section=section, statement=statement, sources=["d1"], independent_sources=1,
            evidence=[ev], verified=verified, variants=[Variant(value=v, sources=["d1"]) for v in (rest[0] if rest else [])]))
    header = BriefHeader(title="test brief", engine="offline", engine_note="", prompt_versions={"x": "x@1"},
                         created_at="2025-01-01T00:00:00+00:00", briefsmith_version="test")
    src = SourceInfo(id="d1", n=1, name="one.txt", sha256="0" * 64, syndication_group=0, text=source)
    return Brief(header=header, sources=[src], **by_section)


GOLD = GoldSet(corpus="unit", facts=[
    GoldFact(id="A1", section="agreements", text="Russia and Ukraine will exchange 175 prisoners each.",
             keywords=[["175"]]),
    GoldFact(id="A2", section="agreements", text="Putin agreed to a 30-day halt to strikes on energy infrastructure.",
             weight=2),
    GoldFact(id="U1", section="unsaid", text="The two sides made no mention of territorial concessions."),
    GoldFact(id="D1", section="divergences", text="Reports of the call's length differ: two hours or more than 90 minutes."),
])


def test_recall_sections_and_misplaced():
    brief = brief_of([
        ("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday."),
        # the energy fact, but filed under unsaid: misplaced
        ("u1", "unsaid", "Putin agreed to a 30-day halt to strikes on energy infrastructure."),
        ("u2", "unsaid", "The two sides made no mention of territorial concessions."),
    ])
    s = score_brief(brief, GOLD, OfflineMatcher())
    by_id = {f.id: f for f in s.facts}
    assert by_id["A1"].outcome == "hit" and by_id["A1"].item_id == "a1"
    assert by_id["A2"].outcome == "misplaced"
    assert (by_id["A2"].item_id, by_id["A2"].item_section) == ("u1", "unsaid")
    assert by_id["U1"].outcome == "hit"
    assert by_id["D1"].outcome == "miss" and by_id["D1"].item_id is None
    # weights 1 + 2 + 1 + 1 = 5; section-correct credit: A1 1, U1 1 -> 2/5; any section adds A2 (weight 2)
    assert s.recall == pytest.approx(2 / 5)
    assert s.recall_any_section == pytest.approx(4 / 5)
    assert s.per_section == {"agreements": pytest.approx(1 / 3, abs=1e-4), "divergences": 0.0, "unsaid": 1.0}
    assert s.outcomes == {"hit": 2, "partial": 0, "misplaced": 1, "miss": 1}


def test_partial_counts_half():
    gold = GoldSet(corpus="unit", facts=[GOLD.facts[0]])
    brief = brief_of([("a1", "agreements", "Russia and Ukraine will exchange prisoners each, officials said.")])
    s = score_brief(brief, gold, OfflineMatcher())
    assert s.facts[0].outcome == "partial"  # the keyword 175 is missing: one level down
    assert s.recall == 0.5


def test_divergence_variants_are_read():
    brief = brief_of([("d1", "divergences", "Sources differ on how long the call lasted.",
                       ["two hours", "more than 90 minutes"])])
    s = score_brief(brief, GoldSet(corpus="unit", facts=[GOLD.facts[3]]), OfflineMatcher())
    assert s.facts[0].outcome == "hit"


def test_unsupported_items():
    good = brief_of([("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday.")])
    assert unsupported_items(good) == []
    bad_span = good.model_copy(deep=True)
    bad_span.agreements[0].evidence[0].start += 1
    assert "does not match its quote" in unsupported_items(bad_span)[0].problem
    unknown = good.model_copy(deep=True)
    unknown.agreements[0].evidence[0].doc_id = "nope"
    assert "unknown source" in unsupported_items(unknown)[0].problem
    unverified = brief_of([("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday.")],
                          verified=False)
    assert unsupported_items(unverified)[0].problem == "evidence not verified"
    bare = good.model_copy(deep=True)
    bare.agreements[0].evidence = []
    assert unsupported_items(bare)[0].problem == "no evidence"


def test_unsourced_numbers_normalised():
    brief = brief_of([
        ("a1", "agreements", "They will exchange 175, prisoners in a two-hour window."),  # 175 and two: sourced
        ("a2", "agreements", "About 1,750 prisoners and three ministers attended."),  # neither is in the source
        ("a3", "agreements", "It lasted more than ninety minutes."),  # ninety = 90: sourced
    ])
    found = [(n.item_id, n.number) for n in unsourced_numbers(brief)]
    assert found == [("a2", "1750"), ("a2", "3")]


def test_report_fields_table_and_files(tmp_path):
    brief = brief_of([("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday."),
                      ("a2", "agreements", "Some 999 people watched.")])
    gold = GOLD.model_copy(update={"path": "gold.json"})
    r = make_report(score_brief(brief, gold, OfflineMatcher()), brief, gold, "offline", brief_path="brief.json")
    table = render_table(r)
    assert "A1     agr hit       a1" in table
    assert "unsourced number: 999 in a2" in table
    assert any(line.startswith("recall 20.0%") for line in table.splitlines())
    j, m = write_report(r, tmp_path / "out")
    data = json.loads(j.read_text())
    for key in ("recall", "recall_any_section", "per_section", "facts", "unsupported_items", "unsourced_numbers",
                "matcher", "brief", "gold"):
        assert key in data
    assert data["brief"] == {"path": "brief.json", "title": "test brief", "engine": "offline", "model": None,
                             "prompt_versions": {"x": "x@1"}}
    assert data["gold"]["corpus"] == "unit" and data["gold"]["path"] == "gold.json"
    fact = data["facts"][0]
    assert {"id", "section", "outcome", "item_id", "item_section", "score", "reason", "matcher"} <= fact.keys()
    assert m.read_text() == render_markdown(r)
    assert "| A1 | agreements | hit | a1 |" in m.read_text()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]
