"""Calibration of the Monte-Carlo decisions at the boundary of true claims. Each test counts how
often noise alone refutes a claim that holds (with equality where the kind allows it); the rate
must not exceed α by more than binomial sampling allows, at 100 and at 1000 seeds (the slow
tier: `make test-slow`)."""

import pytest
import sympy as sp
import synthetic
from scipy import stats

from theorems import FiniteSet
from verify import check

ALPHA = 0.01  # the quick profile's family-wise level
RUNS = [100, 1000]


def max_allowed(runs, alpha):
    # reject the calibration only when the observed rate is implausible at rate alpha (p < 1e-4)
    return int(stats.binom.ppf(1 - 1e-4, runs, alpha))


REPLICATES = {sp.Symbol("rep", integer=True): FiniteSet(tuple(range(5)))}


def assert_calibrated(thm, runs):
    fails = sum(check(thm, seed=s).verdict == "fail" for s in range(runs))
    assert fails <= max_allowed(runs, ALPHA), (fails, runs)


@pytest.mark.parametrize("runs", RUNS)
def test_upper_bound_at_equality_refuted_at_most_alpha(runs):
    thm = synthetic.theorem(
        "syn.eq", "upper_bound", sp.Rational(3, 10), "bernoulli_rate", REPLICATES, fixed={"p": 0.3}
    )
    assert_calibrated(thm, runs)


@pytest.mark.parametrize("runs", RUNS)
def test_probability_claim_at_its_level_refuted_at_most_alpha(runs):
    # P(U ≤ 0.95) = 0.95 exactly: the claim "≥ 0.95" holds with equality
    thm = synthetic.theorem(
        "syn.prob", "probability", sp.Rational(95, 100), "uniform_samples", REPLICATES, level=0.95
    )
    assert_calibrated(thm, runs)


@pytest.mark.parametrize("runs", RUNS)
def test_monte_carlo_identity_refuted_at_most_alpha(runs):
    # the mean of uniforms is 1/2 exactly; the claim allows no tolerance beyond the noise
    thm = synthetic.theorem("syn.mean", "identity", sp.Rational(1, 2), "uniform_mean", REPLICATES)
    assert_calibrated(thm, runs)


@pytest.mark.parametrize("runs", RUNS)
def test_limit_identity_refuted_at_most_alpha(runs):
    thm = synthetic.theorem("syn.limit", "identity", 1, "biased_mean", REPLICATES, limit="N")
    assert_calibrated(thm, runs)


@pytest.mark.parametrize("runs", RUNS)
@pytest.mark.parametrize(
    "expr, experiment, var",
    [
        (synthetic.n ** sp.Rational(-1, 2), "power_decay", synthetic.n),
        (sp.exp(-sp.Rational(3, 10) * synthetic.t), "exp_decay", synthetic.t),
        (sp.exp(-synthetic.c * synthetic.t), "exp_decay", synthetic.t),  # the form alone
    ],
)
def test_rate_claims_at_the_true_law_refuted_at_most_alpha(runs, expr, experiment, var):
    # the claimed exponent or rate is the true one (or free): the band, the encompassing-form
    # and the Vuong comparisons together must not refute it more often than α
    thm = synthetic.theorem("syn.rate", "rate", expr, experiment, REPLICATES, variable=var)
    assert_calibrated(thm, runs)


@pytest.mark.parametrize("runs", RUNS)
def test_threshold_at_the_bracket_edge_refuted_at_most_alpha(runs):
    thm = synthetic.theorem(
        "syn.thr", "threshold", 1, "noisy_brackets", REPLICATES, variable=synthetic.N
    )
    assert_calibrated(thm, runs)


@pytest.mark.parametrize("runs", RUNS)
def test_threshold_with_a_finite_size_shift_refuted_at_most_alpha(runs):
    # the smallest size's bracket is shifted off the limit; the claim sits on the largest's edge
    thm = synthetic.theorem(
        "syn.thr_shift", "threshold", 1, "shifted_brackets", REPLICATES, variable=synthetic.N
    )
    assert_calibrated(thm, runs)
