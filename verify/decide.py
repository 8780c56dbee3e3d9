"""Deciding: one function per claim kind turns a point's measurement and claimed values into a
:class:`PointDecision`; :func:`aggregate` combines the points with Holm's correction.

Conventions (DESIGN.md, "Deciding"):

- ``p_fail`` is the p-value of "the claim holds at this point"; a deterministic violation beyond
  the measurement's error bound has ``p_fail = 0``, a deterministic agreement ``p_fail = 1``.
- A point is ``ok`` when its interval lies on the claim's side at the simultaneous level
  ``α / (number of points)``; deterministic values are ``ok`` when consistent within their error
  bound (strength "numerically consistent").
- ``fail`` needs a violation significant after Holm's correction over the points; ``pass`` needs
  every point ``ok``; anything else is ``inconclusive``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from scipy import stats

DEFAULT_IDENTITY_TOLERANCE = 1e-2  # relative, for Monte-Carlo identities without a tolerance
DEFAULT_RATE_MARGIN = 0.1


@dataclass
class PointDecision:
    """How one point went: ``p_fail`` (p-value of the claim at this point), ``ok`` (interval on
    the claim's side), ``margin`` (signed relative slack; negative means violated), ``tightness``
    (measured/claimed at the worst element; None where both are below the numerical floor) and
    ``worst`` (measured and claimed there, plus anything kind-specific)."""

    p_fail: float
    ok: bool
    margin: float
    tightness: float | None = None
    worst: dict[str, Any] = field(default_factory=dict)


@dataclass
class Decision:
    verdict: str
    rejected: list[int]
    worst_index: int | None
    summary: str = ""


def holm(pvalues: list[float], alpha: float) -> list[int]:
    """Indices rejected by Holm's step-down procedure at family-wise level ``alpha``."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    m = len(pvalues)
    rejected = []
    for rank, i in enumerate(order):
        if pvalues[i] <= alpha / (m - rank):
            rejected.append(i)
        else:
            break
    return rejected


def fisher(pvalues: list[float]) -> float:
    """Fisher's combination of independent p-values: ``−2 Σ ln p ~ χ²(2k)`` under the joint
    null (each p-value uniform or larger)."""
    p = np.clip(np.asarray(pvalues, dtype=float), 1e-300, 1.0)
    return float(stats.chi2.sf(-2 * np.log(p).sum(), 2 * p.size))


def aggregate(
    decisions: list[PointDecision], alpha: float, *, existential: bool = False
) -> Decision:
    """A theorem's verdict from its points' decisions. Fail: Holm's procedure rejects some point
    at family-wise level ``alpha`` (``alpha/2`` with two points or more), or Fisher's combination
    of all the points' p-values (independent: each point has its own seed) rejects the claim's
    universal null at ``alpha/2``, a claim violated a little at many points. Pass: every point's
    interval lies on the claim's side. Otherwise inconclusive."""
    if not decisions:
        return Decision("inconclusive", [], None, "no parameter point was drawn")
    pvals = [d.p_fail for d in decisions]
    share = alpha if len(pvals) == 1 else alpha / 2
    rejected = holm(pvals, share)
    worst = min(range(len(decisions)), key=lambda i: decisions[i].margin)
    combined = ""
    if not rejected and len(pvals) > 1:
        p_all = fisher(pvals)
        if p_all <= share:
            rejected = [min(range(len(pvals)), key=lambda i: pvals[i])]
            combined = (
                f"the points' violations combined are significant (Fisher, p = {p_all:.2g} ≤ "
                f"{share:g})"
            )
    if rejected:
        worst = min(rejected, key=lambda i: decisions[i].p_fail)
        if existential:
            return Decision(
                "inconclusive",
                rejected,
                worst,
                "the construction missed the bound at some points; for an existence claim that "
                "is not a refutation",
            )
        why = decisions[worst].worst.get("reason")
        what = combined or (
            f"significant violation at {len(rejected)} of {len(decisions)} points (Holm, "
            f"family-wise α = {share:g})"
        )
        return Decision("fail", rejected, worst, what + (f": {why}" if why else ""))
    if all(d.ok for d in decisions):
        return Decision("pass", [], worst)
    return Decision(
        "inconclusive",
        [],
        worst,
        "no significant violation, but not every interval lies on the claim's side",
    )


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _arr(x, n=None) -> np.ndarray:
    a = np.atleast_1d(np.asarray(x, dtype=float))
    if n is not None and a.size == 1 and n > 1:
        a = np.full(n, a.item())
    return a


def _z(level: float) -> float:
    return float(stats.norm.ppf(level))


def _ratio(m: float, c: float, floor: float, log: bool) -> float | None:
    if log:
        if not (math.isfinite(m) and math.isfinite(c)):
            return None
        return float(math.exp(max(min(m - c, 700.0), -700.0)))
    if abs(m) <= floor and abs(c) <= floor:
        return None
    if c == 0:
        return None
    return float(m / c)


def _num(x):
    x = float(x)
    return x if math.isfinite(x) else str(x)


# --------------------------------------------------------------------------------------------
# identity
# --------------------------------------------------------------------------------------------


def identity(meas, claimed, claim, alpha_point: float, exact_claimed=None) -> PointDecision:
    """Measured == claimed: exactly for exact measurements (integers counted), within the error
    bound for deterministic floats, and by a two-sided z-test plus an equivalence margin
    (``claim.tolerance``, default 1 % of the claimed value) under Monte-Carlo noise."""
    m = meas.values()
    c = _arr(claimed, m.size)
    if meas.exact:
        ce = exact_claimed if exact_claimed is not None else c
        equal = [
            sp.Integer(int(mi)) == sp.nsimplify(ci) if float(mi).is_integer() else False
            for mi, ci in zip(m, np.atleast_1d(ce), strict=False)
        ]
        bad = [i for i, e in enumerate(equal) if not e]
        i = bad[0] if bad else 0
        margin = 0.0 if not bad else -abs(m[i] - c[i]) / max(1.0, abs(c[i]))
        return PointDecision(
            0.0 if bad else 1.0,
            not bad,
            margin,
            _ratio(m[i], c[i], 0.0, False) if c[i] != 0 else (1.0 if m[i] == 0 else None),
            {"measured": _num(m[i]), "claimed": _num(c[i]), "index": int(i)},
        )
    eb = _arr(meas.error_bound, m.size)
    diff = m - c
    if meas.stderr is None:
        excess = np.abs(diff) - eb
        i = int(np.argmax(excess))
        violated = excess[i] > 0
        scale = max(abs(c[i]), eb[i], 1e-300)
        return PointDecision(
            0.0 if violated else 1.0,
            not violated,
            float(-max(excess[i], 0.0) / scale) + 0.0,  # no negative zero
            _ratio(m[i], c[i], eb[i], meas.log),
            {"measured": _num(m[i]), "claimed": _num(c[i]), "error_bound": _num(eb[i])},
        )
    se = _arr(meas.stderr, m.size)
    tol = claim.tolerance if claim.tolerance is not None else None
    z = np.maximum(np.abs(diff) - eb, 0) / np.where(se > 0, se, np.inf)
    p = np.minimum(1.0, 2 * stats.norm.sf(z) * m.size)
    q = _z(1 - alpha_point / (2 * m.size))
    tols = (
        np.full(m.size, tol)
        if tol is not None
        else DEFAULT_IDENTITY_TOLERANCE * np.maximum(np.abs(c), eb)
    )
    upper = np.abs(diff) + q * se
    ok = bool(np.all(upper <= tols + eb))
    i = int(np.argmin(p))
    return PointDecision(
        float(p.min()),
        ok,
        float(np.min((tols + eb - upper) / np.maximum(np.abs(c), 1e-300))),
        _ratio(m[i], c[i], eb[i], meas.log),
        {"measured": _num(m[i]), "claimed": _num(c[i]), "stderr": _num(se[i])},
    )


def _wls(X: np.ndarray, y: np.ndarray, sy: np.ndarray | None):
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


def _chi2(X: np.ndarray, y: np.ndarray, sy: np.ndarray) -> float:
    """Weighted residual sum of squares of the least-squares fit of ``y`` on ``X``."""
    w = 1.0 / np.maximum(sy, 1e-300)
    coef, *_ = np.linalg.lstsq(X * w[:, None], y * w, rcond=None)
    r = (y - X @ coef) * w
    return float(r @ r)


def _vuong(X_a: np.ndarray, X_b: np.ndarray, y: np.ndarray, sy: np.ndarray) -> float:
    """One-sided p-value that the law with design ``X_b`` fits better than the one with ``X_a``
    (same number of coefficients, neither nested in the other): Vuong's (1989) test on the
    per-point differences of squared standardised residuals, ``d_i = (r_a,i² − r_b,i²)/2`` (the
    Gaussian log-likelihood ratio), ``z = Σd / √(n·V)`` with ``V`` the Newey–West (1987)
    long-run variance of ``d`` (Bartlett weights up to lag ⌊n^(1/3)⌋), since a series measured
    on one held-out set has correlated errors and a misfit leaves runs of residuals."""
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


FINITE_SIZE_MODELS = {"N^(-1/2)": -0.5, "N^(-1)": -1.0}
"""The finite-size corrections a large-N identity's gap is fitted with: ``gap = a + b N^p``."""


def limit_identity(meas, claimed, claim, alpha_point: float, n_values) -> PointDecision:
    """Large-N identity: the gap ``measured − claimed`` is extrapolated to ``N → ∞`` by
    ``a + b N^(−1/2)`` and by ``a + b N^(−1)`` (:data:`FINITE_SIZE_MODELS`), and the intercept
    ``a`` is decided against ``claim.tolerance`` as an equivalence margin (a point null would
    reject any small misfit of the finite-size model once the errors are small).

    The model that fits better (smaller weighted residual sum of squares; both are reported)
    decides. Fail: ``|a|`` exceeds the tolerance significantly (one-sided test of
    ``|a| ≤ tolerance``). Pass: the interval of ``a`` lies inside ``±tolerance``. Otherwise
    inconclusive."""
    m = meas.values()
    c = _arr(claimed, m.size)
    N = _arr(n_values)
    gap = m - c
    sy = None if meas.stderr is None else _arr(meas.stderr, m.size)
    eb = float(np.max(_arr(meas.error_bound, m.size)))
    tol = (
        claim.tolerance
        if claim.tolerance is not None
        else DEFAULT_IDENTITY_TOLERANCE * max(float(np.max(np.abs(c))), 1e-12)
    )
    fits = {}
    for name, power in FINITE_SIZE_MODELS.items():
        X = np.column_stack([np.ones_like(N), N**power])
        coef, cov, dof = _wls(X, gap, sy)
        a, se_a = float(coef[0]), float(math.sqrt(max(cov[0, 0], 0.0)))
        # known standard errors: normal quantiles (the covariance is widened by the reduced χ²
        # when the fit is worse than they explain); residual-based errors: Student's t
        dist = stats.norm if sy is not None else stats.t(dof)
        excess = abs(a) - tol - eb
        t = excess / se_a if se_a > 0 else (math.inf if excess > 0 else -math.inf)
        w = np.ones_like(gap) if sy is None else 1.0 / np.maximum(sy, 1e-300) ** 2
        resid = gap - X @ coef
        fits[name] = {
            "a": a,
            "se": se_a,
            "p": float(dist.sf(t)),
            "upper": abs(a) + float(dist.ppf(1 - alpha_point / 2)) * se_a,
            "rss": float(resid**2 @ w),
        }
    best = min(fits, key=lambda k: fits[k]["rss"])
    f = fits[best]
    return PointDecision(
        f["p"],
        f["upper"] <= tol + eb,
        (tol + eb - f["upper"]) / max(tol, 1e-300),
        None,
        {
            "intercept": f["a"],
            "intercept_se": f["se"],
            "tolerance": tol,
            "finite_size_model": best,
            "models": {
                k: {"intercept": v["a"], "se": v["se"], "rss": v["rss"]} for k, v in fits.items()
            },
            "measured": _num(m[-1]),
            "claimed": _num(c[-1]),
        },
    )


# --------------------------------------------------------------------------------------------
# bounds
# --------------------------------------------------------------------------------------------


def bound(meas, claimed, claim, alpha_point: float) -> PointDecision:
    """``measured ≤ claimed`` (upper) or ``≥`` (lower) at every element of the series.

    Deterministic: violated when the difference exceeds the error bound (rigorous); otherwise
    consistent. Monte-Carlo: one-sided z-tests (Bonferroni over the elements of the point) for the
    violation; the pass interval is ``measured ± z·se`` on the claim's side."""
    s = 1.0 if claim.kind == "upper_bound" else -1.0
    m = meas.values()
    c = _arr(claimed, m.size)
    eb = _arr(meas.error_bound, m.size)
    with np.errstate(invalid="ignore"):
        diff = s * (m - c)  # > 0 is a violation
    diff = np.where(np.isnan(diff), 0.0, diff)  # both -inf in log scale: equal
    if meas.stderr is None:
        excess = diff - eb
        p = np.where(excess > 0, 0.0, 1.0)
        ok_el = excess <= 0
    else:
        se = _arr(meas.stderr, m.size)
        z = (diff - eb) / np.where(se > 0, se, np.inf)
        z = np.where((se == 0) & (diff - eb > 0), np.inf, z)
        p = np.minimum(1.0, stats.norm.sf(z) * m.size)
        q = _z(1 - alpha_point / m.size)
        ok_el = diff + q * se <= eb
    scale = np.maximum(np.abs(c), np.maximum(eb, 1e-300)) if not meas.log else np.ones_like(c)
    with np.errstate(invalid="ignore"):
        rel = np.where(np.isfinite(diff), diff / scale, np.where(diff > 0, np.inf, -np.inf))
    # The worst element among the informative ones: where the claimed or the measured value is
    # above the numerical floor (both below it, the comparison says nothing either way).
    informative = meas.log | (np.abs(c) > eb) | (np.abs(m) > eb) | (diff - eb > 0)
    ranked = np.where(informative, rel, -np.inf)
    i = int(np.argmax(ranked)) if informative.any() else int(np.argmax(rel))
    worst = {"measured": _num(m[i]), "claimed": _num(c[i]), "error_bound": _num(eb[i])}
    if meas.stderr is not None:
        worst["stderr"] = _num(_arr(meas.stderr, m.size)[i])
    if claim.variable is not None and claim.variable.name in meas.series:
        worst[claim.variable.name] = _num(_arr(meas.series[claim.variable.name])[i])
    if meas.log:
        worst["scale"] = "log"
    return PointDecision(
        float(p.min()),
        bool(np.all(ok_el)),
        float(-rel[i]) if math.isfinite(rel[i]) else (-math.inf if rel[i] > 0 else math.inf),
        _ratio(m[i], c[i], eb[i], meas.log),
        worst,
    )


# --------------------------------------------------------------------------------------------
# rates
# --------------------------------------------------------------------------------------------


def rate_parameter(expr: sp.Expr, var: sp.Symbol) -> tuple[str, sp.Expr]:
    """Read a rate function: ``var**a`` (times constants) → ``("power", a)``; ``exp(−c·var)`` →
    ``("exp", c)``, the exponent or rate as a sympy expression (it may hold parameters)."""
    expr = sp.powsimp(sp.sympify(expr), combine="exp")
    factors = sp.Mul.make_args(expr)
    core = [f for f in factors if f.has(var)]
    if len(core) != 1:
        raise ValueError(f"a rate claim must be C·{var}**a or C·exp(−c·{var}), got {expr}")
    f = core[0]
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
    claimed one (:func:`_vuong`)."""
    form, value = rate_form(claimed_expr, claim.variable)
    x = _arr(x_values)
    m = meas.values()
    if meas.log:
        y = m
        sy = None if meas.stderr is None else _arr(meas.stderr, m.size)
    else:
        if np.any(m <= 0):
            raise ValueError("a rate needs positive measured values (got ≤ 0)")
        y = np.log(m)
        sy = None if meas.stderr is None else _arr(meas.stderr, m.size) / m
    if np.any(x <= 0) and form == "power":
        raise ValueError("a power-law rate needs a positive series variable")
    lx = np.log(x) if np.all(x > 0) else None
    # claimed model
    if form == "power":
        X = np.column_stack([np.ones_like(x), lx])
        sign = 1.0
    else:
        X = np.column_stack([np.ones_like(x), -x])
        sign = 1.0
    coef, cov, dof = _wls(X, y, sy)
    est, se = sign * float(coef[1]), float(math.sqrt(max(cov[1, 1], 0.0)))
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
        cf, cvf, doff = _wls(Xf, y, sy)
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
        chi2_claim, chi2_alt = _chi2(X, y, sy), _chi2(alt_X, y, sy)
        alt_fits_better = p_alt_term <= alpha_point and chi2_alt < chi2_claim
        if p_alt_term <= alpha_point and claim_needed:
            p_alt_better = _vuong(X, alt_X, y, sy)
            p = min(p, p_alt_better)
    worst = {
        "form": form,
        "fitted": est,
        "interval": [lo, hi],
        "band": [band[0], band[1]],
        "p_claimed_term": p_claim_term,
        "p_alternative_term": p_alt_term,
        "chi2_claimed_law": chi2_claim,
        "chi2_alternative_law": chi2_alt,
        "p_alternative_law_fits_better": p_alt_better,
        "measured": _num(m[-1]),
    }
    if p_band <= alpha_point:
        worst["reason"] = f"the fitted {'exponent' if form == 'power' else 'rate'} misses the band"
    elif p_form <= alpha_point:
        worst["reason"] = "the other law's term is significant and the claimed one's is not"
    elif p_alt_better is not None and p_alt_better <= alpha_point:
        worst["reason"] = "the other law alone fits significantly better (Vuong)"
    width = max(hi - lo, 1e-300)
    slack = min(lo - band[0], band[1] - hi)
    return PointDecision(
        p,
        bool(inside and claim_needed and not alt_fits_better),
        float(slack / width) if math.isfinite(slack) else 1.0,
        (est / value) if value not in (None, 0) else None,
        worst,
    )


# --------------------------------------------------------------------------------------------
# thresholds, monotonicity, probabilities
# --------------------------------------------------------------------------------------------


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


def threshold(meas, claimed, claim, alpha_point: float, sizes) -> PointDecision:
    """Finite-size brackets ``[lo, hi]`` (one per size) locate a threshold that is a large-size
    limit, and finite sizes shift it to one side, so the decision rests on the large sizes and
    allows for the shift still to come (:func:`extended_brackets`).

    Fail: the largest size's extended bracket excludes the claim beyond its error (significantly,
    for brackets with standard errors). Pass: the claim lies in every extended bracket from some
    size on, that tail holds the larger half of the sizes (at least two), and its brackets
    narrow (the last narrower than the tail's first) or the last is at most
    :data:`SHARP_BRACKET` of the claim wide. A small size whose bracket is shifted off the limit
    no longer blocks a pass; otherwise inconclusive."""
    br = np.asarray(meas.value, dtype=float).reshape(-1, 2)
    N = _arr(sizes)
    order = np.argsort(N)
    br, N = br[order], N[order]
    ext = extended_brackets(br, N)
    c = float(_arr(claimed)[0])
    eb = float(np.max(_arr(meas.error_bound)))
    lo, hi = ext[:, 0], ext[:, 1]
    outside = np.maximum(lo - c, c - hi) - eb
    se = None
    if meas.stderr is None:
        p = 0.0 if outside[-1] > 0 else 1.0
        contains = outside <= 0
    else:
        se = np.asarray(meas.stderr, dtype=float).reshape(-1, 2)[order]
        se_side = np.where(lo - c > c - hi, se[:, 0], se[:, 1])
        z = outside[-1] / max(se_side[-1], 1e-300)
        p = float(stats.norm.sf(z)) if outside[-1] > 0 else 1.0
        q = _z(1 - alpha_point / len(N))
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
        {
            "claimed": c,
            "brackets": br.tolist(),
            "extended": ext.tolist(),
            "stderr": None if se is None else se.tolist(),
            "sizes": N.tolist(),
            "narrowing": bool(narrowing),
            "contained_from": float(N[len(N) - tail]) if tail else None,
        },
    )


def monotone(meas, claim, alpha_point: float, x_values) -> PointDecision:
    """Non-decreasing (or non-increasing) along the series variable. Deterministic: a step the
    wrong way beyond the two values' error bounds is a violation. Monte-Carlo: one-sided z-test
    per step (Bonferroni within the point); pass needs every step's interval on the right side."""
    x = _arr(x_values)
    order = np.argsort(x)
    m = meas.values()[order]
    eb = _arr(meas.error_bound, m.size)[order]
    s = 1.0 if claim.direction == "increasing" else -1.0
    with np.errstate(invalid="ignore"):
        d = s * np.diff(m)
    d = np.where(np.isnan(d), 0.0, d)  # -inf to -inf: no change
    allow = eb[1:] + eb[:-1]
    if meas.stderr is None:
        p = np.where(d < -allow, 0.0, 1.0)
        ok = bool(np.all(d >= -allow))
    else:
        se = _arr(meas.stderr, m.size)[order]
        sd = np.sqrt(se[1:] ** 2 + se[:-1] ** 2)
        z = (-d - allow) / np.maximum(sd, 1e-300)
        p = np.minimum(1.0, stats.norm.sf(z) * d.size)
        q = _z(1 - alpha_point / d.size)
        ok = bool(np.all(d - q * sd >= -allow))
    i = int(np.argmin(d + allow))
    finite = m[np.isfinite(m)]
    span = max(float(finite.max() - finite.min()), 1e-300) if finite.size else 1.0
    return PointDecision(
        float(p.min()),
        ok,
        float((d[i] + allow[i]) / span),
        None,
        {
            "step": [float(x[order][i]), float(x[order][i + 1])],
            "values": [_num(m[i]), _num(m[i + 1])],
            "change": _num(s * d[i]),
            "direction": claim.direction,
        },
    )


def probability(meas, claimed, claim, alpha_point: float) -> PointDecision:
    """``P(measured ≤ claimed) ≥ level``: violations among independent repetitions against
    ``δ = 1 − level``. Fail: ``P(Bin(n, δ) ≥ k)`` significant (Holm over points); pass: the
    one-sided Clopper–Pearson upper limit of the violation rate is ``≤ δ``. Tightness: the
    empirical ``level``-quantile of the measured values over the claimed bound."""
    samples = _arr(meas.samples)
    n = samples.size
    c = _arr(claimed, n)
    eb = _arr(meas.error_bound, n)
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
        {
            "violations": k,
            "repetitions": n,
            "delta": delta,
            "clopper_pearson_upper": upper,
            "measured_quantile": quant,
            "claimed": cq,
        },
    )
