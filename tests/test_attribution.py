"""Attribution: who says a sentence, the parties a corpus names (aliases merged from the corpus itself), claim kinds."""
import pytest

from pipeline.models import ClaimKind
from pipeline.text.attribution import claim_kind, find_holder, find_parties, mentioned_parties


@pytest.mark.parametrize("sentence,holder", [
    # the seed story's cues
    ("According to the Kremlin\u2019s readout, Putin expressed support for the proposal.", "Kremlin"),
    ('"These negotiations will begin immediately in the Middle East," said the White House readout.', "White House"),
    ("\u201cIt is time for Russia to show whether it really wants peace,\u201d Sybiga said.", "Sybiga"),
    ("Notably, Washington\u2019s summary omitted Putin\u2019s demands regarding aid.", "Washington"),
    ("Putin insisted that all foreign military aid to Ukraine must stop.", "Putin"),
    ("The two leaders also touched on maritime security in the Black Sea.", None),
    # any story: companies, unions, officials, descriptions
    ("Acme Chemicals said in a statement that the warehouse met every safety rule.", "Acme Chemicals"),
    ("\u201cWe warned them for years,\u201d union leader Maria Costa told reporters.", "Maria Costa"),
    ("The company said it would cooperate fully with investigators.", "the company"),
    ("According to the fire department, the blaze was under control by noon.", "the fire department"),
    ("Mayor Dana Whitfield also warned residents to keep their windows shut.", "Dana Whitfield"),
    ("The port authority\u2019s statement made no mention of the evacuation.", "the port authority"),
    ("Russia\u2019s foreign ministry said the talks were useful.", "Russia"),   # a possessor speaks
    ("Acme's chief executive told reporters the plant was safe.", "Acme"),
    ("The union's general secretary said members would strike.", "the union"),
    ("Ukraine's foreign minister Andriy Sybiga said the offer was a trick.", "Andriy Sybiga"),
    ("It is unclear when the plant will reopen.", None),
    ("Meanwhile, traffic was diverted around the harbour all afternoon.", None),
    # a full name in apposition before its verb; a place in apposition before "said to be" is no speaker
    ("Its chief executive, Jane Roe, said the plant had passed every inspection.", "Jane Roe"),
    ("Last night the union's leader, Sam Poe, blasted the owners.", "Sam Poe"),
    ("In Leeds, Park Lane, said to be the oldest street, was closed.", None),
    # a full name opening the sentence, a description between it and its verb
    ("Sam Poe, who chairs the Kelby Residents' Group, said the council had been warned.", "Sam Poe"),
    ("Sam Poe, chair of the residents' group, accused the council of ignoring them.", "Sam Poe"),
])
def test_holder(sentence, holder):
    assert find_holder(sentence) == holder


def _canon(index, name):
    return index.canonical(name)


def test_parties_merge_aliases_the_corpus_itself_links():
    corpus = [
        "Acme Chemicals, the company that runs the warehouse, said it was cooperating with police.",
        "The company said the site had passed an inspection in May.",
        "Company spokesperson Jane Roe said no one had been warned.",
        "Roe added that the firm would pay for temporary housing.",
        "The Harbour Workers' Union said its members had raised concerns for months.",
        "The union said the warehouse was understaffed.",
        "Fire Chief Sam Okoro said the blaze was under control.",
        "Okoro told reporters the cause was not yet known.",
        "The union and Acme Chemicals will meet on Friday.",
    ]
    idx = find_parties(corpus)
    acme = _canon(idx, "Acme Chemicals")
    assert _canon(idx, "the company") == acme           # apposition: "Acme Chemicals, the company ..."
    assert _canon(idx, "Jane Roe") == acme              # "Company spokesperson Jane Roe"
    assert _canon(idx, "Roe") == acme                   # surname of a known speaker
    union = _canon(idx, "the union")
    assert union == "Harbour Workers' Union"            # a description and the one name it heads
    assert _canon(idx, "Okoro") == _canon(idx, "Sam Okoro") == "Sam Okoro"
    assert len({acme, union, _canon(idx, "Sam Okoro")}) == 3  # three parties, never one
    # the corpus's party names are what a sentence is attributed to, whichever alias it uses
    assert idx.party_of("The company said it regretted the loss of life.") == acme
    assert idx.mentioned("Roe and the union traded blame on Friday.") == {acme, union}


def test_a_speaker_named_with_a_possessive_role_speaks_for_the_possessor():
    idx = find_parties(["Harbour Logistics' operations director Sam Poe said the cranes were safe.",
                        "Poe said an inquiry would follow.", "Harbour Logistics said it would cooperate."])
    assert idx.canonical("Poe") == idx.canonical("Sam Poe") == idx.canonical("Harbour Logistics")


def test_a_name_after_a_description_or_spelled_by_an_acronym_is_the_known_party():
    idx = find_parties(["Union leader Maria Costa said members would strike again.",
                        "Costa said the offer was an insult.",
                        "The NDW said its members had voted for action.",
                        "The NDW said talks had failed.",
                        "Acme Chemicals said the offer was fair."])
    costa, ndw = idx.canonical("Maria Costa"), idx.canonical("NDW")
    assert idx.canonical("Firebrand union boss Maria Costa") == costa
    assert idx.canonical("Members of the National Dock Workers") == ndw
    # an unknown name stays its own party, and a known name inside it must end it
    assert idx.canonical("Harbour master Tom Reyes") == "Harbour master Tom Reyes"
    assert idx.canonical("Maria Costa Foundation") == "Maria Costa Foundation"
    assert idx.canonical("Acme Chemicals") not in (costa, ndw)


