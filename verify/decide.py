"""A theorem's verdict from its points: each claim kind (:mod:`verify.kinds`) turns a point's
measurement into a :class:`~verify.kinds.base.PointDecision`; :func:`aggregate` combines the
points with Holm's correction (DESIGN.md, "Deciding").

- ``fail`` needs a violation significant after Holm's correction over the points; ``pass`` needs
  every point ``ok``; anything else is ``inconclusive``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .kinds.base import PointDecision
from .verdicts import Verdict


@dataclass
class Decision:
    verdict: Verdict
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
        return Decision(Verdict.INCONCLUSIVE, [], None, "no parameter point was drawn")
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
                Verdict.INCONCLUSIVE,
                rejected,
                worst,
                "the construction missed the bound at some points; for an existence claim that "
                "is not a refutation",
            )
        why = decisions[worst].evidence.reason
        what = combined or (
            f"significant violation at {len(rejected)} of {len(decisions)} points (Holm, "
            f"family-wise α = {share:g})"
        )
        return Decision(Verdict.FAIL, rejected, worst, what + (f": {why}" if why else ""))
    if all(d.ok for d in decisions):
        return Decision(Verdict.PASS, [], worst)
    return Decision(
        Verdict.INCONCLUSIVE,
        [],
        worst,
        "no significant violation, but not every interval lies on the claim's side",
    )
