"""A bare "m" glued to a number is a million only for money or before a plural count ("$96m", "1.2m
people"); elsewhere it is metres: "4.6m at the gauge" is the "4.6 metres" another outlet wrote, not 4.6
million set against it."""
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
