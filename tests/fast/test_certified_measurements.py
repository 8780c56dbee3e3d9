"""Certified measurements (numerics/certified.py, issue 18 §3): each ball encloses the float64
path's value within that path's error bound, agrees with independent references (brute force,
published values, closed forms), and the engine reports ``certified`` only where the
enclosures decide the claim, never for a false one."""

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb

from numerics import Measurement
from numerics import certified as C
from numerics import emergence as em
from numerics.markov import (
    LanguageModelChain,
    log_epsilon,
    log_epsilon_bruteforce,
    log_epsilon_error,
    random_logits,
)
from numerics.markov_experiments import LLM_TABLE, approximation_error, models_in_figure_range
from numerics.uat import lora_optimal


def _contains(ball_lo_hi, value, slack=0.0):
    lo, hi = ball_lo_hi
    return lo - slack <= value <= hi + slack


@pytest.mark.parametrize(
    "T,K,B,tau", [(2, 1, 0.0, 0.1), (3, 2, 5.0, 0.7), (2, 5, 3.0, 1.0), (5, 2, 20.0, 0.3)]
)
def test_log_epsilon_ball_holds_the_float64_value_and_the_brute_force_one(T, K, B, tau):
    table = random_logits(T, K, scale=B, seed=T * 10 + K)
    chain = LanguageModelChain.from_logits(table, tau)
    ball = C.log_epsilon(table.logits[-1], T, K, tau)
    enc = C.bounds(ball)
    assert float(ball.rad()) < 1e-20 * max(1.0, abs(enc[0]))
    err = log_epsilon_error(chain, B, tau)
    assert _contains(enc, log_epsilon(chain), err)
    assert _contains(enc, log_epsilon_bruteforce(chain), 1e-12 * abs(enc[0]) + 1e-12)


def test_log_epsilon_is_exact_for_uniform_logits_and_float_ball_rounds_outward():
    z = np.zeros((9, 3))
    assert C.uniform_epsilon(z, 3, 2) == Fraction(1, 9)
    assert C.uniform_epsilon(random_logits(3, 2, scale=1.0, seed=0).logits[-1], 3, 2) is None
    ball = C.log_epsilon(z, 3, 2, 0.5)
    assert ball.contains(2 * arb(1 / 3).log()) or ball.overlaps(-2 * arb(3).log())
    mid, rad = C.float_ball(ball)
    assert arb(mid, rad).contains(ball)
    for x in (arb(1) / 3, arb(2).sqrt() * 1e10, -arb(3).log() * 1e-40):
        mid, rad = C.float_ball(x)
        assert arb(mid, rad).contains(x)
        lo, hi = C.bounds(x)
        assert arb(lo).union(arb(hi)).contains(x)


@pytest.mark.parametrize(
    "deg,published",
    [({3: 1.0}, 0.818469), ({2: 0.5, 3: 0.28, 8: 0.22}, 0.938), ({2: 0.4, 5: 0.6}, None)],
)
def test_g_star_is_a_certified_global_minimum_matching_the_solver(deg, published):
    ball = C.g_star(deg)
    lo, hi = C.bounds(ball)
    assert float(ball.rad()) < 1e-12
    assert _contains((lo, hi), em.threshold_G(deg), 1e-10)
    if published is not None:
        assert abs(ball.mid() - published) < 10 ** -(len(str(published)) - 2)
    # the objective at a fine grid never goes below the certified floor
    p = np.linspace(1e-6, 1 - 1e-6, 20001)
    G = -np.log1p(-p) / (em.mean_degree(deg) * em.edge_gf(deg, p))
    assert G.min() >= lo - 1e-12


def test_g_star_x2_is_exactly_one_half_and_degree_one_is_refused():
    assert C.g_star({2: 1.0}) == C.exact(Fraction(1, 2))
    assert C.bounds(C.threshold({3: 1.0}))[0] == pytest.approx(1.221793, abs=1e-6)
    with pytest.raises(ValueError, match="degree ≥ 2"):
        C.g_star({1: 0.2, 3: 0.8})


@pytest.mark.parametrize("d", [2.8, 4.0, 5.0, 9.0])
def test_poisson_threshold_ball_matches_mpmath(d):
    ball = C.poisson_threshold(d)
    lo, hi = C.bounds(ball)
    assert float(ball.rad()) < 1e-15
    assert _contains((lo, hi), em.poisson_threshold(d), 1e-13)
    # an independent check: x* solves −x ln x = 1/d, R* = (−ln x*) e^{d x*}/d
    with mpmath.workdps(40):
        x = mpmath.findroot(lambda t: -t * mpmath.log(t) - 1 / mpmath.mpf(d), 0.9)
        assert _contains((lo, hi), float(-mpmath.log(x) * mpmath.exp(d * x) / d), 1e-14)
    with pytest.raises(ValueError, match="d > e"):
        C.poisson_threshold(2.7)


