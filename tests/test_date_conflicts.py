"""One event dated differently by independent outlets is a divergence, each day a side with its sources,
however each outlet writes the day ("Nov. 3", "3 November"); two events on two days are none."""
from __future__ import annotations

from pipeline import make_brief
from pipeline.text.dates import calendar_days
from story_docs import story_docs as _docs


def test_a_day_is_read_whichever_way_it_is_written():
    days = calendar_days("Found on Nov. 3, reported on 3 November, fixed on October 31, 2026; not May 45.")
    assert [(d.month, d.day) for d in days] == [(11, 3), (11, 3), (10, 31)]
    assert days[0].ordinal() - days[2].ordinal() == 3  # across a month's end


FERRY = {
    "wire.txt": ["The Kelby ferry service will resume on 14 March after repairs, the operator said.",
                 "The ferry was taken out of service on 2 March after its engine failed."],
    "local.txt": ["Ferry crossings to Kelby are due to resume on 14 March, according to the operator.",
                  "The engine failure that halted the ferry happened on 2 March."],
    "radio.txt": ["The operator says the Kelby ferry service will resume on 16 March.",
                  "Engineers are still waiting for parts from the manufacturer."],
}


def test_one_event_on_two_days_is_a_divergence_with_each_days_sources():
    brief = make_brief(_docs(FERRY), engine="offline")
    dates = [d for d in brief.divergences if "14 March" in " ".join(v.value for v in d.variants)]
    assert dates, [d.statement for d in brief.divergences]
    sides = {("16 March" in v.value): set(v.sources) for v in dates[0].variants}
    assert len(sides[False]) == 2 and len(sides[True]) == 1, dates[0].variants
    # the failure on 2 March is another event: never a side of the resumption's dates
    assert not any("2 March" in v.value for v in dates[0].variants), dates[0].variants


def test_two_events_on_two_days_are_no_divergence():
    calm = {name: [line.replace("16 March", "14 March") for line in lines] for name, lines in FERRY.items()}
    calm["radio.txt"][1] = "Engineers finished the first repairs on 9 March, the operator said."
    brief = make_brief(_docs(calm), engine="offline")
    assert not [d for d in brief.divergences if "March" in d.statement], [d.statement for d in brief.divergences]
