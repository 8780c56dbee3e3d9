"""Mutation analysis of the checks: can each check reject claims that are false by construction?

For a theorem expected to pass, its check is run once; from that run's own measurements we build
variants of the claim that cannot hold (a constant scaled past the worst measured point, an
exponent moved outside the fitted interval plus the band, the inequality flipped where the bound
is not tight, a threshold moved outside the largest size's bracket or by ±5 %, monotonicity
reversed, an identity shifted) and run each through the same check. A variant that passes or stays
inconclusive *survives*. Target: every check rejects at least 90 % of its mutants, and no true
theorem fails.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from theorems import Theorem

from .decide import DEFAULT_RATE_MARGIN, rate_parameter
from .engine import CheckResult, check
from .resolution import finite as _num

TARGET = 0.9


@dataclass
class SelftestResult:
    theorem_id: str
    baseline: CheckResult
    mutants: list[tuple[str, str]] = field(default_factory=list)  # (label, verdict)

    @property
    def rejected(self) -> int:
        return sum(v == "fail" for _, v in self.mutants)

    @property
    def survivors(self) -> list[str]:
        return [f"{label} ({v})" for label, v in self.mutants if v != "fail"]

    @property
    def fraction(self) -> float | None:
        return self.rejected / len(self.mutants) if self.mutants else None

    existential: bool = False  # a miss is inconclusive by design: mutants cannot be rejected

    @property
    def ok(self) -> bool:
        if not self.baseline.as_expected:
            return False
        return self.existential or self.fraction is None or self.fraction >= TARGET


THRESHOLD_SHIFTS = (sp.Rational(105, 100), sp.Rational(95, 100))
"""Every threshold check must reject its claim moved by ±5 % (whatever its brackets)."""

RESOLVE = 5.0  # a mutant's claim lies this many standard errors past the measured value


def _scaled(t: Theorem, r: CheckResult, side: str) -> list[tuple[str, Theorem]]:
    """Move the claimed expression past the worst measured point: below it for an upper bound
    (``side="below"``), above it for a lower bound. The target lies ``|measured|/2`` below
    (``|measured|`` above) the measured value, or further when that is within ``RESOLVE`` standard
    errors plus the error bound (a near-zero measured value: half of it is noise, and a mutant
    there would be undecidable rather than false). The claim is scaled to the target when that
    keeps its sign, else shifted by a constant."""
    w = r.worst or {}
    log = w.get("scale") == "log"
    m, c = _num(w.get("measured")), _num(w.get("claimed"))
    if m is None or c is None:
        return []
    below = side == "below"
    if log:  # measured and claimed are natural logs: shift the claim by a factor e^(gap ± 1)
        factor = math.exp(m - c + (-1.0 if below else 1.0))
        f = sp.nsimplify(factor, rational=True, tolerance=factor * 1e-6)
        return [
            (f"expr × {float(f):.3g} (past the worst point)", t.with_claim(expr=t.claim.expr * f))
        ]
    noise = RESOLVE * (_num(w.get("stderr")) or 0.0) + (_num(w.get("error_bound")) or 0.0)
    target = min(m - abs(m) / 2, m - noise) if below else max(m + abs(m), m + noise)
    if target == m:  # an exact zero: nothing to move past
        return []
    if c != 0 and target / c > 0:
        factor = target / c
        f = sp.nsimplify(factor, rational=True, tolerance=abs(factor) * 1e-6)
        return [
            (f"expr × {float(f):.3g} (past the worst point)", t.with_claim(expr=t.claim.expr * f))
        ]
    delta = sp.nsimplify(target - c, rational=True, tolerance=abs(target - c) * 1e-6)
    return [
        (
            f"expr {float(delta):+.3g} (past the worst point)",
            t.with_claim(expr=t.claim.expr + delta),
        )
    ]


def _rate_mutants(t: Theorem, r: CheckResult) -> list[tuple[str, Theorem]]:
    """The exponent (power) or rate (exponential) moved outside the worst point's fitted interval
    by the band's half-width plus twice the interval's width, both ways (an exponential's rate
    kept above 0); a symbolic exponent or rate is shifted by the same constant. Plus the other
    law's form, with the same parameter."""
    var, expr = t.claim.variable, t.claim.expr
    form, a = rate_parameter(expr, var)
    w = r.worst or {}
    lo, hi = (w.get("interval") or [None, None])[:2]
    band = w.get("band") or [None, None]
    out: list[tuple[str, Theorem]] = []

    def law(p):
        return var**p if form == "power" else sp.exp(-p * var)

    if lo is not None and hi is not None:
        finite = [b for b in band if _num(b) is not None]
        value = sum(finite) / 2 if len(finite) == 2 else (hi + lo) / 2  # the claim at the point
        margin = t.claim.margin if t.claim.margin is not None else DEFAULT_RATE_MARGIN
        half = margin * abs(value) if t.claim.relative_margin else margin
        gap = half + max(0.1, 2 * (hi - lo))
        for new in (hi + gap, lo - gap):
            shift = sp.nsimplify(round(new - value, 3), rational=True)
            if form == "exp" and new <= 0:
                continue
            p = a + shift
            label = f"{'exponent' if form == 'power' else 'rate'} {sp.sstr(p)}"
            out.append((label, t.with_claim(expr=law(p))))
    other = sp.exp(a * var) if form == "power" else var ** (-a)  # t^(−½) ↔ exp(−½ t)
    out.append((f"the other law ({sp.sstr(other)})", t.with_claim(expr=other)))
    return out


