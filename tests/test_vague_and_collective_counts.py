"""Two counts that can both be true are no conflict: "tens of thousands of passengers" is 20,000 to
100,000, not "tens" of a thing called "thousand", so it agrees with "about 55,000 passengers"; and "a picket
line of around thirty drivers" counts the line, not the 450 drivers on strike."""
from __future__ import annotations

from pipeline import make_brief
from pipeline.text.quantities import compatible, find_quantities
from story_docs import story_docs as _docs


def _one(text: str):
    [q] = find_quantities(text)
    return q


def test_a_vague_amount_of_thousands_is_scaled_and_agrees_with_a_figure_inside_it():
    tens = _one("Tens of thousands of passengers were stranded.")
    assert (tens.low, tens.high, tens.thing) == (20_000, 100_000, "passenger")
    assert compatible(tens, _one("About 55,000 passengers were stranded."))
    assert not compatible(tens, _one("About 5,000 passengers were stranded."))
    hundreds = _one("Hundreds of thousands of customers lost power.")
    assert (hundreds.low, hundreds.high) == (200_000, 2_000_000)
    assert _one("Hundreds of homes flooded.").high == 2000  # no scale word: up to where "thousands" begins


def test_a_count_of_a_collective_is_not_the_count_of_all():
    line = _one("By 6am a picket line of around thirty nurses had formed.")
    assert line.thing != _one("About 900 nurses walked out.").thing
    assert _one("Around thirty nurses joined the picket line.").thing == _one("About 900 nurses walked out.").thing


STRIKE = {
    "wire.txt": ["About 900 nurses at Dunmore General walked out on Tuesday in a row over staffing.",
                 "The hospital treats about 55,000 patients a year."],
    "local.txt": ["Some 900 nurses at Dunmore General went on strike on Tuesday over staffing levels.",
                  "Tens of thousands of patients are treated at the hospital every year."],
    "radio.txt": ["Dunmore General nurses stopped work on Tuesday, in a dispute over staffing.",
                  "By 6am a picket line of around thirty nurses had formed at the main gate."],
}


def test_compatible_counts_make_no_divergence():
    brief = make_brief(_docs(STRIKE), engine="offline")
    assert not brief.divergences, [d.statement for d in brief.divergences]
