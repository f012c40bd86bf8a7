"""The eval reads two absences by what each says is missing: "No one has put a figure on the cost" is
credited to "Neither the council nor the port authority has given any estimate of the cost" (before, a
"negation that differs"). Known gap: two absences asking another question ("when ..." / "whether ...") or
of two unnamed withholders ("the council" / "the port authority") are judged whole, as before, and the
verifier does not tell them apart; vetoing them here cost the seeds and harbor-blast fair credits."""
from __future__ import annotations

import pytest

from pipeline.evals.gold import GoldFact
from pipeline.evals.match import Candidate, VerifierMatcher


@pytest.fixture(scope="module")
def matcher():
    return VerifierMatcher()


def _verdict(matcher, fact: str, item: str) -> str:
    m = matcher.match([GoldFact(id="U1", section="unsaid", text=fact)],
                      [Candidate(id="U1", section="unsaid", text=item)])
    return m[0].best.verdict


def test_one_absence_in_other_words_is_credited(matcher):
    assert _verdict(matcher, "No one has put a figure on the cost of the repairs to the pier.",
                    "Neither the council nor the port authority has given any estimate of the cost of the repairs "
                    "to the pier.") == "full"


def test_a_sentence_joining_two_absences_is_read_clause_by_clause():
    from pipeline.text.absence import comparable_absences
    joined = ("The trust has given no date for the ward to reopen, and no figure has been given for the cost of "
              "the repairs to its roof.")
    # the second clause, which names no withholder, is what the fact asks about
    pair = comparable_absences("The hospital trust has not said how much the roof repairs will cost.", joined)
    assert pair is not None and "repairs" in pair[1] and "reopen" not in pair[1], pair
    pair = comparable_absences("It is not known when the ward will reopen.", joined)
    assert pair is not None and "reopen" in pair[1] and "cost" not in pair[1], pair
