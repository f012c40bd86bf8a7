"""The support check: wrong evidence of every kind is caught, right evidence passes (any topic)."""
import pytest

from pipeline.verify.support import MIN_QUOTE_WORDS, Support, check_against, check_support, check_written

STATEMENT = "The explosion at the Halvorsen chemical plant killed three workers on Monday."
GOOD = "Three workers were killed on Monday when an explosion tore through the Halvorsen chemical plant."


def test_paraphrase_that_carries_the_fact_is_supported():
    r = check_support(STATEMENT, GOOD)
    assert isinstance(r, Support) and r.supported and not r.reason and 0.5 <= r.score <= 1


@pytest.mark.parametrize("quote, why", [
    ("Five workers were killed on Monday when an explosion tore through the Halvorsen chemical plant.",
     "figure 'Five' not the statement's 'three'"),
    ("5 workers were killed on Monday when an explosion tore through the Halvorsen chemical plant.", "figure '5'"),
    ("Three workers were not killed on Monday when an explosion tore through the Halvorsen chemical plant.",
     "negation differs"),
    ("Three workers were killed on Monday when an explosion tore through the Brandt chemical plant.",
     "names missing: halvorsen"),
    ("The city council voted on Tuesday to widen the ring road around the old market square.", "figure 'three'"),
    ("Halvorsen", "quote too short (1 word)"),
    ("killed three workers", "quote too short (3 words)"),
])
def test_wrong_evidence_is_caught_with_a_reason(quote, why):
    r = check_support(STATEMENT, quote)
    assert not r.supported and why in r.reason


def test_unrelated_sentence_fails_on_key_words():
    r = check_support("The orchestra cancelled its winter tour of northern cities after the conductor fell ill.",
                      "Heavy rain flooded several farms and closed the coastal road for two days.")
    assert not r.supported and r.reason.startswith("key words missing")


def test_inserted_negation_in_the_statement_is_caught():
    r = check_support("The regulator did not approve the merger of the two airlines.",
                      "The regulator approved the merger of the two airlines on Friday.")
    assert not r.supported and "negation" in r.reason


def test_opposite_word_is_caught():
    r = check_support("Shares in the retailer rose sharply after the results.",
                      "Shares in the retailer fell sharply after the results were published.")
    assert not r.supported and "opposes" in r.reason


def test_spelled_and_digit_figures_agree():
    assert check_support("Rescuers pulled twelve miners from the flooded shaft.",
                         "Rescue teams pulled 12 miners out of the flooded shaft overnight.").supported


def test_min_quote_words_is_a_public_minimum():
    assert MIN_QUOTE_WORDS >= 3
    words = " ".join(["harbour", "cranes", "stopped", "working", "yesterday"][:MIN_QUOTE_WORDS])
    assert "quote too short" not in (check_support("Harbour cranes stopped working yesterday.", words).reason or "")


def test_statement_against_a_whole_document():
    doc = ["The Halvorsen chemical plant sits on the river north of the town.",
           "Three workers were killed on Monday when an explosion tore through the plant.",
           "The company said it would cooperate with investigators."]
    assert check_against("An explosion at the Halvorsen chemical plant killed three workers.", doc).supported
    assert not check_against("An explosion at the Halvorsen chemical plant killed five workers.", doc).supported


def test_a_quote_that_only_names_the_speaker_does_not_support_what_they_said():
    statement = "Harbour master Ines Kaldor of the Ostvik Port Authority said the channel will reopen on Friday."
    assert not check_support(statement, "Harbour master Ines Kaldor of the Ostvik Port Authority spoke to reporters.").supported
    assert check_support(statement, "The channel will reopen on Friday, harbour master Ines Kaldor of the Ostvik "
                                    "Port Authority said.").supported


def test_a_clause_that_is_only_a_name_supports_nothing():
    from pipeline.ground.check import clauses

    statement = "The Ostvik Fishing Crews Union, which represents the trawler crews, rejected the offer."
    quote = "The Ostvik Fishing Crews Union said it would hold a meeting of its members on Thursday."
    assert not check_support(statement, quote).supported
    assert all(not check_support(c, quote).supported for c in clauses(statement))


@pytest.mark.parametrize("added", [
    ", and the regional governor resigned in protest.",
    "; the company's shares fell sharply in early trading.",
    " — a second warehouse burned down nearby.",
    ", but the mayor vetoed it.",  # two key words: short, and none of them in the evidence
    ", which critics called wasteful.",
    ": the owners blamed a contractor.",
])
def test_a_written_statement_cannot_carry_an_added_clause_on_a_well_backed_one(added):
    long = ("Three workers were killed and seventeen people injured on Monday when an explosion tore through "
            "the Halvorsen chemical plant near the harbour, the fire service said")
    evidence = long + ", adding that the blaze was under control by midnight."
    written = long + added
    assert check_support(written, evidence).supported  # the whole passes on the long clause's words...
    r = check_written(written, evidence)
    assert not r.supported and r.reason.startswith("a clause the evidence does not carry")  # ...its clause does not


@pytest.mark.parametrize("written", [
    "An explosion at the Halvorsen chemical plant on Monday killed three workers and injured seventeen people.",
    "Three workers died at the Halvorsen chemical plant on Monday, with seventeen people injured, the fire "
    "service said.",
    "The Halvorsen plant blast killed three workers on Monday; the blaze was under control by midnight.",
    "Three workers were killed in the Halvorsen chemical plant explosion, which also injured seventeen people.",
])
def test_a_written_paraphrase_whose_clauses_the_evidence_carries_passes(written):
    evidence = ("Three workers were killed and seventeen people injured on Monday when an explosion tore through "
                "the Halvorsen chemical plant near the harbour, the fire service said, adding that the blaze was "
                "under control by midnight.")
    assert check_written(written, evidence).supported, check_written(written, evidence).reason


@pytest.mark.parametrize("statement, evidence", [
    ("Flight schedules were not affected, the airline said.",
     "The airline insisted the hackers never got near the planes and that flight schedules had not been affected."),
    ("Ferry crews were working as normal.",
     "The operator said the timetable had not changed and its ferry crews were working as normal."),
])
def test_a_denial_ends_where_a_new_clause_begins(statement, evidence):
    # "... and that X", "... and its X": what follows has a subject of its own and is asserted, not denied
    assert check_support(statement, evidence).supported


def test_a_denial_still_reaches_its_own_objects():
    r = check_support("The storm reached the harbour and the ferry terminal.",
                      "The storm never reached the harbour and the ferry terminal, the operator said.")
    assert not r.supported and "negation" in r.reason
