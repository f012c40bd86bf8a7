"""The verifier's backends: llm over the scripted server (real HTTP), embed and its fallback, on text that
is not about the seeds."""
import json
import re

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.llm.client import LLMClient
from pipeline.llm.config import LLMConfig
from pipeline.verify import get_verifier
from pipeline.verify.llm import yes_probability

DOC = ["The library board met on Tuesday evening.",
       "The board voted to extend weekend opening hours at the central branch.",
       "Funding for the change comes from a state literacy grant.",
       "A local bakery donated pastries for the meeting."]


def _claim(request: dict) -> str:
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    return re.search(r"<claim>\n(.*?)\n</claim>", user, re.DOTALL).group(1)


def _client(server, tmp_path):
    return LLMClient(LLMConfig(base_url=server.base_url, model="judge", api_key="sk-test",
                               cache_dir=tmp_path / "cache", retry_base_seconds=0.01, timeout=5))


def test_llm_verifier_asks_one_short_question_per_pair_and_the_model_decides(tmp_path):
    seen = []

    def judge(request):
        seen.append(request)
        # the scripted judge says no to anything about the bakery: a call the rules cannot make
        return "No" if "bakery" in _claim(request) else "Yes"

    with FakeOpenAIServer(judge) as server:
        v = get_verifier("llm", client=_client(server, tmp_path))
        got = v.supports_many([
            ("The board voted to keep the central branch open longer at weekends.", DOC),
            ("The bakery paid for the longer weekend hours.", DOC),
            ("The board voted to extend weekend hours at 12 branches.", DOC),  # a figure: vetoed, never sent
        ])
        sent = len(seen)
        again = v.supports("The board voted to keep the central branch open longer at weekends.", DOC)
    assert [g.supported for g in got] == [True, False, False]
    assert "12" in got[2].reason and sent == 2  # the rules' exact veto stands in front of the model
    assert all(r["max_tokens"] <= 2 and r["temperature"] == 0 for r in seen)
    # the model sees the few sentences most like the claim, not the whole document
    user = next(m["content"] for m in seen[0]["messages"] if m["role"] == "user")
    assert "bakery donated" not in user or "literacy grant" not in user
    assert again.supported and len(seen) == sent  # the second time from the cache
    stats = v.stats()
    assert stats["judge_calls"] == 2 and stats["vetoed"] == 1 and stats["judge_cache_hits"] == 1


def test_llm_verifier_reads_logprobs_and_an_unreadable_answer_is_not_support():
    assert yes_probability("", {"Yes": -0.1, "No": -2.5}) == pytest.approx(0.9168, abs=1e-3)
    assert yes_probability("no", None) == 0.0 and yes_probability("Yes.", None) == 1.0
    assert yes_probability("Perhaps", None) is None


def test_llm_verifier_needs_an_endpoint():
    from pipeline.models import BriefError

    with pytest.raises(BriefError, match="no model endpoint"):
        get_verifier("llm")


def test_auto_falls_back_to_rules_with_a_warning_when_the_embedding_model_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_EMBED_MODEL", str(tmp_path / "no-model-here"))
    from pipeline.verify.encoder import load_encoder
    load_encoder.cache_clear()
    try:
        v = get_verifier("auto")
        assert v.kind == "rules"
        assert any("embed unavailable" in w and "no-model-here" in w for w in v.warnings)
        assert any("falling back" in w for w in v.warnings)
        with pytest.raises(Exception, match="no-model-here"):
            get_verifier("embed")
    finally:
        load_encoder.cache_clear()
