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


@pytest.mark.parametrize("model", ["o3-mini", "gpt-4o-mini"])
def test_llm_verifier_leaves_a_reasoning_model_room_to_think(tmp_path, model):
    # a reasoning model counts its hidden thinking in max_completion_tokens: two tokens would leave it no
    # answer at all (the scripted one then answers "" cut off for length), and every verdict would be "no"
    def judge(request):
        return "No" if "bakery" in _claim(request) else "Yes"

    dialect = "reasoning" if model.startswith("o3") else "openai"
    with FakeOpenAIServer(judge, dialect=dialect, model=model) as server:
        client = LLMClient(LLMConfig(base_url=server.base_url, model=model, api_key="sk-test",
                                     cache_dir=tmp_path / "cache", retry_base_seconds=0.01, timeout=5))
        v = get_verifier("llm", client=client)
        got = v.supports_many([("The board voted to keep the central branch open longer at weekends.", DOC),
                               ("The bakery paid for the longer weekend hours.", DOC)])
        sent = list(server.requests)
    assert [g.supported for g in got] == [True, False]
    assert v.stats()["judge_unreadable"] == 0 and server.rejected_params == []
    if dialect == "reasoning":
        assert all("max_tokens" not in r and r["max_completion_tokens"] > 64 for r in sent)
    else:
        assert all(r["max_tokens"] <= 2 for r in sent)


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


# --- embed: the default offline verifier --------------------------------------------------------------------

FARES = "The city council voted on Monday to raise bus fares by 10 percent from March, citing rising fuel costs."
STRIKE = "Four of the five unions backed the strike, while the council hinted it may agree to a new pay offer."


@pytest.fixture(scope="module")
def embed():
    v = get_verifier("embed")
    assert v.kind == "embed"
    return v


def test_embed_keeps_fair_paraphrases(embed):
    for claim in ("Bus fares will go up 10 percent in March after a council vote on Monday.",
                  "Citing higher fuel costs, the council approved a 10 percent bus fare increase starting in March.",
                  "The council voted to raise bus fares by 10 percent from March."):
        got = embed.supports(claim, FARES)
        assert got.supported, (claim, got.reason)
    assert embed.supports("Four unions supported the strike.", STRIKE).supported


@pytest.mark.parametrize("claim,evidence", [
    ("The city council voted on Monday to cut bus fares by 10 percent from March.", FARES),  # antonym
    ("The city council voted on Monday to raise bus fares by 15 percent from March.", FARES),  # figure
    ("The city council did not vote to raise bus fares.", FARES),  # negation
    ("The shipping company fined the port authority.", "The port authority fined the shipping company over "
     "late cargo checks on Friday."),  # roles reversed
    ('Union leader Ada Brent said: "We will not accept this offer."', '"We will not accept this offer," '
     'transport minister Leo Marsh told reporters on Tuesday.'),  # wrong speaker
    ("All five unions backed the strike.", STRIKE),  # quantifier widened
    ("The council agreed to a new pay offer.", STRIKE),  # certainty raised
    ("The port authority fined the shipping company.", FARES),  # unrelated
])
def test_embed_rejects_each_wrong_kind(embed, claim, evidence):
    assert not embed.supports(claim, evidence).supported


def test_embed_catches_added_clauses_a_kind_its_decision_was_never_fitted_on(embed):
    import json
    from pathlib import Path

    spec = json.loads((Path(__file__).resolve().parents[1] / "pipeline/verify/embed_weights.json").read_text())
    assert spec["fitted_on"]["held_out_kind"] == "clause"
    for claim in ("The city council voted on Monday to raise bus fares by 10 percent from March, and the mayor "
                  "resigned in protest.",
                  "The council raised bus fares by 10 percent from March, while drivers walked out for a week."):
        got = embed.supports(claim, FARES)
        assert not got.supported and got.reason.startswith("not carried"), got.reason  # the decision, no veto


def test_embed_same_fact_in_other_words_and_not_with_another_figure(embed):
    a = "Bus fares will rise by 10 percent in March after the council's vote on Monday."
    assert embed.same_fact(a, "On Monday the council voted to raise bus fares by 10 percent from March.").supported
    assert not embed.same_fact(a, "On Monday the council voted to raise bus fares by 25 percent from March.").supported
    ranked = embed.rank("fares are going up", ["The library opens late.", FARES, "Rain is expected."], k=2)
    assert ranked[0][0] == 1 and len(ranked) == 2


def test_the_encoders_memory_is_bounded_and_a_text_asked_for_is_never_forgotten(embed, monkeypatch):
    """A night of many events reads each text for one brief: the encoder keeps the newest texts, never one the
    current call needs (a bound below one call's texts still answers it whole)."""
    from pipeline.verify import encoder as enc

    e = enc.load_encoder()
    monkeypatch.setattr(enc, "KEEP_VECTORS", 6)
    monkeypatch.setattr(enc, "KEEP_TOKENS", 3)
    first = [f"The ferry to island number {n} sails at noon on weekdays." for n in range(5)]
    before = e.encode(first)
    e.token_vectors(first[:2])
    later = [f"The council of district {n} met on Tuesday to vote on the budget." for n in range(5)]
    assert e.encode(later).shape == (5, 384)
    assert len(e._cache) <= 6 and not set(first) <= set(e._cache)
    assert len(e.token_vectors(later)) == 5 and len(e._tokens) == 5  # all five answered, none older kept
    again = e.encode(first)  # forgotten texts are read again, to the same vectors
    assert abs(again - before).max() < 1e-5

