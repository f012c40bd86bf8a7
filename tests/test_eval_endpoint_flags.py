"""`brief eval` (score, compare, agreement) takes the endpoint flags of `brief run`: --concurrency, --timeout,
--retries reach the judge's client and the briefs the llm engine makes; against the scripted server over
real HTTP. (Measured on a one-request local server: 8 judge calls at once, each timing out at a fixed 60 s.)"""
from __future__ import annotations

import io
import json
import re

import pytest
from fake_openai_server import FakeOpenAIServer
from test_eval_metrics import brief_of

from pipeline.evals import cli
from pipeline.evals.cli import eval_main
from pipeline.evals.gold import GoldFact, GoldSet
from pipeline.models import BriefError

SOURCE = ("The city council voted on Tuesday to close the harbour bridge for repairs. "
          "Engineers found rust on six of the main cables. "
          "The council did not say what the repairs would cost.")
BRIEF = brief_of([
    ("a1", "agreements", "The city council voted on Tuesday to close the harbour bridge for repairs."),
    ("a2", "agreements", "Engineers found rust on six of the main cables."),
    ("u1", "unsaid", "The council did not say what the repairs would cost."),
], source=SOURCE)
GOLD = GoldSet(corpus="harbour", facts=[
    GoldFact(id="A1", section="agreements", text="The council voted to close the harbour bridge for repairs."),
    GoldFact(id="A2", section="agreements", text="Rust was found on six main cables.", keywords=[["six"]]),
    GoldFact(id="U1", section="unsaid", text="The cost of the repairs was not given."),
    GoldFact(id="D1", section="divergences", text="Accounts differ on when the bridge reopens."),
])


def first_item_judge(request: dict) -> dict:
    items = re.findall(r"^\[(\S+)\] ", request["messages"][-1]["content"], re.M)
    return {"verdict": "full", "item_id": items[0], "reason": "first item"} if items else \
        {"verdict": "none", "item_id": None, "reason": "no items"}


@pytest.fixture
def files(tmp_path):
    brief_path, gold_path = tmp_path / "brief.json", tmp_path / "gold.json"
    brief_path.write_text(BRIEF.model_dump_json())
    gold_path.write_text(GOLD.model_dump_json(exclude={"path"}, exclude_none=True))
    return brief_path, gold_path


def score(server, files, *flags):
    brief_path, gold_path = files
    return eval_main([str(brief_path), "--gold", str(gold_path), "--matcher", "llm", "--base-url", server.base_url,
                      "--no-cache", *flags])


def test_concurrency_flag_bounds_the_judge_calls_in_flight(files):
    with FakeOpenAIServer(first_item_judge, latency=0.15) as server:
        assert score(server, files, "--concurrency", "1") == 0
    assert server.count == len(GOLD.facts) and server.max_in_flight == 1
    with FakeOpenAIServer(first_item_judge, latency=0.15) as server:  # the default sends them together
        assert score(server, files) == 0
    assert server.max_in_flight > 1


def test_timeout_flag_reaches_the_judge(files):
    with FakeOpenAIServer(first_item_judge, faults=["slow"], slow_seconds=1.0) as server:
        with pytest.raises(BriefError, match=r"judge failed .*timed out after 0.3s"):
            score(server, files, "--timeout", "0.3", "--retries", "0", "--concurrency", "1")
    with FakeOpenAIServer(first_item_judge, faults=["slow"], slow_seconds=1.0) as server:
        assert score(server, files, "--timeout", "5", "--retries", "0", "--concurrency", "1") == 0
    assert server.faults_served[0] == "slow" and server.count == len(GOLD.facts)


def test_retries_flag_reaches_the_judge(files, tmp_path):
    quick = tmp_path / "quick.toml"  # short backoff steps, so the test does not sleep for seconds
    quick.write_text("retry_base_seconds = 0.01\n")
    with FakeOpenAIServer(first_item_judge, faults=["503", "503"]) as server:
        with pytest.raises(BriefError, match=r"after 2 attempts: HTTP 503"):
            score(server, files, "--retries", "1", "--concurrency", "1", "--config", str(quick))
    with FakeOpenAIServer(first_item_judge, faults=["503", "503"]) as server:
        assert score(server, files, "--retries", "2", "--concurrency", "1", "--config", str(quick)) == 0
    assert server.count == len(GOLD.facts) + 2


def test_the_judge_is_named_after_the_model_the_server_serves(files, tmp_path):
    with FakeOpenAIServer(first_item_judge, model="served-judge-1b") as server:
        assert score(server, files, "--concurrency", "1", "--report", str(tmp_path / "r")) == 0
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["matcher"] == "llm:served-judge-1b"
    assert {f["matcher"] for f in report["facts"]} == {"llm:served-judge-1b"}


@pytest.mark.parametrize("action", ["score", "compare", "agreement"])
def test_every_eval_action_parses_the_run_endpoint_flags(action, tmp_path):
    flags = ["--matcher", "llm", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--concurrency", "1",
             "--timeout", "900", "--retries", "3", "--structured-mode", "llamacpp"]
    parser, extra = {
        "score": (cli.score_parser, [str(tmp_path / "b.json"), "--gold", "g.json"]),
        "compare": (cli.compare_parser, ["--gold", "g.json", "--inputs", "x", "--b", "engine=offline"]),
        "agreement": (cli.agreement_parser, []),
    }[action]
    config = cli.make_matcher(parser().parse_args(extra + flags)).client.config
    assert (config.concurrency, config.timeout, config.max_retries, config.structured_mode) == (1, 900, 3, "llamacpp")


def test_compare_passes_the_flags_to_the_briefs_it_makes(files):
    _, gold_path = files
    seen = []

    def make(inputs, **kwargs):
        seen.append(kwargs)
        return BRIEF

    args = cli.compare_parser().parse_args(["--gold", str(gold_path), "--inputs", "x", "--a", "engine=offline",
                                            "--b", "engine=llm,base_url=http://127.0.0.1:9/v1,model=m",
                                            "--concurrency", "1", "--timeout", "900", "--retries", "3"])
    assert cli.cmd_compare(args, out=io.StringIO(), make=make) == 0
    b, a = seen
    assert b["engine"] == "llm" and b["base_url"] == "http://127.0.0.1:9/v1"
    for kw in (a, b):
        assert kw["concurrency"] == 1 and kw["llm_options"] == {"timeout": 900.0, "max_retries": 3}
