"""Faults cost a call, never the brief: `brief run` through a fault-injecting proxy (fault_proxy.py, real HTTP)
in front of the scripted server, over extraction, merge and judge calls (`--extract model --merge-batch 1
--support llm`).

- Every kind of fault at 30% (429, 500, 503, drops, truncated bodies, off-schema JSON, length cut-offs, empty
  choices) and truncated bodies and drops at 20%: the brief's items equal the fault-free brief's. The proxy
  spoils at most the first two attempts of a call (its RNG seeded per call and attempt), so no call runs out of
  retries and a difference would be the pipeline's.
- A cluster whose merge call fails for good: the brief is written with the rules' items for that cluster and
  the reason, the manifest lists the call, `--strict` exits 4.
- An endpoint whose every call fails: exit 1, the previous brief untouched.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from fault_proxy import KINDS, FaultProxy
from pipeline.cli import main
from scripted_llm import newsroom

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = 23
LISTS = ("agreements", "divergences", "unsaid", "single_source")


def user(body: dict) -> str:
    return body["messages"][1]["content"]


def stage(body: dict) -> str:
    text = user(body)
    return "merge" if "<groups>" in text else "judge" if "<statement>" in text or "<claim>" in text else "extraction"


def _config(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "llm.toml"
    path.write_text("retry_base_seconds = 0.01\ntimeout = 20.0\n")
    return path


def _run(url: str, out: Path, tmp_path: Path, *extra: str) -> int:
    return main(["run", str(SEEDS), "--out", str(out), "--base-url", url, "--model", "m", "--merge-batch", "1",
                 "--cache-dir", str(tmp_path / "cache"), "--config", str(_config(tmp_path)), "-q", *extra])


def _brief(out: Path) -> dict:
    return json.loads((out / "brief.json").read_text())


def _items(brief: dict) -> list[dict]:
    return [{**i, "section": s} for s in LISTS for i in brief[s]]


FULL = ("--extract", "model", "--support", "llm")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The fault-free briefs: the full LLM path (extraction, merge, judge), and the default one (merge only)."""
    tmp = tmp_path_factory.mktemp("clean")
    with FakeOpenAIServer(newsroom) as server:
        assert _run(server.base_url, tmp / "full", tmp / "a", *FULL) == 0
        stages = {stage(r) for r in server.requests}
        assert _run(server.base_url, tmp / "merge", tmp / "b") == 0
    assert stages == {"extraction", "merge", "judge"}
    return {"full": _brief(tmp / "full"), "merge": _brief(tmp / "merge")}


def _same_items(brief: dict, reference: dict) -> None:
    assert {k: v for k, v in brief.items() if k != "header"} == {k: v for k, v in reference.items() if k != "header"}


@pytest.mark.parametrize("rates", [
    {kind: 0.30 / len(KINDS) for kind in KINDS},
    {"truncated": 0.10, "drop": 0.10},
], ids=["every-kind-30pc", "truncated-and-drops-20pc"])
def test_faults_through_a_proxy_give_the_fault_free_brief(tmp_path, clean, rates):
    with FakeOpenAIServer(newsroom) as upstream, FaultProxy(upstream.base_url, rates=rates, seed=SEED) as proxy:
        assert _run(proxy.base_url, tmp_path / "out", tmp_path, *FULL, "--strict") == 0
        served = proxy.faults()
        faulted_stages = {stage(body) for _, fault, body in proxy.served if fault != "ok" and body}
    assert set(served) == set(rates)  # every kind asked for was served
    total = len(proxy.served)
    assert 0.5 * sum(rates.values()) < sum(served.values()) / total < 1.5 * sum(rates.values())
    assert faulted_stages == {"extraction", "merge", "judge"}
    _same_items(_brief(tmp_path / "out"), clean["full"])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["degraded"] == [] and manifest["usage"]["retries"] + manifest["usage"]["reasks"] > 0


