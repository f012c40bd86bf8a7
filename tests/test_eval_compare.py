"""Prompt-change workflow: specs, per-fact changes, repeats, and the baseline gate."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_eval_metrics import GOLD, brief_of

from pipeline.evals import cli
from pipeline.evals.baseline import gate, read_baseline
from pipeline.evals.compare import parse_spec
from pipeline.models import BriefError, UsageError

GOOD = brief_of([
    ("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday."),
    ("a2", "agreements", "Putin agreed to a 30-day halt to strikes on energy infrastructure."),
])
# loses the energy halt, gains the unsaid fact
WORSE = brief_of([
    ("a1", "agreements", "Russia and Ukraine will exchange 175 prisoners each on Wednesday."),
    ("u1", "unsaid", "The two sides made no mention of territorial concessions."),
])


def fake_make(inputs, **kwargs):
    """Stands in for make_brief: the variant's prompts folder picks the brief."""
    return {"good": GOOD, "worse": WORSE}[Path(kwargs["prompts_dir"]).name]


@pytest.fixture
def gold_file(tmp_path):
    p = tmp_path / "gold.json"
    p.write_text(GOLD.model_dump_json(exclude={"path"}, exclude_none=True))
    return p


def test_parse_spec():
    s = parse_spec("engine=llm,base_url=http://h:1/v1,model=m,prompts=p/,cache=off", "B")
    assert (s.engine, s.base_url, s.model, s.prompts, s.cache) == ("llm", "http://h:1/v1", "m", "p/", False)
    kw = s.brief_kwargs()
    assert kw["engine"] == "llm" and kw["prompts_dir"] == Path("p/") and kw["use_cache"] is False
    assert parse_spec("engine=offline", "A").brief_kwargs() == {"engine": "offline", "use_cache": True}
    with pytest.raises(BriefError, match="not one of"):
        parse_spec("engine=offline,temperature=1", "A")
    with pytest.raises(BriefError, match="engine must be"):
        parse_spec("engine=gpt", "A")


def test_compare_shows_gained_and_lost(gold_file):
    out = io.StringIO()
    args = cli.compare_parser().parse_args(["--gold", str(gold_file), "--inputs", "x", "--a", "engine=offline,prompts=good",
                                            "--b", "engine=offline,prompts=worse", "--repeat", "2"])
    assert cli.cmd_compare(args, out, make=fake_make) == 0  # no baseline: nothing to gate
    text = out.getvalue()
    assert "A2     agreements   hit        miss       - lost" in text
    assert "U1     unsaid       miss       hit        + gained" in text
    assert "gained 1: U1   lost 1: A2   unchanged 2" in text
    assert "±0.000" in text  # two repeats of a deterministic variant: no spread
    # recall: A 3/5 (A1 + A2 weight 2), B 2/5
    assert any(line.startswith("recall ") and "-0.200" in line for line in text.splitlines())


def test_gate_fails_a_worse_candidate(tmp_path, gold_file):
    base = tmp_path / "baseline.json"
    args = cli.baseline_parser().parse_args(["--write", "--path", str(base), "--gold", str(gold_file), "--inputs", "good",
                                             "--no-datasets"])
    assert cli.cmd_baseline(args, io.StringIO(), make=lambda inputs, **kw: fake_make(inputs, prompts_dir=inputs)) == 0
    stored = read_baseline(base)
    assert stored.entries["unit"].metrics["recall"] == 0.6
    assert stored.entries["unit"].outcomes["A2"] == "hit"

    def run(spec: str) -> tuple[int, str]:
        out = io.StringIO()
        a = cli.compare_parser().parse_args(["--gold", str(gold_file), "--inputs", "good", "--b", spec,
                                             "--baseline", str(base), "--tolerance", "0.02"])
        return cli.cmd_compare(a, out, make=fake_make), out.getvalue()

    code, text = run("engine=offline,prompts=good")
    assert code == 0 and "gate: PASS" in text
    code, text = run("engine=offline,prompts=worse")
    assert code == 1
    assert "gate: FAIL" in text and "recall 0.600 -> 0.400 (-0.200)" in text
    # the table's verdict is the gate's, and the line that decides the exit is the last one
    recall = next(line for line in text.splitlines() if line.startswith("recall "))
    assert "FAIL" in recall and "within noise" not in recall.split("(CI")[0]
    assert text.strip().splitlines()[-1].startswith("exit 1: ") and "recall 0.600 -> 0.400" in text.splitlines()[-1]
    assert "A2     agreements   hit        miss       - lost" in text  # per-fact against the stored outcomes

    # `brief eval baseline` without --write checks a fresh run against the stored figures
    check = cli.baseline_parser().parse_args(["--path", str(base), "--gold", str(gold_file), "--inputs", "worse",
                                              "--no-datasets"])
    out = io.StringIO()
    assert cli.cmd_baseline(check, out, make=lambda inputs, **kw: fake_make(inputs, prompts_dir=inputs)) == 1
    assert "FAIL" in out.getvalue()


