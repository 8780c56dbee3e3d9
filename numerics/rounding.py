"""Bounds on the rounding error of float64 computations, for a deterministic experiment's
``Measurement.error_bound``.

Each bound follows the standard model of floating-point arithmetic, ``fl(a ∘ b) = (a ∘ b)(1 + δ)``
with ``|δ| ≤ u = 2⁻⁵³`` (round to nearest, no underflow), and the constant
``γ_k = k u / (1 − k u)`` (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
SIAM 2002: Lemma 3.1 for ``γ_k``, §3.1 for sums and products, §3.5 for matrix products). The
bounds hold for any order of evaluation (pairwise or BLAS-blocked summation is more accurate
still), so they are safe for numpy's and torch's kernels. They bound rounding only: truncation
(a series cut off, an iteration stopped) must be added by the caller.

>>> from numerics import Measurement, rounding
>>> xs = [1 / k**2 for k in range(1, 1001)]
>>> Measurement(value=sum(xs), error_bound=rounding.sum_bound(xs))  # doctest: +ELLIPSIS
Measurement(...)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

UNIT_ROUNDOFF = 2.0**-53
"""``u``: the relative error of one rounding to float64 (round to nearest)."""


def gamma(k: int, u: float = UNIT_ROUNDOFF) -> float:
    """``γ_k = k u / (1 − k u)``, the relative error bound of ``k`` successive roundings."""
    if k < 0:
        raise ValueError(f"gamma needs k ≥ 0 roundings, got {k}")
    if k * u >= 1:
        raise ValueError(f"k u = {k * u:.3g} ≥ 1: no bound of this form (k = {k} roundings)")
    return k * u / (1 - k * u)


def _abs_values(values: Iterable[float] | np.ndarray) -> np.ndarray:
    a = np.abs(np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float))
    if not np.all(np.isfinite(a)):
        raise ValueError("the terms must be finite to bound their rounding")
    return a.ravel()


def sum_bound(terms: Iterable[float] | np.ndarray) -> float:
    """Bound on ``|fl(Σ xᵢ) − Σ xᵢ|`` for ``n`` float64 terms summed in any order:
    ``γ_{n−1} Σ |xᵢ|`` (Higham (4.4)). Pass the terms themselves (their magnitudes matter, not
    the sum's: cancellation is where rounding shows)."""
    a = _abs_values(terms)
    return 0.0 if a.size <= 1 else gamma(a.size - 1) * float(a.sum()) * (1 + UNIT_ROUNDOFF)


def product_bound(factors: Iterable[float] | np.ndarray) -> float:
    """Bound on ``|fl(Π xᵢ) − Π xᵢ|`` for ``n`` float64 factors: ``γ_{n−1} |Π xᵢ|`` (Higham
    Lemma 3.1), computed in logs so that the product's own size does not overflow."""
    a = _abs_values(factors)
    if a.size <= 1 or np.any(a == 0):
        return 0.0
    return gamma(a.size - 1) * math.exp(float(np.log(a).sum())) * (1 + 2 * UNIT_ROUNDOFF)


def dot_bound(x: Iterable[float] | np.ndarray, y: Iterable[float] | np.ndarray) -> float:
    """Bound on ``|fl(xᵀy) − xᵀy|`` for vectors of length ``n``: ``γ_n Σ |xᵢ yᵢ|`` (Higham
    (3.5))."""
    a, b = _abs_values(x), _abs_values(y)
    if a.size != b.size:
        raise ValueError(f"dot_bound needs vectors of one length, got {a.size} and {b.size}")
    return gamma(a.size) * float((a * b).sum()) * (1 + UNIT_ROUNDOFF)


def stochastic_power_bound(n: int, k: int) -> float:
    """Bound on every entry of ``|fl(Pᵏ) − Pᵏ|`` (and on ``‖·‖_∞`` of each row) for an ``n × n``
    row-stochastic ``P`` (as stored: entries ≥ 0, rows summing to 1), when ``Pᵏ`` is computed by
    ``k − 1`` successive products with ``P`` (``A ← A @ P``, or a distribution ``π ← π @ P``
    ``k`` times from an exact start).

    Each product adds ``F`` with ``|F| ≤ γ_n |A||P|`` (Higham (3.13)); with ``‖P‖_∞ = 1`` the
    error ``e_j = ‖fl(Pʲ) − Pʲ‖_∞`` obeys ``e_j ≤ e_{j−1} + γ_n (1 + e_{j−1})``, so
    ``e_k ≤ (1 + γ_n)^{k−1} − 1``. Repeated squaring accumulates differently and is not covered."""
    if n < 1 or k < 0:
        raise ValueError(f"stochastic_power_bound needs n ≥ 1 and k ≥ 0, got n={n}, k={k}")
    if k <= 1:
        return 0.0
    return math.expm1((k - 1) * math.log1p(gamma(n))) * (1 + UNIT_ROUNDOFF)


def tv_bound(n: int, entry_error: float = 0.0) -> float:
    """Bound on the error of a total-variation distance ``½ Σ |pᵢ − qᵢ|`` between distributions
    over ``n`` states, computed in float64 from entries whose difference ``pᵢ − qᵢ`` is off by at
    most ``entry_error`` (both inputs' errors together: from :func:`stochastic_power_bound`,
    say). The inputs contribute ``½ n·entry_error``; the subtractions and the sum round the
    result by at most ``γ_n`` of ``½ Σ |pᵢ − qᵢ| ≤ 1 + ½ n·entry_error``."""
    if n < 1 or not entry_error >= 0:
        raise ValueError(f"tv_bound needs n ≥ 1 and entry_error ≥ 0, got {n}, {entry_error}")
    inputs = 0.5 * n * entry_error
    return (inputs + gamma(n) * (1 + inputs)) * (1 + UNIT_ROUNDOFF)
