"""Rounding bounds (numerics.rounding) hold against exact rational arithmetic, and a float
measurement without a stated uncertainty is refused rather than compared with 0 (issue 20)."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
import synthetic
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import Measurement, rounding
from theorems import Claim, FiniteSet, IntRange, Theorem
from verify import check

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60))
def test_sum_bound_holds(xs):
    exact = sum(Fraction(x) for x in xs)
    got = 0.0
    for x in xs:  # left to right: the worst order the bound covers
        got += x
    assert abs(Fraction(got) - exact) <= Fraction(rounding.sum_bound(xs))
    assert abs(Fraction(float(np.sum(xs))) - exact) <= Fraction(rounding.sum_bound(xs))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.5, 2.0), min_size=1, max_size=40), st.booleans())
def test_product_and_dot_bounds_hold(xs, negate):
    xs = [-x if negate and i % 3 == 0 else x for i, x in enumerate(xs)]
    exact = Fraction(1)
    got = 1.0
    for x in xs:
        exact *= Fraction(x)
        got *= x
    assert abs(Fraction(got) - exact) <= Fraction(rounding.product_bound(xs))
    ys = list(reversed(xs))
    dot = sum(Fraction(a) * Fraction(b) for a, b in zip(xs, ys, strict=True))
    assert abs(Fraction(float(np.dot(xs, ys))) - dot) <= Fraction(rounding.dot_bound(xs, ys))


def test_bounds_are_not_vacuous():
    # the cancellation case: the terms' size matters, not the sum's
    assert rounding.sum_bound([1e16, 1.0, -1e16]) > 1.0
    assert rounding.sum_bound([0.1] * 1000) == pytest.approx(999 * 2**-53 * 100, rel=1e-3)
    assert rounding.product_bound([1e300, 1e300, 1e-300]) == pytest.approx(2e300 * 2**-53, rel=1e-6)
    assert rounding.stochastic_power_bound(10, 1000) < 1e-11
    assert rounding.stochastic_power_bound(10, 1) == 0.0
    with pytest.raises(ValueError, match="finite"):
        rounding.sum_bound([1.0, float("inf")])
    with pytest.raises(ValueError, match="one length"):
        rounding.dot_bound([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="k u"):
        rounding.gamma(2**53)


@pytest.mark.parametrize("n,k", [(3, 40), (5, 25)])
def test_stochastic_power_bound_holds(n, k):
    rng = np.random.default_rng(n * k)
    P = rng.random((n, n))
    P /= P.sum(axis=1, keepdims=True)  # stored P: the bound is about powers of this matrix
    exact = [[Fraction(x) for x in row] for row in P]
    power, A = exact, P.copy()
    for _ in range(k - 1):
        power = [
            [sum(power[i][m] * exact[m][j] for m in range(n)) for j in range(n)] for i in range(n)
        ]
        A = A @ P
    err = max(abs(Fraction(A[i, j]) - power[i][j]) for i in range(n) for j in range(n))
    assert err <= Fraction(rounding.stochastic_power_bound(n, k))


def _doeblin(params, *, seed, device="cpu"):
    """TV distance of a lazy doubly stochastic chain's k-th power (from state 0) to uniform:
    after 200 steps it is rounding noise, far above the true (1 − ε)^k."""
    n, k = 4, int(params["k"])
    P = np.full((n, n), 0.5 / (n - 1))
    np.fill_diagonal(P, 0.5)
    row = np.linalg.matrix_power(P, 1)[0]
    for _ in range(k - 1):
        row = row @ P
    tv = 0.5 * float(np.abs(row - 1 / n).sum())
    bound = rounding.tv_bound(n, rounding.stochastic_power_bound(n, k) + 2**-53)
    if params.get("undeclared"):
        return Measurement(value=tv)
    return Measurement(value=tv, error_bound=bound)


def test_a_true_bound_below_the_rounding_floor_passes_and_an_undeclared_float_is_refused():
    k = sp.Symbol("k", integer=True)
    # λ₂ = 0.5 − 0.5/3 = 1/3: TV ≤ (3/4)(1/3)^k; claimed 10·(1/3)^k, about 10⁻⁹⁵ at k = 200
    thm = Theorem(
        id="syn.doeblin",
        title="Doeblin",
        source=synthetic.SRC,
        parameters={k: IntRange(200, 200)},
        assumptions=(),
        claim=Claim("upper_bound", 10 * sp.Rational(1, 3) ** k),
        experiment="test_rounding:_doeblin",
    )
    r = check(thm)
    assert r.verdict == "pass", r.message
    assert r.tightness is None  # below the floor: says nothing about how tight the bound is
    undeclared = thm.replace(
        parameters={k: IntRange(200, 200), sp.Symbol("undeclared"): FiniteSet((True,))}
    )
    r = check(undeclared)
    assert r.verdict == "error"
    assert "no stated uncertainty" in r.message and "error_bound" in r.message
    # integers are exact as they are; floats declared exact are compared exactly
    assert not Measurement(value=[1, 2, 3]).undeclared()
    assert not Measurement(value=0.5, exact=True).undeclared()
    assert Measurement(value=np.array([0.5])).undeclared()
