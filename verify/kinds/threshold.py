"""Thresholds: the regime changes at the claimed value; finite-size brackets (one per size, with
standard errors where simulated) locate it."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .base import RESOLVE, Kind, PointDecision, claimed_here
from .evidence import ThresholdEvidence
from .stats import arr, finite, normal_quantile

SHIFTS = (sp.Rational(105, 100), sp.Rational(95, 100))
"""Every threshold check must reject its claim moved by ±5 % (whatever its brackets)."""


SHIFT_EXPONENT = 0.5
"""The slowest decay ``N^(−γ)`` assumed for a threshold's finite-size shift (peeling: the shift
decays like ``N^(−2/3)``, the window like ``N^(−1/2)``; :cite:`amraoui2009finite`)."""


def extended_brackets(br: np.ndarray, N: np.ndarray) -> np.ndarray:
    """Each bracket widened towards where the brackets are moving by the shift still to come:
    with midpoints moving by ``Δ`` from size ``N_j`` to ``N_k``, a shift decaying at least like
    ``N^(−γ)`` has at most ``|Δ| / ((N_k/N_j)^γ − 1)`` left beyond ``N_k``; the largest such
    estimate over the smaller sizes ``j`` is used (a single pair's drift is noisy), towards its
    direction. The first size has no drift to read and is kept as it is."""
    out = br.copy()
    mid = br.mean(axis=1)
    for k in range(1, len(N)):
        best, direction = 0.0, 0.0
        for j in range(k):
            ratio = N[k] / N[j]
            if not ratio > 1:
                continue
            left = abs(mid[k] - mid[j]) / (ratio**SHIFT_EXPONENT - 1)
            if left > best:
                best, direction = left, mid[k] - mid[j]
        if direction < 0:
            out[k, 0] -= best
        elif direction > 0:
            out[k, 1] += best
    return out


SHARP_BRACKET = 0.02
"""A largest-size bracket at most this wide relative to the claim passes without narrowing."""


def scatter_scale(br: np.ndarray, se: np.ndarray) -> float:
    """``√max(1, χ²/dof)`` of the sizes' bracket midpoints about their weighted mean: when the
    estimates scatter more than their standard errors explain (a located crossing's error has
    heavier tails than its bootstrap suggests, or the sizes drift), the errors are widened by it,
    as a weighted fit widens its interval by the reduced χ² of its misfit."""
    mid, s = br.mean(axis=1), np.maximum(se.mean(axis=1), 1e-300)
    if mid.size < 2:
        return 1.0
    w = 1 / s**2
    centre = float((w * mid).sum() / w.sum())
    chi2 = float((((mid - centre) / s) ** 2).sum())
    return float(np.sqrt(max(1.0, chi2 / (mid.size - 1))))


def threshold(meas, claimed, claim, alpha_point: float, sizes) -> PointDecision:
    """Finite-size brackets ``[lo, hi]`` (one per size) locate a threshold that is a large-size
    limit, and finite sizes shift it to one side, so the decision rests on the large sizes and
    allows for the shift still to come (:func:`extended_brackets`).

    Fail: the largest size's extended bracket excludes the claim beyond its error (significantly,
    for brackets with standard errors, scaled by :func:`scatter_scale` when the sizes' estimates
    disagree more than their errors allow). Pass: the claim lies in every extended bracket from some
    size on, that tail holds the larger half of the sizes (at least two), and its brackets
    narrow (the last narrower than the tail's first) or the last is at most
    :data:`SHARP_BRACKET` of the claim wide. A small size whose bracket is shifted off the limit
    no longer blocks a pass; otherwise inconclusive."""
    from scipy import stats  # here: `verify show` and the docs load no scipy

    br = np.asarray(meas.value, dtype=float).reshape(-1, 2)
    N = arr(sizes)
    order = np.argsort(N)
    br, N = br[order], N[order]
    ext = extended_brackets(br, N)
    c = float(arr(claimed)[0])
    eb = float(np.max(arr(meas.bound())))
    lo, hi = ext[:, 0], ext[:, 1]
    outside = np.maximum(lo - c, c - hi) - eb
    se, se_scale = None, None
    if meas.stderr is None:
        p = 0.0 if outside[-1] > 0 else 1.0
        contains = outside <= 0
    else:
        se = np.asarray(meas.stderr, dtype=float).reshape(-1, 2)[order]
        se_scale = scatter_scale(br, se)
        se = se * se_scale
        se_side = np.where(lo - c > c - hi, se[:, 0], se[:, 1])
        z = outside[-1] / max(se_side[-1], 1e-300)
        p = float(stats.norm.sf(z)) if outside[-1] > 0 else 1.0
        q = normal_quantile(1 - alpha_point / len(N))
        contains = outside - q * se_side <= 0
    # the tail of sizes whose brackets all contain the claim
    tail = 0
    while tail < len(N) and contains[len(N) - 1 - tail]:
        tail += 1
    needed = max(2, math.ceil(len(N) / 2))
    widths = br[:, 1] - br[:, 0]
    narrowing = tail >= 2 and widths[-1] < widths[len(N) - tail]
    # a bracket already within ±1 % of the claim is informative whether or not it narrowed
    # (brackets found with a few seeds have widths that scatter from size to size)
    sharp = widths[-1] <= SHARP_BRACKET * abs(c)
    return PointDecision(
        p,
        bool(tail >= needed and (narrowing or sharp)),
        float(-outside[len(N) - max(tail, 1) :].max() / max(abs(c), 1e-300)),
        None,
        ThresholdEvidence(
            claimed=c,
            brackets=br.tolist(),
            extended=ext.tolist(),
            stderr=None if se is None else se.tolist(),
            se_scale=se_scale,
            sizes=N.tolist(),
            narrowing=bool(narrowing),
            contained_from=float(N[len(N) - tail]) if tail else None,
        ),
    )


class Threshold(Kind):
    name = "threshold"
    plot = "brackets"
    evidence = ThresholdEvidence

    def exact_points_decide(self, claim) -> bool:
        return False  # fitted to finite data: never a certificate, however exact the points

    def claim_latex(self, claim, rhs, var):
        return rf"\text{{the regime changes at }} {rhs}"

    def decide(self, theorem, point, meas, alpha_point):
        claim = theorem.claim
        claimed, _ = claimed_here(theorem, point, meas, 1)
        return threshold(
            meas, claimed, claim, alpha_point, meas.series[claim.variable.name]
        ), claimed

    def mutants(self, t, r):
        expr = t.claim.expr
        ev = self.evidence_of(t.claim, r.worst)
        c = finite(ev.claimed) if ev is not None else None
        if c and (ev.extended or ev.brackets):  # just outside the largest size's extended bracket
            # and past its standard errors (a located threshold's bracket has width zero)
            lo, hi, s_lo, s_hi = ev.last()
            targets = [hi + (hi - lo) / 2 + RESOLVE * s_hi, lo - (hi - lo) / 2 - RESOLVE * s_lo]
            factors = [v / c for v in targets if v > 0]
        else:
            factors = [1.1, 0.9]
        out = []
        for f in factors:
            fr = sp.nsimplify(round(f, 4), rational=True)
            out.append(
                (f"threshold × {float(fr):.4g} (outside the bracket)", t.with_claim(expr=expr * fr))
            )
        for f in SHIFTS:  # a formula a few per cent off: the resolution asked of them
            out.append((f"threshold × {float(f):.4g}", t.with_claim(expr=expr * f)))
        return out

    def resolution(self, claim, ev, z):
        c = finite(ev.claimed)
        if not (ev.extended or ev.brackets) or c in (None, 0):
            return None, "no bracket"
        lo, hi, s_lo, s_hi = ev.last()
        return max(c - lo + z * s_lo, hi - c + z * s_hi, 0.0) / abs(c), ""
