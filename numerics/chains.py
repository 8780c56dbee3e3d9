"""Markov chains on a finite state space, as a library: a random chain with an entry floor, its
stationary law (GTH, with an error bound), Doeblin's constant, the worst total-variation distance
to stationarity over time with its rounding bound, and mixing times. Plain numpy stochastic
matrices (rows sum to 1) in, plain numbers and arrays out.

>>> from numerics import chains
>>> P = chains.random_chain(4, floor=0.05, seed=0)
>>> pi, err = chains.stationary(P)
>>> d, bound = chains.tv_series(P, 20, pi=pi, pi_error=err)
>>> chains.mixing_time(P, 0.25) <= 20
True
"""

from __future__ import annotations

import math

import numpy as np

from .rounding import UNIT_ROUNDOFF, stochastic_power_bound, tv_bound


def check_stochastic(P: np.ndarray) -> np.ndarray:
    """``P`` as a float64 square matrix with entries ≥ 0 and rows summing to 1 (to 1e-12), or a
    ``ValueError`` saying which property fails."""
    A = np.asarray(P, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"a transition matrix is square and non-empty, got shape {A.shape}")
    if not np.all(np.isfinite(A)) or A.min() < 0:
        raise ValueError("a transition matrix has finite entries ≥ 0")
    worst = float(np.abs(A.sum(axis=1) - 1).max())
    if worst > 1e-12:
        raise ValueError(f"the rows of a transition matrix sum to 1 (off by {worst:.2g})")
    return A


def random_chain(n: int, *, floor: float = 0.0, seed: int | np.random.Generator = 0) -> np.ndarray:
    """An ``n``-state chain whose rows are ``floor + (1 − n·floor)·Dirichlet(1)``: every entry at
    least ``floor`` (so Doeblin's constant is at least ``n·floor``)."""
    if n < 1 or not 0 <= floor <= 1 / n:
        raise ValueError(f"random_chain needs n ≥ 1 and 0 ≤ floor ≤ 1/n, got n={n}, floor={floor}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    return floor + (1 - n * floor) * rng.dirichlet(np.ones(n), size=n)


def doeblin(P: np.ndarray) -> float:
    """Doeblin's constant ``ε = Σ_y min_x P(x, y)``: ``P ≥ ε ν`` for a law ``ν``, so the chain
    contracts total variation by ``1 − ε`` each step."""
    return float(check_stochastic(P).min(axis=0).sum())


def gth(P: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible stochastic matrix by the Grassmann–Taksar–Heyman
    state reduction (Grassmann, Taksar and Heyman 1985): no subtractions, so every entry of π is
    computed to high relative accuracy. ``O(n³)``; the reference at small sizes."""
    A = np.array(P, dtype=np.float64, copy=True)
    n = A.shape[0]
    if A.ndim != 2 or A.shape != (n, n):
        raise ValueError("P must be a square matrix")
    s = np.zeros(n)
    for k in range(n - 1, 0, -1):
        s[k] = A[k, :k].sum()
        if s[k] <= 0:
            raise ValueError("the chain is reducible: GTH needs an irreducible chain")
        A[:k, :k] += np.outer(A[:k, k], A[k, :k]) / s[k]
    pi = np.zeros(n)
    pi[0] = 1.0
    for k in range(1, n):
        pi[k] = pi[:k] @ A[:k, k] / s[k]
    return pi / pi.sum()


def gth_error(n: int) -> float:
    """Entrywise relative error bound of GTH in float64: O'Cinneide (1993) shows each π_j is
    computed with relative error ``O(n³ u)``; we use ``2 n³ u``."""
    return 2.0 * n**3 * UNIT_ROUNDOFF


def stationary(P: np.ndarray) -> tuple[np.ndarray, float]:
    """The stationary law of an irreducible chain by :func:`gth`, and a bound on the error of each
    entry (absolute: :func:`gth_error` times the entry)."""
    pi = gth(check_stochastic(P))
    return pi, float(gth_error(len(pi)) * pi.max())


def tv_series(
    P: np.ndarray, n_max: int, *, pi: np.ndarray | None = None, pi_error: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``d(t) = max_x TV(Pᵗ(x, ·), π)`` for ``t = 1..n_max``, and a bound on each value's error:
    the rounding of the ``t`` products (:func:`numerics.rounding.stochastic_power_bound`) and of
    the distance (:func:`numerics.rounding.tv_bound`), plus ``π``'s own error."""
    A = check_stochastic(P)
    if pi is None:
        pi, pi_error = stationary(A)
    elif pi_error is None:
        raise ValueError("give pi_error with pi: the distance's bound needs it")
    n = len(A)
    M, d, bound = np.eye(n), np.empty(n_max), np.empty(n_max)
    for t in range(n_max):
        M = M @ A
        d[t] = 0.5 * np.abs(M - pi[None]).sum(axis=1).max()
        bound[t] = tv_bound(n, stochastic_power_bound(n, t + 1) + pi_error)
    return d, bound


def mixing_time(P: np.ndarray, eps: float = 0.25, t_max: int = 100_000) -> int:
    """``t_mix(ε)``: the first ``t`` with ``d(t) ≤ ε``, decided with the distance's rounding
    bound (so the answer is never too small); ``ValueError`` when it exceeds ``t_max``."""
    if not 0 < eps < 1:
        raise ValueError(f"mixing_time needs 0 < eps < 1, got {eps}")
    A = check_stochastic(P)
    pi, pi_error = stationary(A)
    n, M = len(A), np.eye(len(A))
    for t in range(1, t_max + 1):
        M = M @ A
        dt = 0.5 * np.abs(M - pi[None]).sum(axis=1).max()
        if dt + tv_bound(n, stochastic_power_bound(n, t) + pi_error) <= eps:
            return t
    raise ValueError(f"the chain has not mixed to {eps} within {t_max} steps")


def t_min(P: np.ndarray, t_max: int = 100_000) -> float:
    """``t_min = inf_{0≤ε<1} t_mix(ε/2) ((2 − ε)/(1 − ε))²`` exactly: ``t_mix(ε/2) ≤ t`` iff
    ``ε ≥ 2 d(t)`` with ``d(t) = max_i TV(P^t(i, ·), π)``, and the factor grows with ``ε``, so
    the infimum is ``min_t t·((2 − 2d(t))/(1 − 2d(t)))²`` over ``t`` with ``d(t) < 1/2``."""
    pi = gth(P)
    best, M = math.inf, np.eye(len(P))
    for t in range(1, t_max + 1):
        M = M @ P
        if 4 * t >= best:  # the factor is at least 4: later t cannot do better
            break
        dt = 0.5 * np.abs(M - pi[None]).sum(axis=1).max()
        if dt < 0.5:
            eps = 2 * dt
            best = min(best, t * ((2 - eps) / (1 - eps)) ** 2)
    return best
