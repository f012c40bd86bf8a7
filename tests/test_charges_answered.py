"""A charge one party lays against another ("we warned the trust the roof was unsafe") and the charged
party's defence ("the trust followed every inspection rule") are two positions on one point, though they
share almost no words: a divergence with both holders. A defence nobody charged, or a party answering
itself, is none."""
from __future__ import annotations

from pipeline import make_brief
from story_docs import story_docs as _docs


ROOF = {
    "east-post.txt": [
        "Part of the sports hall roof at Brookfield Academy fell in on Thursday morning, hours before pupils arrived.",
        "Nobody was hurt, and the school will stay closed until Monday.",
        "Brookfield's head teacher, Ruth Obi, said the school had written to the Northway Schools Trust three "
        "times since March about cracks in the roof beams.",
        "\u201cWe told the trust the roof was unsafe and they ignored us,\u201d she said.",
    ],
    "county-times.txt": [
        "The roof of the sports hall at Brookfield Academy partly collapsed early on Thursday, before the school day began.",
        "No one was injured, and classes are cancelled until Monday.",
        "The Northway Schools Trust runs the academy and eleven other schools.",
        "Its estates director, Paul Kent, said the trust had followed every inspection rule and acted on "
        "the surveyor's advice.",
    ],
}


def _positions(brief) -> list[set[str]]:
    return [{v.value.split(":")[0].strip() for v in d.variants} for d in brief.divergences]


def test_a_charge_and_the_charged_partys_defence_are_two_positions():
    brief = make_brief(_docs(ROOF), engine="offline")
    holders = _positions(brief)
    assert any({"Ruth Obi", "Paul Kent"} <= h for h in holders), [d.statement for d in brief.divergences]
    d = next(d for d, h in zip(brief.divergences, holders) if {"Ruth Obi", "Paul Kent"} <= h)
    said = " ".join(v.value for v in d.variants)
    assert "ignored us" in said and "followed every inspection rule" in said, said


def test_a_defence_nobody_charged_is_no_divergence():
    calm = {name: [line.replace("the roof was unsafe and they ignored us", "about the cracks and they came to look "
                                "at them on Friday") for line in lines] for name, lines in ROOF.items()}
    calm["east-post.txt"][2] = "Brookfield's head teacher, Ruth Obi, said the school would reopen on Monday."
    brief = make_brief(_docs(calm), engine="offline")
    assert not [h for h in _positions(brief) if {"Ruth Obi", "Paul Kent"} <= h], \
        [d.statement for d in brief.divergences]


def test_a_party_answering_its_own_charge_is_no_divergence():
    # the head teacher both charges and defends: one holder, no two positions
    own = {name: list(lines) for name, lines in ROOF.items()}
    own["county-times.txt"][3] = ("Ms Obi, the head teacher, said the school had followed every inspection rule "
                                  "and acted on the surveyor's advice.")
    brief = make_brief(_docs(own), engine="offline")
    assert not [h for h in _positions(brief) if "Paul Kent" in h], [d.statement for d in brief.divergences]
    for h in _positions(brief):
        assert not ({"Ruth Obi", "Ms Obi"} <= h), h


OFFER = {
    "dock-wire.txt": [
        "Dockers at the port of Kelby walked out on Monday over pay.",
        "Members of the Kelby Dockers Union rejected a 4 per cent pay offer from the port operator last month.",
    ],
    "kelby-news.txt": [
        "Kelby's dockers went on strike on Monday in a row over pay.",
        "Dockers' leader Sam Poe has rejected an offer of a 4 per cent pay rise from the port operator.",
    ],
}


def test_two_holders_refusing_the_same_offer_are_one_position():
    brief = make_brief(_docs(OFFER), engine="offline")
    for d in brief.divergences:
        said = [v.value for v in d.variants]
        assert not all("rejected" in v for v in said), said  # both sides refuse: no divergence between them


SUPPLY = {
    "wire.txt": ["Hackers broke into the billing system of Dunmore Gas last week.",
                 "The firm insisted the hackers never got near its pipelines and that gas supplies had not been affected."],
    "local.txt": ["Dunmore Gas said its billing system had been broken into by hackers last week.",
                  "Dunmore Gas chief Ann Vale said gas supplies had not been affected at any point."],
}


def test_two_holders_saying_the_same_thing_in_the_same_words_are_no_divergence():
    brief = make_brief(_docs(SUPPLY), engine="offline")
    assert not [d for d in brief.divergences if "supplies" in d.statement], [d.statement for d in brief.divergences]


GUARDS = {
    "wire.txt": ["Drivers at Kelby Buses walked out on Monday over a plan to remove conductors.",
                 "The union's general secretary, Ann Vale, said the plan would put passengers at risk."],
    "local.txt": ["Kelby Buses drivers went on strike on Monday in a dispute over conductors.",
                  "Kelby Buses managing director Tom Reyes says the plan has passed an independent safety assessment."],
}


def test_a_charge_about_a_plan_and_the_plans_defence_are_two_positions():
    brief = make_brief(_docs(GUARDS), engine="offline")
    assert any("Ann Vale" in h and any(x.endswith("Tom Reyes") for x in h) for h in _positions(brief)), \
        [d.statement for d in brief.divergences]
