"""Rates: measured(n) ~ C·n^a (a power) or C·exp(−c·n) (an exponential), the exponent or rate
within an equivalence margin of the claimed one, and the claimed form beating the other."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .base import Kind, PointDecision, repetition_factor, series, substituted
from .evidence import RateEvidence
from .stats import arr, chi2, finite, num, vuong, wls

DEFAULT_RATE_MARGIN = 0.1


def rate_parameter(expr: sp.Expr, var: sp.Symbol) -> tuple[str, sp.Expr]:
    """Read a rate function: ``var**a`` (times constants; ``var`` itself is ``var**1``) →
    ``("power", a)``; ``exp(−c·var)`` →
    ``("exp", c)``, the exponent or rate as a sympy expression (it may hold parameters)."""
    expr = sp.powsimp(sp.sympify(expr), combine="exp")
    factors = sp.Mul.make_args(expr)
    core = [f for f in factors if f.has(var)]
    if len(core) != 1:
        raise ValueError(f"a rate claim must be C·{var}**a or C·exp(−c·{var}), got {expr}")
    f = core[0]
    if f == var:  # a linear rate: var is var**1
        return "power", sp.Integer(1)
    if isinstance(f, sp.Pow) and f.base == var and not f.exp.has(var):
        return "power", f.exp
    if isinstance(f, sp.exp):
        arg = sp.expand(f.args[0])
        slope = arg.coeff(var)
        if sp.simplify(arg - slope * var).has(var):
            raise ValueError(f"exp rate must be linear in {var}, got {f}")
        return "exp", -slope
    raise ValueError(f"a rate claim must be C·{var}**a or C·exp(−c·{var}), got {expr}")


def rate_form(expr: sp.Expr, var: sp.Symbol) -> tuple[str, float | None]:
    """:func:`rate_parameter` as a float; ``None`` when it is symbolic (only the law's form is
    then claimed, or the engine substitutes the point's parameters first)."""
    form, a = rate_parameter(expr, var)
    return form, (float(a) if a.is_number else None)


def rate(meas, claimed_expr, claim, alpha_point: float, x_values) -> PointDecision:
    """Fitted law against the claimed one. The exponent (power) or decay rate (exponential) is
    fitted in log space; its interval must lie in the band ``claimed ± margin`` (free symbolic
    rate: an exponential decay rate must exclude 0). The claimed form must also beat the other:
    in the encompassing fit ``log m = b₀ + a log x − c x``, the claimed term is significant; when
    the alternative term is significant too (Monte-Carlo measurements), the claimed law alone must
    fit better (weighted χ²) than the alternative law alone, or there is no pass. Fail: the
    interval misses the band, the alternative form is significant while the claimed one is
    not, or (both significant) the alternative law alone fits significantly better than the
    claimed one (:func:`~verify.kinds.stats.vuong`)."""
    from scipy import stats  # here: `verify show` and the docs load no scipy

    form, value = rate_form(claimed_expr, claim.variable)
    x = arr(x_values)
    m = meas.values()
    if meas.log:
        y = m
        sy = None if meas.stderr is None else arr(meas.stderr, m.size)
    else:
        if np.any(m <= 0):
            raise ValueError("a rate needs positive measured values (got ≤ 0)")
        y = np.log(m)
        sy = None if meas.stderr is None else arr(meas.stderr, m.size) / m
    if np.any(x <= 0) and form == "power":
        raise ValueError("a power-law rate needs a positive series variable")
    lx = np.log(x) if np.all(x > 0) else None
    # claimed model
    if form == "power":
        X = np.column_stack([np.ones_like(x), lx])
    else:
        X = np.column_stack([np.ones_like(x), -x])
    coef, cov, dof = wls(X, y, sy)
    est, se = float(coef[1]), float(math.sqrt(max(cov[1, 1], 0.0)))
    margin = claim.margin if claim.margin is not None else DEFAULT_RATE_MARGIN
    if value is not None:
        half = margin * abs(value) if claim.relative_margin else margin
        band = (value - half, value + half)
    elif form == "exp":
        band = (0.0, math.inf)
    else:
        band = (-math.inf, math.inf)
    q = float(stats.t.ppf(1 - alpha_point / 2, dof))
    lo, hi = est - q * se, est + q * se
    inside = band[0] <= lo and hi <= band[1]
    dist = max(band[0] - est, est - band[1], 0.0)
    p_band = float(stats.t.sf(dist / se, dof)) if se > 0 else (0.0 if dist > 0 else 1.0)
    # encompassing comparison of the two forms
    p_claim_term, p_alt_term = 1.0, 1.0
    if lx is not None and len(x) >= 5:
        Xf = np.column_stack([np.ones_like(x), lx, -x])
        cf, cvf, doff = wls(Xf, y, sy)
        t_pow = abs(cf[1]) / math.sqrt(max(cvf[1, 1], 1e-300))
        t_exp = abs(cf[2]) / math.sqrt(max(cvf[2, 2], 1e-300))
        p_pow, p_exp = (float(2 * stats.t.sf(t, doff)) for t in (t_pow, t_exp))
        p_claim_term, p_alt_term = (p_pow, p_exp) if form == "power" else (p_exp, p_pow)
    claim_needed = p_claim_term <= alpha_point
    p_form = p_alt_term if not claim_needed else 1.0
    p = min(p_band, p_form)
    # With standard errors, both terms significant means neither law alone describes the data:
    # the claimed one must then at least fit better (weighted χ²) than the best alternative law,
    # and the claim fails when the alternative law fits significantly better (Vuong).
    chi2_claim = chi2_alt = p_alt_better = None
    alt_fits_better = False
    if sy is not None and lx is not None:
        alt_X = np.column_stack([np.ones_like(x), -x if form == "power" else lx])
        chi2_claim, chi2_alt = chi2(X, y, sy), chi2(alt_X, y, sy)
        alt_fits_better = p_alt_term <= alpha_point and chi2_alt < chi2_claim
        if p_alt_term <= alpha_point and claim_needed:
            p_alt_better = vuong(X, alt_X, y, sy)
            p = min(p, p_alt_better)
    ev = RateEvidence(
        form=form,
        fitted=est,
        interval=[lo, hi],
        band=[band[0], band[1]],
        p_claimed_term=p_claim_term,
        p_alternative_term=p_alt_term,
        chi2_claimed_law=chi2_claim,
        chi2_alternative_law=chi2_alt,
        p_alternative_law_fits_better=p_alt_better,
        measured=num(m[-1]),
    )
    if p_band <= alpha_point:
        ev.reason = f"the fitted {'exponent' if form == 'power' else 'rate'} misses the band"
    elif p_form <= alpha_point:
        ev.reason = "the other law's term is significant and the claimed one's is not"
    elif p_alt_better is not None and p_alt_better <= alpha_point:
        ev.reason = "the other law alone fits significantly better (Vuong)"
    width = max(hi - lo, 1e-300)
    slack = min(lo - band[0], band[1] - hi)
    return PointDecision(
        p,
        bool(inside and claim_needed and not alt_fits_better),
        float(slack / width) if math.isfinite(slack) else 1.0,
        (est / value) if value not in (None, 0) else None,
        ev,
    )


class Rate(Kind):
    name = "rate"
    latex = r"\sim"
    plot = "loglog"

    def exact_points_decide(self, claim) -> bool:
        return False  # fitted to finite data: never a certificate, however exact the points

    def claim_latex(self, claim, rhs, var):
        return rf"\text{{measured}}({var}) \sim C \cdot {rhs}"

    def caption(self, claim):
        return "Measured against the series variable on log–log axes, one line per point."

    resolution_words = "the exponent or rate changed by more is rejected"

    def decide(self, theorem, point, meas, alpha_point):
        claim = theorem.claim
        xs = series(meas, claim.variable.name, "fit the rate over")
        return rate(meas, substituted(claim, point), claim, alpha_point, xs), None

    def mutants(self, t, r):
        return rate_mutants(t, r)

    evidence = RateEvidence

    def repetitions(self, claim, ev, z):
        est, iv = finite(ev.fitted), ev.interval or []
        b = [finite(v) for v in ev.band or []]
        if est is None or len(b) != 2 or None in b or len(iv) != 2 or ev.chi2_claimed_law is None:
            return None  # without Monte-Carlo errors the interval is no standard error
        half = (float(iv[1]) - float(iv[0])) / 2  # z standard errors of the fitted parameter
        inside = b[0] <= est <= b[1]
        room = min(est - b[0], b[1] - est) if inside else min(abs(est - b[0]), abs(est - b[1]))
        return repetition_factor(half / z, room, z)

    def resolution(self, claim, ev, z):
        est, band, iv = finite(ev.fitted), ev.band or [], ev.interval or []
        b = [finite(v) for v in band]
        if est is None or len(b) != 2 or None in b or len(iv) != 2:
            return None, "the claim fixes the law's form, not its exponent or rate"
        value, half = (b[0] + b[1]) / 2, (b[1] - b[0]) / 2
        if value == 0:
            return None, "the claimed exponent is 0: no relative change"
        width = (float(iv[1]) - float(iv[0])) / 2  # about z_pass standard errors
        return (half + width + abs(est - value)) / abs(value), ""


def rate_mutants(t, r):
    """The exponent (power) or rate (exponential) moved outside the worst point's fitted interval
    by the band's half-width plus twice the interval's width, both ways (an exponential's rate
    kept above 0); a symbolic exponent or rate is shifted by the same constant. Plus the other
    law's form, with the same parameter."""
    var, expr = t.claim.variable, t.claim.expr
    form, a = rate_parameter(expr, var)
    ev = RateEvidence.from_json(r.worst) if r.worst else None
    lo, hi = (ev.interval if ev is not None else [None, None])[:2]
    band = ev.band if ev is not None else [None, None]
    out = []

    def law(p):
        return var**p if form == "power" else sp.exp(-p * var)

    if lo is not None and hi is not None:
        finite_band = [b for b in band if finite(b) is not None]
        value = sum(finite_band) / 2 if len(finite_band) == 2 else (hi + lo) / 2  # the claim here
        here = t.claim.at((r.worst or {}).get("params", {}))  # an expression: at the worst point
        margin = here.margin if here.margin is not None else DEFAULT_RATE_MARGIN
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
