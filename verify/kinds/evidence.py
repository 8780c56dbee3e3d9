"""Typed evidence: what a kind's decision of one point records about its worst element.

Each kind decides on one of these dataclasses and reads it back for its mutants and its
resolution (attributes, not string keys). In a report the evidence is a plain JSON object
(:meth:`Evidence.to_json`; the keys are the field names, optional fields left out when unset) and
:meth:`Evidence.from_json` reads one back (a report's ``worst`` entry, which adds the point's
``params``, ``seed`` and ``margin``: keys it does not know are ignored).

A non-finite number is written as its string (``"inf"``, ``"nan"``), as JSON has none.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

Number = float | str
"""A measured or claimed value: a float, or the string of a non-finite one."""


def _optional():
    """A field left out of the JSON object when it is None."""
    return field(default=None, metadata={"omit_none": True})


def _plain(v):
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if hasattr(v, "to_json"):
        return v.to_json()
    return v


@dataclass(kw_only=True)
class Evidence:
    """The common part: ``reason`` says in words why the point was rejected, where a kind has
    more than one way to reject (a rate's band, its form, the other law)."""

    reason: str | None = _optional()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None and f.metadata.get("omit_none"):
                continue
            out[f.name] = _plain(v)
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any], claim=None):
        """The evidence in ``d`` (a missing required field is a ``ValueError``)."""
        kw = {}
        for f in fields(cls):
            if f.name in d:
                kw[f.name] = d[f.name]
            elif f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"{cls.__name__} needs {f.name!r}; the record has {sorted(d)}")
        return cls(**kw)


@dataclass(kw_only=True)
class Comparison(Evidence):
    """A measured value against the claimed one (identities, bounds). ``error_bound`` and
    ``stderr`` are the measurement's; ``index`` is the element of an exact series; ``at`` is the
    claim's variable there, written under the variable's own name; ``scale`` is ``"log"`` when
    measured and claimed are natural logs."""

    measured: Number
    claimed: Number
    error_bound: float | None = _optional()
    stderr: float | None = _optional()
    index: int | None = _optional()
    variable: str | None = _optional()
    at: Number | None = _optional()
    scale: str | None = _optional()

    def to_json(self):
        out = super().to_json()
        out.pop("variable", None)
        at = out.pop("at", None)
        scale = out.pop("scale", None)
        if self.variable is not None:
            out[self.variable] = at
        if scale is not None:
            out["scale"] = scale
        return out

    @classmethod
    def from_json(cls, d, claim=None):
        var = claim.variable.name if claim is not None and claim.variable is not None else None
        ev = super().from_json({k: v for k, v in d.items() if k not in ("variable", "at")})
        if var is not None and var in d:
            ev.variable, ev.at = var, d[var]
        return ev


@dataclass
class FiniteSizeFit:
    """One finite-size model's fit of a large-N identity's gap: its intercept, the intercept's
    standard error and the weighted residual sum of squares."""

    intercept: float
    se: float
    rss: float

    def to_json(self):
        return {"intercept": self.intercept, "se": self.se, "rss": self.rss}


@dataclass(kw_only=True)
class LimitEvidence(Evidence):
    """A large-N identity: the extrapolated gap ``intercept ± intercept_se`` of the model that fits
    better (``finite_size_model``) against ``tolerance``; every model's fit in ``models``; the
    largest size's measured and claimed values."""

    intercept: float
    intercept_se: float
    tolerance: float
    finite_size_model: str
    models: dict[str, FiniteSizeFit]
    measured: Number
    claimed: Number

    @classmethod
    def from_json(cls, d, claim=None):
        ev = super().from_json(d)
        ev.models = {
            k: v if isinstance(v, FiniteSizeFit) else FiniteSizeFit(**v)
            for k, v in (ev.models or {}).items()
        }
        return ev


@dataclass(kw_only=True)
class RateEvidence(Evidence):
    """A fitted law: the claimed ``form`` (``"power"`` or ``"exp"``), the ``fitted`` exponent or
    rate and its ``interval``, the claimed ``band``; the p-values of the claimed and the other
    form's terms in the encompassing fit; the χ² of each law alone and the p-value that the other
    law fits better (None without standard errors); the last measured value."""

    form: str
    fitted: float
    interval: list[float]
    band: list[float]
    p_claimed_term: float
    p_alternative_term: float
    chi2_claimed_law: float | None
    chi2_alternative_law: float | None
    p_alternative_law_fits_better: float | None
    measured: Number


@dataclass(kw_only=True)
class ThresholdEvidence(Evidence):
    """Finite-size brackets, one ``[lo, hi]`` per size (ascending), the same extended by the
    shift still to come, their standard errors (scaled by ``se_scale``; None when not simulated),
    whether they narrow, and the size from which every extended bracket holds the claim."""

    claimed: float
    brackets: list[list[float]]
    extended: list[list[float]]
    stderr: list[list[float]] | None
    se_scale: float | None
    sizes: list[float]
    narrowing: bool
    contained_from: float | None

    SE_NONE: ClassVar[list[float]] = [0.0, 0.0]

    def last(self) -> tuple[float, float, float, float]:
        """The largest size's extended bracket and its standard errors: ``lo, hi, s_lo, s_hi``."""
        lo, hi = (float(v) for v in (self.extended or self.brackets)[-1])
        s_lo, s_hi = (float(v) for v in (self.stderr or [self.SE_NONE])[-1])
        return lo, hi, s_lo, s_hi


@dataclass(kw_only=True)
class MonotoneEvidence(Evidence):
    """The worst step: its two values of the variable, the measured values there, the change in
    the claimed direction (negative: the wrong way)."""

    step: list[float]
    values: list[Number]
    change: Number
    direction: str


@dataclass(kw_only=True)
class ProbabilityEvidence(Evidence):
    """``violations`` among ``repetitions`` against ``delta = 1 − level``, the Clopper–Pearson
    upper limit of the violation rate, and the measured values' ``level``-quantile against the
    claimed bound (its median over the repetitions)."""

    violations: int
    repetitions: int
    delta: float
    clopper_pearson_upper: float
    measured_quantile: float
    claimed: float
