"""The offline matcher against people, on the SummHay dev split it was tuned on (the test split is for reporting)."""
from __future__ import annotations

import pytest

from pipeline.evals.agreement import evaluate, load_human_coverage
from pipeline.evals.datasets import HUMAN_COVERAGE_FILE, evaldata_dir
from pipeline.evals.match import OfflineMatcher

DATA = evaldata_dir(required=False)


@pytest.mark.skipif(DATA is None, reason="external eval data (../shared/evaldata or $BRIEF_EVALDATA) absent")
def test_dev_agreement_does_not_regress():
    data = load_human_coverage(DATA / HUMAN_COVERAGE_FILE)
    figs = {f.rater: f for f in evaluate(data, {"offline": OfflineMatcher().match}, "dev")}["offline"]
    # measured 0.572 binary / 0.515 three-way; the scope-aware polarity check changed no SummHay verdict
    assert figs.n == 337
    assert figs.kappa_binary >= 0.56
    assert figs.kappa_3way >= 0.50
