"""Mutation analysis of the checks: can each check reject claims that are false by construction?

For a theorem expected to pass, its check is run once; from that run's own measurements we build
variants of the claim that cannot hold (a constant scaled past the worst measured point, an
exponent moved outside the fitted interval plus the band, the inequality flipped where the bound
is not tight, a threshold moved outside the largest size's bracket, monotonicity reversed, an
identity shifted) and run each through the same check. A variant that passes or stays
inconclusive *survives*. Target: every check rejects at least 90 % of its mutants, and no true
theorem fails.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from theorems import Theorem

from .decide import rate_form
from .engine import CheckResult, check

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


def _num(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _scaled(t: Theorem, r: CheckResult, side: str) -> list[tuple[str, Theorem]]:
    """Scale the claimed expression past the worst measured point: below it for an upper bound
    (``side="below"``), above it for a lower bound."""
    w = r.worst or {}
    log = w.get("scale") == "log"
    m, c = _num(w.get("measured")), _num(w.get("claimed"))
    if m is None or c is None:
        return []
    if log:  # measured and claimed are natural logs: shift the claim by a factor e^(gap ± 1)
        factor = math.exp(m - c + (-1.0 if side == "below" else 1.0))
    else:
        if c == 0 or m == 0 or (m > 0) != (c > 0):
            return []
        factor = (m / c) * (0.5 if side == "below" else 2.0)
    f = sp.nsimplify(factor, rational=True, tolerance=factor * 1e-6)
    return [(f"expr × {float(f):.3g} (past the worst point)", t.with_claim(expr=t.claim.expr * f))]


def mutants(t: Theorem, r: CheckResult) -> list[tuple[str, Theorem]]:
    """Variants of ``t``'s claim that are false given the measurements of ``r``."""
    kind, expr = t.claim.kind, t.claim.expr
    out: list[tuple[str, Theorem]] = []
    if kind == "identity":
        out.append(("expr + 1", t.with_claim(expr=expr + 1)))
        out.append(("2·expr + 1", t.with_claim(expr=2 * expr + 1)))
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
        form, value = rate_form(expr, t.claim.variable)
        w = r.worst or {}
        lo, hi = (w.get("interval") or [None, None])[:2]
        var = t.claim.variable
        if value is not None and lo is not None and hi is not None:
            margin = t.claim.margin if t.claim.margin is not None else 0.1
            half = margin * abs(value) if t.claim.relative_margin else margin
            gap = half + max(0.1, 2 * (hi - lo))
            for new in (hi + gap, lo - gap):
                new_r = sp.nsimplify(round(new, 3), rational=True)
                law = var**new_r if form == "power" else sp.exp(-new_r * var)
                if form == "exp" and new_r <= 0:
                    continue
                out.append(
                    (
                        f"{'exponent' if form == 'power' else 'rate'} {float(new_r):.3g}",
                        t.with_claim(expr=law),
                    )
                )
    elif kind == "threshold":
        w = r.worst or {}
        c, brackets = _num(w.get("claimed")), w.get("brackets") or []
        if c and brackets:  # just outside the largest size's bracket at the worst point
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
