"""Endpoint quirks found by detection, not flags (llm/dialects.py), over real HTTP against the scripted server:
a reasoning model (no temperature, max_completion_tokens; a 400 naming a parameter is retried once without it)
and llama.cpp's server (found by GET /props or its model list: text mode, one cluster per merge call). The
manifest says what was found and adapted."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from pipeline.llm.dialects import is_reasoning, llamacpp_sign, rejected_parameter
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "seeds", ROOT / "evals" / "corpora" / "harbor-blast"]


def _run(server, corpus: Path, tmp_path: Path, *extra: str, model: str | None = None) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "llm.toml"
    config.write_text("retry_base_seconds = 0.01\nmax_tokens = 2000\n")
    out = tmp_path / "out"
    args = ["run", str(corpus), "--out", str(out), "--base-url", server.base_url, "--cache-dir", str(tmp_path / "c"),
            "--config", str(config), "-q", *extra] + (["--model", model] if model else [])
    assert main(args) == 0
    return json.loads((out / "manifest.json").read_text())


def _groups(body: dict) -> int:
    return len(re.findall(r"^\[G\d+\]", body["messages"][-1]["content"], re.MULTILINE))


@pytest.mark.parametrize("corpus", CORPORA, ids=["seeds", "harbor-blast"])
def test_a_reasoning_model_known_by_its_name_is_sent_what_it_takes(tmp_path, corpus):
    with FakeOpenAIServer(newsroom, dialect="reasoning", model="o3-mini") as server:
        manifest = _run(server, corpus, tmp_path, model="o3-mini")
        requests = list(server.requests)
    assert server.rejected_params == []  # adapted before the first call
    assert requests and all("temperature" not in r and "max_tokens" not in r for r in requests)
    assert all(r["max_completion_tokens"] == 2000 for r in requests)
    endpoint = manifest["endpoint"]
    assert endpoint["reasoning_model"] is True and any("reasoning model" in a for a in endpoint["adapted"])
    assert manifest["origin"]["model"] > 0 and manifest["usage"]["failed_attempts"] == 0


def test_a_reasoning_model_not_known_by_name_is_adapted_from_its_400s(tmp_path):
    with FakeOpenAIServer(newsroom, dialect="reasoning", model="house-reasoner") as server:
        manifest = _run(server, CORPORA[0], tmp_path, "--concurrency", "1", model="house-reasoner")
        requests = list(server.requests)
    # each refused once, then the request went again at once without it (no retry budget spent)
    assert server.rejected_params == ["temperature", "max_tokens"]
    assert all("temperature" not in r and "max_tokens" not in r for r in requests[2:])
    assert manifest["usage"]["failed_attempts"] == 2 and manifest["usage"]["retries"] == 0
    adapted = manifest["endpoint"]["adapted"]
    assert any(a.startswith("temperature left out: the server refused it (HTTP 400: Unsupported value") for a in adapted)
    assert any(a.startswith("max_tokens sent as max_completion_tokens") for a in adapted)
    assert manifest["origin"]["model"] > 0


def test_calls_refused_side_by_side_before_the_adaptation_are_all_sent_again(tmp_path):
    with FakeOpenAIServer(newsroom, dialect="reasoning", model="house-reasoner", latency=0.05) as server:
        manifest = _run(server, CORPORA[0], tmp_path, "--concurrency", "8", model="house-reasoner")
    assert manifest["degraded"] == [] and manifest["origin"]["model"] > 0
    assert server.rejected_params.count("temperature") >= 1 and len(manifest["endpoint"]["adapted"]) == 2


def test_a_400_naming_a_parameter_that_cannot_be_left_out_still_fails_at_once():
    assert rejected_parameter("Unsupported parameter: 'messages' is not supported", {"messages": []}) is None
    assert rejected_parameter("Unsupported value: 'temperature' does not support 0.0", {"model": "m"}) is None
    assert rejected_parameter("Unsupported value: 'temperature' does not support 0.0 with this model.",
                              {"temperature": 0.0}) == ("temperature", None)
    assert rejected_parameter("Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                              "'max_completion_tokens' instead.", {"max_tokens": 5}) == ("max_tokens",
                                                                                      "max_completion_tokens")
    assert is_reasoning("o1") and is_reasoning("o4-mini") and is_reasoning("gpt-5-mini") and is_reasoning("openai/o3")
    assert not is_reasoning("gpt-4o-mini") and not is_reasoning("qwen-local") and not is_reasoning("llama-3-o1x")


@pytest.mark.parametrize("corpus", CORPORA, ids=["seeds", "harbor-blast"])
def test_llamacpp_found_by_its_props_gets_text_mode_and_one_cluster_per_call(tmp_path, corpus):
    props = {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 1}
    with FakeOpenAIServer(newsroom, props=props, model="qwen-local") as server:  # takes json_schema too
        manifest = _run(server, corpus, tmp_path)
        requests = list(server.requests)
        assert "/props" in server.gets
    assert manifest["endpoint"]["server"] == "llama.cpp"
    assert any("GET /props" in a for a in manifest["endpoint"]["adapted"])
    assert manifest["structured_mode"] == "text" and all("response_format" not in r for r in requests)
    merges = [r for r in requests if "<groups>" in r["messages"][-1]["content"]]
    assert merges and all(_groups(r) == 1 for r in merges) and manifest["merge"]["merge_batch"] == 1


def test_a_server_that_is_not_llamacpp_keeps_the_defaults_and_flags_win(tmp_path):
    with FakeOpenAIServer(newsroom, model="gpt-4o-mini") as server:
        manifest = _run(server, CORPORA[0], tmp_path)
    assert manifest["endpoint"] == {"server": None, "reasoning_model": False, "adapted": []}
    assert manifest["structured_mode"] == "json_schema" and manifest["merge"]["merge_batch"] == 10
    props = {"default_generation_settings": {"n_ctx": 8192}}
    with FakeOpenAIServer(newsroom, props=props) as server:  # given flags are kept on llama.cpp too
        manifest = _run(server, CORPORA[0], tmp_path / "b", "--merge-batch", "3", "--structured-mode", "json_object")
    assert manifest["structured_mode"] == "json_object" and manifest["merge"]["merge_batch"] == 3


def test_llamacpp_signs():
    assert llamacpp_sign({"id": "m", "owned_by": "llamacpp"}, None)
    assert llamacpp_sign({"id": "m", "owned_by": "me", "permissions": []}, None)
    assert llamacpp_sign({}, {"default_generation_settings": {"n_ctx": 4096}})
    assert not llamacpp_sign({"id": "m", "owned_by": "openai"}, None) and not llamacpp_sign({}, "<html>")


@pytest.mark.parametrize("fault", ["drop", "truncated", "503"])
def test_a_fault_on_a_detection_request_does_not_change_the_runs_dialect(tmp_path, fault):
    # the model list and /props decide text mode and one cluster per call: a cut or dropped first reply of
    # each is retried like a chat call's, so the run is the fault-free one (not json_schema and 10 per call)
    from fault_proxy import FaultProxy

    seen: dict[str, int] = {}

    def first_get_spoiled(path: str, body):
        if body is not None:
            return None
        seen[path] = seen.get(path, 0) + 1
        return fault if seen[path] == 1 else None

    props = {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 1}
    with FakeOpenAIServer(newsroom, props=props, model="qwen-local") as server, \
            FaultProxy(server.base_url, always=first_get_spoiled) as proxy:
        manifest = _run(proxy, CORPORA[0], tmp_path)
        requests = list(server.requests)
    assert any(p.endswith("/props") for p in seen) and all(n >= 2 for n in seen.values())  # each spoiled, then asked again
    assert manifest["endpoint"]["server"] == "llama.cpp"
    assert manifest["structured_mode"] == "text" and all("response_format" not in r for r in requests)
    assert manifest["merge"]["merge_batch"] == 1
