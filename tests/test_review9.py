"""An adversarial review of the rules that add statements to a brief: invented stories (no repo story) where
a rule could state something false (a figure read as a day, two parties merged into one, a charge set
against a defence of something else). Each test feeds the misleading input and checks the brief does not
say the false thing."""
from __future__ import annotations

import pytest

from pipeline import make_brief
from pipeline.text.attribution import find_parties
from pipeline.text.dates import calendar_days
from story_docs import story_docs as _docs


def _dated(brief) -> list[str]:
    return [d.statement for d in brief.divergences if d.statement.startswith("Sources differ on the date")]


# --- days: only a month's name makes a day ------------------------------------------------------------

def test_a_word_that_begins_like_a_month_makes_no_day():
    assert calendar_days("Sales decreased 3 per cent; crews found 4 separate fires; 2 may face charges.") == []
    assert [(d.month, d.day) for d in calendar_days("on 5 Sept, Sept. 9 and JUNE 3")] == [(9, 5), (9, 9), (6, 3)]


SALES = {
    "wire.txt": ["Kelby Foods reported its annual results on Tuesday.",
                 "Sales decreased 3 per cent in the year, the company said."],
    "local.txt": ["Kelby Foods published annual results on Tuesday.",
                  "Sales decreased 5 per cent over the year, according to the company."],
}
FIRES = {
    "wire.txt": ["A fire broke out at a Kelby warehouse on Monday.",
                 "Firefighters found 4 separate seats of fire inside the building."],
    "local.txt": ["Fire crews tackled a blaze at a warehouse in Kelby on Monday.",
                  "Firefighters found 6 separate seats of fire, the fire service said."],
}


@pytest.mark.parametrize("story", [SALES, FIRES], ids=["decreased", "separate"])
def test_two_figures_are_never_told_as_two_dates(story):
    # "decreased 3" / "decreased 5" were read as 3 and 5 December, "4 separate" as 4 September
    assert not _dated(make_brief(_docs(story), engine="offline"))


# --- holders: a person is merged only with the body they speak for -----------------------------------

@pytest.mark.parametrize("sentence, person", [
    ("Tom Reyes, former director of Kelby Water, said the company had ignored warnings.", "Tom Reyes"),
    ("Sam Poe, who represents Kelby Water customers, said the firm had ignored warnings.", "Sam Poe"),
    ("Jane Roe, who chairs the Kelby Water Inquiry, said the company had ignored warnings.", "Jane Roe"),
], ids=["former-director", "represents-customers", "inquiry-into-it"])
def test_a_critic_described_by_the_body_is_not_that_body(sentence, person):
    parties = find_parties([sentence, "Kelby Water said it had followed every rule.",
                            "The Kelby Water Inquiry will report in May."])
    assert parties.canonical(person) != parties.canonical("Kelby Water"), parties.names()
    assert parties.canonical("Kelby Water Inquiry") != parties.canonical("Kelby Water"), parties.names()


def test_a_serving_head_still_speaks_for_the_body():
    parties = find_parties(["Tom Reyes, director of Kelby Water, said the company followed every rule.",
                            "Kelby Water said it had followed every rule."])
    assert parties.canonical("Tom Reyes") == parties.canonical("Kelby Water"), parties.names()


FORMER = {
    "wire.txt": ["Kelby Water lost the personal data of 40,000 customers in a cyber attack, the company said on Monday.",
                 "Tom Reyes, former director of Kelby Water, said the company had ignored warnings about its systems."],
    "local.txt": ["Hackers stole the data of 40,000 Kelby Water customers, the company said on Monday.",
                  "Kelby Water said it had followed every rule and acted properly."],
}


def test_a_former_heads_charge_is_set_against_the_bodys_defence():
    # merged with the company, the former director's charge was the company's own: no divergence
    brief = make_brief(_docs(FORMER), engine="offline")
    holders = [{v.value.split(":")[0] for v in d.variants} for d in brief.divergences]
    assert {"Tom Reyes", "Kelby Water"} in holders, [d.statement for d in brief.divergences]


