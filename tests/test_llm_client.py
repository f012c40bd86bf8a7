"""LLMClient against a real HTTP server (tests/fake_openai_server.py); nothing is patched."""
import json

import pytest
from fake_openai_server import FakeOpenAIServer, ScriptedResponder, request_schema, schema_responder

from pipeline.llm import LLMClient, LLMConfig, LLMError, resolve_config
from pipeline.models import BriefError
from pipeline.llm.replies import ExtractionOutput, JudgeVerdict
from pipeline.llm.prompts import load_prompt

SECRET = "sk-test-SECRET123"
JUDGE = load_prompt("judge_fact")
VERDICT = {"verdict": "full", "item_id": "a1", "reason": "a1 states it."}


def judge_vars(fact="The call lasted two hours."):
    return {"fact": fact, "section": "agreements", "items": "[a1] (agreements) The leaders spoke for two hours."}


def make_client(server, tmp_path, *, log=True, **overrides):
    settings = dict(base_url=server.base_url, model="fake-model", api_key=SECRET, cache_dir=tmp_path / "cache",
                    retry_base_seconds=0.01, timeout=5)
    settings.update(overrides)
    return LLMClient(LLMConfig(**settings), log_path=tmp_path / "llm.jsonl" if log else None)


# --- happy path and structured modes --------------------------------------------------------------