def test_gate_tolerance_and_missing_metrics():
    ref = {"recall": 0.5, "recall_unsaid": None, "supported_share": 1.0}
    assert gate({"recall": 0.49, "recall_unsaid": 0.0, "supported_share": 1.0}, ref, 0.02) == []
    drops = gate({"recall": 0.47, "supported_share": 0.9}, ref, 0.02)
    assert [(d.metric, d.baseline, d.candidate) for d in drops] == [("recall", 0.5, 0.47), ("supported_share", 1.0, 0.9)]


def test_compare_needs_a_reference(gold_file):
    args = cli.compare_parser().parse_args(["--gold", str(gold_file), "--inputs", "x", "--b", "engine=offline"])
    with pytest.raises(UsageError, match="--a SPEC .* or --baseline"):
        cli.cmd_compare(args, io.StringIO(), make=fake_make)


def test_compare_without_a_compares_against_the_shipped_prompts(gold_file, capsys):
    """README's command: only --b, with prompts=; A is the same spec without them, and the headers say so."""
    seen = []

    def make(inputs, **kwargs):
        seen.append(kwargs.get("prompts_dir"))
        return GOOD if kwargs.get("prompts_dir") is None else WORSE

    args = cli.compare_parser().parse_args(["--gold", str(gold_file), "--inputs", "x",
                                            "--b", "engine=llm,base_url=http://h:1/v1,model=m,prompts=my_prompts/"])
    out = io.StringIO()
    assert cli.cmd_compare(args, out, make=make) == 0
    assert seen == [Path("my_prompts/"), None]
    text = out.getvalue()
    assert "A and B differ in: prompts (shipped) -> my_prompts/" in text
    assert "A: engine=llm, model=m, base_url=http://h:1/v1, prompts=(shipped)" in text
    assert text.strip().splitlines()[-1].startswith("exit 0: no --baseline")
    # the same command line through `brief`: no --a, no prompts=: a usage error, exit 2
    from pipeline.cli import main

    assert main(["eval", "compare", "--gold", str(gold_file), "--inputs", "x", "--b", "engine=offline"]) == 2
    assert "--a SPEC" in capsys.readouterr().err


def test_gate_refuses_a_baseline_made_by_another_engine(tmp_path, gold_file, capsys):
    base = tmp_path / "baseline.json"
    args = cli.baseline_parser().parse_args(["--write", "--path", str(base), "--gold", str(gold_file), "--inputs", "good",
                                             "--no-datasets"])
    assert cli.cmd_baseline(args, io.StringIO(), make=lambda inputs, **kw: fake_make(inputs, prompts_dir=inputs)) == 0
    made = []

    def make(inputs, **kwargs):
        made.append(kwargs)
        return fake_make(inputs, **kwargs)

    def argv(spec, *extra):
        return ["--gold", str(gold_file), "--inputs", "good", "--b", spec, "--baseline", str(base), *extra]

    llm = "engine=llm,base_url=http://h:1/v1,model=m,prompts=good"
    with pytest.raises(UsageError, match=r"engine offline \(baseline\) vs llm \(B\); model - \(baseline\) vs m"):
        cli.cmd_compare(cli.compare_parser().parse_args(argv(llm)), io.StringIO(), make=make)
    with pytest.raises(UsageError, match=r"inputs good \(baseline\) vs other"):
        cli.cmd_compare(cli.compare_parser().parse_args(argv("engine=offline,prompts=good")[:3] + ["other"]
                                                        + argv("engine=offline,prompts=good")[4:]),
                        io.StringIO(), make=make)
    assert made == []  # refused before any brief is made (no model paid for)
    out = io.StringIO()
    code = cli.cmd_compare(cli.compare_parser().parse_args(argv(llm, "--allow-different-engine")), out, make=make)
    assert code == 0 and "note: gating across different set-ups" in out.getvalue()
    from pipeline.cli import main

    assert main(["eval", "compare", *argv(llm)]) == 2
    assert "--allow-different-engine" in capsys.readouterr().err


def test_a_baseline_scored_by_another_matcher_is_not_gated_against(tmp_path, gold_file):
    base = tmp_path / "baseline.json"
    write = ["--write", "--path", str(base), "--gold", str(gold_file), "--inputs", "good", "--no-datasets"]
    make = lambda inputs, **kw: fake_make(inputs, prompts_dir=inputs)  # noqa: E731
    assert cli.cmd_baseline(cli.baseline_parser().parse_args(write + ["--verifier", "rules"]), io.StringIO(),
                            make=make) == 0
    assert read_baseline(base).entries["unit"].matcher == "verify:rules"
    stored = read_baseline(base)
    stored.entries["unit"].matcher = "verify:embed"  # as recorded on a machine with the embedding model
    base.write_text(stored.model_dump_json())
    check = cli.baseline_parser().parse_args(["--path", str(base), "--gold", str(gold_file), "--inputs", "good",
                                              "--no-datasets", "--verifier", "rules"])
    with pytest.raises(BriefError, match="scored by matcher verify:embed, this run by verify:rules"):
        cli.cmd_baseline(check, io.StringIO(), make=make)
    a = cli.compare_parser().parse_args(["--gold", str(gold_file), "--inputs", "x", "--b", "engine=offline,prompts=good",
                                         "--baseline", str(base), "--verifier", "rules"])
    with pytest.raises(BriefError, match=r"matcher verify:embed \(baseline\) vs verify:rules \(B\)"):
        cli.cmd_compare(a, io.StringIO(), make=fake_make)
