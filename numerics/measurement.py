"""What an experiment returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Measurement:
    """Measured values with their uncertainty.

    Parameters
    ----------
    value
        The measured quantity: a number, or an array aligned with the series (one entry per
        element of ``series[var]``). For threshold claims, an array of shape ``(len(series), 2)``
        of brackets ``[lo, hi]``.
    stderr
        Standard error of each value (Monte-Carlo). ``None`` when the value is exact or a
        deterministic computation.
    error_bound
        A bound on the absolute numerical error of a deterministic value (rounding, truncation),
        which the experiment derives from the precision and the sizes (:mod:`numerics.rounding`
        has bounds for sums, products, dot products and powers of stochastic matrices). In log
        units when ``log`` is true. Nothing is assumed when it is left out: a float measurement
        that an identity, bound or monotone claim compares must declare ``error_bound``,
        ``stderr`` (Monte Carlo) or ``exact=True``, or the check stops with an error saying so.
    exact
        The values are exact (integers counted, no rounding).
    log
        ``value`` (and ``error_bound``, ``stderr``) are natural logarithms of the measured quantity:
        for quantities that underflow float64.
    series
        ``{name: values}``: the sweep the values are aligned with (``{"n": [...]}``).
    inputs
        Measured quantities the claim's expression refers to (``{"eps": 0.01}``), scalars or arrays
        aligned with the series or with ``samples``.
    samples
        For probability claims: one measured value per independent repetition (dataset).
    raw
        Anything worth plotting or reporting (not used by the decision).
    monte_carlo
        The values come from random simulations even without a standard error (brackets found by
        simulation): the evidence is then reported as statistical.
    certified
        ``value ± error_bound`` encloses the exact quantity rigorously (computed in ball
        arithmetic, :mod:`numerics.certified`, the radius rounded outward): a claim decided on
        the right side of every enclosure, the claimed value enclosed too, is ``certified``.
    exact_value
        The quantity's exact value as a :class:`fractions.Fraction`, where the experiment knows
        it (not its log): it decides the equality cases that no enclosure can (a bound attained).
    """

    value: Any = None
    stderr: Any = None
    error_bound: Any = None
    exact: bool = False
    log: bool = False
    series: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    samples: Any = None
    raw: dict[str, Any] = field(default_factory=dict)
    monte_carlo: bool = False
    certified: bool = False
    exact_value: Any = None

    @property
    def stochastic(self) -> bool:
        """Random evidence: standard errors, samples, or ``monte_carlo`` set by an experiment
        whose deterministic-looking output (a bracket) comes from random simulations."""
        return self.monte_carlo or self.stderr is not None or self.samples is not None

    def bound(self) -> Any:
        """The declared error bound, or 0 where none is declared (exact values, Monte Carlo)."""
        return 0.0 if self.error_bound is None else self.error_bound

    def undeclared(self) -> bool:
        """Floats with no stated uncertainty: neither ``error_bound``, ``stderr``, ``samples``,
        ``monte_carlo`` nor ``exact``, and not all integers (which are exact as they are)."""
        if self.exact or self.stochastic or self.error_bound is not None or self.value is None:
            return False
        v = np.asarray(self.value)
        return not (v.dtype.kind in "iub" or (v.dtype == object and _all_ints(v)))

    def values(self) -> np.ndarray:
        return np.atleast_1d(np.asarray(self.value, dtype=float))


def _all_ints(v: np.ndarray) -> bool:
    return all(isinstance(x, int) and not isinstance(x, bool) for x in v.ravel().tolist())
