"""The toy parity model's theorems (Sec. 3.2, Fig. 4–5) and the certified mixing times and
stationary laws they are decided on (numerics.certified)."""

import itertools

import numpy as np
import pytest
import sympy as sp

import theorems
from numerics import certified, markov_toy
from numerics.chains import mixing_time as float_mixing_time
from numerics.markov_stationary import gth
from verify import check


def _block(z: np.ndarray, T: int, K: int, tau: float) -> np.ndarray:
    """The length-K block built independently: contexts as tuples, successor by shifting."""
    ctxs = list(itertools.product(range(T), repeat=K))
    index = {c: i for i, c in enumerate(ctxs)}
    P = np.zeros((T**K, T**K))
    for c in ctxs:
        u = z[index[c]] / tau
        p = np.exp(u - u.max())
        p /= p.sum()
        for t in range(T):
            P[index[c], index[(*c[1:], t)]] += p[t]
    return P


@pytest.mark.parametrize("T,K,scale,tau", [(2, 2, 2.0, 1.0), (3, 2, 1.0, 0.7), (2, 3, 3.0, 1.5)])
def test_certified_mixing_time_and_pi_match_float64_where_float64_suffices(T, K, scale, tau):
    z = np.random.default_rng(T * 10 + K).normal(scale=scale, size=(T**K, T))
    P = _block(z, T, K, tau)
    t, capped = certified.mixing_time(z, T, K, tau)
    assert not capped and t == float_mixing_time(P)
    pi = certified.stationary_law(z, T, K, tau)
    ref = gth(P)
    for ball, v in zip(pi, ref, strict=True):
        lo, hi = certified.bounds(ball)
        assert lo - 1e-14 <= v <= hi + 1e-14 and float(ball.rad()) < 1e-20


def test_certified_mixing_time_reaches_past_float64():
    """At τ = 0.2 the toy chain's rare transitions (≈ e^−250) vanish in float64, which then
    never mixes; the balls decide a finite time, larger than float64's cap, with τ ordered."""
    t = markov_toy.certified_mixing_times(0)
    assert not any(capped for _, capped in t.values())
    assert t[0.2][0] > 2**40 and t[0.2][0] > t[1.0][0] > t[2.0][0] > 1
    table, _ = markov_toy.trained_table(0)
    fast = markov_toy.mixing_time(markov_toy._recurrent(table, 2.0))
    assert abs(fast - t[2.0][0]) <= 2  # the float64 path agrees where it can represent the chain


def test_certified_chain_functions_reject_bad_input():
    with pytest.raises(ValueError, match="expected 8 contexts"):
        certified.mixing_time(np.zeros((4, 2)), 2, 3, 1.0)
    with pytest.raises(ValueError, match="expected 4 contexts"):
        certified.stationary_law(np.zeros((8, 2)), 2, 2, 1.0)


def test_a_chain_that_never_mixes_is_reported_capped():
    z = np.array([[0.0, 400.0], [400.0, 0.0], [0.0, 400.0], [400.0, 0.0]])  # nearly periodic
    t, capped = certified.mixing_time(z, 2, 2, 1.0, doublings=8)
    assert capped and t == 2**8


def test_toy_theorems_pass_certified_and_reject_their_false_variants():
    for tid in (
        "markov.toy_parity_uniform",
        "markov.toy_parity_mixing",
        "markov.toy_parity_speedup",
    ):
        t = theorems.get(tid)
        r = check(t)
        assert r.verdict == "pass" and r.strength == "certified", (tid, r.message)
    speed = theorems.get("markov.toy_parity_speedup")
    lowest = min(p["worst"]["measured"] for p in check(speed).evidence["points"])
    assert check(speed.with_claim(expr=sp.Integer(int(2 * lowest)))).verdict == "fail"
    uni = theorems.get("markov.toy_parity_uniform")
    worst = max(p["worst"]["measured"] for p in check(uni).evidence["points"])
    assert worst < 1e-6  # π is uniform on the 4-cycle to far below the level
    assert check(uni.with_claim(expr=sp.Float(worst / 4))).verdict == "fail"


def test_parity_orbits_hold_at_most_four_contexts():
    t = theorems.get("markov.toy_parity_uniform")
    (step,) = [s for s in t.proof if s.name == "orbits"]
    assert step.check() is True
    for seed in range(5):
        _, seen = markov_toy.trained_table(seed)
        assert len(seen) <= 4  # 37 windows, at most 4 distinct: the paper's "37 distinct" cannot be
