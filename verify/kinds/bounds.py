"""Bounds: measured ≤ claimed (upper) or ≥ claimed (lower) at every element of the series."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .base import RESOLVE, Kind, PointDecision, claimed_here, repetition_factor
from .evidence import Comparison
from .stats import arr, finite, normal_quantile, num, ratio


def bound(meas, claimed, claim, alpha_point: float) -> PointDecision:
    """``measured ≤ claimed`` (upper) or ``≥`` (lower) at every element of the series.

    Deterministic: violated when the difference exceeds the error bound (rigorous); otherwise
    consistent. Monte-Carlo: one-sided z-tests (Bonferroni over the elements of the point) for the
    violation; the pass interval is ``measured ± z·se`` on the claim's side."""
    from scipy import stats  # here: `verify show` and the docs load no scipy

    s = 1.0 if claim.kind == "upper_bound" else -1.0
    m = meas.values()
    c = arr(claimed, m.size)
    eb = arr(meas.bound(), m.size)
    with np.errstate(invalid="ignore"):
        diff = s * (m - c)  # > 0 is a violation
    diff = np.where(np.isnan(diff), 0.0, diff)  # both -inf in log scale: equal
    if meas.stderr is None:
        excess = diff - eb
        p = np.where(excess > 0, 0.0, 1.0)
        ok_el = excess <= 0
    else:
        se = arr(meas.stderr, m.size)
        z = (diff - eb) / np.where(se > 0, se, np.inf)
        z = np.where((se == 0) & (diff - eb > 0), np.inf, z)
        p = np.minimum(1.0, stats.norm.sf(z) * m.size)
        q = normal_quantile(1 - alpha_point / m.size)
        ok_el = diff + q * se <= eb
    scale = np.maximum(np.abs(c), np.maximum(eb, 1e-300)) if not meas.log else np.ones_like(c)
    with np.errstate(invalid="ignore"):
        rel = np.where(np.isfinite(diff), diff / scale, np.where(diff > 0, np.inf, -np.inf))
    # The worst element among the informative ones: where the claimed or the measured value is
    # above the numerical floor (both below it, the comparison says nothing either way).
    informative = meas.log | (np.abs(c) > eb) | (np.abs(m) > eb) | (diff - eb > 0)
    ranked = np.where(informative, rel, -np.inf)
    i = int(np.argmax(ranked)) if informative.any() else int(np.argmax(rel))
    ev = Comparison(measured=num(m[i]), claimed=num(c[i]), error_bound=num(eb[i]))
    if meas.stderr is not None:
        ev.stderr = num(arr(meas.stderr, m.size)[i])
    if claim.variable is not None and claim.variable.name in meas.series:
        ev.variable = claim.variable.name
        ev.at = num(arr(meas.series[claim.variable.name])[i])
    if meas.log:
        ev.scale = "log"
    return PointDecision(
        float(p.min()),
        bool(np.all(ok_el)),
        float(-rel[i]) if math.isfinite(rel[i]) else (-math.inf if rel[i] > 0 else math.inf),
        ratio(m[i], c[i], eb[i], meas.log),
        ev,
    )


class Bound(Kind):
    resolution_sign = ""
    resolution_words = "the bound tightened by more is rejected"

    def __init__(self, name: str):
        self.name = name
        self.upper = name == "upper_bound"
        self.relation, self.latex = ("≤", r"\leq") if self.upper else ("≥", r"\geq")

    def decide(self, theorem, point, meas, alpha_point):
        claimed, _ = claimed_here(theorem, point, meas, meas.values().size)
        return bound(meas, claimed, theorem.claim, alpha_point), claimed

    def certifies(self, theorem, point, meas) -> bool:
        from .certified import certified_bound

        return certified_bound(theorem, point, meas)

    def mutants(self, t, r):
        out = scaled_past(t, r, "below" if self.upper else "above")
        if self.upper and r.tightness is not None and r.tightness < 0.5:
            out.append(("flipped to a lower bound", t.with_claim(kind="lower_bound")))
        if not self.upper and r.tightness is not None and r.tightness > 2:
            out.append(("flipped to an upper bound", t.with_claim(kind="upper_bound")))
        return out

    def repetitions(self, claim, ev, z):
        m, c, se = finite(ev.measured), finite(ev.claimed), finite(ev.stderr)
        if m is None or c is None or se is None:
            return None
        eb = finite(ev.error_bound) or 0.0
        gap = (c - m) if self.upper else (m - c)  # > 0: on the claim's side
        return repetition_factor(se, gap - eb if gap > 0 else -gap - eb, z)

    def resolution(self, claim, ev, z):
        m, c = finite(ev.measured), finite(ev.claimed)
        se, eb = finite(ev.stderr) or 0.0, finite(ev.error_bound) or 0.0
        noise = z * se + eb
        if m is None or c is None:
            return None, "no measured value at the worst point"
        upper = self.upper
        if ev.scale == "log":  # natural logs of the quantities
            gap = (c - m) if upper else (m - c)
            r = (1 - math.exp(-(gap + noise))) if upper else (math.exp(gap + noise) - 1)
            return abs(r), ""
        if upper and abs(m) <= noise:
            return None, (
                f"the measured value ({m:.3g}) is within the noise of 0: the check can only "
                f"reject a bound below about {noise:.2g}"
            )
        if c == 0:
            return None, "the claimed bound is 0: no relative change"
        gap = (c - m) if upper else (m - c)
        return (gap + noise) / abs(c), ""


def scaled_past(t, r, side: str):
    """Move the claimed expression past the worst measured point: below it for an upper bound
    (``side="below"``), above it for a lower bound. The target lies ``|measured|/2`` below
    (``|measured|`` above) the measured value, or further when that is within ``RESOLVE`` standard
    errors plus the error bound (a near-zero measured value: half of it is noise, and a mutant
    there would be undecidable rather than false). Two mutants where the evidence allows: the
    claim scaled to the target (when that keeps its sign) and the claim shifted to it by a
    constant; each is false at the worst point by construction."""
    ev = Comparison.from_json(r.worst, t.claim) if r.worst else None
    m, c = (finite(ev.measured), finite(ev.claimed)) if ev is not None else (None, None)
    if m is None or c is None:
        return []
    log = ev.scale == "log"
    below = side == "below"
    if log:  # measured and claimed are natural logs: shift the claim by a factor e^(gap ± 1)
        factor = math.exp(m - c + (-1.0 if below else 1.0))
        f = sp.nsimplify(factor, rational=True, tolerance=factor * 1e-6)
        return [
            (f"expr × {float(f):.3g} (past the worst point)", t.with_claim(expr=t.claim.expr * f))
        ]
    noise = RESOLVE * (finite(ev.stderr) or 0.0) + (finite(ev.error_bound) or 0.0)
    target = min(m - abs(m) / 2, m - noise) if below else max(m + abs(m), m + noise)
    if target == m:  # an exact zero: nothing to move past
        return []
    out = []
    if c != 0 and target / c > 0:
        factor = target / c
        f = sp.nsimplify(factor, rational=True, tolerance=abs(factor) * 1e-6)
        out.append(
            (f"expr × {float(f):.3g} (past the worst point)", t.with_claim(expr=t.claim.expr * f))
        )
    delta = sp.nsimplify(target - c, rational=True, tolerance=abs(target - c) * 1e-6)
    out.append(
        (
            f"expr {float(delta):+.3g} (past the worst point)",
            t.with_claim(expr=t.claim.expr + delta),
        )
    )
    return out
