"""Where a parameter lives: the :class:`Domain` kinds (integer ranges, real intervals, log-uniform
scales, finite sets), each saying which values it allows, how to describe them and which values a
fixed design takes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from .errors import TheoremDefinitionError


def exact_number(value: Any):
    """``value`` as an exact sympy number: an integer as an ``Integer``, a float as the decimal
    it prints as (``0.1`` is ``1/10``, not the binary double below it), a fraction or a
    ``"1/10"`` text as its rational; ``None`` for anything else (a name, an expression)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        return sp.Rational(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, str):
        try:
            return exact_number(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def read_number(text: str) -> float:
    """A command-line number: a decimal (``0.1``, ``1e-3``) or a fraction (``1/10``); ``nan``
    and ``inf`` as floats (a domain then refuses them by name)."""
    try:
        return float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"cannot read {text!r} as a number") from None


class Domain:
    """Where one parameter lives. Subclasses say which values are allowed (``contains``), how to
    describe them to a user (``describe``), and which values a fixed design takes (``design``).
    Membership and the theorem's assumptions are decided on exact values (:meth:`exact`)."""

    def contains(self, value: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def design(self, levels: int) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def parse(self, text: str) -> Any:
        """Turn a command-line value into a value of this domain (not yet range-checked):
        decimals and fractions (``1/10``) alike."""
        return read_number(text)

    def exact(self, value: Any):
        """``value`` as the exact sympy value the assumptions are decided at
        (:func:`exact_number`; a non-number as sympy reads it)."""
        got = exact_number(value)
        return got if got is not None else sp.sympify(value)

    def validate(self, name: str, value: Any) -> Any:
        """Return ``value`` if it lies in the domain, else raise ``ValueError`` naming it."""
        if not self.contains(value):
            raise ValueError(f"{name} must be {self.describe()}, got {value!r}")
        return value


def _spread(lo: float, hi: float, levels: int, log: bool) -> list[float]:
    if levels <= 1:
        return [hi]
    if log:
        a, b = math.log(lo), math.log(hi)
        inner = [math.exp(a + (b - a) * k / (levels - 1)) for k in range(1, levels - 1)]
    else:
        inner = [lo + (hi - lo) * k / (levels - 1) for k in range(1, levels - 1)]
    return [lo, *inner, hi]  # the ends exactly, not as rounded exp(log(·))


@dataclass(frozen=True)
class IntRange(Domain):
    """The integers from ``lo`` to ``hi``, both included. The design spreads its levels
    geometrically when the range spans a factor of 8 or more (sizes), evenly otherwise."""

    lo: int
    hi: int

    def __post_init__(self):
        if int(self.lo) != self.lo or int(self.hi) != self.hi or self.lo > self.hi:
            raise TheoremDefinitionError(
                f"IntRange needs integers lo ≤ hi, got {self.lo}, {self.hi}"
            )

    def contains(self, value):
        return (
            isinstance(value, int | sp.Integer)
            and not isinstance(value, bool)
            and self.lo <= int(value) <= self.hi
        )

    def describe(self):
        return f"an integer ≥ {self.lo}" + (f" and ≤ {self.hi}" if self.hi < 10**9 else "")

    def parse(self, text):
        try:
            return int(text)
        except ValueError:
            f = read_number(text)
            return int(f) if f.is_integer() else f

    def design(self, levels):
        log = self.lo > 0 and self.hi / self.lo >= 8
        vals = sorted({int(round(v)) for v in _spread(self.lo, self.hi, levels, log)})
        return [v for v in vals if self.lo <= v <= self.hi]


@dataclass(frozen=True)
class Interval(Domain):
    """A real interval from ``lo`` to ``hi``; ``closed`` says whether each end belongs to it
    (``(True, False)``: ``[lo, hi)``). The design avoids open ends and takes non-dyadic interior
    points."""

    lo: float
    hi: float
    closed: tuple[bool, bool] = (True, True)

    def __post_init__(self):
        if not self.lo < self.hi:
            raise TheoremDefinitionError(f"Interval needs lo < hi, got {self.lo}, {self.hi}")

    def contains(self, value):
        try:
            v = float(value)
        except (TypeError, ValueError):
            return False
        if math.isnan(v):
            return False
        lo_ok = v >= self.lo if self.closed[0] else v > self.lo
        hi_ok = v <= self.hi if self.closed[1] else v < self.hi
        return lo_ok and hi_ok

    def describe(self):
        left = "[" if self.closed[0] else "("
        right = "]" if self.closed[1] else ")"
        return f"a real number in {left}{self.lo}, {self.hi}{right}"

    def design(self, levels):
        lo = self.lo if self.closed[0] else self.lo + (self.hi - self.lo) / (2 * levels + 1)
        hi = self.hi if self.closed[1] else self.hi - (self.hi - self.lo) / (2 * levels + 1)
        return _spread(lo, hi, levels, False)


@dataclass(frozen=True)
class LogUniform(Domain):
    """Positive reals from ``lo`` to ``hi`` (both included), drawn on a log scale (scales,
    temperatures)."""

    lo: float
    hi: float

    def __post_init__(self):
        if not 0 < self.lo < self.hi:
            raise TheoremDefinitionError(f"LogUniform needs 0 < lo < hi, got {self.lo}, {self.hi}")

    def contains(self, value):
        try:
            v = float(value)
        except (TypeError, ValueError):
            return False
        return self.lo <= v <= self.hi

    def describe(self):
        return f"a real number in [{self.lo}, {self.hi}] (log scale)"

    def design(self, levels):
        return _spread(self.lo, self.hi, levels, True)


@dataclass(frozen=True)
class FiniteSet(Domain):
    """One of finitely many ``values`` (numbers or names), each tried by every profile."""

    values: tuple

    def __post_init__(self):
        if not self.values:
            raise TheoremDefinitionError("FiniteSet needs at least one value")

    def match(self, value):
        """The declared value ``value`` stands for, or ``None``: itself, or for a number, the
        declared number it equals exactly (``0.1`` and ``1/10``) or whose nearest float it is
        (``1/3`` as the experiment receives it)."""
        for v in self.values:
            if value is v or (type(value) is type(v) and value == v):
                return v
        got = exact_number(value)
        if got is None:
            return None
        for v in self.values:
            declared = exact_number(v)
            if declared is None:
                continue
            if declared == got or (isinstance(value, float) and float(declared) == value):
                return v
        return None

    def contains(self, value):
        return self.match(value) is not None

    def exact(self, value):
        v = self.match(value)
        return super().exact(value if v is None else v)

    def describe(self):
        return "one of " + ", ".join(str(v) for v in self.values)

    def parse(self, text):
        for v in self.values:
            if str(v) == text:
                return v
        try:
            f = read_number(text)
        except ValueError:
            return text
        return int(f) if f.is_integer() else f

    def design(self, levels):
        return list(self.values)
