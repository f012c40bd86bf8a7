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


def _at(doc: str, text: str, quote: str) -> Evidence:
    i = text.index(quote)
    return Evidence(doc_id=doc, source=f"{doc}.txt", start=i, end=i + len(quote), quote=quote, raw_start=i,
                    raw_end=i + len(quote))


def test_two_spans_of_one_source_are_judged_together_where_neither_alone_supports():
    text = ("Ferry traffic fell 12 percent in the second half, the port said. "
            "Passenger numbers dropped to 480,000 from 545,000 a year earlier.")
    a = _at("a", text, "Ferry traffic fell 12 percent in the second half, the port said.")
    b = _at("a", text, "Passenger numbers dropped to 480,000 from 545,000 a year earlier.")
    item = BriefItem(id="", section="single_source", statement="Ferry traffic fell 12 percent, to 480,000 passengers.",
                     sources=["a"], independent_sources=1, verified=True, evidence=[a, b])
    assert not span_support(item, a).support.supported and not span_support(item, b).support.supported
    g = ground_sections({"single_source": [item]}, lambda docs: len(set(docs)))
    [kept] = g.sections["single_source"]
    assert len(kept.evidence) == 2
    # the same two sentences in two sources are not one reader's: each is judged alone, and the item goes
    c = _at("c", text, "Passenger numbers dropped to 480,000 from 545,000 a year earlier.")
    apart = item.model_copy(update={"evidence": [a, c], "sources": ["a", "c"]})
    assert ground_sections({"single_source": [apart]}, lambda docs: len(set(docs))).sections["single_source"] == []
    # a figure neither span gives is still missing from their union
    wrong = item.model_copy(update={"statement": "Ferry traffic fell 15 percent, to 480,000 passengers."})
    assert ground_sections({"single_source": [wrong]}, lambda docs: len(set(docs))).sections["single_source"] == []


def test_a_span_is_read_with_the_name_its_source_gives_for_the_company():
    text = ("Harlow & Finch, the builders' merchant, will close 12 depots. Harlow & Finch is based in Calder. "
            "The company has not said how many drivers will lose their jobs.")
    quote = "The company has not said how many drivers will lose their jobs."
    item = BriefItem(id="", section="unsaid", statement="Harlow & Finch has not said how many drivers will lose their jobs.",
                     sources=["a"], independent_sources=1, verified=True, evidence=[_at("a", text, quote)])
    assert ground_sections({"unsaid": [item]}, lambda docs: 1).sections["unsaid"] == []  # the sentence alone
    assert ground_sections({"unsaid": [item]}, lambda docs: 1, texts={"a": text}).sections["unsaid"]
