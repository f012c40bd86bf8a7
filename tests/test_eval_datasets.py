"""Adapters for the external corpora (skipped when ../shared/evaldata is absent) and the sentence splitter."""
from __future__ import annotations

import io
import json

import pytest

from pipeline.verify import get_verifier
from test_eval_cli import needs_engine
from test_eval_metrics import brief_of

from pipeline.evals import cli
from pipeline.evals.datasets import evaldata_dir, load_dataset, sentences
from pipeline.evals.scoring import score_corpus

DATA = evaldata_dir(required=False)
needs_data = pytest.mark.skipif(DATA is None, reason="external eval data (../shared/evaldata or $BRIEF_EVALDATA) absent")


def test_sentences_keep_abbreviations_and_quotes():
    text = ('President Joe Biden defended the U.S. withdrawal on Tuesday, saying "It was designed." '
            "Sen. Ted Cruz disagreed. The last plane left at 11 p.m. Monday.")
    assert sentences(text) == ['President Joe Biden defended the U.S. withdrawal on Tuesday, saying "It was designed."',
                               "Sen. Ted Cruz disagreed.", "The last plane left at 11 p.m. Monday."]


@needs_data
def test_allsides_slice():
    stories = load_dataset("allsides", limit=3)
    assert len(stories) == 3
    corpus, gold = stories[0]
    assert corpus.id == gold.corpus == "allsides-5740"
    assert [d.outlet for d in corpus.documents] == ["ABC News (Online)", "Wall Street Journal (News)",
                                                    "New York Post (News)"]
    assert corpus.documents[0].title.startswith("Biden defends Afghanistan withdrawal")
    assert all(r["text"] and r["name"] for r in corpus.records())
    sections = [f.section for f in gold.facts]
    assert sections[0] == "agreements" and sections[-1] == "divergences"
    assert gold.facts[0].text.startswith("President Joe Biden defended his decision")
    assert [f.id for f in gold.facts if f.section == "divergences"] == ["D1", "D2", "D3"]


@needs_data
def test_summhay_slice_counts_insights_in_two_documents():
    (corpus, gold), = load_dataset("summhay", limit=1, max_docs=6)
    assert len(corpus.documents) == 6 and corpus.documents[0].outlet == "independent.co.uk"
    topic = json.loads((DATA / "summhay/topic_news1.json").read_text())
    count: dict[str, int] = {}
    for d in topic["documents"][:6]:
        for i in set(d["insights_included"]):
            count[i] = count.get(i, 0) + 1
    assert {f.id for f in gold.facts} == {i for i, c in count.items() if c >= 2}
    assert {f.section for f in gold.facts} == {"agreements"}


@needs_data
def test_dataset_scoring_uses_make_brief():
    corpus, gold = load_dataset("allsides", limit=1)[0]
    seen = {}

    def fake_make(texts, **kw):
        seen.update(kw, n=len(texts))
        return brief_of([("a1", "agreements", gold.facts[0].text)], source=gold.facts[0].text)

    cs = score_corpus(corpus, gold, cli.VerifierMatcher(get_verifier("rules")), fake_make, engine="offline")
    assert seen == {"engine": "offline", "n": 3}
    assert cs.outcomes["A1"] == "hit" and cs.metrics["recall"] > 0


@needs_data
@needs_engine
def test_cli_dataset_prints_mean(tmp_path):
    out = io.StringIO()  # the real offline engine: two short stories take well under a second
    args = cli.score_parser().parse_args(["--dataset", "allsides", "--limit", "2", "--report", str(tmp_path)])
    assert cli.cmd_score(args, out) == 0
    assert "allsides split=all: 2 stories, engine=offline, matcher=verify:" in out.getvalue()
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["stories"] == 2 and set(data["mean"]) >= {"recall", "recall_agreements", "recall_divergences"}
