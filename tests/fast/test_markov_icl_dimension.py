"""markov.icl_dimension: the growth in d of the in-context risk's constant (Fig. 7, App. E.1.2).
The estimators' per-trajectory risks against markov_icl's running averages, the exponents and
their delta-method errors against exact power laws and a bootstrap, the counting constant
against its leading-order closed form, the verdict and its reversal, and bad input."""

import math

import numpy as np
import pytest
import sympy as sp
import torch

import theorems
from numerics.lm import random_chains, sample_paths
from numerics.markov_icl import estimator_risks
from numerics.markov_icl_dimension import (
    counting_leading_order,
    growth_exponents,
    icl_dimension,
    last_position_risks,
    reference_exponents,
    slope_weights,
)
from verify import decide
from verify.engine import _decide_point
from verify.profiles import get_profile

ID = "markov.icl_dimension"
QUICK = get_profile("quick")
MEASURED = {}


def quick_measurement():
    """The quick profile's measurement at seed 0 (the shipped 2000-step models, d = 3, 5, 8)."""
    if not MEASURED:
        t = theorems.get(ID)
        MEASURED["m"] = icl_dimension({**t.fixed_for("quick"), "N_icl": 256}, seed=0)
    return MEASURED["m"]


def verdict(theorem, meas):
    """The verdict the engine gives ``theorem`` on ``meas`` at its one point (N_icl = 256)."""
    d, _ = _decide_point(theorem, {"N_icl": 256}, meas, QUICK.alpha)
    return decide.aggregate([d], QUICK.alpha_refute).verdict


def _paths(d, reps, length, seed):
    gen = torch.Generator().manual_seed(seed)
    P = random_chains(reps, d, gen)
    return sample_paths(P, length, gen), P


@pytest.mark.parametrize("d", [2, 4, 7])
def test_last_position_risks_average_to_markov_icls_running_risk(d):
    x, P = _paths(d, 300, 40, seed=d)
    mine = last_position_risks(x, P)
    theirs = estimator_risks(x, P.double())
    for name in ("counting", "laplace"):
        assert mine[name].shape == (300,)
        assert mine[name].mean() == pytest.approx(float(theirs[name][-1]), rel=1e-12, abs=1e-15)


def test_exponents_of_exact_power_laws():
    rng = np.random.default_rng(0)
    base = rng.gamma(2.0, size=500)
    samples = {
        d: {"model": base * d**0.3, "counting": base[::-1] * 2 * d**0.9, "laplace": base * d}
        for d in (3, 5, 8, 12)
    }
    fit = growth_exponents(samples)
    assert fit["d"] == [3, 5, 8, 12]
    assert fit["model"]["exponent"] == pytest.approx(0.3, abs=1e-12)
    assert fit["counting"]["exponent"] == pytest.approx(0.9, abs=1e-12)
    assert fit["model_minus_counting"]["exponent"] == pytest.approx(-0.6, abs=1e-12)
    assert fit["model_minus_laplace"]["exponent"] == pytest.approx(-0.7, abs=1e-12)
    # model and add-one are the same draws scaled: their log ratio has no noise at all
    assert fit["model_minus_laplace"]["stderr"] < 1e-8  # sqrt of a rounding-level variance


def test_delta_method_stderr_agrees_with_a_bootstrap_over_trajectories():
    rng = np.random.default_rng(1)
    n, ds = 800, (3, 5, 8)
    samples = {}
    for d in ds:
        shared = rng.gamma(3.0, size=n)  # the trajectory's difficulty, common to both
        samples[d] = {
            "model": shared * d**0.4 + rng.gamma(1.0, size=n),
            "counting": shared * d**0.8 + rng.gamma(1.0, size=n),
        }
    fit = growth_exponents(samples)
    boot = []
    for _ in range(400):
        resampled = {}
        for d in ds:
            i = rng.integers(0, n, n)  # resample trajectories, the pairs kept
            resampled[d] = {k: v[i] for k, v in samples[d].items()}
        boot.append(growth_exponents(resampled)["model_minus_counting"]["exponent"])
    assert fit["model_minus_counting"]["stderr"] == pytest.approx(np.std(boot), rel=0.15)