def _past_tolerance(t: Theorem, r: CheckResult) -> list[tuple[str, Theorem]]:
    """A large-N identity shifted so that the extrapolated gap lies ``RESOLVE`` standard errors
    past the tolerance in every finite-size model (the claim lowered accordingly)."""
    w = r.worst or {}
    tol, models = _num(w.get("tolerance")), w.get("models") or {}
    fits = [(_num(v.get("intercept")), _num(v.get("se"))) for v in models.values()]
    if t.claim.limit is None or tol is None or not fits or None in sum(fits, ()):
        return []
    # every finite-size model's new gap a − delta ≥ tol + RESOLVE·se (a fail needs them all)
    delta = min(a - tol - RESOLVE * se for a, se in fits)
    d = sp.nsimplify(delta, rational=True, tolerance=abs(delta) * 1e-6 + 1e-15)
    return [
        (f"expr {float(d):+.3g} (just past the tolerance)", t.with_claim(expr=t.claim.expr + d))
    ]


def mutants(t: Theorem, r: CheckResult) -> list[tuple[str, Theorem]]:
    """Variants of ``t``'s claim that are false given the measurements of ``r``."""
    kind, expr = t.claim.kind, t.claim.expr
    out: list[tuple[str, Theorem]] = []
    if kind == "identity":
        out.append(("expr + 1", t.with_claim(expr=expr + 1)))
        out.append(("2·expr + 1", t.with_claim(expr=2 * expr + 1)))
        if not expr.is_zero:  # scaling a claimed 0 changes nothing
            out.append(("expr × 1.1", t.with_claim(expr=expr * sp.Rational(11, 10))))
        out += _past_tolerance(t, r)
    elif kind == "upper_bound":
        out += _scaled(t, r, "below")
        if r.tightness is not None and r.tightness < 0.5:
            out.append(("flipped to a lower bound", t.with_claim(kind="lower_bound")))
    elif kind == "lower_bound":
        out += _scaled(t, r, "above")
        if r.tightness is not None and r.tightness > 2:
            out.append(("flipped to an upper bound", t.with_claim(kind="upper_bound")))
    elif kind == "probability":
        w = r.worst or {}
        q, c = _num(w.get("measured_quantile")), _num(w.get("claimed"))
        if q and c and q > 0 and c > 0:
            f = sp.nsimplify(q / c / 2, rational=True, tolerance=q / c * 1e-6)
            out.append(
                (
                    f"expr × {float(f):.3g} (below the observed quantile)",
                    t.with_claim(expr=expr * f),
                )
            )
    elif kind == "rate":
        out += _rate_mutants(t, r)
    elif kind == "threshold":
        w = r.worst or {}
        c, brackets = _num(w.get("claimed")), w.get("extended") or w.get("brackets") or []
        if c and brackets:  # just outside the largest size's (extended) bracket
            lo, hi = (float(v) for v in brackets[-1])
            targets = [hi + (hi - lo) / 2, lo - (hi - lo) / 2]
            factors = [v / c for v in targets if v > 0]
        else:
            factors = [1.1, 0.9]
        for f in factors:
            fr = sp.nsimplify(round(f, 4), rational=True)
            out.append(
                (f"threshold × {float(fr):.4g} (outside the bracket)", t.with_claim(expr=expr * fr))
            )
        for f in THRESHOLD_SHIFTS:  # a formula a few per cent off: the resolution asked of them
            out.append((f"threshold × {float(f):.4g}", t.with_claim(expr=expr * f)))
    elif kind == "monotone":
        other = "decreasing" if t.claim.direction == "increasing" else "increasing"
        out.append((f"monotonicity reversed ({other})", t.with_claim(direction=other)))
    return out


def selftest(t: Theorem, *, profile: str = "quick", seed: int = 0, device: str = "cpu"):
    """Run ``t``'s check, then each of its mutants; negative controls (expected to fail) are
    only checked for their expected verdict."""
    base = check(t, profile=profile, seed=seed, device=device)
    res = SelftestResult(t.id, base, existential=bool(t.claim.existential))
    if t.expect != "pass" or base.verdict != "pass":
        return res
    for label, m in mutants(t, base):
        res.mutants.append((label, check(m, profile=profile, seed=seed, device=device).verdict))
    return res