# --- a charge and its defence: the defence is the charged body's -------------------------------------

def _library(second: str) -> dict[str, list[str]]:
    return {
        "wire.txt": ["Part of the roof of Kelby Library fell in on Thursday.",
                     "The head librarian, Ruth Obi, said the council had ignored warnings about the roof for two years."],
        "local.txt": ["The roof of Kelby Library partly collapsed on Thursday.", second],
    }


def _pairs(brief) -> list[set[str]]:
    return [{v.value.split(":")[0] for v in d.variants} for d in brief.divergences]


@pytest.mark.parametrize("second, who", [
    ("Fire officer Jane Moss said the evacuation was carried out properly and the council's staff acted quickly.",
     "Fire officer Jane Moss"),
    ("Fellow opposition councillor Paul Kent said the council should be defended from cuts by the government.",
     "Fellow opposition councillor Paul Kent"),
], ids=["neutral-official", "chargers-colleague"])
def test_praise_by_someone_who_does_not_speak_for_the_charged_body_is_no_defence(second, who):
    brief = make_brief(_docs(_library(second)), engine="offline")
    assert not [h for h in _pairs(brief) if {"Ruth Obi", who} <= h], [d.statement for d in brief.divergences]


def test_the_charged_bodys_own_defence_is_still_paired():
    brief = make_brief(_docs(_library("Council leader Paul Kent said the council had acted properly and followed "
                                      "every inspection of the library roof.")), engine="offline")
    assert {"Ruth Obi", "Council leader Paul Kent"} in _pairs(brief), [d.statement for d in brief.divergences]


def test_a_defence_of_another_matter_is_no_answer():
    brief = make_brief(_docs(_library("Council leader Paul Kent said the council had acted properly over the sale "
                                      "of the car park next door.")), engine="offline")
    assert not [h for h in _pairs(brief) if {"Ruth Obi", "Council leader Paul Kent"} <= h], \
        [d.statement for d in brief.divergences]


@pytest.mark.parametrize("defence, other", [
    ("The airline said it had acted properly over the cancelled flights.", True),
    ("The airline said it had acted properly over the maintenance of the plane.", False),
    ("The airline said it had followed every rule.", False),
])
def test_another_matter_is_told_by_the_words_of_the_defence(defence, other):
    from pipeline.sections.positions import another_matter
    assert another_matter(defence, "The pilots' union said the airline ignored warnings about the plane's "
                                   "maintenance.") is other


# --- dates: two events close in time are not one event dated twice --------------------------------------

MARKET = {
    "wire.txt": ["A gas leak forced the evacuation of Kelby market.",
                 "Traders were evacuated on 4 April and allowed back on 6 April, police said."],
    "local.txt": ["Kelby market was evacuated after a gas leak.",
                  "Traders were allowed back on 6 April, police said."],
    "radio.txt": ["Police cleared Kelby market because of a gas leak.",
                  "Traders were evacuated on 5 April, police said."],
}


def test_the_evacuation_day_is_disputed():
    assert any("4 April" in s and "5 April" in s for s in _dated(make_brief(_docs(MARKET), engine="offline")))


def test_a_return_is_not_the_evacuation_dated_differently():
    dated = _dated(make_brief(_docs(MARKET), engine="offline"))
    assert not [s for s in dated if "6 April" in s and "5 April" in s], dated


STRIKES = {
    "wire.txt": ["Staff at Kelby General hospital are to strike over pay.",
                 "Nurses at the hospital will strike on 14 March, the union said."],
    "local.txt": ["Kelby General hospital faces strikes over pay.",
                  "Junior doctors at the hospital will strike on 16 March, the union said."],
}


@pytest.mark.xfail(strict=True, reason="who the event is about is not compared: the nurses' strike and the junior "
                   "doctors' strike are told as one strike dated 14 and 16 March, the sides' quotes cut off the subject")
