"""Dynamic UAT: the identities (symbolic and float64), the classical results, and the verifier's
rejection of false variants."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import theorems
from numerics import uat
from verify import check


def rng(seed):
    return np.random.default_rng(seed)


@given(st.integers(2, 8), st.integers(1, 6), st.integers(0, 10**6))
def test_changing_only_the_context_changes_w_and_theta(n, d, seed):
    g = rng(seed)
    X, WQ, WK, WV, W1, b1, W2, b2 = uat._block_params(n, d, 8, g)
    _, _, w, theta = uat.block_forms(X, n - 1, WQ, WK, WV, W1, b1, W2, b2)
    X2 = X.copy()
    X2[: n - 1] += g.standard_normal((n - 1, d))  # the context moves, the token x_n stays
    direct, form, w2, theta2 = uat.block_forms(X2, n - 1, WQ, WK, WV, W1, b1, W2, b2)
    assert np.allclose(direct, form, atol=1e-10)
    # w moves through A_nn only, θ through the other tokens: both change (beyond round-off)
    assert np.abs(w - w2).max() > 1e-12 * np.abs(w).max()
    assert np.abs(theta - theta2).max() > 1e-12 * np.abs(theta).max()


def test_the_kronecker_order_matters():
    # the wrong order for column-major vec is far outside the error bound
    g = rng(1)
    X = g.standard_normal((4, 3))
    A = uat.attention(X, g.standard_normal((3, 3)), g.standard_normal((3, 3)))
    W = g.standard_normal((3, 3))
    right = np.kron(W.T, A) @ X.reshape(-1, order="F")
    wrong = np.kron(A, W.T) @ X.reshape(-1, order="F")
    target = (A @ X @ W).reshape(-1, order="F")
    assert np.allclose(right, target) and not np.allclose(wrong, target)


@pytest.mark.parametrize(
    "theorem_id, point",
    [
        ("uat.attention_linear_form", {"n": 16, "d": 8, "layout": "column"}),
        ("uat.dynamic_form", {"n": 8, "d": 4, "h": 8}),
    ],
)
def test_identities_off_by_a_little_fail(theorem_id, point):
    t = theorems.get(theorem_id)
    assert check(t, points=[point]).verdict == "pass"
    assert check(t.with_claim(expr=sp.Float(1e-9)), points=[point]).verdict == "fail"


def test_lora_claims_reject_false_variants():
    t = theorems.get("uat.lora_optimal")
    tail = sp.Symbol("tail", real=True)
    p = {"rows": 16, "cols": 16, "r": 4, "norm": "spectral"}
    assert check(t.with_claim(expr=tail * sp.Rational(101, 100)), points=[p]).verdict == "fail"
    lb = theorems.get("uat.lora_lower_bound")
    q = {"rows": 16, "cols": 16, "r": 4}
    assert check(lb.with_claim(expr=tail * sp.Rational(1001, 1000)), points=[q]).verdict == "fail"


def test_random_supports_beating_magnitude_pruning_would_be_caught():
    t = theorems.get("uat.pruning_optimal")
    best = sp.Symbol("best", real=True)
    r = check(t.with_claim(expr=best * sp.Rational(3, 2)))
    assert r.verdict == "fail"


def test_perturbation_bound_halved_below_the_measurement_fails():
    t = theorems.get("uat.pruning_perturbation")
    r = check(t)
    assert r.verdict == "pass" and 0 < r.tightness <= 1
    scale = sp.nsimplify(r.tightness / 2, rational=True)
    assert check(t.with_claim(expr=t.claim.expr * scale)).verdict == "fail"


def test_barron_constant_and_a_miss_is_inconclusive():
    t = theorems.get("uat.barron_rate")
    cf = sp.sqrt(2) * sp.gamma(sp.Rational(1, 1)) / sp.gamma(sp.Rational(1, 2))
    assert float(cf) == pytest.approx(0.7979, abs=1e-4)
    n = t.claim.variable
    # an existence claim missed by the construction is inconclusive, never a refutation
    r = check(t.with_claim(expr=sp.Float(1e-9) / n), points=[{"d": 1}])
    assert r.verdict == "inconclusive"


def test_bad_sizes_name_the_assumption():
    with pytest.raises(ValueError, match="n must be an integer ≥ 1"):
        uat.attention_linear_form({"n": 0, "d": 2}, seed=0)


def test_barron_trained_networks_run_on_the_cpu():
    rf = uat.barron({"d": 1, "method": "random_features"}, seed=3)
    tr = uat.barron({"d": 1, "method": "trained", "train_steps": 30}, seed=3)
    assert tr.values().shape == rf.values().shape and np.all(np.isfinite(tr.values()))
    # the same random features start both; training keeps its result only if the training
    # loss fell, so the held-out error stays of the same order
    assert np.all(tr.values() <= 10 * rf.values() + 1e-12)
