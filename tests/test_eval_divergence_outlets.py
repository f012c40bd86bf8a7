"""The eval reads a divergence as the page shows it: each side with the outlets that state it. A gold
divergence names them ("40 according to the Harbour Post and the Island Times, 55 according to Coast
Radio"): sides crediting those outlets are a hit; a side that leaves one out is not. (Known gap: the
verifier does not yet tie each figure to its outlets, so sides with the outlets swapped still pass.)"""
from __future__ import annotations

import pytest

from pipeline.evals.gold import GoldFact, GoldSet
from pipeline.evals.match import VerifierMatcher
from pipeline.evals.metrics import score_brief
from pipeline.models import Brief, BriefHeader, BriefItem, Evidence, SourceInfo, Variant

TEXTS = {
    "hp": "Lifeboat crews rescued 40 passengers from the stranded ferry on Sunday night.",
    "it": "Some 40 passengers were lifted off the ferry by lifeboat crews overnight.",
    "cr": "Coast Radio said 55 passengers had been rescued from the ferry.",
}
NAMES = {"hp": "Harbour Post", "it": "Island Times", "cr": "Coast Radio"}
GOLD = GoldSet(corpus="ferry", facts=[GoldFact(
    id="D1", section="divergences",
    text="Outlets differ on how many passengers were rescued: 40 according to the Harbour Post and the Island "
         "Times, 55 according to Coast Radio.")])


def _brief(forty: list[str], fifty_five: list[str], files: bool = False) -> Brief:
    def ev(d: str, quote: str) -> Evidence:
        start = TEXTS[d].index(quote)
        return Evidence(doc_id=d, source=NAMES[d], start=start, end=start + len(quote), quote=quote,
                        raw_start=start, raw_end=start + len(quote))
    item = BriefItem(id="D1", section="divergences", statement="Sources differ on the number of passengers rescued.",
                     sources=["hp", "it", "cr"], independent_sources=3, verified=True, basis="conflicting-figures",
                     evidence=[ev("hp", "rescued 40 passengers"), ev("it", "Some 40 passengers"),
                               ev("cr", "55 passengers")],
                     variants=[Variant(value='"40 passengers"', sources=forty),
                               Variant(value='"55 passengers"', sources=fifty_five)])
    header = BriefHeader(title="t", engine="offline", engine_note="", created_at="2026-01-01T00:00:00+00:00",
                         briefsmith_version="test")
    # files=True: sources as a folder gives them, a file name and the outlet from meta.json
    sources = [SourceInfo(id=d, n=n, name=f"{d}.txt" if files else NAMES[d], outlet=NAMES[d] if files else None,
                          sha256=str(n) * 64, syndication_group=n, text=TEXTS[d])
               for n, d in enumerate(TEXTS, 1)]
    return Brief(header=header, sources=sources, agreements=[], divergences=[item], unsaid=[])


@pytest.fixture(scope="module")
def matcher():
    return VerifierMatcher()


def test_sides_naming_the_gold_outlets_are_a_hit(matcher):
    s = score_brief(_brief(["hp", "it"], ["cr"]), GOLD, matcher)
    assert s.facts[0].outcome == "hit", s.facts[0].reason


def test_sides_missing_an_outlet_the_gold_names_are_no_hit(matcher):
    # the Island Times states 40 too, but the brief's side does not credit it
    s = score_brief(_brief(["hp"], ["cr"]), GOLD, matcher)
    assert s.facts[0].outcome != "hit", s.facts[0].reason


def test_sides_are_named_by_outlet_as_the_page_names_them_not_by_file(matcher):
    s = score_brief(_brief(["hp", "it"], ["cr"], files=True), GOLD, matcher)
    assert s.facts[0].outcome == "hit", s.facts[0].reason


def test_a_side_is_not_read_as_contradicting_a_divergence_that_states_both_sides():
    from pipeline.evals.match import contradiction
    both = ("Parents say the trust never consulted them; the trust says it ran a six-week consultation.")
    assert contradiction(both, "The trust said it had run a six-week consultation with every family.", sides=True) is None
    figures = "Outlets differ on the number rescued: 40 according to the Harbour Post, 55 according to Coast Radio."
    assert contradiction(figures, "55 passengers, according to Coast Radio") is None
    # one side alone is still contradicted by the other
    assert contradiction("The trust never consulted parents.", "The trust said it had consulted parents.")
    assert contradiction("40 passengers were rescued.", "55 passengers were rescued.")


def test_a_two_party_divergence_fact_is_judged_side_by_side(matcher):
    from pipeline.evals.match import Candidate
    fact = GoldFact(id="D2", section="divergences",
                    text="Morrow Ferries said the crossing met every safety rule, while the Maritime Safety Agency "
                         "said its inspection of the vessel was overdue.")
    item = Candidate(id="D1", section="divergences",
                     text="The company says the crossing met every safety rule and that it is helping the inquiry. "
                          "But according to the Maritime Safety Agency, an inspection of the vessel was overdue.",
                     parts=["Morrow Ferries: The company says the crossing met every safety rule.",
                            "Maritime Safety Agency: But according to the Maritime Safety Agency, an inspection of "
                            "the vessel was overdue."])
    m = matcher.match([fact], [item])[0]
    assert m.in_section.verdict == "full", m.in_section.reason
    # an item that tells one side only states half of it
    one = Candidate(id="D1", section="divergences",
                    text="Morrow Ferries says the crossing met every safety rule and that it is helping the inquiry.")
    assert matcher.match([fact], [one])[0].in_section.verdict != "full"
