"""The two LLM profiles (issue 21), over real HTTP against the scripted servers: `--profile small|full`, the
default (small for a local llama.cpp server with a small model, else full) recorded in the manifest, and the
full profile's flow: atomic claims, groups, the model's own statements kept only where the verifier and the
role/speaker checks let them stand, the rules' items as the floor."""
import json
from pathlib import Path

import pytest

from capable_llm import CapableModel, load_answers
from fake_openai_server import FakeOpenAIServer
from pipeline.cli import main
from pipeline.models import BriefError
from pipeline.run import make_brief, run_pipeline
from pipeline.sections.roles import role_problem
from pipeline.verify import get_verifier
from scripted_llm import newsroom

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GROCER = ROOT / "evals" / "corpora" / "grocer-results"
ANSWERS = Path(__file__).resolve().parent / "data" / "capable"


@pytest.fixture(autouse=True)
def _no_profile_pinned(monkeypatch):
    monkeypatch.delenv("BRIEF_PROFILE", raising=False)  # conftest pins small for the older tests


def _manifest(tmp_path, *flags, **server):
    out = tmp_path / "out"
    with FakeOpenAIServer(newsroom, **server) as s:
        rc = main(["run", str(SEEDS), "--out", str(out), "--base-url", s.base_url, "--model", "m", "--no-cache",
                   *flags])
    assert rc == 0
    return json.loads((out / "manifest.json").read_text())


def test_profile_flag_and_default_are_recorded_in_the_manifest(tmp_path):
    small = _manifest(tmp_path / "s", "--profile", "small")
    assert small["profile"] == {"profile": "small", "profile_reason": "--profile", "verifier": "rules"}
    assert set(small["prompt_versions"]) == {"merge_sections"}
    full = _manifest(tmp_path / "f")  # an OpenAI-style server: the card's flow
    assert full["profile"]["profile"] == "full" and full["profile"]["profile_reason"] == "default"
    assert set(full["prompt_versions"]) == {"extract_atomic", "write_groups"}
    assert full["merge"]["claims_dropped_for_budget"] == 0 and full["merge"]["atomic_claims"] > 0


def test_a_local_llama_cpp_server_with_a_small_model_defaults_to_small(tmp_path):
    m = _manifest(tmp_path / "l", dialect="llamacpp", model="m", model_info={"meta": {"n_params": 1_543_714_304}})
    assert m["profile"]["profile"] == "small" and "llama.cpp" in m["profile"]["profile_reason"]
    # a big model on the same server keeps the full profile
    big = _manifest(tmp_path / "b", dialect="llamacpp", model="m", model_info={"meta": {"n_params": 70_000_000_000}})
    assert big["profile"]["profile"] == "full"


def test_brief_profile_in_the_environment_is_the_default_and_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_PROFILE", "small")
    m = _manifest(tmp_path / "e")
    assert m["profile"]["profile"] == "small" and m["profile"]["profile_reason"] == "BRIEF_PROFILE"
    monkeypatch.setenv("BRIEF_PROFILE", "tiny")
    with pytest.raises(BriefError, match="BRIEF_PROFILE='tiny' is not a profile"):
        with FakeOpenAIServer(newsroom) as s:
            run_pipeline(SEEDS, base_url=s.base_url, model="m", use_cache=False)


def test_the_full_profile_says_it_ignores_the_small_profiles_options(tmp_path, capsys):
    m = _manifest(tmp_path / "f", "--profile", "full", "--merge-batch", "3", "--extract", "model")
    said = [w for w in m["warnings"] if "ignores" in w]
    assert said == ["profile full (--profile) ignores --extract model, --merge-batch 3: they apply to --profile small"]
    assert said[0] in capsys.readouterr().err
    # not given, or given to the small profile: nothing to say
    assert not [w for w in _manifest(tmp_path / "d")["warnings"] if "ignores" in w]
    small = _manifest(tmp_path / "s", "--profile", "small", "--merge-batch", "3", "--extract", "model")
    assert not [w for w in small["warnings"] if "ignores" in w] and small["profile"]["profile"] == "small"


def test_an_unknown_profile_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(BriefError, match="unknown --profile 'huge'"):
        make_brief(SEEDS, engine="llm", base_url="http://127.0.0.1:9/v1", model="m", profile="huge")
    with pytest.raises(SystemExit):
        main(["run", str(SEEDS), "--out", str(tmp_path / "o"), "--profile", "huge"])
    assert "invalid choice: 'huge'" in capsys.readouterr().err


def test_full_profile_keeps_the_rules_floor_and_cites_only_sentences(tmp_path):
    with FakeOpenAIServer(newsroom) as s:
        r = run_pipeline(SEEDS, base_url=s.base_url, model="m", use_cache=False, profile="full")
    b = r.brief
    texts = {src.id: src.text for src in b.sources}
    assert b.agreements and b.unsaid
    for item in b.items():
        assert item.evidence and all(texts[e.doc_id][e.start:e.end] == e.quote for e in item.evidence)
    merge = b.header.merge
    assert merge["statements_kept"] > 0 and merge["rules_floor_items"] >= 0
    assert {i.origin for i in b.items()} <= {"model", "rules"}


