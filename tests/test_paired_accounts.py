"""Two parties' accounts set side by side by one outlet ("The ministry's statement said ... The union's
account, however, ..."), on a story that is not about the seeds: a divergence even when a sentence that names
no party stands between the two, and what each account states is still credited to the agreement other
outlets share, without being the sentence that states it."""
from __future__ import annotations

import pytest

from pipeline import make_brief
from story_docs import story_docs

RAIL = {
    "dunmore-herald.txt": [
        "The transport ministry's statement said the new rail timetable will start on 4 May.",
        "It also thanked station staff for their work through a hard winter.",
        "The drivers' union's account of the talks, however, stressed unresolved pay demands and warned of "
        "strikes in June.",
    ],
    "coast-gazette.txt": [
        "The new rail timetable will start on 4 May, the transport ministry said on Friday.",
        "Ticket prices will rise by 3 percent in April.",
    ],
    "northern-wire.txt": [
        "Trains will run to the new rail timetable from 4 May, transport ministry officials confirmed.",
        "Passenger numbers fell during the winter storms.",
    ],
}
HERALD_FIRST = RAIL["dunmore-herald.txt"][0]


def _docs(story: dict[str, list[str]]) -> list[dict]:
    return story_docs(story, titled=True)


@pytest.fixture(scope="module")
def rail():
    return make_brief(_docs(RAIL), engine="offline")


def _outlets(brief, item) -> set[str]:
    names = {s.id: s.name for s in brief.sources}
    return {names[d] for d in item.sources}


def test_an_account_answered_two_sentences_later_is_a_divergence(rail):
    # the "however" sentence answers the ministry's statement, not the party-less sentence between them
    paired = [d for d in rail.divergences if d.basis == "paired-contrast"]
    assert len(paired) == 1, [(d.basis, d.statement) for d in rail.divergences]
    d = paired[0]
    assert "ministry's statement said" in d.statement and "union's account" in d.statement
    assert "thanked station staff" not in d.statement
    assert len(d.variants) == 2 and all(v.value.split(":")[0].strip() for v in d.variants)
    assert _outlets(rail, d) == {"dunmore-herald.txt"}


def test_a_side_of_two_accounts_is_credited_to_the_agreement_it_states(rail):
    may = [a for a in rail.agreements if "4 May" in a.statement]
    assert len(may) == 1, [a.statement for a in rail.agreements]
    assert _outlets(rail, may[0]) == set(RAIL)  # the herald's side sentence states the date too
    assert may[0].statement != HERALD_FIRST  # ... but a side of a divergence does not state the agreement


def test_a_party_less_sentence_between_two_accounts_of_one_party_is_no_divergence():
    # the sentence two back names the same party as the "however" sentence: one party, no sides
    story = {
        "a.txt": ["The ministry said the timetable will start on 4 May.", "It gave no reason.",
                  "The ministry, however, later said the date could slip."],
        "b.txt": ["The ministry said the timetable will start on 4 May."],
    }
    brief = make_brief(_docs(story), engine="offline")
    assert not [d for d in brief.divergences if d.basis == "paired-contrast"]
