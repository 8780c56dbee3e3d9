"""The resolution of a check: the smallest relative change of the claim it would reject.

Read off the check's own evidence, with no extra simulation: at each point, from the decision's
worst element (measured and claimed values, their standard error and error bound, the fitted
interval, the brackets and their standard errors) and the refutation level's normal quantile,
how far the claim must move before that point refutes it. A change is rejected when some point
rejects it, so the check's resolution is the smallest over the points. What "a change" is
depends on the kind:

- bounds: the bound tightened (``expr × (1 ∓ r)``); loosening it is never refuted;
- identities, thresholds: the expression scaled by ``1 ± r`` (a large-N identity: its limit);
- rates: the claimed exponent or rate scaled by ``1 ± r``;
- probability claims: the bound tightened, to about the observed quantile at the level.

There is none ("—", with the reason) for existential claims (a miss is never a refutation), for
monotone claims (a direction, not a value), for rates that fix only the law's form, and for
bounds whose measured value sits within the noise of zero: such a check can only reject a bound
below about the noise level, which the note gives.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any


def finite(x) -> float | None:
    """``x`` as a finite float, or None (not a number, NaN, ±inf)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def point_resolution(claim, worst: dict[str, Any], z: float) -> tuple[float | None, str]:
    """``(r, note)`` at one point: the relative change of the claim this point rejects."""
    kind = claim.kind
    if claim.existential:
        return None, "existential: a construction that misses the bound is not a refutation"
    if kind == "monotone":
        return None, "a direction, not a value: a monotone claim has no scale to move"
    w = worst or {}
    m, c = finite(w.get("measured")), finite(w.get("claimed"))
    se, eb = finite(w.get("stderr")) or 0.0, finite(w.get("error_bound")) or 0.0
    noise = z * se + eb
    if kind in ("upper_bound", "lower_bound"):
        if m is None or c is None:
            return None, "no measured value at the worst point"
        upper = kind == "upper_bound"
        if w.get("scale") == "log":  # natural logs of the quantities
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
    if kind == "identity":
        if claim.limit is not None:
            a, sa, tol = (finite(w.get(k)) for k in ("intercept", "intercept_se", "tolerance"))
            if None in (a, sa, tol, c) or c == 0:
                return None, "no extrapolated intercept"
            return (tol + z * sa + abs(a)) / abs(c), ""
        if m is None or c is None or c == 0:
            return None, "the claimed value is 0: no relative change"
        if se == 0 and eb == 0:  # exact: the nearest other integer
            return (abs(m - c) + (1.0 if float(c).is_integer() else 0.0)) / abs(c), ""
        return (abs(m - c) + noise) / abs(c), ""
    if kind == "threshold":
        ext = w.get("extended") or w.get("brackets")
        if not ext or c in (None, 0):
            return None, "no bracket"
        lo, hi = (float(v) for v in ext[-1])
        s_lo, s_hi = (float(v) for v in (w.get("stderr") or [[0.0, 0.0]])[-1])
        return max(c - lo + z * s_lo, hi - c + z * s_hi, 0.0) / abs(c), ""
    if kind == "rate":
        est, band, iv = finite(w.get("fitted")), w.get("band") or [], w.get("interval") or []
        b = [finite(v) for v in band]
        if est is None or len(b) != 2 or None in b or len(iv) != 2:
            return None, "the claim fixes the law's form, not its exponent or rate"
        value, half = (b[0] + b[1]) / 2, (b[1] - b[0]) / 2
        if value == 0:
            return None, "the claimed exponent is 0: no relative change"
        width = (float(iv[1]) - float(iv[0])) / 2  # about z_pass standard errors
        return (half + width + abs(est - value)) / abs(value), ""
    if kind == "probability":
        q = finite(w.get("measured_quantile"))
        if q is None or c in (None, 0):
            return None, "no observed quantile"
        return max(c - q, 0.0) / abs(c), ""
    return None, f"no resolution for {kind} claims"


def resolution(claim, worsts: list[dict], alpha_refute: float) -> tuple[float | None, str]:
    """The check's resolution over its points (the smallest point resolution) and, where there
    is none, why (the first point's reason)."""
    if not worsts:
        return None, "no point was measured"
    z = NormalDist().inv_cdf(1 - alpha_refute / max(len(worsts), 1))
    found = [point_resolution(claim, w, z) for w in worsts]
    values = [r for r, _ in found if r is not None]
    if values:
        return float(min(values)), ""
    return None, next((n for _, n in found if n), "")


def describe(kind: str, r: float | None, note: str = "") -> str:
    """The resolution in words, for ``verify show`` and the theorem pages."""
    if r is None:
        return f"— ({note})" if note else "—"
    pct = f"{100 * r:.3g} %"
    if kind in ("upper_bound", "lower_bound", "probability"):
        return f"{pct}: the bound tightened by more is rejected"
    if kind == "rate":
        return f"±{pct}: the exponent or rate changed by more is rejected"
    return f"±{pct}: the claim scaled by more is rejected"
