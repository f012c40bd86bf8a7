"""The offline matcher: numbers, polarity, keyword groups, sections."""
from __future__ import annotations

from pipeline.evals.gold import GoldFact
from pipeline.evals.match import (
    Candidate,
    OfflineMatcher,
    item_terms_for,
    keyword_groups_missing,
)
from pipeline.evals.text import numbers, stem, terms


def verdict(fact: str, item: str, keywords=None, others=()) -> str:
    f = GoldFact(id="F", section="agreements", text=fact, keywords=keywords or [])
    cands = [Candidate(id="i", section="agreements", text=item),
             *(Candidate(id=f"o{k}", section="agreements", text=t) for k, t in enumerate(others))]
    m = OfflineMatcher().match([f], cands)[0].best
    return m.verdict if m.item_id in (None, "i") else f"other:{m.verdict}"


FILLER = ("The leaders spoke about the Black Sea.", "Trump praised the talks in Washington.",
          "Putin spoke to reporters in Moscow.")


def test_same_statement_is_full():
    assert verdict("Russia and Ukraine will exchange 175 prisoners each.",
                   "Russia and Ukraine are to exchange 175 prisoners each on Wednesday.", others=FILLER) == "full"


def test_transposed_number_is_not_a_match():
    assert verdict("Russia and Ukraine will exchange 175 prisoners each.",
                   "Russia and Ukraine will exchange 157 prisoners each.", others=FILLER) == "none"


def test_missing_number_caps_at_partial():
    assert verdict("Russia and Ukraine will exchange 175 prisoners each.",
                   "Russia and Ukraine will exchange prisoners each.", others=FILLER) == "partial"


def test_refused_is_not_agreed():
    fact = "Putin agreed to halt strikes on energy infrastructure."
    assert verdict(fact, "Putin agreed to halt strikes on energy infrastructure.", others=FILLER) == "full"
    assert verdict(fact, "Putin refused to halt strikes on energy infrastructure.", others=FILLER) == "none"
    assert verdict(fact, "Putin did not agree to halt strikes on energy infrastructure.", others=FILLER) == "none"


def test_negated_fact_matches_negated_item():
    fact = "The two sides made no mention of territorial concessions."
    assert verdict(fact, "Neither side mentioned territorial concessions.", others=FILLER) == "full"
    assert verdict(fact, "Both sides discussed territorial concessions at length.", others=FILLER) != "full"
    assert verdict("The leaders stopped short of a full ceasefire.",
                   "The leaders agreed on a full ceasefire.", others=FILLER) != "full"


def test_keyword_groups_all_required_any_alternative():
    kw = [["175"], ["Black Sea", "maritime"]]
    assert keyword_groups_missing(kw, "175 sailors in the Black Sea") == []
    assert keyword_groups_missing(kw, "175 maritime workers") == []
    assert keyword_groups_missing(kw, "175 workers in the Sea of Azov") == [["Black Sea", "maritime"]]
    assert keyword_groups_missing(kw, "1750 sailors in the Black Sea") == [["175"]]
    assert keyword_groups_missing([["negotiation"]], "they negotiated for hours") == []


def test_missing_keyword_drops_a_level():
    fact = "Putin proposed hockey matches between Russian and American players."
    item = "Putin proposed matches between Russian and American players."
    assert verdict(fact, item, others=FILLER) == "full"
    assert verdict(fact, item, keywords=[["hockey"]], others=FILLER) == "partial"


def test_numbers_are_whole_tokens_and_normalised():
    assert numbers("175, then 1750 and 1,750") == ["175", "1750", "1750"]
    assert numbers("a two-hour call, 30-day halt, twenty three men, 2.50 dollars") == ["2", "30", "23", "2.5"]
    assert numbers("1.5 million people; no one came") == ["1500000"]
    assert "175" not in numbers("1750 prisoners")


def test_stems_and_polarity_marks():
    assert stem("negotiations") == stem("negotiating")
    assert stem("agreed") == stem("agreeing") == stem("agree") != stem("agreement")  # Snowball: no -ment step
    assert stem("mobilisation") == stem("mobilization")
    negated = {t.stem for t in terms("Putin refused to halt strikes, but agreed on prisoners.") if t.negated}
    assert negated == {"halt", stem("strikes")}


def test_misplaced_detection_prefers_better_other_section():
    f = GoldFact(id="U1", section="unsaid", text="The two sides made no mention of territorial concessions.")
    cands = [Candidate(id="a1", section="agreements", text="The two sides made no mention of territorial concessions."),
             Candidate(id="u1", section="unsaid", text="Trump wants a ceasefire."),
             *(Candidate(id=f"x{k}", section="divergences", text=t) for k, t in enumerate(FILLER))]
    fm = OfflineMatcher().match([f], cands)[0]
    assert (fm.best.item_id, fm.best.item_section, fm.best.verdict) == ("a1", "agreements", "full")
    assert fm.in_section.verdict == "none"


def test_number_words_conflict_but_are_not_required():
    assert verdict("The call lasted two hours.", "The call lasted three hours.", others=FILLER) == "none"
    assert verdict("The two sides made no mention of territorial concessions.",
                   "The sides made no mention of territorial concessions.", others=FILLER) == "full"


def test_negation_inside_a_quoted_stance_is_not_a_denial():
    # seeds D3: "never" scopes over "be in a position to destroy Israel", not over the readout naming Israel
    fact = "The White House readout mentioned Iran and Israel, while the Kremlin readout left Iran out."
    item = ("The White House highlighted discussions on strategic weapons non-proliferation and the leaders\u2019 "
            "shared stance that \u201cIran should never be in a position to destroy Israel.\u201d The Kremlin\u2019s "
            "statement, however, focused primarily on U.S.-Russia cooperation in conflict resolution, omitting any "
            "mention of Iran.")
    assert verdict(fact, item, others=FILLER) == "full"
    # the same negated stance on both sides still matches
    assert verdict("Iran should never be able to destroy Israel.",
                   "Trump said Iran should never be in a position to destroy Israel.", others=FILLER) == "full"


def test_negating_the_facts_own_predicate_still_conflicts():
    assert verdict("The White House readout mentioned Israel.", "The White House readout did not mention Israel.",
                   others=FILLER) == "none"
    # inside a quotation too: the quoted speaker denies what the fact says he agreed to
    assert verdict("Putin agreed to halt strikes on energy infrastructure.",
                   "Putin said: \u201cWe will not halt strikes on energy infrastructure.\u201d", others=FILLER) == "none"


def test_item_terms_read_negation_in_scope():
    denied = item_terms_for({"mention", "israel"}, "They did not mention Israel.")
    assert ("mention", True) in denied and ("israel", True) in denied and ("israel", False) not in denied
    named = item_terms_for({"mention", "israel"}, "Iran should never be in a position to destroy Israel.")
    assert {("israel", False), ("israel", True)} <= named
