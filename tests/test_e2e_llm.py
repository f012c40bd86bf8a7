"""The LLM path end to end, over real HTTP: the openai client against the scripted server on 127.0.0.1."""
import json
import subprocess
import sys
from pathlib import Path


from fake_openai_server import FakeOpenAIServer, ScriptedResponder
from pipeline.cli import main
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
                             llm_options={"retry_base_seconds": 0.01})
        sent = server.count
        second = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=cache)
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


def test_quotes_the_model_invents_are_never_evidence(tmp_path):
    def liar(request):
        out = newsroom(request)
        if "claims" in out:
            out["claims"].append({"statement": "Putin agreed to withdraw from Crimea.", "holder": "Kremlin",
                                  "kind": "reported_fact", "evidence": ["Putin agreed to withdraw from Crimea"],
                                  "numbers": [], "dates": []})
        return out

    with FakeOpenAIServer(liar) as server:
        result = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=tmp_path)
    assert not any("Crimea" in i.statement for i in result.brief.items())
    assert any("no quote found" in w for w in result.brief.header.warnings)


def test_cli_against_the_scripted_server_twice(tmp_path):
    with FakeOpenAIServer(newsroom) as server:
        args = ["run", str(SEEDS), "--out", str(tmp_path / "b"), "--base-url", server.base_url, "--model", "m",
                "--cache-dir", str(tmp_path / "cache"), "-q"]
        assert main(args) == 0
        m1 = json.loads((tmp_path / "b" / "manifest.json").read_text())
        assert main(args) == 0
        m2 = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert m1["engine"] == "llm" and m1["usage"]["calls"] > 0 and m1["usage"]["prompt_tokens"] > 0
    assert m1["calls"] and m1["prompt_versions"]["extract_claims"].startswith("extract_claims@")
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


def test_a_merge_too_big_for_the_context_goes_in_as_groups_of_the_same_fact(tmp_path, monkeypatch):
    import pipeline.sections.llm as engine
    from pipeline.ingest.tokens import count_tokens

    monkeypatch.setattr(engine, "MERGE_BUDGET", 600)
    with FakeOpenAIServer(newsroom) as server:
        result = run_pipeline(SEEDS, base_url=server.base_url, model="m", cache_dir=tmp_path)
        merge_request = server.requests[-1]["messages"][1]["content"]
    claims = merge_request.split("<claims>\n")[1].split("\n</claims>")[0]
    assert count_tokens(claims) <= 600
    assert any(",S" in line.split(" holder=")[0] for line in claims.splitlines())  # a line told by several sources
    assert any("groups of the same fact" in w and "left out" in w for w in result.brief.header.warnings)
    items = result.brief.items()
    assert items and all(i.verified for i in items)
    # the model cites a group's label; the brief cites every member of the group
    assert any(len(i.sources) >= 2 for i in result.brief.agreements)
