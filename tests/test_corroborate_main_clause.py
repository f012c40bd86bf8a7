"""Corroboration in other words (issue 19, acceptance 3): outlets tell one fact with different details
around it, so a source that states a sentence's main clause is credited, and a sentence that also carries a
disputed figure still backs an agreement on another figure. On a story written here, not about the seeds."""
from __future__ import annotations

import pytest

from pipeline import make_brief
from pipeline.models import BriefItem
from pipeline.text.clauses import main_clause
from pipeline.text.words import STOPWORDS
from pipeline.verify import get_verifier
from pipeline.verify.signals import names_no_one
from story_docs import story_docs

# A ferry-operator strike, three outlets. Each tells the 48-hour strike with details of its own after a
# comma; one of them in a sentence that also gives the number of crossings cancelled, which the outlets
# report differently (120 / 90: a figure conflict).
STRIKE = {
    "coast-herald.txt": [
        "Deckhands at Morrow Ferries will strike for 48 hours from Friday, halting crossings to the islands.",
        "The union said 120 crossings would be cancelled during the stoppage.",
        "Morrow Ferries chief executive Lena Voss said the walkout was regrettable.",
    ],
    "island-gazette.txt": [
        "Morrow Ferries deckhands are to walk out for 48 hours starting on Friday, with union officials "
        "blaming a dispute over rest breaks.",
        "About 90 crossings will be cancelled, the company said.",
        "Islanders have been told to stock up on supplies.",
    ],
    "harbour-wire.txt": [
        "After talks broke down over 120 cancelled crossings, both sides confirmed the deckhands will strike "
        "for 48 hours from Friday, according to a statement.",
        "The operator runs 14 routes along the coast.",
    ],
}


def _docs(story: dict[str, list[str]]) -> list[dict]:
    return story_docs(story, titled=True)


def _outlets(brief, item: BriefItem) -> set[str]:
    names = {s.id: s.name for s in brief.sources}
    return {names[d] for d in item.sources}


def test_the_main_clause_is_what_comes_before_the_trailing_details():
    s = "Deckhands at Morrow Ferries will strike for 48 hours from Friday, halting crossings to the islands."
    assert main_clause(s, STOPWORDS) == "Deckhands at Morrow Ferries will strike for 48 hours from Friday."
    # a "but" inside a noun phrase is no clause boundary; one before a verb is
    assert main_clause("The talks were a crucial but fragile opening for the two companies.", STOPWORDS) is None
    assert main_clause("The council approved the budget for the new year but delayed the vote on parking fees.",
                       STOPWORDS) == "The council approved the budget for the new year."
    # a short lead-in is not a claim of its own: the clause goes on past it
    assert main_clause("On Monday, the council approved the budget, ending a long row.", STOPWORDS) == \
        "On Monday, the council approved the budget."
    assert main_clause("The council approved the budget.", STOPWORDS) is None


def test_a_sentence_naming_the_parties_as_a_group_leaves_their_names_to_its_article():
    assert names_no_one("Following two hours of talks, both sides agreed to end the strike.")
    # naming someone, or naming no parties at all, keeps the names check
    assert not names_no_one("Following two hours of talks, Acme and the union agreed to end the strike.")
    assert not names_no_one("The 17 injured include two firefighters.")


def test_the_names_veto_still_catches_another_named_actor():
    v = get_verifier("rules")
    # the evidence names its actor, and it is not the statement's: still vetoed
    r = v.supports("Acme Freight agreed to end the strike on Friday.",
                   "Following two hours of talks, Borland Shipping agreed to end the strike on Friday.")
    assert not r.supported and "names missing" in r.reason


@pytest.fixture(scope="module")
def strike():
    return make_brief(_docs(STRIKE), engine="offline")


def test_a_fact_told_three_ways_with_different_details_credits_all_three_outlets(strike):
    told = [i for i in strike.agreements if "48" in i.statement]
    assert len(told) == 1, [i.statement for i in strike.agreements]
    assert _outlets(strike, told[0]) == set(STRIKE)
    assert told[0].independent_sources == 3
    # every credited outlet has a span of its own that the brief shows
    assert {e.doc_id for e in told[0].evidence} == set(told[0].sources)


def test_no_key_agreement_rests_on_one_source(strike):
    assert all(i.independent_sources >= 2 for i in strike.agreements)
    assert not [i for i in strike.agreements if "14 routes" in i.statement]


def test_the_disputed_figure_stays_a_divergence_and_backs_no_agreement(strike):
    crossings = [d for d in strike.divergences if "crossings" in d.statement]
    assert crossings, [d.statement for d in strike.divergences]
    # no agreement states the figure at issue
    assert not [i for i in strike.agreements if "120" in i.statement or "90" in i.statement]


# One measure named two ways, each outlet with details of its own around it: a year in one ("a 1970s
# block"), a duration in another ("held up for three years"). Not about the seeds.
MILL = {
    "river-news.txt": [
        "The scheme requires the demolition of Tanner House, a 1970s mill building that is home to 30 families, "
        "to make way for a car park and a health centre.",
        "The district council approved the scheme on Tuesday.",
    ],
    "valley-echo.txt": [
        "The plan had been held up for three years by objections over the loss of Tanner House, a mill building "
        "housing 30 families that will be knocked down for a car park and a health centre.",
        "The district council approved the scheme on Tuesday evening.",
    ],
    "town-radio.txt": [
        "Fifty households will lose their homes when Tanner House, the old mill building by the river, is pulled "
        "down for a car park and a health centre.",
        "Councillors approved the scheme on Tuesday.",
    ],
}