def test_percolation_threshold_is_r_over_lambda_second_derivative():
    ball = C.percolation_threshold({3: 1.0}, 1.0)
    assert ball.contains(arb(1) / 6) or float(ball.rad()) < 1e-28
    assert _contains(C.bounds(ball), 1 / 6)
    lo, hi = C.bounds(C.percolation_threshold({2: 0.5, 4: 0.5}, 2.0))
    assert lo <= 2 / (0.5 * 2 + 0.5 * 12) <= hi


def test_fig1_epsilons_enclose_the_bisection_and_the_count_is_exact():
    for v in LLM_TABLE.values():
        lo, hi = C.bounds(C.sample_complexity_epsilon(*v))
        assert _contains((lo, hi), approximation_error(*v), 1e-10 * hi)
    m = models_in_figure_range({}, seed=0)
    assert m.exact and m.value == 8
    assert set(m.raw["epsilon_certified"]) == set(LLM_TABLE)


def test_singular_values_certified_against_numpy_and_repeated_ones_refused():
    A = np.random.default_rng(3).standard_normal((12, 7))
    sv = C.singular_values(A)
    ref = np.linalg.svd(A, compute_uv=False)
    for ball, s in zip(sv, ref, strict=True):
        assert _contains(C.bounds(ball), s, 1e-13 * ref[0])
    with pytest.raises(RuntimeError, match="isolate"):
        C.singular_values(np.eye(3))


@pytest.mark.parametrize("norm", ["spectral", "frobenius"])
def test_lora_tail_float64_within_its_bound_of_the_certified_tail(norm):
    m = lora_optimal({"rows": 16, "cols": 16, "r": 4, "norm": norm}, seed=5)
    enc = m.raw["tail_certified"]
    assert enc is not None and enc[1] - enc[0] < 1e-12 * enc[1]
    assert _contains(enc, m.inputs["tail"], m.error_bound)
    assert _contains(enc, m.value, m.error_bound)


# -- the engine's certified decisions --------------------------------------------------------


def _bound_theorem(expr, kind="lower_bound", params=None):
    from theorems import Claim, Source, Theorem
    from theorems.domains import FiniteSet

    a = sp.Symbol("a", real=True)
    return Theorem(
        id="t.certified",
        title="t",
        source=Source("p", "l", kind="original"),
        parameters=params or {a: FiniteSet((2.0,))},
        assumptions=(),
        claim=Claim(kind, expr(a), measured="m"),
        experiment="x",
    )


def test_certified_bound_needs_enclosures_on_the_claims_side():
    from verify.kinds.certified import certified_bound

    th = _bound_theorem(lambda a: 1 / a)  # claim: measured ≥ 1/2 at a = 2
    above = Measurement(value=0.6, error_bound=1e-3, certified=True)
    assert certified_bound(th, {"a": 2.0}, above)
    touching = Measurement(value=0.5, error_bound=1e-3, certified=True)
    assert not certified_bound(th, {"a": 2.0}, touching)  # straddles: undecided
    tie = Measurement(value=0.5, error_bound=1e-3, certified=True, exact_value=Fraction(1, 2))
    assert certified_bound(th, {"a": 2.0}, tie)  # attained exactly
    wrong_tie = Measurement(value=0.5, error_bound=0.2, certified=True, exact_value=Fraction(1, 3))
    assert not certified_bound(th, {"a": 2.0}, wrong_tie)
    below = Measurement(value=0.4, error_bound=1e-3, certified=True)
    assert not certified_bound(th, {"a": 2.0}, below)
    assert not certified_bound(th, {"a": 2.0}, Measurement(value=0.6, error_bound=1e-3))
    upper = _bound_theorem(lambda a: 1 / a, kind="upper_bound")
    assert certified_bound(
        upper, {"a": 2.0}, Measurement(value=0.4, error_bound=1e-3, certified=True)
    )
    # in log scale: log ε against log of the claimed value
    logm = Measurement(value=math.log(0.6), error_bound=1e-9, log=True, certified=True)
    assert certified_bound(th, {"a": 2.0}, logm)


def test_temperature_floor_checks_come_back_certified_and_a_false_floor_does_not():
    import theorems
    from verify.engine import check

    t = theorems.get("markov.temperature_floor")
    r = check(t, profile="quick", seed=0)
    assert r.verdict == "pass" and r.strength == "certified"
    false = t.with_claim(expr=t.claim.expr * 3)  # ε ≥ 3·floor fails at B = 0 (ε = floor)
    r = check(false, profile="quick", seed=0)
    assert r.verdict == "fail" and r.strength != "certified"


def test_threshold_experiments_report_the_certified_limits():
    from numerics.emergence_experiments import _certified_limit, _certified_percolation

    lo, hi = _certified_limit({"d": 4.0})
    assert lo <= em.poisson_threshold(4.0) <= hi
    assert _certified_limit({"d": 2.0}) is None  # no jump below e
    lo, hi = _certified_limit({"dist": "x3", "Lambda": {"x3": {3: 1.0}}})
    assert lo <= 1.2217931327672213 <= hi
    lo, hi = _certified_percolation({"dist": "x3", "Lambda": {"x3": {3: 1.0}}, "R": 1.0})
    assert lo <= 1 / 6 <= hi
