"""An adversarial review of the rules that add statements to a brief: invented stories (no repo story) where
a rule could state something false (a figure read as a day, two parties merged into one, a charge set
against a defence of something else). Each test feeds the misleading input and checks the brief does not
say the false thing."""
from __future__ import annotations

import pytest

from pipeline import make_brief
from pipeline.text.attribution import find_parties
from pipeline.text.dates import calendar_days


def _docs(story: dict[str, list[str]]) -> list[dict]:
    return [{"text": "\n\n".join(lines), "name": name, "outlet": name.split(".")[0]} for name, lines in story.items()]


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
