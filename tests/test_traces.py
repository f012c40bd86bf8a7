"""Nothing vanishes without a trace, and nothing floods the brief: a source no item cites is named in a
warning; a file that is one sentence repeated is skipped with a warning naming it; an item lists the same
words of a source once and at most a few spans of any source, the rest counted."""
import json
from pathlib import Path

from pipeline import make_brief
from pipeline.brief.assemble import SPANS_PER_SOURCE, cap_evidence
from pipeline.cli import main
from pipeline.ingest.repeats import repeated_sentence
from pipeline.models import Evidence

ROOT = Path(__file__).resolve().parents[1]
CRANE = "The harbour crane collapsed on Friday morning, injuring four dock workers. "
FILLER = " ".join(f"Line {k} of the shift log notes routine cargo work at berth {k}." for k in range(30))


def test_a_source_no_item_cites_is_named_in_a_warning():
    # the first text's one sentence (no figure, no speaker, told by no other source) is in no section; the brief
    # says so
    brief = make_brief([
        {"text": "Residents queued outside the council chamber before the budget meeting on Tuesday evening.",
         "outlet": "Town Crier"},
        "Councillors passed the budget 7-2 on Tuesday, and the mayor welcomed the vote.",
    ], engine="offline")
    assert not any("text-1" in s for i in brief.items() for s in i.sources)
    assert any(w.startswith("text-1: no item cites it") for w in brief.header.warnings)
    # every source cited: no such warning (the seeds)
    seeds = make_brief(ROOT / "seeds", engine="offline")
    assert not any("no item cites it" in w for w in seeds.header.warnings)


def test_a_file_of_one_repeated_sentence_is_skipped_with_a_warning(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    for p in (ROOT / "seeds").iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "loop.txt").write_text(CRANE * 20_000, encoding="utf-8")  # 1.5 MB on one line
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "--engine", "offline", "-q"]) == 0
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert "loop.txt" not in {s["name"] for s in brief["sources"]}
    assert any(w.startswith("loop.txt: one sentence repeated 20,000 times") for w in brief["header"]["warnings"])
    # a phrase repeated on one line, no sentence end at all: the same
    (folder / "loop.txt").write_text("harbour crane talks " * 300_000, encoding="utf-8")
    assert main(["run", str(folder), "--out", str(out), "--engine", "offline", "-q"]) == 0
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert any(w.startswith("loop.txt: one sentence repeated 300,000 times ('harbour crane talks')")
               for w in brief["header"]["warnings"]), brief["header"]["warnings"]
    assert (out / "brief.json").stat().st_size < 500_000


def test_repeats_within_an_article_are_its_own_business():
    assert repeated_sentence(CRANE * 40) == (CRANE.strip(), 40)
    assert repeated_sentence(CRANE * 8 + FILLER) is None  # an article with a refrain
    assert repeated_sentence(CRANE * 5) is None  # too short to judge
    for p in (ROOT / "seeds").glob("*.txt"):  # real articles, long ones too
        assert repeated_sentence(p.read_text(encoding="utf-8") * 1) is None


def test_an_item_lists_each_quote_of_a_source_once():
    dock = {"text": CRANE * 8 + FILLER, "outlet": "Dock Weekly"}
    coast = {"text": "The harbour crane collapsed on Friday morning, injuring four dock workers, the port authority "
                     "said. Inspectors arrived at noon.", "outlet": "Coast Daily"}
    brief = make_brief([dock, coast], engine="offline")
    crane = next(i for i in brief.items() if "crane collapsed" in i.statement)
    quotes = [(e.doc_id, e.quote) for e in crane.evidence]
    assert len(quotes) == len(set(quotes)) and crane.evidence_omitted == 7
    assert "7 more spans of the same sources not listed" in brief.to_markdown()
    assert "and 7 more spans of the same sources, not listed" in brief.to_html()


def test_cap_keeps_the_best_spans_of_each_source_in_order():
    def ev(doc, k):
        return Evidence(doc_id=doc, source=doc, start=k, end=k + 5, quote=f"quote {k}", raw_start=k, raw_end=k + 5)

    spans = [ev("a", k) for k in range(SPANS_PER_SOURCE + 2)] + [ev("b", 0), ev("b", 0)]
    kept, omitted = cap_evidence(spans)
    assert [(e.doc_id, e.start) for e in kept] == [("a", k) for k in range(SPANS_PER_SOURCE)] + [("b", 0)]
    assert omitted == 3
