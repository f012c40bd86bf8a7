"""Sections that mean their names, and grouping whose members all tell the group's fact (not about the seeds)."""
from __future__ import annotations

import itertools

import pytest

from pipeline import make_brief
from pipeline.cluster.group import SAME_FACT, group_claims
from pipeline.cluster.similarity import ClaimIndex
from pipeline.models import Claim, Limits
from pipeline.sections.offline import offline_sections


def _claims(rows: list[tuple[str, str]]) -> list[Claim]:
    """(doc, statement) rows -> claims numbered per document as the extractor does."""
    seen: dict[str, int] = {}
    out = []
    for doc, text in rows:
        k = seen.get(doc, 0)
        seen[doc] = k + 1
        out.append(Claim(id=f"{doc}:s{k}", statement=text, doc_id=doc, carriers=[doc], verified=False))
    return out


def _own(doc: str) -> int:
    return int(doc[1:])


def _independent(docs: list[str]) -> int:
    return len(set(docs))


def test_a_bridge_claim_does_not_glue_two_facts_together():
    # the middle sentence is alike to the closure sentences and to the hospital ones; those share nothing.
    # A star group seeded by it (or a single-link chain) would tell two facts as one.
    claims = _claims([
        ("d1", "The harbour authority closed the eastern dock after the crane collapse on Friday."),
        ("d2", "The crane collapse closed the eastern dock and sent four dock workers to the regional hospital."),
        ("d3", "Four dock workers were injured and taken to the regional hospital with burns."),
        ("d4", "The harbour authority said the eastern dock stays closed after the crane collapse."),
        ("d5", "Four injured dock workers were taken to the regional hospital, doctors said."),
    ])
    index = ClaimIndex(claims)
    threshold = 0.25  # the bridge is above it with all four others
    assert all(index.similarity(1, j) >= threshold for j in (0, 2, 3, 4))
    groups = group_claims(index, _own, min_sim=threshold)
    for g in groups:  # average linkage: every group's members are alike on average, not just to one seed
        pairs = list(itertools.combinations(g, 2))
        if pairs:
            assert sum(index.similarity(a, b) for a, b in pairs) / len(pairs) >= threshold
    assert not any({0, 3} & set(g) and {2, 4} & set(g) for g in groups), groups
    assert [0, 3] in [sorted(set(g) & {0, 3}) for g in groups] and any({2, 4} <= set(g) for g in groups)


def test_group_claims_keeps_its_signature_and_orders_by_reach():
    claims = _claims([("d1", "Officials opened the new rail bridge over the river on Monday morning."),
                      ("d2", "The new rail bridge over the river opened on Monday morning, officials said."),
                      ("d3", "Officials opened the rail bridge over the river on Monday."),
                      ("d1", "Ticket prices for the line will rise next spring.")])
    groups = group_claims(ClaimIndex(claims), _own, min_sim=SAME_FACT)
    assert groups[0] == [0, 1, 2] and [3] in groups
    assert group_claims(ClaimIndex([]), _own) == []


COUNCIL = [
    ("d1", "The city council approved the new transit budget of 40 million on Tuesday."),
    ("d1", "Mayor Ana Ruiz insisted the fare increase must take effect in March."),
    ("d1", "Council members did not say when the eastern line would reopen."),
    ("d1", "Construction of the depot employs 300 local workers."),
    ("d2", "On Tuesday the city council approved a transit budget of 40 million."),
    ("d2", "The Transit Workers Union said it rejected the fare increase and would strike in March."),
    ("d2", "A spokesman for the council declined to say how the new buses would be paid for."),
    ("d3", "The council approved the 40 million transit budget on Tuesday evening."),
    ("d3", "Riders waited in the rain for the last bus of the night."),
]


@pytest.fixture(scope="module")
def council():
    texts = {}
    for doc, text in COUNCIL:
        texts.setdefault(doc, []).append(text)
    brief = make_brief([{"text": " ".join(t), "name": f"{d}.txt", "outlet": f"Outlet {d}"} for d, t in texts.items()])
    return {name: getattr(brief, name) for name in ("agreements", "divergences", "unsaid", "single_source")}


def test_agreements_are_told_by_two_independent_sources(council):
    assert council["agreements"]
    assert "40 million" in council["agreements"][0].statement
    assert all(i.independent_sources >= 2 or i.basis == "parties-agreed" for i in council["agreements"])


