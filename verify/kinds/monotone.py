"""Monotone claims: the measurement is non-decreasing (or non-increasing) along one variable."""

from __future__ import annotations

import numpy as np

from .base import Kind, PointDecision, series
from .evidence import MonotoneEvidence
from .stats import arr, normal_quantile, num


def monotone(meas, claim, alpha_point: float, x_values) -> PointDecision:
    """Non-decreasing (or non-increasing) along the series variable. Deterministic: a step the
    wrong way beyond the two values' error bounds is a violation. Monte-Carlo: one-sided z-test
    per step (Bonferroni within the point); pass needs every step's interval on the right side."""
    from scipy import stats  # here: `verify show` and the docs load no scipy

    x = arr(x_values)
    order = np.argsort(x)
    m = meas.values()[order]
    eb = arr(meas.bound(), m.size)[order]
    s = 1.0 if claim.direction == "increasing" else -1.0
    with np.errstate(invalid="ignore"):
        d = s * np.diff(m)
    d = np.where(np.isnan(d), 0.0, d)  # -inf to -inf: no change
    allow = eb[1:] + eb[:-1]
    if meas.stderr is None:
        p = np.where(d < -allow, 0.0, 1.0)
        ok = bool(np.all(d >= -allow))
    else:
        se = arr(meas.stderr, m.size)[order]
        sd = np.sqrt(se[1:] ** 2 + se[:-1] ** 2)
        z = (-d - allow) / np.maximum(sd, 1e-300)
        p = np.minimum(1.0, stats.norm.sf(z) * d.size)
        q = normal_quantile(1 - alpha_point / d.size)
        ok = bool(np.all(d - q * sd >= -allow))
    i = int(np.argmin(d + allow))
    finite = m[np.isfinite(m)]
    span = max(float(finite.max() - finite.min()), 1e-300) if finite.size else 1.0
    return PointDecision(
        float(p.min()),
        ok,
        float((d[i] + allow[i]) / span),
        None,
        MonotoneEvidence(
            step=[float(x[order][i]), float(x[order][i + 1])],
            values=[num(m[i]), num(m[i + 1])],
            change=num(s * d[i]),
            direction=claim.direction,
        ),
    )


class Monotone(Kind):
    name = "monotone"
    evidence = MonotoneEvidence

    def claim_latex(self, claim, rhs, var):
        word = "non-decreasing" if claim.direction == "increasing" else "non-increasing"
        return rf"{rhs} \text{{ is {word} in }} {var}"

    def caption(self, claim):
        return f"Measured along {claim.variable}, one line per parameter point."

    def decide(self, theorem, point, meas, alpha_point):
        claim = theorem.claim
        var = claim.variable.name if claim.variable is not None else None
        xs = series(meas, var, "check monotonicity")
        return monotone(meas, claim, alpha_point, xs), None

    def mutants(self, t, r):
        other = "decreasing" if t.claim.direction == "increasing" else "increasing"
        return [(f"monotonicity reversed ({other})", t.with_claim(direction=other))]

    def resolution(self, claim, ev, z):
        return None, "a direction, not a value: a monotone claim has no scale to move"
