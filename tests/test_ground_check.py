"""The ground stage on hand-built items (any topic): a divergence's span must state its own side, a
paired item keeps the span of each half, an item no span supports is dropped and named."""
from pipeline.ground.check import ground_sections, span_support
from pipeline.models import BriefItem, Evidence, Variant


def ev(doc: str, quote: str) -> Evidence:
    return Evidence(doc_id=doc, source=f"{doc}.txt", start=0, end=len(quote), quote=quote, raw_start=0,
                    raw_end=len(quote))


def divergence(*spans: Evidence) -> BriefItem:
    return BriefItem(id="", section="divergences", statement="Sources differ on how many boats joined the blockade.",
                     sources=[e.doc_id for e in spans], independent_sources=len(spans), evidence=list(spans),
                     verified=True, basis="conflicting-figures",
                     variants=[Variant(value='"40 trawlers"', sources=["a"]), Variant(value='"60 trawlers"', sources=["b"]),
                               Variant(value='"more than a month"', sources=["c"])])


def test_a_side_is_supported_by_its_own_figure_or_words_only():
    good_a = ev("a", "About 40 trawlers took part in the blockade on Thursday.")
    good_c = ev("c", "The dispute has gone on for more than a month, the union said.")
    swapped = ev("b", "About 40 trawlers took part in the blockade on Thursday.")  # b's side is 60
    item = divergence(good_a, swapped, good_c)
    assert span_support(item, good_a).support.supported and span_support(item, good_c).support.supported
    r = span_support(item, swapped).support
    assert not r.supported and "60 trawlers" in r.reason


def test_ground_sections_drops_spans_then_items_and_recounts_sources():
    harbour = BriefItem(id="", section="agreements", statement="The harbour will reopen to ferries on Friday morning.",
                        sources=["a", "b", "c"], independent_sources=3, verified=True,
                        evidence=[ev("a", "The harbour will reopen to ferries on Friday morning, officials said."),
                                  ev("b", "Ferries will use the harbour again from Friday morning."),
                                  ev("c", "The council approved a new budget for road repairs.")])
    invented = BriefItem(id="", section="agreements", statement="The council agreed to sell the harbour to a private fund.",
                         sources=["a", "c"], independent_sources=2, verified=True,
                         evidence=[ev("a", "The harbour will reopen to ferries on Friday morning, officials said."),
                                   ev("c", "The council approved a new budget for road repairs.")])
    g = ground_sections({"agreements": [harbour, invented]}, lambda docs: len(set(docs)))
    [kept] = g.sections["agreements"]
    assert [e.doc_id for e in kept.evidence] == ["a", "b"] and kept.sources == ["a", "b"] and kept.independent_sources == 2
    [dropped] = g.dropped
    assert dropped.statement == invented.statement and dropped.section == "agreements" and dropped.reason
    assert any("sell the harbour" in w for w in g.warnings) and g.dropped_evidence == 3


def test_a_divergence_left_with_one_side_is_dropped():
    only_a = divergence(ev("a", "About 40 trawlers took part in the blockade on Thursday."),
                        ev("b", "The weather at sea was calm for most of the week."))
    g = ground_sections({"divergences": [only_a]}, lambda docs: len(set(docs)))
    assert g.sections["divergences"] == [] and g.dropped
