"""Structured-output modes and what the server says about itself (model name, context window), against
the scripted server over real HTTP: a llama.cpp-like server gets the grammar mode, a server swapped to
another model gets a cold cache, the brief names the served model."""
import json
import socket

import pytest
from fake_openai_server import FakeOpenAIServer

from pipeline.llm import LLMClient, LLMConfig, LLMError
from pipeline.llm.prompts import load_prompt
from pipeline.llm.replies import JudgeVerdict
from pipeline.llm.served import DEFAULT_CONTEXT_TOKENS, context_window
from pipeline.llm.strict import strict_schema

JUDGE = load_prompt("judge_fact")


def judge_vars(fact="The bridge opened in May."):
    return {"fact": fact, "section": "agreements", "items": "[a1] (agreements) The bridge opened in spring."}


def make_client(server, tmp_path, **overrides):
    settings = dict(base_url=server.base_url, model=None, cache_dir=tmp_path / "cache", retry_base_seconds=0.01,
                    timeout=5)
    settings.update(overrides)
    return LLMClient(LLMConfig(**settings))


def formats(server):
    return [r["response_format"] for r in server.requests]


# --- auto mode: json_schema, then json_object + schema (grammar), then plain json_object -----------------

def test_a_llamacpp_like_server_gets_json_object_with_the_schema_not_plain_json_mode(tmp_path):
    with FakeOpenAIServer(dialect="llamacpp") as server:
        client = make_client(server, tmp_path)
        client.structured(JUDGE, judge_vars("one"), JudgeVerdict, label="f1")
        client.structured(JUDGE, judge_vars("two"), JudgeVerdict, label="f2")
    first, *rest = formats(server)
    assert first["type"] == "json_schema"  # refused with llama-cpp-python's HTTP 500 ...
    assert server.faults_served == ["ok"] * 3
    # ... then the grammar for every later request, never json_schema again
    assert rest == [{"type": "json_object", "schema": strict_schema(JudgeVerdict)}] * 2
    assert client.mode == "llamacpp"
    [warning] = client.warnings
    assert "json_schema" in warning and "HTTP 500" in warning and "Input should be 'text' or 'json_object'" in warning
    assert "json_object + schema" in warning and "\n" not in warning
    u = client.usage
    assert (u.calls, u.failed_attempts, u.retries) == (3, 1, 0)  # the refusal is not retried as a 500 fault
    assert u.structured_mode == "llamacpp" and u.answers_by_mode == {"llamacpp": 2}
    assert [r.mode for r in client.records] == ["llamacpp", "llamacpp"]


def test_a_server_refusing_the_schema_key_too_gets_plain_json_object(tmp_path):
    with FakeOpenAIServer(supports_json_schema=False, accepts_schema_key=False) as server:
        client = make_client(server, tmp_path, model="m")
        client.structured(JUDGE, judge_vars("one"), JudgeVerdict, label="f1")
        client.structured(JUDGE, judge_vars("two"), JudgeVerdict, label="f2")
    assert [f["type"] for f in formats(server)] == ["json_schema", "json_object", "json_object", "json_object"]
    assert ["schema" in f for f in formats(server)] == [False, True, False, False]
    assert client.mode == "json_object" and len(client.warnings) == 2
    assert "schema in the prompt" in client.warnings[1]
    assert client.usage.structured_mode == "json_object" and client.usage.answers_by_mode == {"json_object": 2}


def test_a_server_fault_in_grammar_mode_is_retried_not_taken_for_a_refusal(tmp_path):
    # request 1: json_schema (refused by the dialect), request 2: a plain HTTP 500 fault, request 3: ok
    with FakeOpenAIServer(dialect="llamacpp", faults=["ok", "500"]) as server:
        client = make_client(server, tmp_path)
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
    assert [("schema" in f, f["type"]) for f in formats(server)] == [
        (False, "json_schema"), (True, "json_object"), (True, "json_object")]
    assert client.mode == "llamacpp" and client.usage.retries == 1 and len(client.warnings) == 1


def test_only_auto_mode_steps_down(tmp_path):
    with FakeOpenAIServer(accepts_schema_key=False) as server:
        client = make_client(server, tmp_path, model="m", structured_mode="llamacpp")
        with pytest.raises(LLMError, match="HTTP 400 .*schema"):
            client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
    assert server.count == 1 and client.mode == "llamacpp"


