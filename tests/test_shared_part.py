"""A fact each outlet tells inside a sentence of its own (issue 19: agreement in other words): "discussed
the budget and agreed that ..." in one, "..., agreeing that ..." in another. The agreement states the part
they share, by deletion from one outlet's sentence, and credits both; a hedge on the other half of a sentence
is not read as the shared part's. Stories written here, not about the seeds."""
from __future__ import annotations

import pytest

from pipeline import make_brief
from pipeline.text.clauses import shorter_statements
from pipeline.verify import get_verifier


def test_shorter_statements_are_deletions_of_the_sentence():
    s = ("The two unions discussed the pay offer and agreed that the strike at the Corran depot will go ahead "
         "on Monday.")
    assert "The two unions agreed that the strike at the Corran depot will go ahead on Monday." in \
        shorter_statements(s)
    assert "Marta Hale said that fares would rise." in shorter_statements(
        "Marta Hale said that fares would rise and that two routes would close.")
    assert shorter_statements("A new idea was floated\u2014the mayor proposed a tram line (Route 9) to the "
                              "harbour.")[-1] == "The mayor proposed a tram line to the harbour."
    # every word of each is the sentence's, in its order
    for part in shorter_statements(s):
        words = iter(s.replace(".", "").split())
        assert all(w in words for w in part.rstrip(".").split())
    assert shorter_statements("The council approved the budget.") == []


@pytest.mark.parametrize("sentence, never", [
    # the words before the first verb are no subject when it reports speech, holds a negation or a modal
    ("Witnesses said the van driver ran a red light and killed a cyclist on Hill Street.", "Witnesses killed"),
    ("The minister never attended the hearing and said the report was wrong.", "never said"),
    ("Regulators said the company may have breached listing rules and misled investors.", "Regulators misled"),
    # a condition before a dash, or a limit in brackets, is part of the claim
    ("If the levy passes in March\u2014the mayor said\u2014bus fares will fall by 10%.", "The mayor said"),
    ("The drug was approved (for adults only) by the regulator.", "The drug was approved by the regulator."),
])
def test_no_shorter_statement_drops_who_said_it_a_negation_or_a_condition(sentence, never):
    assert not [p for p in shorter_statements(sentence) if never in p], shorter_statements(sentence)


def test_a_hedge_on_the_other_half_of_a_sentence_is_not_the_shared_parts():
    v = get_verifier("rules")
    e = "The ministers discussed a joint patrol scheme and agreed that the border crossing will reopen on Friday."
    assert v.supports("The ministers agreed that the border crossing will reopen on Friday.", e).supported
    # the half the hedge is on stays hedged
    r = v.supports("The ministers agreed to a joint patrol scheme.", e)
    assert not r.supported and "certainty" in r.reason
    # a modal or an adverb hedges every verb after it, across the "and"
    for statement, evidence in (
            ("The company misled investors about its debts.",
             "The inquiry found the company may have breached listing rules and misled investors about its debts."),
            ("The minister ignored warnings about the bridge.",
             "The minister reportedly lied to parliament and ignored warnings about the bridge."),
            ("The hospital covered up the deaths.",
             "The hospital is alleged to have lost records and covered up the deaths.")):
        r = v.supports(statement, evidence)
        assert not r.supported and "certainty" in r.reason, (statement, r)


TALKS = {
    "valley-times.txt": [
        "Transport ministers from Aldria and Corvell met in Brenn on Thursday.",
        "The ministers discussed a joint patrol scheme and agreed that the Tessel border crossing will reopen "
        "to lorries on 1 June.",
        "Hauliers have waited since January for the crossing to reopen.",
    ],
    "border-post.txt": [
        "Aldria and Corvell held talks in Brenn on Thursday.",
        "The ministers also spoke about rail freight, agreeing that the Tessel border crossing will reopen to "
        "lorries on 1 June and that tolls will stay at current levels.",
        "A haulage group welcomed the news.",
    ],
}


def _docs(story):
    return [{"text": "\n\n".join(lines), "name": name} for name, lines in story.items()]


def test_the_part_two_outlets_share_is_an_agreement_crediting_both():
    for verifier in ("rules", "embed"):
        brief = make_brief(_docs(TALKS), engine="offline", verifier=verifier)
        names = {s.id: s.name for s in brief.sources}
        told = [i for i in brief.agreements if "Tessel" in i.statement]
        assert told, (verifier, [i.statement for i in brief.agreements], [i.statement for i in brief.single_source])
        assert {names[d] for d in told[0].sources} == set(TALKS) and told[0].independent_sources == 2
        # what it shows is the shared part: neither outlet's own details
        assert "patrol" not in told[0].statement and "tolls" not in told[0].statement