def test_two_groups_striking_on_two_days_are_no_date_conflict():
    dated = _dated(make_brief(_docs(STRIKES), engine="offline"))
    assert not dated, dated


# --- figures: a number adjective and a length are not counts ------------------------------------------

def _figures(brief) -> list[str]:
    return [d.statement for d in brief.divergences if d.statement.startswith("Sources differ on")]


STRIKE_DAYS = {
    "wire.txt": ["Drivers at Kelby Buses voted for industrial action on Monday.",
                 "The union has called twenty one-day strikes between now and March."],
    "local.txt": ["Kelby Buses drivers backed industrial action in a vote on Monday.",
                  "The union has called 20 one-day strikes before March, its leader said."],
}
RISE = {
    "wire.txt": ["The river Kel burst its banks on Sunday, flooding the town centre.",
                 "The water rose 2m towards homes on Mill Lane."],
    "local.txt": ["The Kel flooded Kelby town centre on Sunday after bursting its banks.",
                  "Flood water rose 3m towards homes on Mill Lane, the council said."],
}


def test_twenty_one_day_strikes_are_not_a_strike_of_twenty_one_days():
    # "twenty one-day" was read as 21 days: "Sources differ on how long the strike lasted: one-day; twenty one-day"
    assert not _figures(make_brief(_docs(STRIKE_DAYS), engine="offline"))


def test_a_rise_in_metres_is_no_count_of_homes():
    # "2m towards homes" was read as two million (then two) homes: "Sources differ on the number of homes"
    assert not [s for s in _figures(make_brief(_docs(RISE), engine="offline")) if "homes" in s.split(":")[0]]


def test_two_metre_walls_are_no_count_of_walls():
    walls = {
        "wire.txt": ["The river Kel burst its banks on Sunday, flooding the town centre.",
                     "Engineers put up 2m walls along the river bank overnight."],
        "local.txt": ["The Kel flooded Kelby town centre on Sunday after bursting its banks.",
                      "Engineers put up three walls along the river bank overnight, the council said."],
    }
    assert not [s for s in _figures(make_brief(_docs(walls), engine="offline")) if "walls" in s], \
        _figures(make_brief(_docs(walls), engine="offline"))


# --- the same words on both sides: one position only when both say it the same way ------------------------

KNEW = {
    "wire.txt": ["Hackers stole the data of 40,000 Kelby Water customers, the company said on Monday.",
                 "Union leader Sam Poe said the company must admit it knew about the weakness in its billing system "
                 "months ago."],
    "local.txt": ["Kelby Water said hackers took the data of 40,000 of its customers.",
                  "Kelby Water chief Ann Vale said the company never knew about the weakness in its billing system "
                  "before the attack."],
}


def test_shared_words_one_side_denies_are_still_two_positions():
    # "knew about the weakness in its billing system" / "never knew about ...": six words in a row shared,
    # but one side denies them; that was taken as one position and the conflict dropped
    brief = make_brief(_docs(KNEW), engine="offline")
    assert any(any("Sam Poe" in v.value for v in d.variants) and any("Ann Vale" in v.value for v in d.variants)
               for d in brief.divergences), [d.statement for d in brief.divergences]


@pytest.mark.parametrize("sentence", [
    "A long-time critic of the company, Ann Vale, said it had ignored warnings.",
    "Ann Vale, the company's fiercest critic, said it had ignored warnings.",
], ids=["description-inside-a-phrase", "possessed-not-a-role"])
def test_a_critic_named_next_to_the_company_is_not_the_company(sentence):
    # merged, "The company said it acted properly" was Ann Vale's own position
    parties = find_parties([sentence, "Kelby Water said it had followed every rule.",
                            "The company said it acted properly."])
    assert parties.canonical("the company") != parties.canonical("Ann Vale"), parties.names()


def test_a_possessive_role_still_speaks_for_its_body():
    parties = find_parties(["Ann Vale, the union's general secretary, said the company ignored warnings.",
                            "The union said the company ignored warnings."])
    assert parties.canonical("the union") == parties.canonical("Ann Vale"), parties.names()
