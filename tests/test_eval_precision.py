"""Precision metrics on hand-built briefs about a non-seed story: wrong evidence is caught and counted."""
from __future__ import annotations

from pipeline.evals.gold import GoldFact, GoldSet
from pipeline.evals.match import OfflineMatcher
from pipeline.evals.metrics import score_brief
from pipeline.evals.precision import item_rows
from pipeline.models import Brief, BriefHeader, BriefItem, Evidence, SourceInfo

HARBOUR = ("The port authority of Lindqvist said on Monday that dock workers will strike for three days next week. "
           "The union wants a wage rise of eight percent for its 1,200 members. "
           "The authority did not offer a new contract before the deadline. "
           "Ferries to the northern islands will keep running during the strike, the authority said.")
ORCHESTRA = ("The Maren Philharmonic cancelled its spring tour of four cities after its conductor fell ill. "
             "Ticket holders will get a full refund within thirty days.")

STATEMENTS = [
    ("agreements", "Dock workers at the port of Lindqvist will strike for three days next week.", 0),
    ("agreements", "The union is seeking an eight percent wage rise for its 1,200 members.", 1),
    ("unsaid", "The port authority did not offer a new contract before the deadline.", 2),
    ("agreements", "Ferries to the northern islands will keep running during the strike.", 3),
]


def sentences(text: str) -> list[str]:
    return [s if s.endswith(".") else s + "." for s in text.split(". ")]


