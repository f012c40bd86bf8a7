"""The LLM judge over real HTTP against the fake OpenAI server: verdicts, sections, cache, CLI."""
from __future__ import annotations

import io
import json
import re

from fake_openai_server import FakeOpenAIServer
from test_eval_metrics import GOLD, brief_of

from pipeline.evals.cli import eval_main
from pipeline.evals.judge import LLMJudge, shortlist
from pipeline.evals.match import Candidate
from pipeline.evals.metrics import brief_candidates, score_brief
from pipeline.llm.client import LLMClient
from pipeline.llm.config import LLMConfig


def judge_responder(request: dict) -> dict:
    """A judge that calls an item a full match when it shares the fact's first number, or its
    first three words; partial for an item mentioning 'energy' when the fact does."""
    user = request["messages"][-1]["content"]
    fact = re.search(r"<fact[^>]*>\n(.*?)\n</fact>", user, re.S).group(1)
    items = re.findall(r"^\[(\S+)\] \((\w+)\) (.*)$", user, re.M)
    nums = re.findall(r"\d+", fact)
    for item_id, _section, text in items:
        if (nums and nums[0] in re.findall(r"\d+", text)) or text.split()[:3] == fact.split()[:3]:
            return {"verdict": "full", "item_id": item_id, "reason": "same figure or opening"}
    for item_id, _section, text in items:
        if "energy" in fact and "energy" in text:
            return {"verdict": "partial", "item_id": item_id, "reason": "mentions energy"}
    return {"verdict": "none", "item_id": None, "reason": "not stated"}


BRIEF = brief_of([
    ("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday."),
    ("u1", "unsaid", "The two sides made no mention of territorial concessions."),
    ("d1", "divergences", "Putin agreed to a 30-day halt to strikes on energy infrastructure."),
])


def config(server, tmp_path, **kw) -> LLMConfig:
    return LLMConfig(base_url=server.base_url, model="fake-judge", cache_dir=tmp_path / "cache",
                     retry_base_seconds=0.01, **kw)


def test_judge_verdicts_sections_and_cache(tmp_path):
    with FakeOpenAIServer(judge_responder) as server:
        judge = LLMJudge(LLMClient(config(server, tmp_path)))
        s = score_brief(BRIEF, GOLD, judge)
        assert server.count == len(GOLD.facts)
        by_id = {f.id: f for f in s.facts}
        assert (by_id["A1"].outcome, by_id["A1"].item_id, by_id["A1"].matcher) == ("hit", "a1", "llm:fake-judge")
        assert by_id["A2"].outcome == "misplaced" and by_id["A2"].item_section == "divergences"
        assert by_id["U1"].outcome == "hit" and by_id["U1"].reason == "same figure or opening"
        assert by_id["D1"].outcome == "miss"
        # the same questions again: every answer from the disk cache, no request sent
        again = LLMJudge(LLMClient(config(server, tmp_path)))
        assert score_brief(BRIEF, GOLD, again).model_dump() == s.model_dump()
        assert server.count == len(GOLD.facts)
        assert again.client.usage.calls == 0 and again.client.usage.cache_hits == len(GOLD.facts)


def test_judge_rejects_item_ids_it_was_not_shown(tmp_path):
    def liar(request):
        return {"verdict": "full", "item_id": "zz", "reason": "made up"}

    with FakeOpenAIServer(liar) as server:
        s = score_brief(BRIEF, GOLD, LLMJudge(LLMClient(config(server, tmp_path))))
    assert all(f.outcome == "miss" and "named no item" in f.reason for f in s.facts)


def test_shortlist_keeps_closest_and_own_section():
    cands = brief_candidates(BRIEF) + [Candidate(id=f"x{i}", section="agreements", text=f"Filler number {i} here.")
                                       for i in range(10)]
    fact = GOLD.facts[2]  # unsaid: territorial concessions
    shown = shortlist(fact, cands, top_k=2)
    assert "u1" in {c.id for c in shown} and len(shown) <= 2 + 2
    assert shortlist(fact, cands, top_k=None) == cands


def test_cli_llm_matcher_writes_report(tmp_path):
    brief_path = tmp_path / "brief.json"
    brief_path.write_text(BRIEF.model_dump_json())
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(GOLD.model_dump_json(exclude={"path"}, exclude_none=True))
    out = io.StringIO()
    with FakeOpenAIServer(judge_responder) as server:
        from pipeline.evals import cli

        args = cli.score_parser().parse_args([str(brief_path), "--gold", str(gold_path), "--matcher", "llm",
                                              "--base-url", server.base_url, "--model", "fake-judge",
                                              "--cache-dir", str(tmp_path / "c"), "--report", str(tmp_path / "r")])
        assert cli.cmd_score(args, out) == 0
        assert server.count == len(GOLD.facts)
        # re-grading the saved brief: judge answers from the cache, nothing generated
        assert eval_main([str(brief_path), "--gold", str(gold_path), "--matcher", "llm", "--base-url",
                          server.base_url, "--model", "fake-judge", "--cache-dir", str(tmp_path / "c")]) == 0
        assert server.count == len(GOLD.facts)
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["matcher"] == "llm:fake-judge"
    assert report["judge_usage"]["calls"] == len(GOLD.facts)
    assert {f["matcher"] for f in report["facts"]} == {"llm:fake-judge"}
    assert "llm:fake-judge" in out.getvalue()
