"""A position divergence's sides as every outlet tells them: the same party's charge, or the charged body's
defence, in another outlet's words joins that side (sources and sentence), and a sentence about the holder
that states no position does not (any story)."""
from __future__ import annotations

from pipeline.run import make_brief
from story_docs import story_docs as _docs

LIBRARY = {
    "wire.txt": ["Kelby County Council voted in June to close Ashgrove Library at the end of the year.",
                 "Ann Vale, who chairs Friends of Ashgrove and whose 80-year-old father reads there daily, said readers had "
                 "been shut out of the process from the start.",
                 "The council's cabinet member for culture, Councillor Tom Hart, said the authority had carried out "
                 "\"a thorough ten-week consultation\" and written to every library member."],
    "gazette.html": ["Ashgrove Library will close at the end of the year after a council vote in June.",
                     "\"They never consulted us,\" said Ann Vale, chair of the Friends of Ashgrove campaign.",
                     "Ann Vale, 61, whose 80-year-old father reads there daily, led the fight with the Friends of Ashgrove campaign."],
    "bulletin.md": ["Kelby County Council will shut Ashgrove Library when the year ends.",
                    "In a statement, Kelby County Council said it had run \"an extensive consultation lasting two "
                    "months\" and had acted within the law throughout.",
                    "The library lends about 40,000 books a year."],
}


def _vale_side(brief):
    for d in brief.divergences:
        for v in d.variants:
            if v.value.startswith("Ann Vale"):
                return d, v
    raise AssertionError([d.statement for d in brief.divergences])


def test_each_side_gathers_the_outlets_that_tell_it_in_other_words():
    brief = make_brief(_docs(LIBRARY), engine="offline")
    d, vale = _vale_side(brief)
    names = {s.id: s.name for s in brief.sources}
    council = next(v for v in d.variants if v is not vale)
    assert "gazette" in " ".join(names[s] for s in vale.sources).lower(), vale
    assert "They never consulted us" in vale.value, vale.value
    assert "bulletin" in " ".join(names[s] for s in council.sources).lower(), council
    assert "extensive consultation" in council.value, council.value


def test_a_sentence_about_the_holder_that_takes_no_position_stays_off_the_side():
    brief = make_brief(_docs(LIBRARY), engine="offline")
    d, vale = _vale_side(brief)
    assert "led the fight" not in vale.value
    assert not any("led the fight" in e.quote for e in d.evidence), [e.quote for e in d.evidence]
