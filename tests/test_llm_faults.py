"""Every fault the fake server can script: transient ones are retried, invalid outputs re-asked."""
import re
import time

import pytest
from fake_openai_server import FakeOpenAIServer

from pipeline.llm import LLMClient, LLMConfig, LLMError
from pipeline.llm.replies import JudgeVerdict
from pipeline.llm.prompts import load_prompt

JUDGE = load_prompt("judge_fact")
VARS = {"fact": "The call lasted two hours.", "section": "agreements", "items": "[a1] (agreements) They spoke for two hours."}


def make_client(server, tmp_path, **overrides):
    settings = dict(base_url=server.base_url, model="fake-model", api_key="sk-test", cache_dir=tmp_path / "cache",
                    retry_base_seconds=0.01, timeout=0.5)
    settings.update(overrides)
    return LLMClient(LLMConfig(**settings))


@pytest.mark.parametrize("fault", ["429", "500", "502", "503", "reset", "slow"])
def test_transient_fault_is_retried(tmp_path, fault):
    with FakeOpenAIServer(faults=[fault], slow_seconds=1.0) as server:
        client = make_client(server, tmp_path, timeout=0.3)
        verdict = client.structured(JUDGE, VARS, JudgeVerdict, label="fact f1")
    assert isinstance(verdict, JudgeVerdict) and server.count == 2
    u = client.usage
    assert (u.calls, u.retries, u.failed_attempts, u.reasks) == (2, 1, 1, 0)
    assert client.records[0].attempts == 2 and client.records[0].outcome == "ok"


@pytest.mark.parametrize("fault, reason", [
    ("malformed", "not valid JSON"), ("schema", "does not match the schema"), ("length", "cut off"),
    ("refusal", "refused"), ("empty", "no choices"),
])
def test_invalid_output_is_reasked(tmp_path, fault, reason):
    with FakeOpenAIServer(faults=[fault]) as server:
        client = make_client(server, tmp_path)
        verdict = client.structured(JUDGE, VARS, JudgeVerdict, label="fact f1")
    assert isinstance(verdict, JudgeVerdict) and server.count == 2
    u = client.usage
    assert (u.calls, u.reasks, u.failed_attempts, u.retries) == (2, 1, 1, 0)
    reask = server.requests[1]["messages"]
    assert [m["role"] for m in reask] == ["system", "user", "assistant", "user"]
    assert "could not be used" in reask[-1]["content"] and reason in reask[-1]["content"]


def test_persistent_503_fails_within_the_retry_budget(tmp_path):
    with FakeOpenAIServer(faults=["503"] * 50) as server:
        client = make_client(server, tmp_path, max_retries=5)
        started = time.monotonic()
        with pytest.raises(LLMError) as e:
            client.structured(JUDGE, VARS, JudgeVerdict, label="chunk d1234:c2")
    assert time.monotonic() - started < 3
    assert re.fullmatch(r"judge failed for chunk d1234:c2 after 6 attempts: HTTP 503 from "
                        r"http://127\.0\.0\.1:\d+/v1: .*", str(e.value))
    assert (e.value.stage, e.value.label) == ("judge", "chunk d1234:c2")
    assert server.count == 6 and client.usage.retries == 5 and client.usage.failed_attempts == 6
    assert client.records[0].outcome == "error"


def test_retry_time_budget_stops_before_the_attempt_limit(tmp_path):
    with FakeOpenAIServer(faults=["503"] * 200) as server:
        client = make_client(server, tmp_path, max_retries=100, max_retry_seconds=0.3, retry_base_seconds=0.05)
        started = time.monotonic()
        with pytest.raises(LLMError, match="HTTP 503"):
            client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
    assert time.monotonic() - started < 1.0
    assert 2 <= server.count < 10


def test_retry_after_is_honoured(tmp_path):
    with FakeOpenAIServer(faults=["429"], retry_after=0.4) as server:
        client = make_client(server, tmp_path, retry_base_seconds=0.01)
        started = time.monotonic()
        client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
    assert time.monotonic() - started >= 0.4  # the 0.01 s backoff alone would be far quicker
    assert server.count == 2 and client.usage.retries == 1


def test_connection_refused_is_transient_then_fails_clearly(tmp_path):
    with FakeOpenAIServer() as server:
        url = server.base_url
    client = LLMClient(LLMConfig(base_url=url, model="m", cache_dir=tmp_path, retry_base_seconds=0.01,
                                 max_retries=2))
    with pytest.raises(LLMError, match=r"after 3 attempts: connection to http://127\.0\.0\.1:\d+/v1 failed"):
        client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
    assert client.usage.calls == 3 and client.usage.retries == 2


def test_timeouts_are_reported_as_such(tmp_path):
    with FakeOpenAIServer(faults=["slow"] * 5, slow_seconds=1.0) as server:
        client = make_client(server, tmp_path, timeout=0.2, max_retries=1)
        with pytest.raises(LLMError, match=r"after 2 attempts: timed out after 0\.2s waiting for http://"):
            client.structured(JUDGE, VARS, JudgeVerdict, label="f1")


def test_mixed_faults_in_one_call(tmp_path):
    script = ["429", "reset", "schema", "502", "length", "ok"]
    with FakeOpenAIServer(faults=script) as server:
        client = make_client(server, tmp_path, reasks=2)
        client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
    u = client.usage
    assert (u.calls, u.retries, u.reasks, u.failed_attempts) == (6, 3, 2, 5)
    assert client.records[0].attempts == 6


def test_an_endpoint_that_never_gives_a_chat_completion_is_a_configuration_error(tmp_path):
    with FakeOpenAIServer(faults=["html"] * 10) as server:
        client = make_client(server, tmp_path, max_retries=2)
        with pytest.raises(LLMError, match=r"after 3 attempts: http://.* did not answer with a chat completion "
                                           r"\(<!doctype html>.*check --base-url"):
            client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
    assert server.count == 3 and client.usage.failed_attempts == 3 and client.usage.retries == 2


@pytest.mark.parametrize("fault", ["truncated", "html"])
def test_a_damaged_body_is_a_transient_fault_retried(tmp_path, fault):
    # first contact or mid-run, a body cut off in transit is retried like a 503, within --retries
    with FakeOpenAIServer(faults=["ok", fault, fault, "ok"]) as server:
        client = make_client(server, tmp_path)
        client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
        verdict = client.structured(JUDGE, {**VARS, "fact": "Another fact."}, JudgeVerdict, label="f2")
    assert isinstance(verdict, JudgeVerdict) and server.count == 4
    assert (client.usage.retries, client.usage.reasks) == (2, 0) and client.records[1].attempts == 3


def test_a_damaged_body_that_persists_after_good_answers_is_not_blamed_on_the_url(tmp_path):
    with FakeOpenAIServer(faults=["ok"] + ["truncated"] * 10) as server:
        client = make_client(server, tmp_path, max_retries=1)
        client.structured(JUDGE, VARS, JudgeVerdict, label="f1")
        with pytest.raises(LLMError) as e:
            client.structured(JUDGE, {**VARS, "fact": "Another fact."}, JudgeVerdict, label="f2")
    assert "after 2 attempts" in str(e.value) and "cut off or garbled" in str(e.value)
    assert "check --base-url" not in str(e.value) and server.count == 3
