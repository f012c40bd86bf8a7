"""Bootstrap CIs of metric deltas: a change inside the noise is not called a gain; the compare table says so."""
from __future__ import annotations

import io
from pathlib import Path

from pipeline.evals import cli
from pipeline.evals.bootstrap import paired, unpaired
from pipeline.evals.gold import GoldFact, GoldSet
from test_eval_precision import brief as harbour_brief, sentences, HARBOUR


def test_one_fact_of_twenty_is_noise_and_ten_are_a_gain():
    a = [0.0] * 20
    one = [1.0] + [0.0] * 19
    ten = [1.0] * 10 + [0.0] * 10
    assert paired(a, one).verdict == "within noise" and paired(a, one).delta == 0.05
    assert paired(a, ten).verdict == "gain" and paired(ten, a).verdict == "loss"
    assert paired(a, ten) == paired(a, ten)  # fixed seed: the same interval every time
    assert paired([], []) is None and unpaired([], [1.0]) is None


def test_weights_count_in_the_paired_delta():
    assert paired([0.0, 0.0], [1.0, 0.0], [3.0, 1.0]).delta == 0.75


def test_unpaired_item_metric_interval():
    assert unpaired([1.0] * 10, [0.0] * 10).verdict == "loss"
    assert unpaired([1.0, 0.0] * 5, [0.0, 1.0] * 5).verdict == "within noise"


def test_compare_reports_an_interval_and_a_verdict_per_metric(tmp_path):
    gold = GoldSet(corpus="harbour", facts=[
        GoldFact(id="A1", section="agreements", text="Dock workers will strike for three days next week."),
        GoldFact(id="U1", section="unsaid", text="No new contract was offered before the deadline.")])
    path = tmp_path / "gold.json"
    path.write_text(gold.model_dump_json(exclude={"path"}, exclude_none=True))
    sents = sentences(HARBOUR)
    shuffled = harbour_brief(quotes={k: ("h", "harbour.txt", HARBOUR, sents[(k + 1) % 4]) for k in range(4)})
    briefs = {"good": harbour_brief(), "shuffled": shuffled}

    def make(inputs, **kwargs):
        return briefs[Path(kwargs["prompts_dir"]).name]

    out = io.StringIO()
    args = cli.compare_parser().parse_args(["--gold", str(path), "--inputs", "x", "--a", "engine=offline,prompts=good",
                                            "--b", "engine=offline,prompts=shuffled"])
    assert cli.cmd_compare(args, out, make=make) == 0
    rows = {line.split()[0]: line for line in out.getvalue().splitlines() if line[:1].isalpha()}
    assert "-1.000" in rows["citation_precision"] and rows["citation_precision"].endswith("loss")
    assert rows["recall"].endswith("no change")
    assert "95% CI" in out.getvalue()
