from pipeline.cluster.figures import quantity_conflicts
from pipeline.models import Claim
from pipeline.text.quantities import find_numbers, find_quantities, same_value


def q(text):
    return [(x.dimension, x.thing, x.value) for x in find_quantities(text)]


def test_call_lengths_in_their_different_wordings_are_one_slot():
    assert q("In a high-stakes, two-hour phone call, Trump") == [("duration", "call", 120)]
    assert q("where they diverged in their more than 90-minute chat.") == [("duration", "call", 90)]
    assert q("concluded an almost three-hour long call with") == [("duration", "call", 180)]
    assert q("Following nearly two hours of discussions, both") == [("duration", "call", 120)]


def test_counts_with_synonymous_nouns():
    assert q("175 detainees from each side") == [("count", "prisoner", 175)]
    assert q("exchanges of 175 captives on March 19") == [("count", "prisoner", 175)]
    assert ("count", "soldier", 23) in q("releasing 23 severely wounded Ukrainian soldiers")


def test_years_and_dates_are_not_counts():
    assert q("On March 18, 2025 the leaders spoke") == []


def test_numbers_as_written():
    assert find_numbers("175 prisoners, 23 wounded and 1,025 hp on 3.5 days") == ["175", "23", "1,025", "3.5"]


def test_loose_equality():
    assert same_value(120, 110) and not same_value(90, 120) and not same_value(120, 180)


def claim(cid, doc, text):
    return Claim(id=cid, statement=text, doc_id=doc, carriers=[doc], verified=True)


def test_conflicting_figures_need_two_independent_sources():
    claims = [claim("a", "d1", "They spoke in a two-hour phone call."),
              claim("b", "d2", "Their more than 90-minute chat ended."),
              claim("c", "d3", "An almost three-hour long call ended."),
              claim("d", "d4", "Nearly two hours of discussions followed.")]
    conflicts = quantity_conflicts(claims, group_of={"d1": 1, "d2": 2, "d3": 3, "d4": 4}.__getitem__)
    assert len(conflicts) == 1
    k = conflicts[0]
    assert k.thing == "call" and len(k.variants) == 3
    assert set(k.variants[0].sources) == {"d1", "d4"}  # the most widely reported value first
    assert "how long the call lasted" in k.statement()
    # the same documents as one syndicated source: no independent disagreement
    same = quantity_conflicts(claims[:2], group_of={"d1": 1, "d2": 1}.__getitem__)
    assert same == []


def test_agreeing_figures_are_not_a_conflict():
    claims = [claim("a", "d1", "175 prisoners from each side will be exchanged."),
              claim("b", "d2", "It would see 175 detainees from each side returned.")]
    assert quantity_conflicts(claims, group_of={"d1": 1, "d2": 2}.__getitem__) == []


def test_units_of_measure_are_not_things_that_can_conflict():
    # two cars' horsepower is not one figure reported two ways
    assert q("The car makes 1,025 horsepower on E85.") == []
    assert q("It weighs 4,275 pounds.") == []