# --- the scripted capable model -------------------------------------------------------------------------

def _run_capable(story: Path, answers: list[dict], verifier: str):
    with FakeOpenAIServer(CapableModel(answers)) as s:
        r = run_pipeline(story, base_url=s.base_url, model="m", use_cache=False, profile="full", verifier=verifier)
    shown = {i.statement: i for i in r.brief.items()}
    good = [a for a in answers if a["good"]]
    kept = [a for a in good if a["statement"] in shown and shown[a["statement"]].origin == "model"]
    bad_shown = [a for a in answers if not a["good"] and a["statement"] in shown]
    return r, kept, good, bad_shown


def _kinds():
    out = ["rules"]
    try:
        get_verifier("embed")
        out.append("embed")
    except BriefError:
        pass
    return out


# good grocer statements shown in their own words, as measured (of 13). With embed, one good statement ("plans
# to cut 1,200 jobs and shut 40 of its stores") gives a figure the floor's divergence disputes (one outlet says 60
# shops; the embedding model reads the two as one measure), so it is no agreement (sections/enforce)
MEASURED_GROCER = {"rules": 13, "embed": 12}


@pytest.mark.parametrize("verifier", _kinds())
def test_capable_model_bad_statements_are_never_shown_on_a_non_seed_story(verifier):
    answers = load_answers(ANSWERS / "grocer-results.json")
    assert {a["kind"] for a in answers if not a["good"]} == {"figure not in the sources", "claim no sentence makes",
                                                             "wrong speaker", "reversed roles"}
    r, kept, good, bad_shown = _run_capable(GROCER, answers, verifier)
    assert bad_shown == []
    texts = [src.text for src in r.brief.sources]
    for a in kept:  # in the model's own words: no source carries the statement
        assert not any(a["statement"] in t for t in texts)
    # what was rejected is named, with why, in the manifest's figures
    rejected = {d["statement"] for d in r.brief.header.merge["rejected_statements"]}
    assert {a["statement"] for a in answers if not a["good"]} <= rejected
    assert len(kept) >= MEASURED_GROCER[verifier]  # the ratchet; the goal is in the next test


@pytest.mark.parametrize("verifier", _kinds())
def test_capable_model_keeps_nine_in_ten_good_statements(verifier):
    for story, name in ((GROCER, "grocer-results"), (SEEDS, "seeds")):
        _r, kept, good, _bad = _run_capable(story, load_answers(ANSWERS / f"{name}.json"), verifier)
        assert len(kept) >= 0.9 * len(good), (name, [a["statement"] for a in good if a not in kept])


@pytest.mark.parametrize("verifier", _kinds())
def test_capable_model_bad_statements_on_the_seeds(verifier):
    _r, _kept, _good, bad_shown = _run_capable(SEEDS, load_answers(ANSWERS / "seeds.json"), verifier)
    assert bad_shown == []


def test_a_wrong_answer_file_statement_is_caught_by_the_checks_not_by_the_server():
    # the capable server returns whatever the file says: a bad statement moved to "good" is still dropped
    answers = load_answers(ANSWERS / "grocer-results.json")
    planted = next(a for a in answers if not a["good"] and a.get("kind") == "figure not in the sources")
    flipped = [{**a, "good": True} if a is planted else a for a in answers]
    _r, kept, _good, _bad = _run_capable(GROCER, flipped, "rules")
    assert planted["statement"] not in {a["statement"] for a in kept}


# --- the role and speaker checks, on text that is not about any corpus ---------------------------------

@pytest.mark.parametrize("statement, quotes, caught", [
    ("Harlow sued Benton over the missing shipment.", ["Benton sued Harlow over the missing shipment."], True),
    ("Benton sued Harlow over the missing shipment.", ["Benton sued Harlow over the missing shipment."], False),
    ("Harlow was sued by Benton over the shipment.", ["Benton sued Harlow over the missing shipment."], False),
    ("Mayor Ortiz said the depot will close in May.", ["The depot will close in May, union leader Kim Dale said."],
     True),
    ("Kim Dale said the depot will close in May.", ["The depot will close in May, union leader Kim Dale said."],
     False),
    ("The union said the depot will close.", ["\u201cIt closes in May,\u201d said the union's leader, Kim Dale."],
     False),
    ("Quarry Lane will close in May.", ["Quarry Lane will close in May, the council said."], False),
])
def test_role_and_speaker_checks(statement, quotes, caught):
    assert (role_problem(statement, quotes) is not None) == caught


