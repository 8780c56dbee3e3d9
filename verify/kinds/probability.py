"""Probability claims: ``P(measured ≤ claimed) ≥ level`` over independent repetitions."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .base import Kind, PointDecision, claimed_here, repetition_factor
from .evidence import ProbabilityEvidence
from .stats import arr, finite


def probability(meas, claimed, claim, alpha_point: float) -> PointDecision:
    """``P(measured ≤ claimed) ≥ level``: violations among independent repetitions against
    ``δ = 1 − level``. Fail: ``P(Bin(n, δ) ≥ k)`` significant (Holm over points); pass: the
    one-sided Clopper–Pearson upper limit of the violation rate is ``≤ δ``. Tightness: the
    empirical ``level``-quantile of the measured values over the claimed bound."""
    from scipy import stats  # here: `verify show` and the docs load no scipy

    samples = arr(meas.samples)
    n = samples.size
    c = arr(claimed, n)
    eb = arr(meas.bound(), n)
    delta = 1.0 - float(claim.level)
    k = int(np.sum(samples > c + eb))
    p = float(stats.binom.sf(k - 1, n, delta)) if k > 0 else 1.0
    upper = 1.0 if k >= n else float(stats.beta.ppf(1 - alpha_point, k + 1, n - k))
    quant = float(np.quantile(samples, float(claim.level)))
    cq = float(np.median(c))
    return PointDecision(
        p,
        upper <= delta,
        float(delta - upper),
        (quant / cq) if cq not in (0.0,) and math.isfinite(cq) else None,
        ProbabilityEvidence(
            violations=k,
            repetitions=n,
            delta=delta,
            clopper_pearson_upper=upper,
            measured_quantile=quant,
            claimed=cq,
        ),
    )


LEVEL_MUTANT_VIOLATIONS = 20
"""Violations a point must show before a mutant with a raised level is built: with ``k`` of them
the raised ``δ`` is ``k/(4n)``, and ``P(Bin(n, k/(4n)) ≥ k)`` is below 10⁻⁶ for ``k ≥ 20``."""


class Probability(Kind):
    name = "probability"
    evidence = ProbabilityEvidence
    relation = "≤"
    latex = r"\leq"

    def claim_latex(self, claim, rhs, var):
        level = sp.latex(claim.level) if isinstance(claim.level, sp.Basic) else claim.level
        return rf"P\left(\text{{measured}} \leq {rhs}\right) \geq {level}"

    resolution_sign = ""
    resolution_words = "the bound tightened by more is rejected"

    def measured_values(self, meas):
        vals = np.asarray(meas.samples, dtype=float) if meas.samples is not None else None
        if vals is None or vals.size == 0:
            raise ValueError("a probability claim needs the experiment's samples")
        return vals

    def decide(self, theorem, point, meas, alpha_point):
        claimed, _ = claimed_here(theorem, point, meas, np.asarray(meas.samples).size)
        return probability(meas, claimed, theorem.claim, alpha_point), claimed

    def mutants(self, t, r):
        ev = self.evidence_of(t.claim, r.worst)
        q, c = (finite(ev.measured_quantile), finite(ev.claimed)) if ev else (None, None)
        if not (q and c and q > 0 and c > 0):
            return []
        f = sp.nsimplify(q / c / 2, rational=True, tolerance=q / c * 1e-6)
        label = f"expr × {float(f):.3g} (below the observed quantile)"
        out = [(label, t.with_claim(expr=t.claim.expr * f))]
        shift = sp.nsimplify(q / 2 - c, rational=True, tolerance=abs(q / 2 - c) * 1e-6)
        out.append(
            (
                f"expr {float(shift):+.3g} (below the observed quantile)",
                t.with_claim(expr=t.claim.expr + shift),
            )
        )
        # the level raised above the observed share of non-violations, where enough violations
        # were seen for that to be decidable (k ≥ 20: the new δ is a quarter of their rate)
        if ev.violations >= LEVEL_MUTANT_VIOLATIONS and not t.claim.level_symbols:
            delta = sp.nsimplify(round(ev.violations / ev.repetitions / 4, 6), rational=True)
            out.append((f"level 1 − {float(delta):.3g}", t.with_claim(level=float(1 - delta))))
        return out

    def repetitions(self, claim, ev, z):
        k, n, delta = ev.violations, ev.repetitions, ev.delta
        if not n:
            return None
        rate = k / n  # the violation rate's standard error at n repetitions, against δ
        se = math.sqrt(max(rate * (1 - rate), 1 / n) / n)
        return repetition_factor(se, delta - rate, z)

    def resolution(self, claim, ev, z):
        q, c = finite(ev.measured_quantile), finite(ev.claimed)
        if q is None or c in (None, 0):
            return None, "no observed quantile"
        return max(c - q, 0.0) / abs(c), ""