def test_a_server_with_no_json_mode_gets_text_mode_and_its_fenced_json_is_read(tmp_path):
    with FakeOpenAIServer(accepts_response_format=False) as server:
        client = make_client(server, tmp_path, model="m")
        a = client.structured(JUDGE, judge_vars("one"), JudgeVerdict, label="f1")
        client.structured(JUDGE, judge_vars("two"), JudgeVerdict, label="f2")
        bodies = server.requests
    fmts = [r.get("response_format", {}).get("type") for r in bodies]
    assert fmts == ["json_schema", "json_object", "json_object", None, None]  # llamacpp, json_object, then text
    assert '"verdict"' in bodies[-1]["messages"][0]["content"]  # the schema rides in the system prompt
    assert isinstance(a, JudgeVerdict) and client.mode == "text" and client.usage.reasks == 0
    assert client.usage.answers_by_mode == {"text": 2} and "no response_format" in client.warnings[-1]


@pytest.mark.parametrize("reply, ok", [
    ('Sure. ```json\n{"verdict": "full", "item_id": "a1", "reason": "same"}\n``` Hope this helps.', True),
    ('The answer is {"verdict": "full", "item_id": "a1", "reason": "same"} as asked.', True),
    ("I think the fact is stated in full by item a1.", False),  # no JSON at all: re-asked, then fails
    # a draft that is off the schema, then the answer
    ('Draft: {"verdict": "maybe"}\nFinal: {"verdict": "full", "item_id": "a1", "reason": "same"}', True),
    # valid JSON, then a note with a brace in it
    ('{"verdict": "full", "item_id": "a1", "reason": "same"}\nNote: item {a1} says it.', True),
])
def test_text_mode_reads_the_json_a_model_talks_around_and_reasks_when_there_is_none(tmp_path, reply, ok):
    with FakeOpenAIServer(lambda request: reply) as server:
        client = make_client(server, tmp_path, model="m", structured_mode="text")
        if ok:
            v = client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
            assert v.verdict == "full" and v.item_id == "a1" and server.count == 1
        else:
            with pytest.raises(LLMError, match="not valid JSON"):
                client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
            assert server.count > 1
    assert all("response_format" not in r for r in server.requests)


def test_a_cached_answer_reports_the_mode_it_was_made_in(tmp_path):
    with FakeOpenAIServer(dialect="llamacpp") as server:
        make_client(server, tmp_path).structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        again = make_client(server, tmp_path)
        again.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
    assert server.count == 2  # the refused json_schema and the answer; the second client sent nothing
    assert again.usage.calls == 0 and again.usage.cache_hits == 1
    assert again.usage.structured_mode == "llamacpp" and [r.mode for r in again.records] == ["llamacpp"]


# --- the model name: the server's, in the cache key ---------------------------------------------------

def by_model(request):
    """A responder whose answer depends on the model the request names."""
    return {"verdict": "full", "item_id": "a1", "reason": f"answered by {request['model']}"}


def test_a_server_swapped_to_another_model_is_not_served_the_first_models_answers(tmp_path):
    with FakeOpenAIServer(by_model, model="alpha-1b") as server:
        first = make_client(server, tmp_path).structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        same = make_client(server, tmp_path)
        repeat = same.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        server.model = "beta-7b"  # same URL, another model behind it
        swapped = make_client(server, tmp_path)
        second = swapped.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
    assert first.reason == repeat.reason == "answered by alpha-1b"
    assert same.usage.cache_hits == 1 and same.usage.calls == 0  # unchanged model: served from the cache
    assert second.reason == "answered by beta-7b"
    assert swapped.usage.cache_hits == 0 and swapped.usage.calls == 1
    assert [r["model"] for r in server.requests] == ["alpha-1b", "beta-7b"]
    entries = [json.loads(p.read_text()) for p in (tmp_path / "cache").rglob("*.json")]
    assert sorted(e["payload"]["model"] for e in entries) == ["alpha-1b", "beta-7b"]


def test_the_model_list_is_asked_once_per_client(tmp_path):
    with FakeOpenAIServer() as server:
        client = make_client(server, tmp_path, use_cache=False)
        for fact in ("one", "two", "three"):
            client.structured(JUDGE, judge_vars(fact), JudgeVerdict, label=fact)
        assert client.model_name() == "fake-model"
    assert server.gets == ["/v1/models"]


def test_a_configured_model_never_asks_the_server(tmp_path):
    with FakeOpenAIServer() as server:
        client = make_client(server, tmp_path, model="named")
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f")
    assert server.gets == [] and client.model_name() == "named" and server.requests[0]["model"] == "named"


def test_a_server_without_a_model_list_gets_default_with_a_warning(tmp_path):
    with FakeOpenAIServer(lists_models=False) as server:
        client = make_client(server, tmp_path)
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f")
    assert server.requests[0]["model"] == "default"
    assert any("lists no model" in w and "--model" in w for w in client.warnings)