@pytest.mark.parametrize("name, reply", [("extract_atomic", "AtomicOutput"), ("write_groups", "WrittenOutput")])
def test_the_full_profiles_prompts_show_one_complete_json_answer(name, reply):
    from pipeline.llm import full_replies
    from pipeline.llm.prompts import load_prompt

    answers = [ln.split("Answer: ", 1)[1] for ln in load_prompt(name).system.splitlines() if ln.startswith("Answer: ")]
    assert len(answers) == 1
    getattr(full_replies, reply).model_validate(json.loads(answers[0]))  # every field, valid against the reply


# --- the floor, the proposals, and answers that do not hold -------------------------------------------------

def _silent_writer(request):
    """Extracts like the newsroom, then writes nothing: every group is left to the rules."""
    if "<groups>" in request["messages"][-1]["content"] and "atomic claims" not in request["messages"][0]["content"]:
        return {"items": []}
    return newsroom(request)


def _lying_writer(request):
    """Writes, for every group, a statement no source makes, citing ids it was shown and ids it was not."""
    out = newsroom(request)
    if "items" in out:
        for k, item in enumerate(out["items"]):
            item["statement"] = "The harbour authority banned all fishing boats for a decade."
            item["ids"] = item["ids"] + [999_999 + k]
    return out


@pytest.mark.parametrize("story", [SEEDS, GROCER], ids=["seeds", "grocer-results"])
def test_groups_the_model_leaves_out_keep_the_rules_items(story):
    with FakeOpenAIServer(_silent_writer) as s:
        r = run_pipeline(story, base_url=s.base_url, model="m", use_cache=False, profile="full")
    b = r.brief
    merge = b.header.merge
    assert merge["write_calls"] >= 1 and merge["statements_written"] == 0
    # what the model wrote and was kept is only the settled claims (one claim, the model's own words at
    # extraction); every group it was asked about and left out is the rules' again
    assert sum(i.origin == "model" for i in b.items()) <= merge["groups_settled"]
    assert any(i.origin == "rules" and i.independent_sources >= 2 for i in b.items())
    assert all("rules' item" in " ".join(i.checks) for i in b.items() if i.origin == "rules")


@pytest.mark.parametrize("story", [SEEDS, GROCER], ids=["seeds", "grocer-results"])
def test_a_statement_no_source_makes_is_dropped_and_its_sentences_fall_back(story):
    with FakeOpenAIServer(_lying_writer) as s:
        r = run_pipeline(story, base_url=s.base_url, model="m", use_cache=False, profile="full")
    b = r.brief
    assert not any("fishing" in i.statement for i in b.items())
    rejected = b.header.merge["rejected_statements"]
    assert rejected and all("fishing" in d["statement"] for d in rejected)
    assert b.agreements  # the rules' items for those groups stand


class _Says:
    """A verifier that answers same_fact from a fixed list (the proposals' input, not the pipeline's client)."""

    def __init__(self, same: set[frozenset[str]]):
        self.same = same

    def same_fact_many(self, pairs):
        from pipeline.verify import Verdict

        return [Verdict(supported=frozenset((a, b)) in self.same, score=1.0) for a, b in pairs]


def test_same_fact_joins_groups_the_words_alone_keep_apart():
    from pipeline.models import Claim
    from pipeline.sections.full import propose

    a = Claim(id="1", statement="The ferry operator cancelled every crossing on Sunday.", doc_id="d1")
    b = Claim(id="2", statement="No crossings ran on Sunday after the company called off its sailings.", doc_id="d2")
    c = Claim(id="3", statement="Harbour fees will rise by 4% next spring.", doc_id="d3")
    group_of = {"d1": 0, "d2": 1, "d3": 2}.__getitem__
    apart, joined = propose([a, b, c], group_of, _Says(set()))
    assert joined == 0 and len(apart) == 3
    together, joined = propose([a, b, c], group_of, _Says({frozenset((a.statement, b.statement))}))
    assert joined == 1 and sorted(len(g) for g in together) == [1, 2]


def _is_write(body: dict) -> bool:
    return "[P" in body["messages"][-1]["content"] and "<groups>" in body["messages"][-1]["content"]


@pytest.mark.parametrize("fault", ["503", "truncated"])
def test_a_write_call_that_fails_for_good_costs_its_groups_only(fault):
    with FakeOpenAIServer(newsroom, fault_for=lambda body: fault if _is_write(body) else None) as s:
        r = run_pipeline(SEEDS, base_url=s.base_url, model="m", use_cache=False, profile="full",
                         llm_options={"retry_base_seconds": 0.01, "max_retries": 1})
    b = r.brief
    merge = b.header.merge
    assert merge["failed_write_calls"] and merge["statements_written"] == 0
    assert b.agreements and any(i.origin == "rules" and i.independent_sources >= 2 for i in b.items())
    assert any("write" in w or "groups" in w for w in b.header.warnings)  # named once, with what stood in
