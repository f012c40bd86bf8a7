"""The readings a capable model's own words need (issue 21), on text about no corpus: a name where the
sentence says "the company" or a surname (the source names it elsewhere), "the two mayors" as a way of
pointing back, a denial in other words ("stopped short of"), a denial that ends at its clause, a figure
written "$96mn", and a phrase a statement adds that no cited sentence carries."""
import pytest

from pipeline.verify.phrases import added_phrase
from pipeline.verify.refer import anaphoric_counts, refer
from pipeline.verify.signals import figures
from pipeline.verify.support import check_support

DOC = ("Harlow & Finch, the builders' merchant that has traded in Calder for a century, will close 12 depots, "
       "the company said on Monday. The Timber Workers Union said it had not been told. "
       "\"We were the last to know,\" said union organiser Nadia Okafor. "
       "The company has not said how many drivers will lose their jobs. "
       "The firm did not give a date, though Okafor expects the first closures in spring. "
       "Harlow & Finch declined to comment on the union's claim.")


def test_the_company_is_the_firm_its_source_names():
    quote = "The company has not said how many drivers will lose their jobs."
    read = refer("Harlow & Finch has not said how many drivers will go.", quote, DOC)
    assert read.startswith("Harlow & Finch has not said")
    assert check_support("Harlow & Finch has not said how many drivers will lose their jobs.", read).supported
    # without its source, the sentence names no one: the name is missing
    assert "names missing" in check_support("Harlow & Finch has not said how many drivers will lose their jobs.",
                                            quote).reason


def test_the_company_is_never_another_party_of_the_source():
    quote = "The company has not said how many drivers will lose their jobs."
    assert refer("The Timber Workers Union has not said how many drivers will go.", quote, DOC) == quote
    # a second firm the source names less often is not "the company"
    two = DOC + " Vale Brothers, a rival firm, expects to hire some of them."
    assert refer("Vale Brothers has not said how many drivers will go.", quote, two) == quote
    assert refer("Harlow & Finch has not said how many drivers will go.", quote, two) != quote
    # two firms named as often: which one "the company" is, the source does not say
    tie = two + " Vale Brothers hopes to grow."
    assert refer("Harlow & Finch has not said how many drivers will go.", quote, tie) == quote


def test_a_surname_is_the_full_name_its_source_gives_once_no_other_shares_it():
    quote = "The firm did not give a date, though Okafor expects the first closures in spring."
    assert "Nadia Okafor expects" in refer("Organiser Nadia Okafor expects the first closures in spring.", quote, DOC)
    other = DOC + " Her brother, Daniel Okafor, drives for the firm."
    assert refer("Organiser Nadia Okafor expects the first closures in spring.", quote, other) == quote


def test_a_denial_ends_at_its_clause():
    quote = "The firm did not name a date, though Nadia Okafor expects the first closures in spring."
    assert check_support("Nadia Okafor expects the first closures in spring.", quote).supported
    assert "negation" in check_support("The firm named a date for the first closures.", quote).reason


def test_a_denial_in_other_words_backs_the_statements_not():
    evidence = "The board approved the new depot but stopped short of a full merger with its rival."
    assert check_support("The board approved the new depot, but not the full merger with its rival.", evidence).supported
    plain = "The board approved the new depot and a full merger with its rival."
    assert "negation" in check_support("The board approved the new depot, but not the full merger with its rival.",
                                       plain).reason


@pytest.mark.parametrize("statement, evidence, ok", [
    ("The two mayors agreed to open talks on a shared bus network.",
     "The mayors agreed to begin talks on a shared bus network.", True),
    ("The two mayors agreed to open talks on a shared bus network.",
     "The three mayors agreed to begin talks on a shared bus network.", False),  # counted otherwise: a figure
    ("Harlow & Finch will close 75 depots.", "Harlow & Finch will close depots in the north.", False),  # no "the"
    ("The two depots will close next year.", "Depots in the north will close next year.", False),  # not parties
])
def test_the_two_mayors_points_back_and_is_no_figure(statement, evidence, ok):
    assert check_support(statement, evidence).supported == ok
    assert bool(anaphoric_counts(statement, evidence)) == ok


def test_a_financial_papers_mn_is_a_million():
    assert set(figures("Operating profit slid to $96mn.")) == set(figures("profit fell to $96 million"))
    assert check_support("Operating profit fell to $96 million.", "Operating profit slid to $96mn.").supported


@pytest.mark.parametrize("statement, caught", [
    ("The council agreed to sell the depot site before the election.", True),   # "sell ... site": carried nowhere
    ("The council agreed to raise parking charges.", True),
    ("The council agreed on a new bus lane for Calder.", False),
    ("The council backed a bus lane in Calder, its leader said.", False),        # one word short: a paraphrase
])
def test_a_phrase_no_cited_sentence_carries(statement, caught):
    quotes = ["The council agreed on Tuesday to build a bus lane through Calder town centre."]
    assert (added_phrase(statement, quotes) is not None) == caught


# "the statement added": a source that carries an issuer's words names the issuer a sentence or two before
RELEASE = ("Berths 4 and 5 at Calder Docks were closed on Sunday after a crane collapsed. "
           "In a release on Monday, the Port Authority said the berths would reopen within a week. "
           "Crews cleared the quay overnight. "
           "\"No cargo was lost and no one was hurt,\" the statement added.")
SAYS = "\"No cargo was lost and no one was hurt,\" the Port Authority statement said."


def test_the_statement_is_the_issuer_its_source_named_before_it():
    quote = "\"No cargo was lost and no one was hurt,\" the statement added."
    read = refer(SAYS, quote, RELEASE, at=RELEASE.index(quote))
    assert "the Port Authority statement added" in read
    assert check_support(SAYS, read).supported
    assert "names missing" in check_support(SAYS, quote).reason  # read alone, it names no one


def test_the_statement_is_never_another_speaker_or_a_place_in_the_quote():
    quote = "\"No cargo was lost and no one was hurt,\" the statement added."
    # the last speaker named before the quote is the union: its statement, not the Port Authority's
    union = RELEASE.replace("Crews cleared the quay overnight.",
                            "The Dockers Union said crews had cleared the quay overnight.")
    assert refer(SAYS, quote, union, at=union.index(quote)) == quote
    # a name in the sentence before that only appears in a statement ("... in the Calder Docks," the statement
    # read) is no speaker
    place = ("\"The berths at Calder Docks will reopen,\" the statement read. Crews worked overnight. " + quote)
    assert refer("\"No cargo was lost and no one was hurt,\" Calder Docks said.", quote, place,
                 at=place.index(quote)) == quote
    # someone else speaks in between, unnamed or named after the verb; or "a statement from" no name: not its
    for between in ("Union officials said in a statement that the quay was unsafe.",
                    "\"The quay is unsafe,\" said Ann Price, a spokeswoman for the Dockers Union.",
                    "A statement from the local union branch said the quay was unsafe."):
        doc = RELEASE.replace("Crews cleared the quay overnight.", between)
        assert refer(SAYS, quote, doc, at=doc.index(quote)) == quote, between
    # the quote's place unknown (not in the source): nothing is written in
    assert refer(SAYS, quote, RELEASE, at=-1) == quote
