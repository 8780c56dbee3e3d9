"""numerics.chains and numerics.montecarlo: the building blocks offered to a researcher's own
experiments (issue 20, item 15), checked against exact arithmetic and against each other."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import chains, montecarlo


def test_random_chain_respects_its_floor_and_bad_input_is_refused():
    P = chains.random_chain(6, floor=0.1, seed=3)
    assert P.min() >= 0.1 - 1e-15 and np.allclose(P.sum(axis=1), 1)
    assert chains.doeblin(P) >= 6 * 0.1 - 1e-12
    assert np.array_equal(P, chains.random_chain(6, floor=0.1, seed=3))  # seeded
    with pytest.raises(ValueError, match="floor"):
        chains.random_chain(4, floor=0.3)
    with pytest.raises(ValueError, match="sum to 1"):
        chains.doeblin(np.array([[0.5, 0.4], [0.5, 0.5]]))
    with pytest.raises(ValueError, match="square"):
        chains.stationary(np.ones((2, 3)) / 3)


def test_the_stationary_law_is_within_its_bound_of_the_exact_one():
    P = chains.random_chain(3, floor=0.05, seed=7)
    pi, err = chains.stationary(P)
    F = [[Fraction(x) for x in row] for row in P]  # solve πP = π, Σπ = 1 exactly
    # π ∝ the cofactors of (I − P): for 3 states, closed form by Cramer's rule
    m = [[(1 if i == j else 0) - F[j][i] for j in range(3)] for i in range(3)]
    m[2] = [Fraction(1)] * 3
    det = lambda M: (  # noqa: E731
        M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1])
        - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0])
        + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0])
    )
    D = det(m)
    exact = []
    for k in range(3):
        Mk = [row[:] for row in m]
        for i in range(3):
            Mk[i][k] = Fraction(1 if i == 2 else 0)
        exact.append(det(Mk) / D)
    assert max(abs(Fraction(p) - e) for p, e in zip(pi, exact, strict=True)) <= Fraction(err)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 8), st.floats(0.0, 1.0), st.integers(0, 10**6))
def test_doeblin_bounds_the_distance_and_the_mixing_time_agrees(n, share, seed):
    P = chains.random_chain(n, floor=share / n, seed=seed)
    eps = chains.doeblin(P)
    d, bound = chains.tv_series(P, 40)
    t = np.arange(1, 41)
    assert np.all(d <= (1 - eps) ** t + bound)  # TV contracts by 1 − ε per step
    assert np.all(np.diff(d) <= bound[1:] + bound[:-1])  # non-increasing, up to rounding
    if d[-1] + bound[-1] <= 0.25:
        tm = chains.mixing_time(P, 0.25)
        assert d[tm - 1] + bound[tm - 1] <= 0.25
        assert tm == 1 or d[tm - 2] + bound[tm - 2] > 0.25


def test_monte_carlo_repetitions_are_seeded_independent_and_honest():
    one = lambda rng: rng.normal()  # noqa: E731
    a, b = montecarlo.samples(one, 500, seed=4), montecarlo.samples(one, 500, seed=4)
    assert np.array_equal(a, b) and len(set(a.tolist())) == 500
    assert not np.array_equal(a, montecarlo.samples(one, 500, seed=5))
    m = montecarlo.mean(one, 2000, seed=0, inputs={"sigma": 1.0})
    assert m.stderr == pytest.approx(1 / np.sqrt(2000), rel=0.1) and m.inputs == {"sigma": 1.0}
    # the reported standard error matches the spread of the mean over seeds
    means = [montecarlo.mean(one, 200, seed=s).value for s in range(200)]
    assert np.std(means, ddof=1) == pytest.approx(1 / np.sqrt(200), rel=0.2)
    s = montecarlo.mean_series(lambda rng, v: rng.normal(v), np.array([1.0, 2.0, 3.0]), "x", 400, 1)
    assert s.series["x"].tolist() == [1.0, 2.0, 3.0] and np.all(np.abs(s.value - [1, 2, 3]) < 0.3)
    with pytest.raises(ValueError, match="reps ≥ 2"):
        montecarlo.mean(one, 1, seed=0)
    with pytest.raises(FloatingPointError):
        montecarlo.samples(lambda rng: float("nan"), 3, seed=0)