def test_unsaid_holds_only_stated_absences(council):
    unsaid = [i.statement for i in council["unsaid"]]
    assert any("did not say when" in s for s in unsaid) and any("declined to say" in s for s in unsaid)
    assert all(i.basis == "absence-cue" for i in council["unsaid"])
    # a fact only one source carries is listed apart, never as unsaid
    assert not any("300 local workers" in s for s in unsaid)
    assert any("300 local workers" in i.statement for i in council["single_source"])
    assert all(i.independent_sources == 1 for i in council["single_source"])


def test_every_divergence_names_two_sides_with_their_sources(council):
    assert council["divergences"]
    for item in council["divergences"]:
        assert len(item.variants) >= 2, item.statement
        assert all(v.sources and v.value for v in item.variants)
    positions = [i for i in council["divergences"] if i.basis == "party-positions"]
    assert positions, [i.statement for i in council["divergences"]]
    sides = [v.value for v in positions[0].variants]
    assert any("Ruiz" in v for v in sides) and any("Transit Workers Union" in v for v in sides)
    assert len({d for v in positions[0].variants for d in v.sources}) == 2  # each side cites its own outlet


def test_section_sizes_follow_the_corpus_and_the_users_cap():
    rows = []
    for k in range(30):  # 30 distinct facts, each told by three outlets: more than the old fixed 10
        for d in ("d1", "d2", "d3"):
            rows.append((d, f"Inspectors counted {k + 100} cracked beams in hall {k} of the stadium{'' if d == 'd1' else ' last week'}."))
    claims = _claims(rows)
    full = offline_sections(claims, _own, _independent)
    assert len(full["agreements"]) == 30
    capped = offline_sections(claims, _own, _independent, Limits(agreements=12))
    assert len(capped["agreements"]) == 12
    small = offline_sections(claims[:6], _own, _independent)
    assert len(small["agreements"]) == 2  # a small corpus gets what it has, not padding
    assert Limits().budget("agreements", 3) == Limits().floor and Limits(agreements=5).budget("agreements", 100) == 5


def test_seed_unsaid_holds_only_real_absences():
    # (room for every one-source fact: the one-source "agreements" moved there compete for the default ten)
    brief = make_brief("seeds", limits=Limits(single_source=30))
    # absence cues, and one party's statement covering what another's left out (checked against every
    # source sentence in test_divergence_coverage.py); never a fact one source alone carries
    assert brief.unsaid and all(i.basis in ("absence-cue", "one-party-only") for i in brief.unsaid)
    assert any(i.basis == "absence-cue" for i in brief.unsaid)
    assert not any("343 drones" in i.statement for i in brief.unsaid)
    assert any("343 drones" in i.statement for i in brief.single_source)
    for item in brief.divergences:
        assert len(item.variants) >= 2 and all(v.sources for v in item.variants), item.statement


def test_cli_max_items_caps_every_list(tmp_path, capsys):
    from pipeline.cli import main

    texts = tmp_path / "in"
    texts.mkdir()
    wordings = ("Inspectors counted {n} cracked beams in the {h} hall of the stadium.",
                "In the stadium's {h} hall, {n} beams were found cracked by the inspectors.",
                "The {h} hall had {n} cracked beams, the stadium inspectors reported.")
    halls = "north south east west upper lower main old new red blue green".split()
    for d, wording in zip(("d1", "d2", "d3"), wordings):  # 12 facts three outlets tell in their own words
        (texts / f"{d}.txt").write_text(" ".join(wording.format(n=k + 100, h=h) for k, h in enumerate(halls)),
                                        encoding="utf-8")
    assert main(["run", str(texts), "--out", str(tmp_path / "a"), "-q"]) == 0
    assert main(["run", str(texts), "--out", str(tmp_path / "b"), "-q", "--max-items", "4"]) == 0
    import json
    full, capped = (json.loads((tmp_path / x / "brief.json").read_text()) for x in ("a", "b"))
    assert len(full["agreements"]) == 12 and len(capped["agreements"]) == 4
    assert main(["run", str(texts), "--out", str(tmp_path / "c"), "--max-items", "0"]) == 1
    assert "--max-items must be at least 1" in capsys.readouterr().err
