"""What every claim kind provides (:class:`Kind`), and the decision of one point
(:class:`PointDecision`).

A kind decides a point's measurement (:meth:`Kind.decide`), builds the variants of a claim that
its own evidence shows false (:meth:`Kind.mutants`, for ``verify selftest``), says how small a
change of the claim its evidence rejects (:meth:`Kind.resolution`) and how its relation reads
(``relation``, ``latex``). The verdict over the points is :func:`verify.decide.aggregate`.

Conventions (DESIGN.md, "Deciding"):

- ``p_fail`` is the p-value of "the claim holds at this point"; a deterministic violation beyond
  the measurement's error bound has ``p_fail = 0``, a deterministic agreement ``p_fail = 1``.
- A point is ``ok`` when its interval lies on the claim's side at the simultaneous level
  ``α / (number of points)``; deterministic values are ``ok`` when consistent within their error
  bound (strength "numerically consistent").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..design import claimed_values, exact_value
from .evidence import Comparison, Evidence

RESOLVE = 5.0
"""A mutant's claim lies this many standard errors past the measured value."""


@dataclass
class PointDecision:
    """How one point went: ``p_fail`` (p-value of the claim at this point), ``ok`` (interval on
    the claim's side), ``margin`` (signed relative slack; negative means violated), ``tightness``
    (measured/claimed at the worst element; None where both are below the numerical floor) and
    ``evidence`` (the kind's typed record of the worst element: :mod:`verify.kinds.evidence`)."""

    p_fail: float
    ok: bool
    margin: float
    tightness: float | None
    evidence: Evidence


class Kind:
    """One claim kind. Subclasses set ``name``, ``relation`` (text, between measured and claimed,
    as ``verify show`` prints it), ``latex`` and ``plot``, and implement :meth:`decide`."""

    name = ""
    relation = "~"
    latex = ""
    plot = "series"  # how the docs plot its evidence: "series", "loglog" or "brackets"
    resolution_words = "the claim scaled by more is rejected"
    resolution_sign = "±"
    evidence: type[Evidence] = Comparison  # what its decisions record (verify.kinds.evidence)

    def evidence_of(self, claim, worst: dict[str, Any] | None) -> Evidence | None:
        """The typed evidence in a result's ``worst`` record (None when there is none)."""
        return self.evidence.from_json(worst, claim) if worst else None

    def measured_values(self, meas) -> np.ndarray:
        """What the kind decides on, as floats (checked for NaN and infinities before deciding);
        a ``ValueError`` when the measurement lacks it."""
        return np.asarray(meas.value, dtype=float)

    def decide(self, theorem, point, meas, alpha_point: float):
        """``(PointDecision, claimed values or None)`` at one point."""
        raise NotImplementedError

    def exact_points_decide(self, claim) -> bool:
        """Whether exact measurements decide ``claim`` exactly at a point (the check is then
        ``certified``): yes for a value compared with a claimed one; no where the decision
        fits or extrapolates finite data (a rate's exponent, a threshold's brackets, a limit),
        however exact each point is."""
        return claim.limit is None

    def certifies(self, theorem, point, meas) -> bool:
        """Whether a ``certified`` measurement (an enclosure) decides the claim at ``point``
        rigorously (:mod:`verify.kinds.certified`); only bounds can be, so far."""
        return False

    def mutants(self, theorem, result) -> list[tuple[str, Any]]:
        """Variants of ``theorem``'s claim that are false given the measurements of ``result``."""
        return []

    def resolution(self, claim, ev: Evidence, z: float) -> tuple[float | None, str]:
        """``(r, note)`` at one point, from its evidence: the relative change of the claim this
        point rejects."""
        return None, f"no resolution for {self.name} claims"

    def repetitions(self, claim, ev: Evidence, z: float) -> float | None:
        """How many times the repetitions at a point whose evidence is ``ev`` would decide it at
        the measured effect, the standard errors falling like ``1/√n`` (:func:`repetition_factor`);
        ``None`` where this kind's evidence does not say (no standard error, a direction)."""
        return None

    def describe_resolution(self, r: float) -> str:
        return f"{self.resolution_sign}{100 * r:.3g} %: {self.resolution_words}"

    def claim_latex(self, claim, rhs: str, var: str) -> str:
        """The claim as one LaTeX formula, the claimed expression ``rhs`` already typeset."""
        return rf"\text{{measured}} {self.latex} {rhs}"

    def caption(self, claim) -> str:
        """The caption of the docs' evidence plot."""
        return (
            "Measured (solid) against claimed (dashed) over the swept parameter, one colour per "
            "parameter point; or measured against claimed per point, with the line of equality."
        )


def claimed_here(theorem, point, meas, n: int):
    """The claimed values along the measurement (``n`` of them) and the exact claimed value where
    there is one (:func:`verify.design.claimed_values`); NaN is an error."""
    claimed, exact = claimed_values(theorem.claim.expr, point, meas, n)
    if np.any(np.isnan(claimed)):
        raise FloatingPointError(f"the claimed expression {theorem.claim.expr} is NaN here")
    return claimed, exact


def series(meas, name: str | None, what: str):
    """The measurement's series ``name`` (the claim's variable), or a ``ValueError`` saying what
    it was needed for."""
    if name not in meas.series:
        raise ValueError(f"the experiment returned no series {name!r} to {what}")
    return meas.series[name]


def substituted(claim, point) -> sp.Expr:
    """The claimed expression with the point's parameters put in (the claim's variable kept)."""
    var = claim.variable.name if claim.variable is not None else None
    return claim.expr.subs(
        {
            s: exact_value(point[s.name])
            for s in claim.expr.free_symbols
            if s.name in point and s.name != var
        }
    )


def repetition_factor(se: float, room: float, z: float) -> float | None:
    """``(z·se / room)²``: the factor on the repetitions that makes an interval ``± z·se`` fit in
    ``room`` (the distance from the estimate to the edge it must clear). ``inf`` when the estimate
    sits on the edge (no number of repetitions decides it), ``None`` without a standard error."""
    if not (se and se > 0 and math.isfinite(se)):
        return None
    room = abs(room)
    return math.inf if room == 0 else (z * se / room) ** 2
