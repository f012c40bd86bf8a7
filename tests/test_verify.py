from pipeline.models import Document
from pipeline.ground.align import Aligner, check_evidence, normalize

TEXT = ("Putin insisted that for \u201cmeaningful peace efforts\u201d to progress,  all foreign military aid\n"
        "to Ukraine must stop. The Kremlin\u2019s readout said 175 prisoners\u2014from each side\u2014would be freed.")


def doc(text=TEXT):
    return Document(id="d1", name="a.txt", sha256="x", format="txt", raw=text, text=text)


def test_exact_quote_is_found_and_copied_from_source():
    ev = Aligner(doc()).evidence("all foreign military aid")
    assert len(ev) == 1 and ev[0].match == "exact"
    # where it is, found independently of the aligner
    assert (ev[0].start, ev[0].end) == (TEXT.index("all foreign"), TEXT.index("\nto Ukraine"))
    assert ev[0].quote == "all foreign military aid"


def test_normalised_quote_maps_back_to_the_source_characters():
    # straight quotes, collapsed whitespace and hyphens instead of the source's curly quotes and em dashes
    q = 'for "meaningful peace efforts" to progress, all foreign military aid to Ukraine must stop'
    ev = Aligner(doc()).evidence(q)
    assert len(ev) == 1 and ev[0].match == "normalized"
    assert check_evidence(ev[0], TEXT)
    assert ev[0].quote.startswith("for \u201cmeaningful") and ev[0].quote.endswith("must stop")
    q2 = "The Kremlin's readout said 175 prisoners-from each side-would be freed"
    ev2 = Aligner(doc()).evidence(q2)
    assert ev2 and check_evidence(ev2[0], TEXT) and "\u2014" in ev2[0].quote


def test_invented_or_altered_quote_is_not_evidence():
    a = Aligner(doc())
    assert a.evidence("all foreign military aid to Russia must stop") == []
    assert a.evidence("said 157 prisoners would be freed") == []
    assert a.evidence("") == []


def test_ellipsis_quote_matches_piece_by_piece_in_order():
    a = Aligner(doc())
    ev = a.evidence("Putin insisted that for ... all foreign military aid")
    assert len(ev) == 2 and all(check_evidence(e, TEXT) for e in ev) and ev[0].end <= ev[1].start
    assert a.evidence("all foreign military aid ... Putin insisted that for") == []  # out of order


def test_raw_offsets_follow_the_offset_map():
    raw = "**Bold** text about 175 prisoners."
    text = "Bold text about 175 prisoners."
    d = Document(id="d", name="a.md", sha256="x", format="md", raw=raw, text=text,
                 offset_map=[(0, 2), (4, 8)])
    ev = Aligner(d).evidence("text about 175 prisoners")[0]
    assert raw[ev.raw_start:ev.raw_end] == "text about 175 prisoners"


def test_a_quote_too_short_to_be_specific_is_not_evidence():
    a = Aligner(doc())
    # each is in the text verbatim, and each is too short to support a statement on its own
    assert a.evidence("Putin") == [] and a.evidence("175 prisoners") == [] and a.evidence("The Kremlin’s readout") == []
    assert a.evidence("The Kremlin’s readout said")


def test_normalize_folds_quotes_dashes_case_and_space():
    assert normalize("\u201cHello\u201d \u2014  World") == '"hello" - world'
