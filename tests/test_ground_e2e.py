"""The ground stage end to end, on stories that are not the seeds: an invented claim with real but
irrelevant quotes never reaches the brief (LLM path, over real HTTP), and a warning and the manifest name it;
the offline engine keeps only the spans that support their item."""
from __future__ import annotations

import json

import scripted_llm
from fake_openai_server import FakeOpenAIServer
from pipeline.brief.write import save
from pipeline.run import run_pipeline
from scripted_llm import newsroom

# Three short reports of one invented event, each in its own words.
ARTICLES = [
    ("Coastal Wire: Fishing crews in the port of Ostvik blockaded the harbour on Thursday to protest new catch "
     "quotas. The regional council said the quotas cut the cod catch by twelve percent next season. "
     "About 40 trawlers took part in the blockade, the harbour master said. Council leader Mira Sand said the "
     "council would meet the crews' union on Monday. The union demanded that the quotas be suspended for a year."),
    ("Ostvik Daily: Around 40 trawlers blockaded Ostvik harbour on Thursday in protest at new catch quotas. "
     "The quotas cut the cod catch by twelve percent next season, according to the regional council. "
     "Council leader Mira Sand will meet the fishing crews' union on Monday. Ferries to the islands were "
     "delayed for several hours by the blockade."),
    ("North Sea Times: Fishing crews protesting new catch quotas blockaded the harbour in Ostvik on Thursday. "
     "The regional council said the cod catch would fall by twelve percent next season under the quotas. "
     "The crews' union demanded that the quotas be suspended for a year. Ferries to the islands were "
     "delayed for several hours."),
]
INVENTED = "The regional council agreed to withdraw from the Baltic fisheries treaty."


def _first_sentence(request: dict) -> str:
    doc = scripted_llm._DOC.search(scripted_llm._user(request)).group(2)
    return scripted_llm._sentences(doc)[0]


def fabricator(request: dict) -> dict:
    """The newsroom, plus one invented claim per document that cites a real, irrelevant sentence of it,
    and a merge that files the invented claims as a key agreement of every source."""
    out = newsroom(request)
    if "claims" in out:
        out["claims"].append({"statement": INVENTED, "holder": "the outlet", "kind": "reported_fact",
                              "evidence": [_first_sentence(request)], "numbers": [], "dates": []})
        out["claims"].append({"statement": INVENTED, "holder": "the outlet", "kind": "reported_fact",
                              "evidence": ["council", "agreed"], "numbers": [], "dates": []})
    else:
        ids = [cid for cid, _doc, _h, _k, text in scripted_llm._CLAIM.findall(scripted_llm._user(request))
               if "withdraw from the Baltic" in text]
        assert ids, "the invented claims reached the merge (their quotes are real sentences)"
        out["agreements"].insert(0, {"statement": INVENTED, "claim_ids": ids})
    return out


def test_an_invented_claim_with_real_but_irrelevant_quotes_is_not_shown(tmp_path):
    with FakeOpenAIServer(fabricator) as server:
        result = run_pipeline(ARTICLES, base_url=server.base_url, model="m", cache_dir=tmp_path / "c")
    brief = result.brief
    assert brief.agreements, "the real agreements are still there"
    assert not any("withdraw" in i.statement for i in brief.items())
    assert any("ground: dropped agreements item" in w and "withdraw from the Baltic" in w for w in brief.header.warnings)
    assert any("too short" in w or "no quote found" in w for w in brief.header.warnings)  # the one-word quotes
    dropped = [d for d in result.dropped_items if "withdraw" in d.statement]
    assert dropped and any(d.section == "agreements" for d in dropped) and all(d.reason for d in dropped)
    paths = save(result, tmp_path / "out")
    manifest = json.loads(paths["manifest.json"].read_text())
    assert any("withdraw from the Baltic" in d["statement"] for d in manifest["dropped_items"])


