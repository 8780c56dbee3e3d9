"""`verify calibrate`: verdict rates over seeds and reported standard errors against their
spread, on synthetic experiments of known noise (fast) and on the quick profile (slow)."""

import json
import math

import pytest
import sympy as sp
import synthetic

from numerics import Measurement
from numerics.device import numpy_rng
from theorems import FiniteSet
from verify.calibrate import SE_FACTOR, calibrate
from verify.cli import main
from verify.docs import calibration_page

REPS = {sp.Symbol("rep", integer=True): FiniteSet((0, 1))}


def understated(params, *, seed, device="cpu"):
    """A mean of 4000 uniforms whose reported standard error is a third of the true one."""
    u = numpy_rng(seed).random(4000)
    return Measurement(value=u.mean(), stderr=u.std(ddof=1) / math.sqrt(u.size) / 3)


synthetic.understated = understated


def test_rates_and_standard_errors_of_honest_and_dishonest_experiments():
    honest = synthetic.theorem(
        "syn.mean", "identity", sp.Rational(1, 2), "uniform_mean", REPS, tolerance=0.05
    )
    lying = synthetic.theorem("syn.lying", "identity", sp.Rational(1, 2), "understated", REPS)
    exact = synthetic.true_and_false()["identity exact"][0]
    run = calibrate([honest, lying, exact], 30)
    assert run.deterministic == [exact.id]
    h, lie = run.theorems
    assert h.verdicts == ["pass"] * 30 and h.unexpected == 0
    assert 1 / SE_FACTOR <= h.se_ratio <= SE_FACTOR and h.se_elements == 2
    assert lie.se_ratio == pytest.approx(3, rel=0.3) and not lie.se_ok
    assert not run.ok  # the dishonest standard error is a calibration failure
    rec = run.to_json()
    assert rec["theorems"][0]["pass"] == 30 and rec["theorems"][1]["se_ok"] is False


def test_a_whole_runs_rate_counts_seeds_with_any_false_fail():
    # an upper bound below the true frequency fails at most seeds: every such seed is a run
    # with a true-declared theorem refuted
    bad = synthetic.true_and_false()["upper bound Monte Carlo"][1]
    run = calibrate([bad], 5)
    t = run.theorems[0]
    assert t.false_fails == t.count("fail") and t.false_fails >= 4
    assert run.runs_with_a_false_fail == t.false_fails


def test_cli_calibrate_writes_a_record_the_docs_render(in_tmp, capsys, monkeypatch):
    from theorems import registry

    honest = synthetic.theorem(
        "syn.mean", "identity", sp.Rational(1, 2), "uniform_mean", REPS, tolerance=0.05
    )
    monkeypatch.setattr(registry, "_cache", {honest.id: honest})
    assert main(["calibrate", "--seeds", "1"]) == 2
    code = main(["calibrate", "syn.*", "--seeds", "6", "--json", "cal/quick.json"])
    out = capsys.readouterr().out
    assert code == 0 and "syn.mean" in out and "runs with a true theorem refuted 0/6" in out
    rec = json.loads((in_tmp / "cal" / "quick.json").read_text())
    assert rec["seeds"] == list(range(6)) and rec["theorems"][0]["id"] == "syn.mean"
    page = calibration_page([("quick", rec)], {"syn.mean"})
    assert "Calibration" in page and ":doc:`syn.mean <theorems/syn.mean>`" in page
    assert "6 seeds" in page


def test_seeds_must_be_two_or_more():
    with pytest.raises(ValueError, match="--seeds"):
        calibrate([], 1)
