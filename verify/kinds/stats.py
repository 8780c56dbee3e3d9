"""The statistics the claim kinds share: array coercion, normal quantiles, measured/claimed
ratios, weighted least squares and the comparison of two fitted laws."""

from __future__ import annotations

import math

import numpy as np


def finite(x) -> float | None:
    """``x`` as a finite float, or None (not a number, NaN, ±inf)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def arr(x, n=None) -> np.ndarray:
    a = np.atleast_1d(np.asarray(x, dtype=float))
    if n is not None and a.size == 1 and n > 1:
        a = np.full(n, a.item())
    return a


def normal_quantile(level: float) -> float:
    from scipy import stats  # here: `verify show` and the docs load no scipy

    return float(stats.norm.ppf(level))


def ratio(m: float, c: float, floor: float, log: bool) -> float | None:
    if log:
        if not (math.isfinite(m) and math.isfinite(c)):
            return None
        return float(math.exp(max(min(m - c, 700.0), -700.0)))
    if abs(m) <= floor and abs(c) <= floor:
        return None
    if c == 0:
        return None
    return float(m / c)


def num(x):
    x = float(x)
    return x if math.isfinite(x) else str(x)


def wls(X: np.ndarray, y: np.ndarray, sy: np.ndarray | None):
    """Weighted least squares: coefficients, their covariance (scaled by the reduced χ² when it
    exceeds 1, so misfit widens the interval), and the degrees of freedom."""
    n, k = X.shape
    w = np.ones(n) if sy is None else 1.0 / np.maximum(sy, 1e-300) ** 2
    Xw = X * np.sqrt(w)[:, None]
    yw = y * np.sqrt(w)
    coef, *_ = np.linalg.lstsq(Xw, yw, rcond=None)
    resid = yw - Xw @ coef
    dof = n - k
    if dof <= 0:
        raise ValueError(f"a fit with {k} coefficients needs more than {k} series points, got {n}")
    chi2 = float(resid @ resid) / dof
    scale = chi2 if sy is None else max(1.0, chi2)
    cov = np.linalg.pinv(Xw.T @ Xw) * scale
    return coef, cov, dof


def chi2(X: np.ndarray, y: np.ndarray, sy: np.ndarray) -> float:
    """Weighted residual sum of squares of the least-squares fit of ``y`` on ``X``."""
    w = 1.0 / np.maximum(sy, 1e-300)
    coef, *_ = np.linalg.lstsq(X * w[:, None], y * w, rcond=None)
    r = (y - X @ coef) * w
    return float(r @ r)


def vuong(X_a: np.ndarray, X_b: np.ndarray, y: np.ndarray, sy: np.ndarray) -> float:
    """One-sided p-value that the law with design ``X_b`` fits better than the one with ``X_a``
    (same number of coefficients, neither nested in the other): Vuong's (1989) test on the
    per-point differences of squared standardised residuals, ``d_i = (r_a,i² − r_b,i²)/2`` (the
    Gaussian log-likelihood ratio), ``z = Σd / √(n·V)`` with ``V`` the Newey–West (1987)
    long-run variance of ``d`` (Bartlett weights up to lag ⌊n^(1/3)⌋), since a series measured
    on one held-out set has correlated errors and a misfit leaves runs of residuals."""
    from scipy import stats  # here: `verify show` and the docs load no scipy

    w = 1.0 / np.maximum(sy, 1e-300)

    def resid(X):
        coef, *_ = np.linalg.lstsq(X * w[:, None], y * w, rcond=None)
        return (y - X @ coef) * w

    d = (resid(X_a) ** 2 - resid(X_b) ** 2) / 2
    n = d.size
    dc = d - d.mean()
    V = float(dc @ dc) / n
    for lag in range(1, int(n ** (1 / 3)) + 1):
        V += 2 * (1 - lag / (int(n ** (1 / 3)) + 1)) * float(dc[lag:] @ dc[:-lag]) / n
    if V <= 0:
        return 0.5 if d.sum() == 0 else (0.0 if d.sum() > 0 else 1.0)
    return float(stats.norm.sf(d.sum() / math.sqrt(n * V)))