def test_a_person_who_chairs_or_speaks_for_a_body_is_that_body():
    idx = find_parties(["Sam Poe, who chairs the Kelby Residents' Group, said the council had been warned.",
                        "The Kelby Residents' Group said it would go to court.",
                        "Ann Vale, regional secretary of the Dock and Harbour Workers Union, said members were angry.",
                        "The Dock and Harbour Workers Union said it would ballot.",
                        "Kelby Council said it had acted properly."])
    assert idx.canonical("Sam Poe") == idx.canonical("Kelby Residents' Group")
    assert idx.canonical("Ann Vale") == idx.canonical("The Dock and Harbour Workers Union")
    assert idx.canonical("Kelby Council") not in (idx.canonical("Sam Poe"), idx.canonical("Ann Vale"))


def test_side_by_side_names_are_never_merged():
    # "X and Y" names two parties: a later alias cue between them is refused
    corpus = ["Costa and Roe met on Friday.", "Costa said the talks failed.", "Roe said the talks went well.",
              "Maria Costa said the union would strike.", "Jane Roe said the company would not move."]
    idx = find_parties(corpus)
    assert idx.canonical("Costa") != idx.canonical("Roe")
    assert not idx.merge("Maria Costa", "Jane Roe")


def test_sources_that_attribute_the_same_words_to_two_names_name_one_party():
    a = "The ministry said the evacuation order for the harbour district would stay in force until Sunday."
    b = "The Interior Ministry said the evacuation order for the harbour district would remain until Sunday."
    c = "The governor said the evacuation order for the harbour district would stay in force until Sunday."
    idx = find_parties([a, b, c], claims_alike=[(a, b)])
    assert idx.canonical("the ministry") == idx.canonical("Interior Ministry")
    assert idx.canonical("the governor") != idx.canonical("Interior Ministry")  # not linked: no pair given


def test_opposed_needs_a_party_on_each_side_of_a_contrast():
    corpus = ["The union said the site was unsafe.", "Acme said the site was safe.", "Police said the road was shut."]
    idx = find_parties(corpus)
    assert idx.opposed("The union blamed staffing, but Acme said the equipment failed.")
    assert idx.opposed("While the union blamed staffing, Acme pointed to a faulty valve.")
    assert not idx.opposed("The union and Acme met, but no agreement was reached.")  # both on one side
    assert not idx.opposed("Acme said the site was safe while speaking to reporters at the union hall.")  # a time
    assert not idx.opposed("Police closed the road, but traffic resumed by noon.")  # one party


def test_mentioned_parties_without_a_corpus_uses_the_sentence_itself():
    assert mentioned_parties("Acme Chemicals said the site was safe.") == {"Acme Chemicals"}
    assert mentioned_parties("The road was closed for hours.") == set()


@pytest.mark.parametrize("sentence,kind", [
    ("The two sides also made no mention of potential territorial concessions.", ClaimKind.absence),
    ("Trump and Putin agreed on a 30-day ceasefire but stopped short of a full truce.", ClaimKind.absence),
    ("The Kremlin\u2019s statement focused on cooperation, omitting any mention of Iran.", ClaimKind.absence),
    ("Putin insisted that all foreign military aid to Ukraine must stop.", ClaimKind.position),
    ("175 prisoners from each side will be exchanged on Wednesday.", ClaimKind.fact),
    ("The company\u2019s statement did not mention the contract workers on site.", ClaimKind.absence),
    ("The union demanded an independent inquiry into the blast.", ClaimKind.position),
    ("Three people were killed and 17 injured in the explosion.", ClaimKind.fact),
])
def test_kind(sentence, kind):
    assert claim_kind(sentence, find_holder(sentence)) == kind


def test_cue_lists_hold_no_story_phrases():
    # the cue lists are general news language: a seed story's own phrasing is not a cue
    from pipeline.text import attribution
    assert not attribution.CONTRAST.search("framed in broader and less conditional terms")
    assert not attribution.POSITION.search("remains firm on its plans for a key point")


def test_offline_claims_carry_one_name_per_party():
    """Through the extractor: two outlets attribute one near-identical sentence to two names."""
    from pipeline.claims.offline import extract_claims
    from pipeline.ingest.dedup import dedup
    from pipeline.ingest.load import load_documents
    from pipeline.ingest.segment import segment

    a = ("Water supplies will be cut off across the whole of the harbour district and the old town from noon on "
         "Friday until Sunday evening at the earliest while the burst main is replaced, the utility said. "
         "The utility said engineers were working through the night to replace the burst main.\n")
    b = ("Water supplies will be cut off across the whole of the harbour district and the old town from noon on "
         "Friday until Sunday evening at the earliest while the burst main is replaced, Aqualine said. "
         "Residents queued for bottled water at the leisure centre on Saturday morning.\n")
    docs = load_documents([a * 1, b * 1])
    docs = docs[0] if isinstance(docs, tuple) else docs
    sents = [s for d in docs for s in segment(d)]
    dd = dedup(docs, sents)
    assert any(p.dup == "near" for p in dd.passages)  # the two outlets' sentence is one passage
    claims = extract_claims(docs, sents, dd)
    holders = {c.holder for c in claims if c.holder}
    assert holders == {"Aqualine"}, [(c.statement[:40], c.holder) for c in claims]
