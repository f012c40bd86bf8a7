"""A bare "m" glued to a number is a million only for money or before a plural count ("$96m", "1.2m
people"); elsewhere it is metres: "4.6m at the gauge" is the "4.6 metres" another outlet wrote, not 4.6
million set against it. And a number told in several words is one figure: "four hundred and fifty" is 450,
not 400 and 50."""
from __future__ import annotations

from pipeline.text.quantities import find_quantities
from pipeline.verify import get_verifier
from pipeline.verify.signals import figures
from pipeline.verify.support import check_support


def test_m_is_a_million_for_money_and_counts_and_metres_elsewhere():
    assert figures("The tide reached 3.2m at the harbour wall.") == {3.2: "3.2"}
    assert figures("a 2.5m fence") == {2.5: "2.5"}
    assert figures("Revenue fell to $96m in the year.") == {96e6: "96m"}
    assert set(figures("The deal is worth £4.6m.")) == {4.6e6}
    assert figures("Some 1.2m people lost power.") == {1.2e6: "1.2m"}
    assert figures("It sold 3bn units") == {3e9: "3bn"}
    assert figures("Engineers built 2m walls and 1.5m fences.") == {2.0: "2", 1.5: "1.5"}  # heights, not counts
    assert figures("The flood reached 2m homes.") == {2e6: "2m"}
    [q] = find_quantities("The scheme cost US$3m last year.", loose=True)
    assert q.value == 3e6 and q.dimension == "money:USD"
    [q] = find_quantities("About 1.2m people lost power.", loose=True)
    assert q.value == 1.2e6


STATEMENT = "The tide reached 3.2m at the harbour wall, the highest since 1953."


def test_a_height_in_metres_written_two_ways_supports_and_another_height_does_not():
    for v in (check_support, get_verifier("rules").supports, get_verifier("embed").supports):
        ok = v(STATEMENT, "The tide peaked at 3.2 metres at the harbour wall, the highest level since 1953.")
        assert ok.supported, ok.reason
        wrong = v(STATEMENT, "The tide peaked at 2.9 metres at the harbour wall, the highest level since 1953.")
        assert not wrong.supported and "figure" in wrong.reason, wrong.reason


def test_a_number_told_in_several_words_is_one_figure():
    assert set(figures("Roughly four hundred and fifty nurses walked out.")) == {450}
    assert set(figures("One hundred and twenty-five homes were flooded.")) == {125}
    assert set(figures("Two thousand three hundred people fled.")) == {2300}
    assert set(figures("It rained on two and three days of the week.")) == {2, 3}  # two numbers, not one
    assert set(figures("Five six seven")) == {5, 6, 7}
    ok = check_support("About 450 nurses walked out on Tuesday.", "Roughly four hundred and fifty nurses walked out on Tuesday.")
    assert ok.supported, ok.reason
    ok = check_support("The storm left around nine thousand homes without power.",
                       "The storm cut electricity to about 9,000 homes.")
    assert ok.supported, ok.reason
    wrong = check_support("The storm left around nine thousand homes without power.",
                          "The storm cut electricity to about 6,000 homes.")
    assert not wrong.supported, wrong.reason
