"""Certified decisions of bound claims: a measurement that encloses its quantity rigorously
(``Measurement.certified``, ball arithmetic in :mod:`numerics.certified`) against the claimed
value enclosed in Arb too (:func:`verify.certifier.enclose`), element by element.

A bound is *certified* at a point when every element's measured enclosure lies on the claim's
side of the claimed enclosure; where the two touch (a bound attained, as ε = T^−K at B = 0),
the measurement's exact value (``Measurement.exact_value``) against the claimed value in
sympy decides it exactly. Anything else (measured inputs in the claim, an enclosure that
straddles) is not certified: the point keeps its float decision and the theorem its weaker
strength. Never certifies a false bound: both sides are enclosures of exact values."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp


def _binary(v) -> sp.Expr:
    """A point's value at its exact binary value (what the experiment computed with)."""
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise TypeError(f"not a number: {v!r}")
    return sp.Rational(v) if isinstance(v, float | np.floating) else sp.Integer(int(v))


def certified_bound(theorem, point, meas) -> bool:
    """Whether ``meas`` certifies ``theorem``'s upper or lower bound at ``point``."""
    from flint import arb

    claim = theorem.claim
    if claim.kind not in ("upper_bound", "lower_bound") or not meas.certified:
        return False
    expr = claim.expr
    names = {s.name for s in expr.free_symbols}
    if names & set(meas.inputs):  # a measured input: not an exact claimed value
        return False
    m = meas.values()
    eb = np.broadcast_to(np.asarray(meas.bound(), dtype=float), m.shape)
    series = {k: np.atleast_1d(np.asarray(v)) for k, v in meas.series.items() if k in names}
    for i in range(m.size):
        values = {}
        for s in expr.free_symbols:
            if s.name in series:
                values[s] = series[s.name][i].item()
            elif s.name in point:
                values[s] = point[s.name]
            else:
                return False
        try:
            claimed = enclose(expr, values)
        except (ValueError, TypeError, ZeroDivisionError):
            return False
        if meas.log:
            if not claimed > 0:
                return False
            claimed = claimed.log()
        if not (np.isfinite(m[i]) and np.isfinite(eb[i])):
            return False
        measured = arb(float(m[i]), float(eb[i]))
        upper = claim.kind == "upper_bound"
        if (measured <= claimed) if upper else (measured >= claimed):
            continue
        if not _consistent(meas, measured) or not _exactly(
            expr, values, meas.exact_value, upper, m.size
        ):
            return False
    return True


def _consistent(meas, measured) -> bool:
    """The stated exact value lies in the measured enclosure (else the experiment contradicts
    itself, and nothing is certified)."""
    from numerics.certified import exact

    if meas.exact_value is None:
        return False
    value = exact(Fraction(meas.exact_value))
    if meas.log:
        value = value.log()
    return bool(measured.overlaps(value))


def _exactly(expr, values, exact, upper: bool, n: int) -> bool:
    """The equality case: the measured quantity's exact value against the claimed value at the
    point, in sympy (scalar measurements only)."""
    if exact is None or n != 1:
        return False
    claimed = sp.simplify(expr.xreplace({s: _binary(v) for s, v in values.items()}))
    diff = sp.simplify(
        sp.Rational(Fraction(exact).numerator, Fraction(exact).denominator) - claimed
    )
    ok = diff.is_nonpositive if upper else diff.is_nonnegative
    return ok is True


def enclose(expr: sp.Expr, values) -> object:
    """A ball containing ``expr`` at the exact ``values`` (``{symbol: number}``, floats at their
    binary value), at the certifier's precision."""
    from flint import ctx

    from numerics.certified import exact

    from ..certifier import PRECISION, compile_ball

    old = ctx.prec
    ctx.prec = max(old, PRECISION)
    try:
        index = {s: i for i, s in enumerate(values)}
        balls = [exact(Fraction(int(q.p), int(q.q))) for q in map(_binary, values.values())]
        return compile_ball(sp.sympify(expr), index)(balls)
    finally:
        ctx.prec = old
