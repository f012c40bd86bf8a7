"""A cut run of text (a 6 MB line with no sentence ends) neither becomes a claim nor stalls the stages after it."""
from pipeline.claims.offline import MAX_CLAIM_CHARS, is_claim_sentence
from pipeline.models import Sentence
from pipeline.text.attribution import find_parties


def _s(text):
    return Sentence(doc_id="d", idx=0, start=0, end=len(text), text=text, para=0)


def test_an_over_long_piece_is_not_a_claim_but_a_sentence_is():
    run = "harbour talks " * 200
    assert len(run) > MAX_CLAIM_CHARS and not is_claim_sentence(_s(run))
    assert is_claim_sentence(_s("The council approved the new harbour budget on Tuesday evening."))


def test_parties_are_still_found_beside_a_run_of_text():
    parties = find_parties(["harbour talks " * 200, "The union said the site was unsafe, the mayor told reporters."])
    assert parties.names()
