"""Pieces of the nightly job on their own: the progress line, the budget, the batch file protocol."""
from __future__ import annotations

import io
import json

import openai
import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.llm.batch import jsonl, load_state, parse_output, run_batch
from pipeline.nightly.budget import Budget, BudgetExceeded, price_of, read_prices
from pipeline.nightly.progress import Progress


class _Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_progress_bar_on_a_terminal_and_lines_in_a_log():
    clock = _Clock()
    tty = io.StringIO()
    p = Progress(4, stream=tty, tty=True, clock=clock)
    p.event_started("bridge")
    p.call(100, 20)
    p.call(cached=True)
    clock.t = 10
    p.event_finished("bridge", "ok")
    line = p.line()
    assert "1/4 events" in line and "1 calls" in line and "120 tokens" in line and "1 cache hits" in line
    assert "ETA 30s" in line  # 10 s an event, three to go
    assert "\r" in tty.getvalue() and "\n" not in tty.getvalue()  # redrawn in place
    log = io.StringIO()
    p = Progress(2, stream=log, tty=False, clock=clock)
    p.event_started("bridge")
    p.event_started("strike")  # events run side by side and finish in any order
    p.call(100, 20)
    p.event_finished("strike", "ok", "3 agreements", seconds=2.5,
                     usage={"calls": 4, "cache_hits": 1, "prompt_tokens": 900, "completion_tokens": 300})
    p.event_finished("bridge", "failed", "HTTP 503", seconds=1.0)
    assert log.getvalue() == ("[1/2] strike: ok (3 agreements); 4 calls, 1 cache hit, 1,200 tokens, 2.5s\n"
                              "[2/2] bridge: failed (HTTP 503), 1.0s\n")


def _answered(budget, estimate, actual):
    budget.reserve(*estimate)
    budget.release(*estimate)
    budget.spend(*actual)


def test_budget_refuses_the_call_that_would_pass_the_limit():
    b = Budget(max_tokens=1000)
    _answered(b, (300, 300), (300, 250))
    _answered(b, (200, 200), (200, 100))  # 850 spent
    with pytest.raises(BudgetExceeded):
        b.reserve(100, 100)  # 1050 would pass it
    b.reserve(50, 50)  # 950: fits, and is held while the call is under way
    with pytest.raises(BudgetExceeded):
        b.reserve(30, 30)  # would fit what is spent, but not with the call under way
    b.release(50, 50)
    b.reserve(30, 30)
    assert b.refused == 2
    c = Budget(max_cost=0.01, price=(2.5, 10.0))
    _answered(c, (1000, 500), (1000, 500))  # $0.0075
    c.reserve(1000, 0)  # $0.0025 more: exactly at the limit, allowed
    c.release(1000, 0)
    with pytest.raises(BudgetExceeded):
        c.reserve(1000, 100)  # $0.0035 more would pass it
    assert Budget(max_cost=0.01, price=(2.5, 10.0), discount=0.5).cost(1000, 500) == pytest.approx(0.00375)
    with pytest.raises(ValueError):
        Budget(max_cost=1.0, price=None)


def test_prices_table_and_config_override(tmp_path):
    prices = read_prices(None)
    assert price_of("gpt-4o-mini-2024-07-18", prices) == prices["gpt-4o-mini"]
    assert price_of("my-local-model", prices) is None
    config = tmp_path / "c.toml"
    config.write_text('[prices]\n"my-local-model" = [0, 0]\n"gpt-4o-mini" = [1, 2]\n', encoding="utf-8")
    prices = read_prices(config)
    assert price_of("my-local-model", prices) == (0.0, 0.0) and prices["gpt-4o-mini"] == (1.0, 2.0)
    config.write_text('[prices]\n"m" = "cheap"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="prices.m"):
        read_prices(config)


def test_batch_file_lines_and_output_parsing():
    lines = [json.loads(x) for x in jsonl({"k1": {"model": "m"}, "k2": {"model": "m"}}).decode().splitlines()]
    assert lines == [{"custom_id": "k1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m"}},
                     {"custom_id": "k2", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m"}}]
    out = parse_output("\n".join([
        json.dumps({"custom_id": "a", "response": {"status_code": 200, "body": {"id": "x"}}, "error": None}),
        json.dumps({"custom_id": "b", "response": {"status_code": 429, "body": {"error": "slow down"}}, "error": None}),
        json.dumps({"custom_id": "c", "response": None, "error": {"code": "x", "message": "failed"}}),
        "{broken",
    ]))
    assert out == {"a": {"body": {"id": "x"}}, "b": {"error": "HTTP 429"}, "c": {"error": "failed"}}


def _requests(n):
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": False}
    return {f"k{i}": {"model": "m", "messages": [{"role": "user", "content": f"q{i}"}],
                      "response_format": {"type": "json_schema",
                                          "json_schema": {"name": "t", "schema": schema, "strict": True}}}
            for i in range(n)}


def test_run_batch_over_http_and_resume_from_the_state_file(tmp_path):
    state = tmp_path / ".batch.json"
    with FakeOpenAIServer() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        server.batch_fail = {"k2"}
        answers = run_batch(client, _requests(3), state, poll_seconds=0.001)
        assert sorted(answers) == ["k0", "k1", "k2"] and answers["k2"] == {"error": "scripted failure"}
        assert json.loads(answers["k0"]["body"]["choices"][0]["message"]["content"]) == {"a": "x"}
        assert len(server.batches) == 1 and len(server.batch_lines) == 2 and server.count == 0
        # run again (a rerun of the night): the recorded batch is read back, nothing is sent again
        again = run_batch(client, _requests(3), state, poll_seconds=0.001)
        assert again == answers and len(server.batches) == 1
        # a request the recorded batch did not hold goes in a new batch, alone
        more = run_batch(client, _requests(4), state, poll_seconds=0.001)
        assert sorted(more) == ["k0", "k1", "k2", "k3"] and len(server.batches) == 2
        assert len(load_state(state).batches) == 2
        assert server.batches["batch_fake_2"]["request_counts"]["total"] == 1
    state.write_text("{damaged", encoding="utf-8")
    assert load_state(state).batches == []  # a damaged state costs a batch, never the night