def test_a_model_list_refused_for_the_key_fails_with_one_line_naming_the_fix(tmp_path):
    with FakeOpenAIServer(api_key="right") as server:
        client = make_client(server, tmp_path, api_key="wrong-key-123")
        with pytest.raises(LLMError) as e:
            client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f")
    message = str(e.value)
    assert "which model it serves" in message and "HTTP 401" in message and "--model" in message
    assert "wrong-key-123" not in message and "\n" not in message and server.count == 0


def test_an_unreachable_server_without_model_fails_before_using_the_cache(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = LLMClient(LLMConfig(base_url=f"http://127.0.0.1:{port}/v1", cache_dir=tmp_path / "c", timeout=2,
                                 max_retries=0))
    with pytest.raises(LLMError, match="cannot ask .* which model it serves .*connection.*give --model"):
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f")


# --- the context window -------------------------------------------------------------------------------

@pytest.mark.parametrize("info, props, expected", [
    ({}, None, DEFAULT_CONTEXT_TOKENS),                                       # llama-cpp-python: says nothing
    ({"max_model_len": 32768}, None, 32768),                                  # vLLM
    ({"context_length": 131072}, None, 131072),                               # OpenRouter-style
    ({"meta": {"n_ctx_train": 32768}}, {"default_generation_settings": {"n_ctx": 4096}}, 4096),  # llama.cpp
    ({"meta": {"n_ctx_train": 32768}}, None, DEFAULT_CONTEXT_TOKENS),         # trained window only: not trusted
    ({"meta": {"n_ctx_train": 2048}}, None, 2048),                            # ... but it caps the default
    ({"max_model_len": "lots"}, None, DEFAULT_CONTEXT_TOKENS),                # junk is ignored
    ({"max_model_len": -5, "context_length": True}, None, DEFAULT_CONTEXT_TOKENS),
])
def test_context_tokens_from_what_the_server_reports(tmp_path, info, props, expected):
    with FakeOpenAIServer(model_info=info, props=props) as server:
        client = make_client(server, tmp_path)
        assert client.context_tokens() == expected
        assert client.context_tokens() == expected  # asked once
    assert server.gets.count("/v1/models") == 1 and server.gets.count("/props") <= 1


def test_context_tokens_default_is_the_callers_when_the_server_says_nothing(tmp_path):
    with FakeOpenAIServer(dialect="llamacpp") as server:
        assert make_client(server, tmp_path).context_tokens(default=4000) == 4000
    with FakeOpenAIServer(model_info={"max_model_len": 16384}) as server:
        assert make_client(server, tmp_path, model="fake-model").context_tokens(default=4000) == 16384
        assert make_client(server, tmp_path, model="not-listed").context_tokens(default=4000) == 4000


def test_context_window_prefers_the_served_window_over_the_trained_one():
    assert context_window({"meta": {"n_ctx_train": 32768, "n_ctx": 8000}}) == 8000
    assert context_window({"meta": {"n_ctx_train": 32768}}, {"n_ctx": 12000}) == 12000
    assert context_window({"id": "m"}, "not a dict") is None



# --- end to end: the brief and the manifest say which model and which mode ----------------------------

HARBOUR = [
    "The city council voted on Tuesday to close the old harbour bridge for repairs. The council said the "
    "bridge would reopen in the spring after the steel cables are replaced. Engineers found rust on six of the "
    "main cables during an inspection last month.",
    "Councillors agreed to shut the harbour bridge for repairs, a spokesman said on Tuesday. The bridge is "
    "expected to reopen in the spring once its cables are replaced. The council did not say what the repairs "
    "would cost or who would pay for them.",
]


def test_the_brief_and_manifest_name_the_served_model_and_the_mode_that_ran(tmp_path):
    from pipeline.cli import main
    from scripted_llm import newsroom

    for n, text in enumerate(HARBOUR):
        (tmp_path / f"a{n}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom, dialect="llamacpp", model="harbour-3b") as server:
        code = main(["run", str(tmp_path / "a0.txt"), str(tmp_path / "a1.txt"), "--out", str(out), "-q",
                     "--base-url", server.base_url, "--cache-dir", str(tmp_path / "cache"), "--concurrency", "1"])
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    # llama-cpp-python is known by its model list (issue 21): text mode from the first call, said in the manifest
    assert manifest["model"] == "harbour-3b" and manifest["structured_mode"] == "text"
    assert manifest["endpoint"]["server"] == "llama.cpp" and "llama-cpp-python" in manifest["endpoint"]["adapted"][0]
    assert manifest["usage"]["answers_by_mode"] == {"text": len(manifest["calls"])}
    assert all(c["mode"] == "text" for c in manifest["calls"])
    brief = json.loads((out / "brief.json").read_text())
    assert "(harbour-3b)" in brief["header"]["engine_note"] and "None" not in brief["header"]["engine_note"]
    assert "harbour-3b" in (out / "brief.md").read_text()
