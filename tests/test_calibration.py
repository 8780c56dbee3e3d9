"""Calibration of the Monte-Carlo decisions at the boundary of true claims (slow: `make
test-slow`). Each test counts how often noise alone refutes a claim that holds with equality;
the rate must not exceed α by more than binomial sampling allows."""

import pytest
import sympy as sp
import synthetic
from scipy import stats

from theorems import FiniteSet
from verify import check

pytestmark = pytest.mark.slow
RUNS = 1000
ALPHA = 0.01  # the quick profile's family-wise level


def max_allowed(runs, alpha):
    # reject the calibration only when the observed rate is implausible at rate alpha (p < 1e-4)
    return int(stats.binom.ppf(1 - 1e-4, runs, alpha))


REPLICATES = {sp.Symbol("rep", integer=True): FiniteSet(tuple(range(5)))}


def assert_calibrated(thm):
    fails = sum(check(thm, seed=s).verdict == "fail" for s in range(RUNS))
    assert fails <= max_allowed(RUNS, ALPHA)


def test_upper_bound_at_equality_refuted_at_most_alpha():
    thm = synthetic.theorem(
        "syn.eq", "upper_bound", sp.Rational(3, 10), "bernoulli_rate", REPLICATES, fixed={"p": 0.3}
    )
    assert_calibrated(thm)


def test_probability_claim_at_its_level_refuted_at_most_alpha():
    # P(U ≤ 0.95) = 0.95 exactly: the claim "≥ 0.95" holds with equality
    thm = synthetic.theorem(
        "syn.prob", "probability", sp.Rational(95, 100), "uniform_samples", REPLICATES, level=0.95
    )
    assert_calibrated(thm)