def test_other_dimensions_figures_are_left_out_when_two_measures_are_compared():
    from pipeline.sections.measures import comparable

    a, b = comparable(MILL["river-news.txt"][0], MILL["town-radio.txt"][0].replace("Fifty", "30"), "count")
    assert "1970s" not in a and "30 families" in a and "30 households" in b
    # a count of the measure's own dimension stays: two things one sentence counts must stay apart
    a, _ = comparable("Officials freed 175 prisoners and 23 wounded soldiers on Friday.",
                      "The exchange of 23 captives is set for Friday.", "count")
    assert "175 prisoners" in a


def test_thirty_families_and_fifty_households_is_a_figure_divergence():
    brief = make_brief(_docs(MILL), engine="offline", verifier="embed")
    found = [d for d in brief.divergences if d.basis == "conflicting-figures"
             and any("30" in v.value for v in d.variants) and any("Fifty" in v.value for v in d.variants)]
    assert found, [(d.statement, [v.value for v in d.variants]) for d in brief.divergences]
    names = {s.id: s.name for s in brief.sources}
    sides = {v.value: {names[d] for d in v.sources} for v in found[0].variants}
    assert sides == {'"30 families"': {"river-news.txt", "valley-echo.txt"}, '"Fifty households"': {"town-radio.txt"}}


class _DetailReader:
    """A verifier stand-in: a sentence that names 'Penn' (one outlet's own detail) is stated by no other;
    any other sentence is stated by every sentence of the group."""
    kind = "test"

    def supports_many(self, pairs):
        from pipeline.verify import Verdict
        return [Verdict(supported=a == b or "Penn" not in a, score=1.0) for a, b in pairs]

    def same_fact_many(self, pairs):
        return self.supports_many(pairs)

    def rank(self, statement, sentences, k=3):
        return []


def test_when_the_central_telling_carries_one_outlets_detail_another_telling_states_the_agreement():
    from pipeline.models import Claim
    from pipeline.sections.offline import offline_sections
    from pipeline.sections.verdicts import Judge

    rows = [("d1", "The council, led by Ruth Penn, approved 260 homes on Alder Meadow, a former golf course, "
                   "on Tuesday night after a long debate."),
            ("d2", "The council approved 260 homes on Alder Meadow on Tuesday night after a long debate."),
            ("d3", "The council approved 260 homes on Alder Meadow, a former golf course, on Tuesday.")]
    claims = [Claim(id=f"{d}:s{k}", statement=t, doc_id=d, carriers=[d]) for k, (d, t) in enumerate(rows)]
    out = offline_sections(claims, lambda d: int(d[1:]), lambda ds: len(set(ds)), judge=Judge(_DetailReader()))
    told = [i for i in out["agreements"] if "260" in i.statement]
    assert len(told) == 1, [i.statement for i in out["agreements"]]
    assert "Penn" not in told[0].statement  # the telling every source states, not the one with the detail
    assert sorted(told[0].sources) == ["d1", "d2", "d3"]


def test_a_sentence_sharing_a_figure_and_a_word_with_a_main_clause_is_asked_about_it():
    """"exchanges of 175 captives" shares only the figure and one word with "175 prisoners ... exchanged", and
    is still worth asking the verifier; a figure alone, or one word alone, is not."""
    from pipeline.sections.corroborate import _near

    core = "About 300 workers will lose their jobs at the Karsten mill by June."
    assert _near(core, "The firm confirmed that 300 staff are to be laid off in June.")
    assert not _near(core, "The firm confirmed that 300 staff are to be laid off.")  # the figure alone
    assert not _near(core, "The firm confirmed that staff are to be laid off in June.")  # one word alone
    assert _near(core, "Karsten said its mill would cut jobs.")  # three key words, no figure: as before


# An issuer's words carried by two independent outlets: one names the issuer in the quote's own sentence, the
# other a sentence before it and then writes "the statement added". Not about the seeds.
RELEASE = {
    "quay-post.txt": [
        "Berths 4 and 5 at Calder Docks were closed on Sunday after a crane collapsed.",
        "\"Cargo handling will move to the north quay until the inquiry into the collapse has reported,\" the "
        "Port Authority statement said.",
        "Dock workers said the crane had been due for inspection.",
    ],
    "shipping-daily.txt": [
        "A crane collapsed at Calder Docks on Sunday, closing two berths.",
        "In a release on Monday, the Port Authority said the berths would stay shut for at least a week.",
        "\"Cargo handling will move to the north quay until the inquiry into the collapse has reported,\" the "
        "statement added on Monday afternoon.",
    ],
}


def test_an_issuers_words_two_outlets_carry_credit_both_where_one_says_the_statement():
    brief = make_brief(_docs(RELEASE), engine="offline", verifier="embed")
    told = [i for i in brief.agreements if "north quay" in i.statement]
    assert told, ([i.statement for i in brief.agreements], [i.statement for i in brief.single_source])
    assert _outlets(brief, told[0]) == set(RELEASE) and told[0].independent_sources == 2