def test_reference_exponents_over_the_design_ranges():
    for ds in ((3, 5, 8), (3, 5, 8, 12), (3, 5, 8, 12, 20)):
        ref = reference_exponents(ds)
        x = np.log(ds)
        assert ref["sqrt_log_d"] == pytest.approx(np.polyfit(x, 0.5 * np.log(x), 1)[0])
        assert ref["sqrt_d"] == pytest.approx(0.5) and ref["d"] == pytest.approx(1.0)
        # the proof step sqrt_log_d_below: a weighted mean of 1/(2 log d) over d ≥ 3
        assert 1 / (2 * math.log(max(ds))) < ref["sqrt_log_d"] < 0.46
        # the counting constant's leading order grows faster than √d, and tends to d (exponent 1)
        assert 1.0 < ref["counting_leading_order"] < 1.5
    assert counting_leading_order(10**6) / 10**6 == pytest.approx(1 / (2 * math.sqrt(2)), rel=1e-5)


@pytest.mark.parametrize("d", [3, 5])
def test_counting_constant_near_its_leading_order_closed_form(d):
    """½√(2/π)·√d·E Σ_j √(p_j(1 − p_j)) (rows visited ≈ N/d times): 0.81 at d = 3, 1.53 at 5."""
    x, P = _paths(d, 3000, 256, seed=10 + d)
    measured = last_position_risks(x, P)["counting"].mean() * 16
    k = sp.Integer(d - 2)
    row = (k + 2) * (k + 1) * sp.gamma(sp.Rational(3, 2)) * sp.gamma(k + sp.Rational(3, 2))
    row /= sp.gamma(k + 3)
    predicted = float(sp.sqrt(2 / sp.pi) / 2 * sp.sqrt(d) * row)
    assert counting_leading_order(d) == pytest.approx(predicted, rel=1e-12)
    assert measured == pytest.approx(predicted, rel=0.1)


def test_bad_input_is_refused_with_a_reason():
    base = {"reps": 16, "pretrain_steps": 2000, "N_icl": 256}
    with pytest.raises(ValueError, match="two distinct state counts"):
        icl_dimension({**base, "icl_models": (3, 3)}, seed=0)
    with pytest.raises(ValueError, match="N_icl must be"):
        icl_dimension({**base, "icl_models": (3, 5), "N_icl": 300}, seed=0)
    with pytest.raises(ValueError, match="reps must be"):
        icl_dimension({**base, "icl_models": (3, 5), "reps": 1}, seed=0)
    with pytest.raises(ValueError, match="two distinct"):
        slope_weights([4])
    x, P = _paths(3, 4, 10, seed=0)
    with pytest.raises(ValueError, match="shape"):
        last_position_risks(x, P[:2])
    t = theorems.get(ID)
    with pytest.raises(ValueError, match="N_icl"):
        t.check_assumptions({"N_icl": 512})


def test_quick_measurement_passes_and_its_reversal_and_a_stronger_level_fail():
    m = quick_measurement()
    r = m.raw
    assert r["d"] == [3, 5, 8] and r["N_icl"] == 256 and r["pretrain_steps"] == 2000
    fit_m, fit_c = r["exponent_model"]["exponent"], r["exponent_counting"]["exponent"]
    assert m.value == pytest.approx(fit_m - fit_c, abs=1e-12)
    for row in r["constants"].values():
        assert set(row) == {"model", "counting", "laplace"}
        assert all(0 < v["constant"] < 16 and v["stderr"] > 0 for v in row.values())
    t = theorems.get(ID)
    assert verdict(t, m) == "pass"
    # the reversed claim: the model's exponent at least the counting estimator's
    assert verdict(t.with_claim(kind="lower_bound"), m) == "fail"
    # a level past the resolution: the difference below −0.1 (measured −0.04 ± 0.008)
    assert verdict(t.with_claim(expr=sp.Rational(-1, 10)), m) == "fail"
