"""The fact matcher: a gold fact is credited to the one item whose statement the verifier says states it.

Text not about the seeds: a council's library vote. Each behaviour runs on every verifier that loads here
(`rules` always; `embed` when its model package is installed).
"""
from __future__ import annotations

import pytest

from pipeline.evals.gold import GoldFact, GoldSet
from pipeline.evals.match import Candidate, VerifierMatcher, keyword_groups_missing, units_of
from pipeline.evals.metrics import score_brief
from pipeline.models import BriefError
from pipeline.verify import get_verifier
from test_eval_metrics import brief_of


def _verifiers() -> list[str]:
    kinds = ["rules"]
    try:
        get_verifier("embed")
        kinds.append("embed")
    except BriefError:
        pass
    return kinds


KINDS = _verifiers()

VOTE = "The Riverton council approved a $4.2 million budget for the new central library by six votes to three."
COST = "Critics said the city could not afford the library while its roads need repair."
OPEN = "The library is due to open in the spring of 2028."
FACTS = [GoldFact(id="A1", section="agreements", text=VOTE),
         GoldFact(id="A2", section="agreements", text=COST),
         GoldFact(id="A3", section="agreements", text=OPEN)]

# ledes of four outlets pasted into one item, as a "different leads" divergence did: together they hold the
# words of every fact above, no one sentence of them states one
LEDES = ("The sources lead with different things. Monday night's meeting in Riverton ran past midnight. "
         "Six members spoke first about a central plan for the city. Three people at the meeting asked about "
         "roads. Work on the new pool, a $4.2 million project, runs until 2028, a spokesman said.")


def match(kind: str, facts, items):
    cands = [Candidate(id=i, section=s, text=t) for i, s, t in items]
    return {m.fact_id: m for m in VerifierMatcher(get_verifier(kind)).match(facts, cands)}


@pytest.mark.parametrize("kind", KINDS)
def test_a_pasted_lede_item_is_credited_no_fact(kind):
    assert units_of(Candidate(id="d", text=LEDES))[1]  # long: judged sentence by sentence
    got = match(kind, FACTS, [("d1", "divergences", LEDES)])
    assert all(m.best.verdict == "none" and m.best.item_id is None for m in got.values()), \
        {k: m.best.reason for k, m in got.items()}
    # the same words in one sentence would have been credited: the split is what stops the lede item
    got = match(kind, FACTS[:1], [("a1", "agreements", VOTE)])
    assert got["A1"].best.verdict == "full"


@pytest.mark.parametrize("kind", KINDS)
def test_a_long_item_is_credited_once(kind):
    long_item = f"{VOTE} {COST} {OPEN}"
    got = match(kind, FACTS, [("x", "agreements", long_item)])
    credited = [k for k, m in got.items() if m.best.item_id == "x" and m.best.verdict != "none"]
    assert len(credited) == 1, {k: m.best.reason for k, m in got.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_a_long_item_is_credited_with_a_fact_of_its_own_section_first(kind):
    # a divergence whose sides quote the vote (an agreed fact) and the critics: it is about the divergence
    split = GoldFact(id="D1", section="divergences", text=f"{COST} {VOTE}")
    long_item = f"The council and its critics take different positions. {COST} {VOTE}"
    got = match(kind, [FACTS[0], split], [("d", "divergences", long_item)])
    assert got["D1"].best.item_id == "d" and got["D1"].best.verdict != "none", got["D1"].best.reason
    assert got["A1"].best.item_id is None, got["A1"].best.reason


PARAPHRASE = "Riverton councillors backed the central library plan, a $4.2 million budget, by six votes to three."


@pytest.mark.parametrize("kind", KINDS)
def test_a_faithful_paraphrase_is_credited(kind):
    got = match(kind, FACTS[:1], [("p", "agreements", PARAPHRASE), ("o", "agreements", COST)])
    assert got["A1"].best.item_id == "p" and got["A1"].best.verdict == "full", got["A1"].best.reason


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("wrong", [
    PARAPHRASE.replace("six votes to three", "seven votes to two"),
    PARAPHRASE.replace("$4.2 million", "$2.4 million"),
])
def test_an_item_with_a_wrong_figure_is_not_credited(kind, wrong):
    got = match(kind, FACTS[:1], [("w", "agreements", wrong), ("o", "agreements", COST)])
    for m in (got["A1"].best, got["A1"].in_section):
        assert m.item_id != "w" or m.verdict == "none", m.reason


@pytest.mark.parametrize("kind", KINDS)
def test_the_one_credited_item_is_the_one_that_states_it(kind):
    # three items near the fact in words; only one states it
    items = [("n1", "agreements", "The council did not vote on the central library budget on Monday."),
             ("n2", "agreements", "The central library budget was debated for four hours by the council."),
             ("p", "agreements", PARAPHRASE)]
    got = match(kind, FACTS[:1], items)
    assert got["A1"].best.item_id == "p"


def test_misplaced_when_only_another_section_states_it():
    got = match("rules", FACTS[:1], [("u", "unsaid", VOTE), ("a", "agreements", COST)])
    assert got["A1"].best.item_section == "unsaid" and got["A1"].best.verdict == "full"
    assert got["A1"].in_section.verdict != "full"


SOURCE = f"{VOTE} {COST} {OPEN} The mayor thanked the library staff for their patience."


@pytest.mark.parametrize("kind", KINDS)
def test_unmatched_items_counts_an_item_that_states_no_gold_fact(kind):
    gold = GoldSet(corpus="library", facts=FACTS)
    brief = brief_of([("a1", "agreements", VOTE), ("a2", "agreements", COST), ("a3", "agreements", OPEN),
                      ("a4", "agreements", "The mayor thanked the library staff for their patience.")], source=SOURCE)
    s = score_brief(brief, gold, VerifierMatcher(get_verifier(kind)))
    assert s.unmatched == ["a4"] and s.unmatched_items == 0.25
    assert s.recall == 1.0 and s.section_precision == 1.0
    # a fact one source reports is not padding: gold facts are never labelled in that list
    lone = brief.model_copy(deep=True)
    lone.single_source = [lone.agreements.pop()]
    s = score_brief(lone, gold, VerifierMatcher(get_verifier(kind)))
    assert s.unmatched == [] and s.unmatched_items == 0.0 and s.n_items == 4
    # without the padding line every item is credited
    s = score_brief(brief_of([("a1", "agreements", VOTE), ("a2", "agreements", COST), ("a3", "agreements", OPEN)],
                             source=SOURCE), gold, VerifierMatcher(get_verifier(kind)))
    assert s.unmatched_items == 0.0


def test_keyword_groups_need_one_alternative_each():
    kw = [["4.2 million", "$4.2m"], ["library"]]
    assert keyword_groups_missing(kw, VOTE) == []
    assert keyword_groups_missing(kw, "The council approved the budget for the new pool.") == kw
    assert keyword_groups_missing([["six", "6"]], "by 6 votes to 3") == []
    assert keyword_groups_missing([["175"]], "1750 tickets") == [["175"]]


def test_a_missing_keyword_group_caps_a_full_match_at_partial():
    fact = GoldFact(id="K", section="agreements", text=VOTE, keywords=[["Monday"]])
    got = match("rules", [fact], [("a", "agreements", VOTE)])
    assert got["K"].best.verdict == "partial" and "keywords missing: Monday" in got["K"].best.reason
