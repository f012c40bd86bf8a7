"""A time of day in any of the ways outlets write it ("11.40 p.m.", "11.40pm", "23:40") is one time, and
its digits are no figures: "23:40" is not 23 and 40 set against a statement's "11.40"."""
from __future__ import annotations

from pipeline.verify import get_verifier
from pipeline.verify.signals import clock_times, figures
from pipeline.verify.support import check_support


def test_the_ways_of_writing_a_time_are_one_time_and_no_figures():
    assert set(clock_times("at 11.40 p.m.")) == set(clock_times("at 23:40")) == set(clock_times("at 11.40pm")) == {(23, 40)}
    assert set(clock_times("from 02:00 until 6 a.m.")) == {(2, 0), (6, 0)}
    assert not figures("The warning went out at 23:40 on Sunday.")
    assert not figures("The warning went out at 11.40 p.m. on Sunday.")
    assert figures("The committee voted 7-4 at its 23rd meeting, and 40 homes were flooded.") == {7.0: "7", 4.0: "4", 40.0: "40"}


STATEMENT = "The harbour authority issued a storm warning at 11.40 p.m. on Sunday."


def test_the_same_time_in_24_hour_form_supports_and_another_time_does_not():
    for v in (check_support, get_verifier("rules").supports):
        ok = v(STATEMENT, "The harbour authority issued its storm warning at 23:40 on Sunday.")
        assert ok.supported, ok.reason
        wrong = v(STATEMENT, "The harbour authority issued its storm warning at 10:40 on Sunday.")
        assert not wrong.supported and "time" in wrong.reason, wrong.reason
