"""The LLM path end to end, over real HTTP: the openai client against the scripted server on 127.0.0.1."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer, ScriptedResponder
from pipeline.cli import main
from pipeline.models import BriefError
from pipeline.run import run_pipeline
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def test_llm_brief_reask_and_cache(tmp_path):
    cache = tmp_path / "cache"
    # the first answer violates the schema: the client must ask again with the validation error
    responder = ScriptedResponder([{"claims": [{"statement": "no other fields"}]}], then=newsroom)
    with FakeOpenAIServer(responder) as server:
        first = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, concurrency=1,
                             llm_options={"retry_base_seconds": 0.01}, extract_with="model")
        sent = server.count
        second = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache, extract_with="model")
        assert server.count == sent  # nothing new went over the wire

    b = first.brief
    assert b.header.engine == "llm" and b.header.model == "m"
    assert set(b.header.prompt_versions) == {"extract_claims", "merge_sections"}
    u = b.header.usage
    assert u.reasks == 1 and u.calls == sent and u.prompt_tokens > 0 and u.completion_tokens > 0
    assert sent >= 6  # one call per chunk (>= one per seed) plus the merge, plus the re-ask
    texts = {s.id: s.text for s in b.sources}
    for section in ("agreements", "divergences", "unsaid"):
        assert getattr(b, section), section
    for item in b.items():
        assert item.sources and item.verified
        assert all(texts[e.doc_id][e.start:e.end] == e.quote for e in item.evidence)
    # the deterministic checks run on the LLM path too: the call-length conflict is found
    assert any(i.basis == "conflicting-figures" for i in b.divergences)

    u2 = second.brief.header.usage
    assert u2.calls == 0 and u2.cache_hits == sent - 1  # every logical call served from the cache
    assert [i.statement for i in second.brief.items()] == [i.statement for i in b.items()]


def test_ids_the_model_invents_are_never_evidence(tmp_path):
    def liar(request):
        out = newsroom(request)
        if "positions" in out:
            out["positions"].append({"ids": [99999], "holder": "nobody"})
        return out

    with FakeOpenAIServer(liar) as server:
        result = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=tmp_path, extract_with="model")
    assert any("not in its input" in w for w in result.brief.header.warnings)
    texts = {s.id: s.text for s in result.brief.sources}
    for item in result.brief.items():  # evidence comes from sentence offsets, never from the model
        assert item.evidence and all(texts[e.doc_id][e.start:e.end] == e.quote for e in item.evidence)


def test_cli_against_the_scripted_server_twice(tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        args = ["run", str(SEEDS), "--out", str(tmp_path / "b"), "--base-url", server.base_url, "--model", "m",
                "--cache-dir", str(tmp_path / "cache"), "-q"]
        assert main(args) == 0
        m1 = json.loads((tmp_path / "b" / "manifest.json").read_text())
        assert main(args) == 0
        m2 = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert m1["engine"] == "llm" and m1["usage"]["calls"] > 0 and m1["usage"]["prompt_tokens"] > 0
    # by default the rules label the sentences and the model only merges
    assert m1["calls"] and set(m1["prompt_versions"]) == {"merge_sections"}
    assert m1["merge"]["extract_with"] == "rules" and m1["merge"]["merge_batch"] == 10
    assert m2["usage"]["calls"] == 0 and m2["usage"]["cache_hits"] == m1["usage"]["calls"]


def test_unreachable_endpoint_fails_in_one_line(tmp_path):
    out = tmp_path / "b"
    assert main(["run", str(SEEDS), "--out", str(out), "-q"]) == 0
    before = (out / "brief.json").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(SEEDS), "--out", str(out),
                           "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--cache-dir", str(tmp_path / "c"),
                           "--timeout", "1", "--retries", "1"],
                          capture_output=True, text=True, env={"PATH": "", "HOME": str(tmp_path)}, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert (out / "brief.json").read_bytes() == before


def _prompt_tokens(request: dict) -> int:
    from pipeline.ingest.tokens import count_tokens

    return sum(count_tokens(m["content"]) + 4 for m in request["messages"]) + 3


HARBOR = ROOT / "evals" / "corpora" / "harbor-blast"


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR], ids=["seeds", "harbor-blast"])
def test_every_prompt_fits_the_context_and_no_claim_is_dropped(tmp_path, corpus):
    with FakeOpenAIServer(newsroom) as server:
        small = run_pipeline(corpus, base_url=server.base_url, model="m", cache_dir=tmp_path, context_tokens=1400,
                             llm_options={"structured_mode": "json_object"})  # the schema goes into the prompt
        requests = list(server.requests)
    assert max(map(_prompt_tokens, requests)) <= 1400
    merge = small.brief.header.merge
    assert merge["context_tokens"] == 1400 and merge["claims_dropped_for_budget"] == 0
    assert merge["claims_shown"] == merge["claims_in_clusters"]  # every member was listed to the model
    assert small.brief.items() and all(i.verified for i in small.brief.items())
    # a roomier context makes fewer calls of the same claims
    with FakeOpenAIServer(newsroom) as server:
        roomy = run_pipeline(corpus, base_url=server.base_url, model="m", cache_dir=tmp_path / "r")
    assert roomy.brief.header.usage.calls < small.brief.header.usage.calls
    assert roomy.brief.header.merge["claims_in_clusters"] == merge["claims_in_clusters"]


def test_a_context_too_small_for_the_instructions_is_one_clear_error(tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        with pytest.raises(BriefError, match="--context-tokens 300 cannot hold"):
            run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=tmp_path, context_tokens=300)


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR], ids=["seeds", "harbor-blast"])
def test_a_weak_model_falls_back_to_the_rules_item_by_item(tmp_path, corpus):
    from pipeline.ground.check import item_support
    from scripted_llm import weak

    with FakeOpenAIServer(weak) as server:
        bad = run_pipeline(corpus, base_url=server.base_url, model="m", cache_dir=tmp_path / "w").brief
    with FakeOpenAIServer(newsroom) as server:
        good = run_pipeline(corpus, base_url=server.base_url, model="m", cache_dir=tmp_path / "g").brief
    offline = run_pipeline(corpus, engine="offline").brief
    assert "green cheese" not in " ".join(i.statement for i in bad.items())
    origins = [i.origin for i in bad.items()]
    assert "rules" in origins and origins.count("rules") >= len(origins) // 2
    for item in bad.items():
        if item.origin == "rules" and item.basis != "conflicting-figures":
            assert any("rules" in c for c in item.checks), item  # the note says what fell back
    # the floor: a weak model's brief is as well grounded as the offline engine's, and no smaller
    texts = {s.id: s.text for s in bad.sources}
    for item in bad.items():
        assert item.verified and all(texts[e.doc_id][e.start:e.end] == e.quote for e in item.evidence)
        if item.basis != "conflicting-figures":  # a list of the differing values, not a statement to check
            assert any(sp.support.supported for sp in item_support(item)), item.statement
    # (a section the model fills past its limit is cut there, as the rules' would be)
    assert len(bad.items()) >= 0.8 * len(offline.items())
    # a model that answers well keeps its own statements and sections
    # (of the items it was asked about: a one-sentence, one-source cluster is settled without a call, and
    # the sections now hold more of those, no floor padding the agreements)
    asked = [i for i in good.items() if not any("nothing for the model to decide" in c for c in i.checks)]
    assert sum(i.origin == "model" for i in asked) > 0.6 * len(asked)


EVALDATA = ROOT.parent / "shared" / "evaldata"


@pytest.mark.skipif(not (EVALDATA / "summhay" / "topic_news1.json").is_file(),
                    reason="external eval data not found at ../shared/evaldata (SummHay topic 1)")
@pytest.mark.parametrize("profile", ["small", "full"])
def test_a_hundred_documents_fit_an_8k_context_and_lose_no_claim(tmp_path, profile):
    from pipeline.evals.datasets import load_dataset

    corpus, _gold = load_dataset("summhay", limit=1, root=EVALDATA)[0]
    records = [{"text": d.text, "name": d.name, "outlet": d.outlet} for d in corpus.documents]
    assert len(records) == 100
    with FakeOpenAIServer(newsroom) as server:
        result = run_pipeline(records, base_url=server.base_url, model="m", use_cache=False, context_tokens=8192,
                              concurrency=8, profile=profile)
        requests = list(server.requests)
    assert max(map(_prompt_tokens, requests)) <= 8192  # one merge prompt was 215,366 tokens before
    merge = result.brief.header.merge
    assert merge["profile"] == profile and merge["claims_dropped_for_budget"] == 0
    if profile == "small":
        assert merge["claims_shown"] == merge["claims_in_clusters"]
        assert merge["merge_calls"] >= 2
    else:
        # every sentence went to extraction (several documents a call), every atomic claim to a group, and
        # every group either to a write call or settled as the claim the model already wrote
        extraction = [r for r in requests if "atomic claims" in r["messages"][0]["content"]]
        sent = "\n".join(r["messages"][-1]["content"] for r in extraction)
        assert merge["sentences"] == len(re.findall(r"^\d+ ", sent, re.MULTILINE))
        assert len(extraction) == merge["extract_calls"] < len(records)  # documents are packed
        assert merge["claims_shown"] == merge["claims"] == merge["atomic_claims"]
        assert merge["write_calls"] >= 2
    assert result.brief.agreements


def test_a_merge_answer_off_the_schema_even_when_re_asked_leaves_the_rules_items(tmp_path):
    def sloppy(request):
        out = newsroom(request)
        if "items" in out:
            for item in out["items"]:
                del item["statement"]  # every time, re-asks included
        return out

    with FakeOpenAIServer(sloppy) as server:
        result = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=tmp_path,
                              llm_options={"retry_base_seconds": 0.01})
    b = result.brief
    assert b.items() and all(i.origin == "rules" for i in b.items())
    assert b.header.usage.reasks > 0 and b.header.merge["invalid_batches"]
    assert any("did not fit the schema after re-asks" in w for w in b.header.warnings)