def test_structured_call_returns_the_validated_model(tmp_path):
    with FakeOpenAIServer(ScriptedResponder([VERDICT])) as server:
        client = make_client(server, tmp_path)
        verdict = client.structured(JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    assert verdict == JudgeVerdict(**VERDICT)
    body = server.requests[0]
    assert body["model"] == "fake-model" and body["temperature"] == 0 and body["seed"] == 0
    assert body["messages"] == JUDGE.render(**judge_vars())
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "judge"
    assert client.usage.calls == 1 and client.usage.prompt_tokens > 0 and client.usage.completion_tokens > 0
    [record] = client.records
    assert (record.label, record.stage, record.outcome, record.attempts) == ("fact f1", "judge", "ok", 1)
    assert record.prompt_id == JUDGE.id


def test_json_object_mode_pastes_the_schema_into_the_system_prompt(tmp_path):
    with FakeOpenAIServer() as server:
        client = make_client(server, tmp_path, structured_mode="json_object")
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    body = server.requests[0]
    assert body["response_format"] == {"type": "json_object"}
    assert request_schema(body)["required"] == ["verdict", "item_id", "reason"]
    assert body["messages"][1] == JUDGE.render(**judge_vars())[1]


def test_llamacpp_mode_sends_the_schema_in_response_format(tmp_path):
    with FakeOpenAIServer() as server:
        make_client(server, tmp_path, structured_mode="llamacpp").structured(
            JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_object" and fmt["schema"]["properties"]["verdict"]["enum"] == ["full", "partial", "none"]


def test_fenced_json_from_a_chatty_model_is_accepted(tmp_path):
    with FakeOpenAIServer(ScriptedResponder(["```json\n" + json.dumps(VERDICT) + "\n```"])) as server:
        verdict = make_client(server, tmp_path).structured(JUDGE, judge_vars(), JudgeVerdict, label="f")
    assert verdict.item_id == "a1" and server.count == 1


@pytest.mark.parametrize("status", [400, 500])  # llama.cpp answered 500 before it learned json_schema
def test_auto_mode_steps_down_to_the_grammar_when_json_schema_is_unsupported(tmp_path, status):
    with FakeOpenAIServer(supports_json_schema=False, json_schema_error_status=status) as server:
        client = make_client(server, tmp_path)
        client.structured(JUDGE, judge_vars("one"), JudgeVerdict, label="f1")
        client.structured(JUDGE, judge_vars("two"), JudgeVerdict, label="f2")
    types = [r["response_format"]["type"] for r in server.requests]
    assert types == ["json_schema", "json_object", "json_object"]  # rejected once, then for the rest of the run
    assert all("schema" in r["response_format"] for r in server.requests[1:])  # json_object + schema
    assert client.mode == "llamacpp"
    assert len(client.warnings) == 1 and "json_schema" in client.warnings[0]
    assert client.usage.calls == 3 and client.usage.retries == 0 and client.usage.failed_attempts == 1


def test_explicit_json_schema_mode_does_not_downgrade(tmp_path):
    with FakeOpenAIServer(supports_json_schema=False) as server:
        client = make_client(server, tmp_path, structured_mode="json_schema")
        with pytest.raises(LLMError, match="HTTP 400 .*--structured-mode json_object"):
            client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
    assert server.count == 1


def test_model_defaults_to_the_one_the_server_lists(tmp_path):
    with FakeOpenAIServer(model="qwen2.5-7b-instruct") as server:
        make_client(server, tmp_path, model=None).structured(JUDGE, judge_vars(), JudgeVerdict, label="f")
    assert server.requests[0]["model"] == "qwen2.5-7b-instruct"


# --- re-asking --------------------------------------------------------------------------------------

def test_invalid_output_is_reasked_with_the_error_and_both_attempts_are_counted(tmp_path):
    bad = {"verdict": "maybe", "item_id": None, "reason": "unsure"}
    with FakeOpenAIServer(ScriptedResponder([bad, VERDICT])) as server:
        client = make_client(server, tmp_path)
        verdict = client.structured(JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    assert verdict.verdict == "full"
    first, second = server.requests
    assert second["messages"][:2] == first["messages"]
    assistant, user = second["messages"][2:]
    assert assistant == {"role": "assistant", "content": json.dumps(bad)}
    assert user["role"] == "user" and "verdict" in user["content"] and "'maybe' is not one of" in user["content"]
    u = client.usage
    assert (u.calls, u.reasks, u.failed_attempts, u.retries) == (2, 1, 1, 0)
    log = [json.loads(line) for line in (tmp_path / "llm.jsonl").read_text().splitlines()]
    assert u.prompt_tokens == sum(e["usage"]["prompt_tokens"] for e in log)  # the failed attempt's tokens count
    assert u.completion_tokens == sum(e["usage"]["completion_tokens"] for e in log)
    assert client.records[0].attempts == 2


def test_reasks_are_bounded(tmp_path):
    with FakeOpenAIServer(ScriptedResponder([{"nope": 1}] * 5)) as server:
        client = make_client(server, tmp_path, reasks=2)
        with pytest.raises(LLMError, match=r"^judge failed for fact f1 after 3 attempts: invalid output: ") as e:
            client.structured(JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    assert server.count == 3 and e.value.stage == "judge" and e.value.label == "fact f1"
    assert (client.usage.reasks, client.usage.failed_attempts) == (2, 3)
    assert client.records[0].outcome == "invalid"
    assert not list((tmp_path / "cache").rglob("*.json"))  # only valid outputs are cached


def test_pydantic_is_the_last_word(tmp_path):
    # schema-valid JSON still goes through the model; here the extraction schema accepts it, so it parses
    out = {"positions": [], "absences": [{"ids": [1], "holder": "the council"}], "off_topic": []}
    with FakeOpenAIServer(ScriptedResponder([out])) as server:
        result = make_client(server, tmp_path).structured(
            load_prompt("extract_claims"), {"documents": "[S1]\n1 t"}, ExtractionOutput, label="sentences of S1")
    assert result.absences[0].ids == [1]


# --- the cache --------------------------------------------------------------------------------------

def test_second_identical_call_is_served_from_the_cache(tmp_path):
    with FakeOpenAIServer() as server:
        make_client(server, tmp_path).structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        client = make_client(server, tmp_path)  # a later run
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        assert server.count == 1
        assert client.usage.cache_hits == 1 and client.usage.calls == 0
        assert client.records[0].cache_hit and client.records[0].outcome == "cached"
        client.structured(JUDGE, judge_vars("another fact"), JudgeVerdict, label="f2")
        assert server.count == 2  # different input, different key
        make_client(server, tmp_path, seed=7).structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        assert server.count == 3  # sampling settings are part of the key
        make_client(server, tmp_path, use_cache=False).structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        assert server.count == 4


def test_corrupt_cache_entry_is_ignored_and_recomputed(tmp_path):
    with FakeOpenAIServer(ScriptedResponder([VERDICT, VERDICT])) as server:
        make_client(server, tmp_path).structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        [entry] = (tmp_path / "cache").rglob("*.json")
        entry.write_bytes(entry.read_bytes()[:40])  # truncated, as by a full disk
        client = make_client(server, tmp_path)
        assert client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1").verdict == "full"
        assert server.count == 2 and client.usage.cache_hits == 0
        assert "corrupt" in client.cache.warnings[0] and client.warnings == client.cache.warnings
        again = make_client(server, tmp_path)
        again.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        assert server.count == 2 and again.usage.cache_hits == 1  # the rewrite is good


# --- non-transient failures ---------------------------------------------------------------------------

def test_bad_key_fails_at_once_without_leaking_it(tmp_path):
    with FakeOpenAIServer(api_key="sk-the-right-one") as server:  # echoes the wrong key in its 401
        client = make_client(server, tmp_path)
        with pytest.raises(LLMError) as e:
            client.structured(JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    assert "HTTP 401" in str(e.value) and "OPENAI_API_KEY" in str(e.value)
    assert SECRET not in str(e.value)
    assert client.usage.calls == 1 and client.usage.retries == 0


def test_wrong_path_is_a_404_with_a_hint(tmp_path):
    with FakeOpenAIServer() as server:
        client = make_client(server, tmp_path, base_url=server.base_url.removesuffix("/v1"))
        with pytest.raises(LLMError, match="HTTP 404 .*--base-url"):
            client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
    assert client.usage.calls == 1


def test_no_key_and_no_local_server_is_a_clear_error(tmp_path):
    with pytest.raises(BriefError, match="no API key"):
        LLMClient(LLMConfig(model="gpt-4o-mini", cache_dir=tmp_path))


# --- map: concurrency and failures -----------------------------------------------------------------

def test_map_runs_calls_concurrently_and_keeps_input_order(tmp_path):
    def responder(request):
        fact = request["messages"][1]["content"].split("<fact section=\"agreements\">\n")[1].split("\n</fact>")[0]
        return {"verdict": "none", "item_id": None, "reason": fact}

    facts = [f"fact number {i}" for i in range(16)]
    with FakeOpenAIServer(responder, latency=0.1) as server:
        client = make_client(server, tmp_path, concurrency=8)
        results = client.map(lambda f: client.structured(JUDGE, judge_vars(f), JudgeVerdict, label=f), facts,
                             label="judge")
    assert [r.reason for r in results] == facts
    assert 1 < server.max_in_flight <= 8
    assert client.usage.calls == 16 and len(client.records) == 16


def test_map_lets_the_others_finish_then_raises_the_first_error(tmp_path):
    def responder(request):
        return "not json" if "BAD" in request["messages"][1]["content"] else schema_responder(request)

    facts = ["ok 1", "BAD 2", "ok 3", "BAD 4", "ok 5"]
    with FakeOpenAIServer(responder) as server:
        client = make_client(server, tmp_path, reasks=0)
        with pytest.raises(LLMError, match=r"^judge failed for BAD 2 after 1 attempt: .*\(1 more judge calls failed\)"):
            client.map(lambda f: client.structured(JUDGE, judge_vars(f), JudgeVerdict, label=f), facts, label="judge")
        assert server.count == 5
        rerun = make_client(server, tmp_path, reasks=0)
        with pytest.raises(LLMError):
            rerun.map(lambda f: rerun.structured(JUDGE, judge_vars(f), JudgeVerdict, label=f), facts, label="judge")
        assert rerun.usage.cache_hits == 3 and server.count == 7  # the good answers were kept


def test_map_wraps_non_llm_errors(tmp_path):
    with FakeOpenAIServer() as server:
        client = make_client(server, tmp_path)

        def boom(x):
            if x == 2:
                raise ValueError("bad item")
            return x

        with pytest.raises(LLMError, match=r"extraction failed for item 2: ValueError: bad item"):
            client.map(boom, [0, 1, 2, 3], label="extraction")


# --- the API key stays secret --------------------------------------------------------------------------

def test_api_key_never_appears_in_logs_cache_errors_or_reprs(tmp_path):
    with FakeOpenAIServer(faults=["503", "schema", "ok"]) as server:
        client = make_client(server, tmp_path)
        client.structured(JUDGE, judge_vars(), JudgeVerdict, label="f1")
        failing = make_client(server, tmp_path, max_retries=0, use_cache=False)
    with FakeOpenAIServer(api_key="sk-other") as strict_server:
        bad_key = make_client(strict_server, tmp_path)
        with pytest.raises(LLMError) as e:
            bad_key.structured(JUDGE, judge_vars("x"), JudgeVerdict, label="f2")
    with pytest.raises(LLMError) as gone:  # the server is down now
        failing.structured(JUDGE, judge_vars("y"), JudgeVerdict, label="f3")
    texts = [str(e.value), str(gone.value), repr(client), repr(client.config), str(client.config),
             str(client.config.model_dump()), client.config.model_dump_json(), repr(client.records),
             (tmp_path / "llm.jsonl").read_text()]
    texts += [p.read_text() for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert (tmp_path / "llm.jsonl").stat().st_size > 0 and len(texts) > 9
    for text in texts:
        assert SECRET not in text and "SECRET123" not in text


def test_log_has_one_line_per_request(tmp_path):
    with FakeOpenAIServer(faults=["500", "ok"]) as server:
        make_client(server, tmp_path).structured(JUDGE, judge_vars(), JudgeVerdict, label="fact f1")
    lines = [json.loads(x) for x in (tmp_path / "llm.jsonl").read_text().splitlines()]
    assert len(lines) == 2
    assert lines[0]["error"].startswith("HTTP 500") and lines[0]["response"] is None
    assert lines[1]["error"] is None and json.loads(lines[1]["response"])
    for line in lines:
        assert {"ts", "label", "prompt", "model", "base_url", "messages", "response", "usage", "error"} <= set(line)
        assert line["label"] == "fact f1" and line["prompt"] == JUDGE.id and line["base_url"] == server.base_url


def test_usage_accounting_is_thread_safe(tmp_path):
    with FakeOpenAIServer(faults={"503": 0.3, "schema": 0.2}, seed=3) as server:
        client = make_client(server, tmp_path, concurrency=8, max_retries=20, reasks=20, use_cache=False)
        client.map(lambda i: client.structured(JUDGE, judge_vars(str(i)), JudgeVerdict, label=str(i)), range(40),
                   label="judge")
    served = server.faults_served
    u = client.usage
    assert u.calls == server.count == len(served)
    assert u.retries == served.count("503") and u.reasks == served.count("schema")
    assert u.failed_attempts == len(served) - served.count("ok")


# --- settings ----------------------------------------------------------------------------------------

def test_precedence_is_flags_then_env_then_file_then_defaults(tmp_path):
    conf = tmp_path / "config.toml"
    conf.write_text('[llm]\nmodel = "from-file"\nbase_url = "http://file/v1"\ntimeout = 7\nconcurrency = 2\n')
    env = {"BRIEF_MODEL": "from-env", "OPENAI_BASE_URL": "http://env/v1", "BRIEF_CACHE_DIR": str(tmp_path / "c")}
    c = resolve_config(flags={"model": "from-flag", "concurrency": None}, env=env, config_file=conf)
    assert (c.model, c.base_url, c.timeout, c.concurrency) == ("from-flag", "http://env/v1", 7.0, 2)
    assert c.cache_dir == tmp_path / "c" and c.max_retries == 5 and c.structured_mode == "auto"
    assert c.endpoint_configured


def test_config_file_from_env_and_default_path(tmp_path, monkeypatch):
    conf = tmp_path / "b.toml"
    conf.write_text('model = "top-level"\n')
    assert resolve_config(flags={}, env={"BRIEF_CONFIG": str(conf)}).model == "top-level"
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.config/briefsmith/config.toml there: fine
    c = resolve_config(flags={}, env={})
    assert not c.endpoint_configured and c.key() is None
    with pytest.raises(BriefError, match="config file not found"):
        resolve_config(flags={}, env={"BRIEF_CONFIG": str(tmp_path / "missing.toml")})


def test_bad_settings_are_one_line_errors(tmp_path):
    conf = tmp_path / "c.toml"
    conf.write_text('timeout = "soon"\nmodle = "typo"\n')
    with pytest.raises(BriefError, match="timeout: .*modle: Extra inputs"):
        resolve_config(flags={}, env={}, config_file=conf)


def test_local_server_needs_no_key_and_the_key_is_never_shown():
    local = resolve_config(flags={"base_url": "http://127.0.0.1:8080/v1"}, env={})
    assert local.key() == "not-needed"
    c = resolve_config(flags={}, env={"OPENAI_API_KEY": SECRET, "BRIEF_MODEL": "gpt"})
    assert c.key() == SECRET
    for text in (repr(c), str(c), str(c.model_dump()), c.model_dump_json()):
        assert SECRET not in text

