import pytest

from pipeline.text.attribution import claim_kind, find_holder
from pipeline.models import ClaimKind


@pytest.mark.parametrize("sentence,holder", [
    ("According to the Kremlin\u2019s readout, Putin expressed support for the proposal.", "Kremlin"),
    ('"These negotiations will begin immediately in the Middle East," said the White House readout.', "White House"),
    ("\u201cIt is time for Russia to show whether it really wants peace,\u201d Sybiga said.", "Sybiga"),
    ("Notably, Washington\u2019s summary omitted Putin\u2019s demands regarding aid.", "White House"),
    ("Putin insisted that all foreign military aid to Ukraine must stop.", "Putin"),
    ("The two leaders also touched on maritime security in the Black Sea.", None),
])
def test_holder(sentence, holder):
    assert find_holder(sentence) == holder


@pytest.mark.parametrize("sentence,kind", [
    ("The two sides also made no mention of potential territorial concessions.", ClaimKind.absence),
    ("Trump and Putin agreed on a 30-day ceasefire but stopped short of a full truce.", ClaimKind.absence),
    ("The Kremlin\u2019s statement focused on cooperation, omitting any mention of Iran.", ClaimKind.absence),
    ("Putin insisted that all foreign military aid to Ukraine must stop.", ClaimKind.position),
    ("175 prisoners from each side will be exchanged on Wednesday.", ClaimKind.fact),
])
def test_kind(sentence, kind):
    assert claim_kind(sentence, find_holder(sentence)) == kind