def test_a_cluster_whose_calls_fail_for_good_keeps_the_rules_items_with_the_reason(tmp_path, clean):
    first_merge = {}

    def lost_cluster(path, body):
        if body is None or stage(body) != "merge":
            return None
        group = re.search(r"^\[(G\d+)\]", user(body), re.MULTILINE).group(1)
        first_merge.setdefault("group", group)
        return "503" if group == first_merge["group"] else None

    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom) as upstream, FaultProxy(upstream.base_url, always=lost_cluster) as proxy:
        assert _run(proxy.base_url, out, tmp_path, "--strict") == 4  # written, and the status says a call was lost
    group = first_merge["group"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert [(d["stage"], d["call"]) for d in manifest["degraded"]] == [("merge", f"cluster {group}")]
    assert "HTTP 503" in manifest["degraded"][0]["error"]
    # (how many attempts fit depends on --retries and, on a loaded machine, on max_retry_seconds)
    assert any(re.search(rf"merge failed for cluster {group} after \d+ attempts", w) for w in manifest["warnings"])
    items = _items(_brief(out))
    lost = [i for i in items if any("the merge call failed for good (HTTP 503" in c for c in i["checks"])]
    assert len(lost) == 1 and lost[0]["origin"] == "rules" and lost[0]["verified"]
    # every other cluster kept the answer it has without the fault
    reference = _items(clean["merge"])
    others = [i for i in items if i not in lost]
    assert all(i in reference for i in others) and len(others) == len(reference) - 1


def test_an_endpoint_whose_every_call_fails_fails_the_run_and_keeps_the_previous_brief(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--engine", "offline", "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with FakeOpenAIServer(newsroom) as upstream, \
            FaultProxy(upstream.base_url, always=lambda path, body: "503" if body else None) as proxy:
        assert _run(proxy.base_url, out, tmp_path, "--retries", "1") == 1
    err = capsys.readouterr().err
    assert re.fullmatch(r"brief: error: merge failed for clusters? G\d+\S* after 2 attempts: HTTP 503 .*\n", err), err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_judge_verdict_lost_for_good_is_decided_by_the_rules(tmp_path, clean):
    lost = {}

    def lost_verdict(path, body):
        if body is None or stage(body) != "judge":
            return None
        statement = re.search(r"<claim>\s*(.*?)\s*</claim>", user(body), re.S).group(1)
        lost.setdefault("statement", statement)
        return "500" if statement == lost["statement"] else None

    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom) as upstream, FaultProxy(upstream.base_url, always=lost_verdict) as proxy:
        assert _run(proxy.base_url, out, tmp_path, *FULL, "--retries", "1") == 0
    degraded = json.loads((out / "manifest.json").read_text())["degraded"]
    assert degraded and {d["fallback"] for d in degraded} == {"the rules' support check decided it"}
    assert all(d["call"] == f'support of {lost["statement"][:60]!r}' and "HTTP 500" in d["error"] for d in degraded)
    assert _items(_brief(out))


def test_batch_calls_through_the_proxy_give_the_direct_nights_briefs(tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from nightly_corpus import write_events

    feed = tmp_path / "feed"
    write_events(feed)

    def night(url: str, out: Path, *extra: str) -> int:
        return main(["nightly", str(feed), "--out", str(out), "--date", "2026-11-04", "--base-url", url, "--model",
                     "m", "--extract", "model", "--cache-dir", str(out) + "-cache", "--config",
                     str(_config(tmp_path)), "-q", *extra])

    def items(out: Path) -> list:
        index = json.loads((out / "2026-11-04" / "index.json").read_text())
        return [(e["id"], _items(json.loads((out / "2026-11-04" / e["folder"] / "brief.json").read_text())))
                for e in index["events"]]

    with FakeOpenAIServer(newsroom) as server:
        assert night(server.base_url, tmp_path / "direct") == 0
    rates = {kind: 0.30 / len(KINDS) for kind in KINDS}
    with FakeOpenAIServer(newsroom) as upstream, FaultProxy(upstream.base_url, rates=rates, seed=SEED) as proxy:
        upstream.batch_polls = 2
        assert night(proxy.base_url, tmp_path / "batch", "--batch", "--poll-seconds", "0.01") == 0
        batch_paths = [(path, fault) for path, fault, _ in proxy.served if "/batches" in path or "/files" in path]
        assert upstream.batch_lines  # the calls went in batches
    assert any(fault != "ok" for _, fault in batch_paths)  # and the Batch API's requests met faults
    assert items(tmp_path / "batch") == items(tmp_path / "direct")


def test_the_llm_verifiers_lost_verdict_is_decided_by_the_rules_and_its_calls_ride_out_faults(tmp_path):
    from pipeline.llm.client import LLMClient
    from pipeline.llm.config import LLMConfig
    from pipeline.verify import get_verifier

    doc = ["The library board met on Tuesday evening.",
           "The board voted to extend weekend opening hours at the central branch.",
           "Funding for the change comes from a state literacy grant."]

    def yes(request):
        return "Yes"

    def lost(path, body):  # every call about the grant fails, whatever is retried
        return "503" if body and "grant" in user(body).split("<claim>")[-1] else None

    rates = {"truncated": 0.15, "drop": 0.15}
    with FakeOpenAIServer(yes) as upstream, FaultProxy(upstream.base_url, rates=rates, seed=SEED,
                                                        always=lost) as proxy:
        client = LLMClient(LLMConfig(base_url=proxy.base_url, model="judge", api_key="sk-test", use_cache=False,
                                     retry_base_seconds=0.01, timeout=5, max_retries=2, concurrency=4))
        got = get_verifier("llm", client=client).supports_many([
            ("The board voted to extend weekend opening hours at the central branch.", doc),
            ("A state literacy grant pays for the change.", doc),
            ("The board met on Tuesday evening.", doc),
        ])
    assert proxy.faults()["truncated"] + proxy.faults()["drop"] > 0  # faults met and ridden out
    assert got[0].supported and got[2].supported  # the model's yes
    assert [(d["stage"], d["fallback"]) for d in client.degraded] == [("verify", "the rules' support check decided it")]
    assert "HTTP 503" in client.degraded[0]["error"] and "grant" in client.degraded[0]["call"]


LLAMACPP_PROPS = {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 1}


def second_merge_first_attempt(fault: str):
    """A proxy rule: `fault` on the first attempt of the run's second merge call (the first has no request
    answered before it to re-prime with); the primers (max_tokens 1) and re-asks pass."""
    merges: list[str] = []

    def rule(path, body):
        if body and stage(body) == "merge" and body.get("max_tokens") != 1 and len(body["messages"]) == 2:
            merges.append(user(body))
            if len(set(merges)) == 2 and merges.count(user(body)) == 1:
                return fault
        return None
    return rule


def _llamacpp_runs(tmp_path: Path, rule) -> tuple[dict, dict, int, list[dict]]:
    """The seeds through the scripted llama.cpp dialect (with its prompt-cache quirk), fault-free and through the
    proxy rule: (clean brief, faulty brief, quirky answers in the faulty run, its requests)."""
    outs = {}
    for name, always in (("clean", None), ("faulty", rule)):
        with FakeOpenAIServer(newsroom, props=LLAMACPP_PROPS, model="qwen-local", prompt_cache_quirk=True) as upstream, \
                FaultProxy(upstream.base_url, always=always) as proxy:
            assert _run(proxy.base_url, tmp_path / name, tmp_path / f"w-{name}", "--concurrency", "1") == 0
            outs[name] = (_brief(tmp_path / name), upstream.quirky_answers, list(upstream.requests))
    return outs["clean"][0], outs["faulty"][0], outs["faulty"][1], outs["faulty"][2]


def test_a_retry_on_llamacpp_meets_the_prompt_cache_as_its_first_attempt_did(tmp_path):
    # llama.cpp reads a prompt it has just read from another batch layout, and may answer otherwise (measured
    # on the local model: 2 of 5 retried merge calls); the client sends the last answered request again for
    # one token before a retry, so the retry answers as the first attempt would have
    clean, faulty, quirky, _ = _llamacpp_runs(tmp_path, second_merge_first_attempt("truncated"))
    assert faulty["header"]["usage"]["failed_attempts"] == 1  # a merge call was cut, then retried
    assert quirky == 0 and faulty["header"]["usage"]["reprimes"] >= 1
    assert _items(faulty) == _items(clean)


@pytest.mark.parametrize("fault", ["off_schema", "length", "empty"])
def test_a_reply_spoiled_on_the_way_from_llamacpp_is_asked_again_unchanged_before_a_reask(tmp_path, fault):
    # re-asking with the error changes what the model answers; on llama.cpp (temperature 0, one request at a
    # time, re-primed) the same request gives the model's own answer back, so a reply damaged on the way costs
    # one call and not the brief's wording
    clean, faulty, quirky, sent = _llamacpp_runs(tmp_path, second_merge_first_attempt(fault))
    usage = faulty["header"]["usage"]
    assert usage["failed_attempts"] == 1 and usage["reasks"] == 0 and usage["reprimes"] >= 1
    assert all(len(r["messages"]) == 2 for r in sent)  # no conversation with the error was ever sent
    assert quirky == 0 and _items(faulty) == _items(clean)