def ev(doc_id: str, name: str, text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(doc_id=doc_id, source=name, start=start, end=start + len(quote), quote=quote,
                    raw_start=start, raw_end=start + len(quote))


def brief(quotes=None, sections=None) -> Brief:
    """The four items, each citing its own sentence of the harbour article unless `quotes` says otherwise."""
    sents = sentences(HARBOUR)
    by = {"agreements": [], "divergences": [], "unsaid": []}
    for k, (section, statement, i) in enumerate(STATEMENTS):
        section = (sections or {}).get(k, section)
        doc, name, text, quote = (quotes or {}).get(k, ("h", "harbour.txt", HARBOUR, sents[i]))
        by[section].append(BriefItem(id=f"{section[0].upper()}{k + 1}", section=section, statement=statement,
                                     sources=[doc], independent_sources=1, evidence=[ev(doc, name, text, quote)],
                                     verified=True))
    header = BriefHeader(title="t", engine="offline", engine_note="", created_at="2025-01-01T00:00:00+00:00",
                         briefsmith_version="test")
    srcs = [SourceInfo(id="h", n=1, name="harbour.txt", sha256="0" * 64, syndication_group=0, text=HARBOUR),
            SourceInfo(id="o", n=2, name="orchestra.txt", sha256="1" * 64, syndication_group=1, text=ORCHESTRA)]
    return Brief(header=header, sources=srcs, **by)


GOLD = GoldSet(corpus="harbour", facts=[
    GoldFact(id="A1", section="agreements", text="Dock workers will strike for three days next week."),
    GoldFact(id="U1", section="unsaid", text="No new contract was offered before the deadline."),
])


def score(b: Brief):
    return score_brief(b, GOLD, OfflineMatcher())


def test_right_evidence_scores_full_precision():
    s = score(brief())
    assert s.citation_precision == 1.0 and s.citation_recall == 1.0 and s.unsupported_items == []
    assert all(r.supported and r.support == 1.0 and not r.unsupported_evidence for r in s.items)


def test_shuffled_evidence_is_caught():
    sents = sentences(HARBOUR)
    order = [1, 2, 3, 0]  # every item gets another item's sentence
    s = score(brief(quotes={k: ("h", "harbour.txt", HARBOUR, sents[order[k]]) for k in range(4)}))
    assert s.citation_precision == 0.0 and len(s.unsupported_items) == 4
    assert all(not r.supported and r.unsupported_evidence[0].reason for r in s.items)


def test_each_kind_of_wrong_evidence_has_its_reason():
    wrong = {
        0: ("h", "harbour.txt", HARBOUR, "Lindqvist"),  # one word
        1: ("h", "harbour.txt", HARBOUR, "The union wants a wage rise"),  # no figure: 8, 1,200 missing
        3: ("o", "orchestra.txt", ORCHESTRA, sentences(ORCHESTRA)[0]),  # an unrelated article
    }
    rows = {r.id: r for r in item_rows(brief(quotes=wrong))}
    assert "quote too short (1 word)" in rows["A1"].unsupported_evidence[0].reason
    assert "figure" in rows["A2"].unsupported_evidence[0].reason
    assert not rows["A4"].supported
    assert rows["U3"].supported  # the one left alone


def test_changed_number_and_inserted_negation_in_the_statement():
    b = brief()
    b.agreements[0].statement = "Dock workers at the port of Lindqvist will strike for five days next week."
    b.agreements[2].statement = "Ferries to the northern islands will not keep running during the strike."
    rows = {r.id: r for r in item_rows(b)}
    assert "figure" in rows["A1"].unsupported_evidence[0].reason
    assert "negation" in rows["A4"].unsupported_evidence[0].reason


def test_section_precision_and_redundancy():
    s = score(brief(sections={2: "agreements"}))  # the unsaid fact filed under agreements
    assert s.section_precision == 0.5
    b = brief()
    b.unsaid.append(b.agreements[0].model_copy(update={"id": "U9", "section": "unsaid"}))
    assert score(b).redundancy == 0.2 and score(brief()).redundancy == 0.0



def test_citation_precision_is_judged_by_the_verifier_the_eval_runs():
    """One verifier for every stage and the eval: a fair paraphrase the embedding verifier accepts (and a run
    with it keeps) is a supported citation under `--verifier embed`, and an unsupported one under the rules."""
    from pipeline.evals.match import VerifierMatcher
    from pipeline.verify import get_verifier

    text = ("The port authority said on Monday that the dock workers will strike next week. "
            "Boats to the northern islands will still sail while the dock workers are out, the authority said.")
    quote = "Boats to the northern islands will still sail while the dock workers are out, the authority said."
    item = BriefItem(id="A1", section="agreements", sources=["h"], independent_sources=1, verified=True,
                     statement="The ferries to the northern islands will keep running during the strike.",
                     evidence=[ev("h", "harbour.txt", text, quote)])
    header = BriefHeader(title="t", engine="offline", engine_note="", created_at="2025-01-01T00:00:00+00:00",
                         briefsmith_version="test")
    b = Brief(header=header, agreements=[item], divergences=[], unsaid=[],
              sources=[SourceInfo(id="h", n=1, name="harbour.txt", sha256="0" * 64, syndication_group=0, text=text)])
    embed = score_brief(b, GOLD, VerifierMatcher(get_verifier("embed")))
    assert embed.citation_precision == 1.0 and embed.unsupported_items == []
    rules = score_brief(b, GOLD, VerifierMatcher(get_verifier("rules")))
    assert rules.citation_precision == 0.0 and "key words missing" in rules.unsupported_items[0].problem


def test_outlets_credited_counts_each_outlet_the_gold_says_states_an_agreed_fact():
    """An agreed fact three outlets state, shown crediting two, gives 2 of 3; a fact no item states gives none of
    its outlets; a fact whose outlets the gold does not list is not counted."""
    line = "Dock workers will strike for three days next week."
    texts = {"h": line + " The union wants more pay.", "o": "Next week " + line[0].lower() + line[1:],
             "x": line + " Ferries will still run."}
    names = {"h": "harbour.txt", "o": "orchestra.txt", "x": "third.txt"}
    srcs = [SourceInfo(id=d, n=k + 1, name=names[d], sha256=str(k) * 64, syndication_group=k, text=t)
            for k, (d, t) in enumerate(texts.items())]
    item = BriefItem(id="A1", section="agreements", statement=line, sources=["h", "o"], independent_sources=2,
                     verified=True, evidence=[ev("h", "harbour.txt", texts["h"], line)])
    header = BriefHeader(title="t", engine="offline", engine_note="", created_at="2025-01-01T00:00:00+00:00",
                         briefsmith_version="test")
    b = Brief(header=header, sources=srcs, agreements=[item], divergences=[], unsaid=[])
    gold = GoldSet(corpus="harbour", facts=[
        GoldFact(id="A1", section="agreements", text="Dock workers will strike for three days next week.",
                 sources=["harbour.txt", "orchestra.txt", "third.txt"]),
        GoldFact(id="A2", section="agreements", text="The orchestra cancelled its spring tour of four cities.",
                 sources=["orchestra.txt", "third.txt"]),
        GoldFact(id="A3", section="agreements", text="Ferries will still run during the strike."),
    ])
    s = score_brief(b, gold, OfflineMatcher())
    assert {f.id: f.outcome for f in s.facts}["A2"] == "miss"
    assert s.outlets_credited == round(2 / 5, 4)
    everyone = b.model_copy(update={"agreements": [item.model_copy(update={"sources": ["h", "o", "x"]})]})
    assert score_brief(everyone, gold, OfflineMatcher()).outlets_credited == round(3 / 5, 4)
