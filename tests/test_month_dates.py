"""A month named whole ("shut for good in January") against a day ("due to close on 14 March"): one event dated
two ways when the two sentences read alike to the verifier; two given years that differ are two events (any story)."""
from __future__ import annotations

from pipeline.run import make_brief
from pipeline.text.dates import calendar_days
from story_docs import story_docs as _docs
from test_review9 import _dated


def test_a_month_named_whole_is_read_as_a_date():
    [d] = calendar_days("The pool will shut for good in January, the trust said.", months=True)
    assert (d.month, d.day, d.surface) == (1, 0, "January")
    assert calendar_days("The pool will shut for good in January.") == []  # only when asked for
    [d] = calendar_days("It opened in May 2024.", months=True)
    assert (d.month, d.year) == (5, 2024)
    assert [x.day for x in calendar_days("In June 3 people died.", months=True)] == [3]  # a day, not a month
    # a capitalised word that ends like a month is no month (it broke a run on an external corpus)
    assert calendar_days("They met in Ray Street, and in Mayfield since.", months=True) == []


POOL = {
    "wire.txt": ["Kelby council has confirmed that the town's only public swimming pool will close.",
                 "The Kelby Lido had been due to close on 14 March, with swimmers sent to pools in nearby towns."],
    "local.txt": ["The Kelby Lido, the town's only public pool, is to close, the council confirmed.",
                  "The lido was due to close on 14 March, the council said, with swimmers sent elsewhere."],
    "tabloid.txt": ["Kelby's beloved lido is being axed by the council.",
                    "The lido was due to shut its gates for good in January, leaving swimmers high and dry."],
}


def test_a_month_against_a_day_for_one_event_is_a_date_conflict():
    dated = _dated(make_brief(_docs(POOL), engine="offline", verifier="embed"))
    assert any("January" in s and "14 March" in s for s in dated), dated


def test_two_events_in_two_given_years_are_no_date_conflict():
    story = {k: list(v) for k, v in POOL.items()}
    story["tabloid.txt"][1] = "The lido was due to shut its gates for good in January 2019, before it was saved."
    story["wire.txt"][1] = "The Kelby Lido had been due to close on 14 March 2027, with swimmers sent elsewhere."
    story["local.txt"][1] = "The lido was due to close on 14 March 2027, the council said."
    assert not [s for s in _dated(make_brief(_docs(story), engine="offline", verifier="embed")) if "January" in s]
