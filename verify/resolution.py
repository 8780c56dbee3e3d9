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

from statistics import NormalDist

from .kinds import kind
from .kinds.evidence import Evidence


def point_resolution(claim, ev: Evidence, z: float) -> tuple[float | None, str]:
    """``(r, note)`` at one point: the relative change of the claim this point rejects (by the
    claim's kind: :meth:`verify.kinds.base.Kind.resolution`)."""
    if claim.existential:
        return None, "existential: a construction that misses the bound is not a refutation"
    return kind(claim.kind).resolution(claim, ev, z)


def resolution(claim, evidence: list[Evidence], alpha_refute: float) -> tuple[float | None, str]:
    """The check's resolution over its points (the smallest point resolution) and, where there
    is none, why (the first point's reason)."""
    if not evidence:
        return None, "no point was measured"
    z = NormalDist().inv_cdf(1 - alpha_refute / max(len(evidence), 1))
    found = [point_resolution(claim, ev, z) for ev in evidence]
    values = [r for r, _ in found if r is not None]
    if values:
        return float(min(values)), ""
    return None, next((n for _, n in found if n), "")


def describe(kind_name: str, r: float | None, note: str = "") -> str:
    """The resolution in words, for ``verify show`` and the theorem pages."""
    if r is None:
        return f"— ({note})" if note else "—"
    return kind(kind_name).describe_resolution(r)
