"""Which verifier a brief gets when nobody names one (issue 19: `auto` is the default): the embedding model
offline, the model's own judge on a capable endpoint, the embedding model on the small profile (a small local
model), the rules when the embedding model cannot load; BRIEF_VERIFIER and --verifier override it. The rest of
the suite pins the rules (conftest.py); these tests clear that."""
import json
from pathlib import Path

import pytest

from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from pipeline.models import BriefError
from pipeline.run import run_pipeline
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
GROCER = ROOT / "evals" / "corpora" / "grocer-results"
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _no_pins(monkeypatch):
    monkeypatch.delenv("BRIEF_VERIFIER", raising=False)
    monkeypatch.delenv("BRIEF_PROFILE", raising=False)


def _kind(r) -> str:
    return r.verifier["kind"]


def test_offline_the_default_is_the_embedding_model_and_the_environment_or_flag_override_it(monkeypatch):
    assert _kind(run_pipeline(GROCER)) == "embed"
    monkeypatch.setenv("BRIEF_VERIFIER", "rules")
    assert _kind(run_pipeline(GROCER)) == "rules"
    assert _kind(run_pipeline(GROCER, verifier="embed")) == "embed"  # the argument (--verifier) wins
    assert _kind(run_pipeline(GROCER, support="rules")) == "rules"
    monkeypatch.setenv("BRIEF_VERIFIER", "bogus")
    with pytest.raises(BriefError, match="BRIEF_VERIFIER='bogus' is not a verifier"):
        run_pipeline(GROCER)


def test_without_the_embedding_model_the_default_falls_back_to_the_rules_and_says_so(tmp_path, monkeypatch, capsys):
    from pipeline.verify.encoder import load_encoder

    monkeypatch.setenv("BRIEF_EMBED_MODEL", str(tmp_path))  # a folder without the model's files
    load_encoder.cache_clear()
    try:
        assert main(["run", str(GROCER), "--out", str(tmp_path / "o")]) == 0
    finally:
        load_encoder.cache_clear()
    m = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert m["verifier"]["kind"] == "rules"
    assert any("falling back to the rules" in w for w in m["warnings"])


def test_with_an_endpoint_auto_is_the_models_judge_except_on_the_small_profile(tmp_path):
    with FakeOpenAIServer(newsroom) as s:  # an OpenAI-style server: the full profile
        full = run_pipeline(SEEDS, base_url=s.base_url, model="m", use_cache=False)
    assert full.brief.header.merge["profile"] == "full" and _kind(full) == "llm"
    assert full.verifier["judge_calls"] > 0
    small_model = {"meta": {"n_params": 1_543_714_304}}
    with FakeOpenAIServer(newsroom, dialect="llamacpp", model="m", model_info=small_model) as s:
        small = run_pipeline(SEEDS, base_url=s.base_url, model="m", use_cache=False)
    assert small.brief.header.merge["profile"] == "small" and _kind(small) == "embed"
    with FakeOpenAIServer(newsroom, dialect="llamacpp", model="m", model_info=small_model) as s:
        asked = run_pipeline(SEEDS, base_url=s.base_url, model="m", use_cache=False, verifier="llm")
    assert _kind(asked) == "llm"  # named, it is used on the small profile too
