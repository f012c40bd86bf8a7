"""What a reader is shown of an item: sides of a divergence, chips by outlet, reasons, plurals."""
import sys
from pathlib import Path

from pipeline import make_brief
from pipeline.brief.present import chips, plural, sides, why

sys.path.insert(0, str(Path(__file__).parent))
from reader_corpus import ARTICLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_plurals():
    assert [plural(1, "source"), plural(2, "source"), plural(1, "copy"), plural(3, "copy"), plural(2, "match"),
            plural(1200, "word")] == ["1 source", "2 sources", "1 copy", "3 copies", "2 matches", "1,200 words"]
    assert plural(2, "thing unsaid", "things unsaid") == "2 things unsaid"


def test_figure_sides_group_copies_as_one_voice():
    b = make_brief(ARTICLES)
    item = next(i for i in b.divergences if i.basis == "conflicting-figures" and len(i.variants) >= 2)
    sd = sides(b, item)
    assert [s.text for s in sd] == [v.value for v in item.variants]
    labels = " | ".join(s.label for s in sd)
    assert "Valley Courier (+ copy)" in labels and "River Post" not in labels


def test_quote_sides_need_two_named_holders():
    b = make_brief(ROOT / "seeds")
    two = [i for i in b.divergences if i.basis == "paired-contrast" and len(i.holders) >= 2]
    assert two
    for item in two:
        sd = sides(b, item)
        assert len(sd) >= 2 and {s.label for s in sd} == set(item.holders)  # each party its own side
        for s in sd:
            assert s.label.lower() in s.text.lower()
    # one party's position told by several outlets is one side, not several
    other = make_brief(ARTICLES)
    for item in other.divergences:
        if len(item.holders) < 2 and len(item.variants) < 2:
            assert sides(other, item) == []


def test_chips_and_reasons():
    b = make_brief(ARTICLES)
    a1 = b.agreements[0]
    groups = chips(b, a1.sources)
    assert len(groups) == a1.independent_sources
    assert [c.main.outlet for c in groups if c.copies] == ["Valley Courier"]
    assert why(b, a1) == f"{a1.independent_sources} independent sources report it"
    lone = a1.model_copy(update={"independent_sources": 1})
    assert why(b, lone) == "1 independent source reports it"
    single = next(i for i in b.single_source if i.basis == "single-source")
    assert why(b, single) == f"only {b.source(single.sources[0]).outlet} reports it"



def test_a_side_told_in_several_outlets_words_stays_under_its_holder():
    # court-closure's council side quotes the cabinet member, a spokesperson and the council's statement: it
    # names three holders but is headed by one, and the page shows it under that one, not under its outlets
    b = make_brief(ROOT / "evals" / "corpora" / "court-closure")
    item = next(d for d in b.divergences if d.kind == "position" and len(d.holders) > 2)
    assert [s.label for s in sides(b, item)] == [v.value.split(": ", 1)[0] for v in item.variants]
