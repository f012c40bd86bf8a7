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


def fabricator(request: dict) -> dict:
    """The newsroom, plus an id it was never shown in every extraction answer, and a merge that states the
    invented claim for the first cluster it calls an agreement, citing that cluster's real sentences."""
    out = newsroom(request)
    if "items" in out:
        for item in out["items"]:
            if item["label"] == "agree":
                item["statement"] = INVENTED
                break
    else:
        out["positions"].append({"ids": [99999], "holder": "the outlet"})
    return out


def test_an_invented_claim_with_real_but_irrelevant_quotes_is_not_shown(tmp_path):
    with FakeOpenAIServer(fabricator) as server:
        result = run_pipeline(ARTICLES, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path / "c")
    brief = result.brief
    assert brief.agreements, "the real agreements are still there"
    assert not any("withdraw" in i.statement for i in brief.items())
    # the model's statement failed the support check against the sentences it cited: the rules' stands
    fell_back = [i for i in brief.items() if any("the model's was unsupported" in c for c in i.checks)]
    assert fell_back and all(i.origin == "rules" for i in fell_back)
    assert any("not in its input" in w for w in brief.header.warnings)  # the id it was never shown
    paths = save(result, tmp_path / "out")
    manifest = json.loads(paths["manifest.json"].read_text())
    assert manifest["origin"]["rules"] >= 1 and manifest["origin"]["model"] >= 1


def test_every_span_the_llm_path_keeps_supports_its_item(tmp_path):
    from pipeline.ground.check import item_support

    with FakeOpenAIServer(fabricator) as server:
        brief = run_pipeline(ARTICLES, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path).brief
    assert brief.items()
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

    def judged(request: dict):
        user = scripted_llm._user(request)
        if "<claim>" not in user:
            return fabricator(request)
        claim = _re.search(r"<claim>\n(.*?)\n</claim>", user, _re.DOTALL).group(1)
        asked.append(claim)
        assert request["max_tokens"] <= 2 and request["temperature"] == 0  # one short yes/no per pair
        # the judge rejects a statement the rules would let through: so it is the judge that decides
        return "no" if "twelve percent" in claim else "yes"

    with FakeOpenAIServer(judged) as server:
        result = run_pipeline(ARTICLES, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path, support="llm")
    brief = result.brief
    assert asked and any("twelve percent" in s for s in asked)
    assert "verify_support" in brief.header.prompt_versions
    assert not any("twelve percent" in i.statement for i in brief.items()) and brief.items()
    assert any("the model judged it unsupported" in d.reason for d in result.dropped_items)
    assert result.verifier["kind"] == "llm" and result.verifier["judge_calls"] == len(asked) > 0


def test_llm_support_without_an_endpoint_is_one_clear_error(monkeypatch):
    import pytest
    from pipeline.models import BriefError

    for var in ("OPENAI_BASE_URL", "BRIEF_MODEL", "OPENAI_API_KEY", "BRIEF_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(BriefError, match="needs an endpoint"):
        run_pipeline(ARTICLES, engine="offline", support="llm", config_file=None)


def test_the_reported_repro_on_the_seeds_an_invented_agreement_over_real_sentences(tmp_path):
    """The issue's run: a model invents a withdrawal and files it as a key agreement, citing real but
    unrelated sentences (quotes cannot be invented any more: the model cites sentence ids). It is not shown;
    the rules' item for that cluster stands, and says why."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    claim = "Putin agreed to withdraw from Crimea."

    def liar(request: dict) -> dict:
        out = newsroom(request)
        if "items" in out:
            for item in out["items"]:
                if item["label"] == "agree":
                    item["statement"] = claim
                    break
        else:
            out["positions"].append({"ids": [123456], "holder": "Kremlin"})
        return out

    with FakeOpenAIServer(liar) as server:
        result = run_pipeline(seeds, base_url=server.base_url, model="m", extract_with="model", cache_dir=tmp_path)
    assert not any("Crimea" in i.statement for i in result.brief.items())
    assert any("the model's was unsupported" in c for i in result.brief.items() for c in i.checks)
    assert any("not in its input" in w for w in result.brief.header.warnings)