def test_every_span_the_llm_path_keeps_supports_its_item(tmp_path):
    from pipeline.ground.check import item_support

    with FakeOpenAIServer(fabricator) as server:
        brief = run_pipeline(ARTICLES, base_url=server.base_url, model="m", cache_dir=tmp_path).brief
    for item in brief.items():
        assert all(s.support.supported for s in item_support(item)), item.statement
        assert item.independent_sources == len({e.doc_id for e in item.evidence}) or item.variants


def test_offline_agreement_counts_only_sources_that_support_it():
    brief = run_pipeline(ARTICLES, engine="offline").brief
    from pipeline.ground.check import item_support

    assert brief.agreements
    for item in brief.items():
        spans = item_support(item)
        assert spans and all(s.support.supported for s in spans), item.statement
    # the twelve percent cut is told by all three reports: an agreement of three sources
    cut = [i for i in brief.agreements if "twelve percent" in i.statement]
    assert cut and cut[0].independent_sources == 3


def test_a_source_that_tells_another_figure_is_not_counted_as_agreeing():
    changed = [ARTICLES[0], ARTICLES[1].replace("twelve percent", "twenty percent"), ARTICLES[2]]
    brief = run_pipeline(changed, engine="offline").brief
    for item in brief.agreements:
        if "twelve percent" in item.statement:
            assert all("twenty" not in e.quote for e in item.evidence)
            assert item.independent_sources <= 2


def test_the_llm_support_judge_decides_when_asked(tmp_path):
    import re as _re

    asked = []

    def judged(request: dict) -> dict:
        user = scripted_llm._user(request)
        if "<statement>" not in user:
            return fabricator(request)
        statement = _re.search(r"<statement>\n(.*?)\n</statement>", user, _re.DOTALL).group(1)
        asked.append(statement)
        invented = "withdraw" in statement
        return {"supported": not invented, "reason": "the quote says nothing of a withdrawal" if invented else "same fact"}

    with FakeOpenAIServer(judged) as server:
        result = run_pipeline(ARTICLES, base_url=server.base_url, model="m", cache_dir=tmp_path, support="llm")
    brief = result.brief
    assert asked and any("withdraw" in s for s in asked)
    assert "judge_support" in brief.header.prompt_versions
    assert not any("withdraw" in i.statement for i in brief.items()) and brief.agreements
    assert any("judge: the quote says nothing of a withdrawal" in d.reason for d in result.dropped_items)


def test_llm_support_without_an_endpoint_is_one_clear_error(monkeypatch):
    import pytest
    from pipeline.models import BriefError

    for var in ("OPENAI_BASE_URL", "BRIEF_MODEL", "OPENAI_API_KEY", "BRIEF_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(BriefError, match="--support llm needs an endpoint"):
        run_pipeline(ARTICLES, engine="offline", support="llm", config_file=None)


def test_the_reported_repro_on_the_seeds_one_word_quotes_and_irrelevant_ones(tmp_path):
    """The issue's run: a model invents a withdrawal, quoting single words, then real but unrelated
    sentences, and files it as a key agreement. Neither version is shown; a warning names it."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    claim = "Putin agreed to withdraw from Crimea."

    def liar(request: dict) -> dict:
        out = newsroom(request)
        if "claims" in out:
            out["claims"].append({"statement": claim, "holder": "Kremlin", "kind": "reported_fact",
                                  "evidence": ["Putin", "agreed"], "numbers": [], "dates": []})
            out["claims"].append({"statement": claim, "holder": "Kremlin", "kind": "reported_fact",
                                  "evidence": [_first_sentence(request)], "numbers": [], "dates": []})
        else:
            ids = [c[0] for c in scripted_llm._CLAIM.findall(scripted_llm._user(request)) if "Crimea" in c[4]]
            out["agreements"].insert(0, {"statement": claim, "claim_ids": ids})
        return out

    with FakeOpenAIServer(liar) as server:
        result = run_pipeline(seeds, base_url=server.base_url, model="m", cache_dir=tmp_path)
    assert not any("Crimea" in i.statement for i in result.brief.items())
    assert any("Crimea" in w and "ground: dropped" in w for w in result.brief.header.warnings)
