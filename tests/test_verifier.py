"""The verifier interface: every backend answers supports / same_fact with a Verdict, in single and batch form."""
import pytest

from pipeline.models import BriefError
from pipeline.verify import Verdict, Verifier, get_verifier

EVIDENCE = "The city council approved a budget of 40 million dollars for road repairs on Tuesday."


def test_rules_verifier_keeps_a_close_statement_and_catches_a_wrong_figure():
    v = get_verifier("rules")
    assert isinstance(v, Verifier) and v.kind == "rules"
    ok = v.supports("The council approved a 40 million dollar budget for road repairs.", EVIDENCE)
    bad = v.supports("The council approved a 60 million dollar budget for road repairs.", EVIDENCE)
    assert isinstance(ok, Verdict) and ok.supported and 0 <= ok.score <= 1
    assert not bad.supported and "60" in bad.reason


def test_batch_form_answers_each_pair_in_order_and_a_sentence_list_is_searched():
    v = get_verifier("rules")
    doc = ["Rain fell all week in the valley.", EVIDENCE, "Residents complained about potholes."]
    got = v.supports_many([("The council approved a 60 million dollar budget for road repairs.", doc),
                           ("The city council approved a 40 million dollar budget for road repairs.", doc)])
    assert [g.supported for g in got] == [False, True]
    assert v.rank("council budget for road repairs", doc, k=1)[0][0] == 1


def test_same_fact_needs_each_side_to_carry_the_other():
    v = get_verifier("rules")
    a = "On Tuesday the council approved a 40 million dollar budget for road repairs."
    assert v.same_fact(a, EVIDENCE).supported
    assert not v.same_fact(a, "The council approved a 40 million dollar budget for road repairs and fired "
                              "the transport director over delays at the harbour bridge project.").supported


def test_auto_without_a_model_falls_back_with_a_warning_and_a_bad_kind_is_an_error():
    v = get_verifier("auto")
    assert v.kind in ("embed", "rules")
    if v.kind == "rules":
        assert any("falling back" in w for w in v.warnings)
    with pytest.raises(BriefError, match="unknown verifier"):
        get_verifier("magic")


def test_eval_support_on_a_pairs_file_reports_balanced_accuracy_by_kind(tmp_path, capsys):
    import json

    from pipeline.cli import main

    ev = "The orchestra cancelled two concerts after the conductor fell ill on Friday."
    rows = [{"claim": "Two concerts were cancelled after the conductor fell ill.", "evidence": ev, "label": 1,
             "kind": "faithful"},
            {"claim": "Five concerts were cancelled after the conductor fell ill.", "evidence": ev, "label": 0,
             "kind": "figure"},
            {"claim": "The conductor cancelled two concerts after the orchestra fell ill.", "evidence": ev, "label": 0,
             "kind": "role"}]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "figs.json"
    assert main(["eval", "support", "--pairs", str(pairs), "--verifier", "rules", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "balanced accuracy" in text and "figure" in text
    figs = json.loads(out.read_text())
    assert figs["verifier"] == "rules" and figs["by_kind"]["figure"]["right"] == 1
    assert figs["kept"] + figs["caught"] == sum(k["right"] for k in figs["by_kind"].values())
    assert 0.0 <= figs["balanced_accuracy"] <= 1.0

    pairs.write_text('{"claim": "x", "evidence": "y"}\n')  # no label
    assert main(["eval", "support", "--pairs", str(pairs), "--verifier", "rules"]) == 1
    err = capsys.readouterr().err
    assert str(pairs) in err and "line 1" in err and "Traceback" not in err
