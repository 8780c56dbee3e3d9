"""Sound decisions of inequalities over whole boxes, in ball arithmetic (python-flint's Arb).

:func:`certify` decides ``lhs ≤ rhs`` (or ``<``, ``≥``, ``>``) at every point of a box by
branch and bound. On each sub-box it encloses ``g = lhs − rhs`` (written so that the relation
reads ``g ≤ 0`` or ``g < 0``) twice: by evaluating ``g`` on the balls directly, and by the mean
value form ``g(c) + Σᵢ ∂ᵢg(B)·(Bᵢ − cᵢ)`` with the partial derivatives from sympy (for smooth
expressions). A sub-box is settled when either enclosure lies below zero; otherwise ``g`` is
evaluated at its centre (a counterexample when that ball lies above zero) and the box is split
along the direction that contributes most to the enclosure's width. The box with the largest
upper bound is examined first, so the search goes where the relation is closest to failing.

Arb's balls contain the exact result of every operation (Johansson, "Arb: efficient
arbitrary-precision midpoint-radius interval arithmetic", IEEE Trans. Computers 66, 2017), so:

- ``certified`` means every point of the box satisfies the relation;
- ``refuted`` comes with a point of the box where a ball excluding equality shows it false;
- ``inconclusive`` is the answer when the budget is spent (the boxes left are reported) or where
  a sub-box cannot be split further (a relation tight at a point, or undefined somewhere).

Numbers in the relation are taken at their exact value (a Python float at its binary value);
write rationals (``sympy.Rational(1, 10)``) for decimal constants. The command line parses
decimals as rationals.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

STATUSES = ("certified", "refuted", "inconclusive")
PRECISION = 96  # bits of Arb's working precision
_MIN_WIDTH = 2.0**-60  # a real side narrower than this (relative to its size) is not split


@dataclass(frozen=True)
class Budget:
    """How much search a decision may spend: sub-boxes examined and seconds of wall time."""

    boxes: int = 200_000
    seconds: float = 30.0

    def __post_init__(self):
        if not (isinstance(self.boxes, int) and self.boxes >= 1):
            raise ValueError(f"budget boxes must be an integer ≥ 1, got {self.boxes!r}")
        if not (isinstance(self.seconds, int | float) and self.seconds > 0):
            raise ValueError(f"budget seconds must be > 0, got {self.seconds!r}")


@dataclass
class Certificate:
    """The answer of :func:`certify`.

    ``status``: ``certified``, ``refuted`` or ``inconclusive``. ``counterexample``: for
    ``refuted``, ``{symbol: value}`` (exact: a sympy Integer or Rational) inside the box where
    the relation is false, and ``value`` an enclosure of ``lhs − rhs`` there. ``boxes``: the
    sub-boxes examined; ``seconds``: the wall time. For ``inconclusive``, ``left`` holds up to
    five of the sub-boxes not settled (those closest to failing first), ``left_count`` how many
    there were, and ``reason`` why the search stopped."""

    relation: str
    status: str
    box: dict[str, tuple[float, float]]
    boxes: int = 0
    seconds: float = 0.0
    counterexample: dict[sp.Symbol, sp.Number] | None = None
    value: tuple[float, float] | None = None
    left: list[dict[str, tuple[float, float]]] = field(default_factory=list)
    left_count: int = 0
    reason: str = ""

    @property
    def certified(self) -> bool:
        return self.status == "certified"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "relation": self.relation,
            "status": self.status,
            "box": {k: list(v) for k, v in self.box.items()},
            "boxes": self.boxes,
            "seconds": round(self.seconds, 4),
        }
        if self.counterexample is not None:
            out["counterexample"] = {str(k): str(v) for k, v in self.counterexample.items()}
            out["value"] = list(self.value) if self.value else None
        if self.status == "inconclusive":
            out["left"] = [{k: list(v) for k, v in b.items()} for b in self.left]
            out["left_count"] = self.left_count
            out["reason"] = self.reason
        return out

    def summary(self) -> str:
        """One line: the status, with the counterexample or the reason."""
        head = f"{self.status} ({self.boxes} boxes, {self.seconds:.2f} s)"
        if self.counterexample is not None:
            at = ", ".join(f"{k}={_short(v)}" for k, v in self.counterexample.items())
            return f"{head}: false at {at} (lhs − rhs ∈ [{self.value[0]:.6g}, {self.value[1]:.6g}])"
        if self.status == "inconclusive":
            return f"{head}: {self.reason}"
        return head


def _short(v) -> str:
    return str(v) if isinstance(v, sp.Integer) else f"{float(v):.12g}"


# -- sympy → Arb -------------------------------------------------------------------------------

_UNARY = {  # sympy function → the arb method that encloses it
    sp.exp: "exp",
    sp.log: "log",
    sp.sin: "sin",
    sp.cos: "cos",
    sp.tan: "tan",
    sp.cot: "cot",
    sp.sec: "sec",
    sp.csc: "csc",
    sp.asin: "asin",
    sp.acos: "acos",
    sp.atan: "atan",
    sp.sinh: "sinh",
    sp.cosh: "cosh",
    sp.tanh: "tanh",
    sp.asinh: "asinh",
    sp.acosh: "acosh",
    sp.atanh: "atanh",
    sp.gamma: "gamma",
    sp.loggamma: "lgamma",
    sp.digamma: "digamma",
    sp.erf: "erf",
    sp.erfc: "erfc",
    sp.erfi: "erfi",
    sp.zeta: "zeta",
    sp.LambertW: "lambertw",
    sp.floor: "floor",
    sp.ceiling: "ceil",
    sp.sign: "sgn",
}
_NONSMOOTH = (sp.Abs, sp.Min, sp.Max, sp.floor, sp.ceiling, sp.sign, sp.Heaviside)
SUPPORTED = "+, −, ×, ÷, powers, sqrt, abs, Min, Max, " + ", ".join(
    sorted({f.__name__ for f in _UNARY} | {"factorial"})
)

Ball = Any  # flint.arb
Enclosure = Callable[[list[Ball]], Ball]


def _constant(value) -> Enclosure:
    def const(_x, value=value):
        return value

    return const


def compile_ball(expr: sp.Expr, index: Mapping[sp.Symbol, int]) -> Enclosure:
    """``expr`` as a function of the balls ``x`` (in ``index``'s order) returning a ball that
    contains every value ``expr`` takes on them; ``ValueError`` names an unsupported part."""
    from flint import arb, fmpq

    if isinstance(expr, sp.Symbol):
        if expr not in index:
            raise ValueError(f"the box gives no range for {expr}")
        i = index[expr]
        return lambda x: x[i]
    if isinstance(expr, sp.Integer | sp.Rational):
        return _constant(arb(fmpq(int(expr.p), int(expr.q))))
    if isinstance(expr, sp.Float):
        q = sp.Rational(expr)  # the Float's exact binary value
        return _constant(arb(fmpq(int(q.p), int(q.q))))
    named = {sp.pi: arb.pi, sp.E: arb.const_e, sp.EulerGamma: arb.const_euler}
    if expr in named:
        return _constant(named[expr]())
    if expr.is_Number:  # oo, nan, zoo
        raise ValueError(f"certify cannot enclose the constant {expr}")
    known = (sp.Add, sp.Mul, sp.Pow, sp.Abs, sp.Min, sp.Max, sp.factorial, *_UNARY)
    if not isinstance(expr, known):
        name = type(expr).__name__
        raise ValueError(f"certify cannot enclose {name}(…): it supports {SUPPORTED}")
    args = [compile_ball(a, index) for a in expr.args]
    if isinstance(expr, sp.Add):
        return lambda x: _fold(args, x, lambda a, b: a + b)
    if isinstance(expr, sp.Mul):
        return lambda x: _fold(args, x, lambda a, b: a * b)
    if isinstance(expr, sp.Pow):
        return _power(expr, args, index)
    if isinstance(expr, sp.Abs):
        (a,) = args
        return lambda x: abs(a(x)).nonnegative_part()
    if isinstance(expr, sp.Min | sp.Max):
        method = "min" if isinstance(expr, sp.Min) else "max"
        return lambda x: _fold(args, x, lambda a, b: getattr(a, method)(b))
    if isinstance(expr, sp.factorial):
        (a,) = args
        return lambda x: (a(x) + 1).gamma()
    func = type(expr)
    if func in _UNARY and len(args) == 1:
        (a,) = args
        name = _UNARY[func]
        return lambda x: getattr(a(x), name)()
    raise ValueError(f"certify cannot enclose {func.__name__}(…) with {len(args)} arguments")


def _fold(args, x, op):
    acc = args[0](x)
    for a in args[1:]:
        acc = op(acc, a(x))
    return acc


def _power(expr: sp.Pow, args, index) -> Enclosure:
    base, exponent = args
    e = expr.exp
    if isinstance(e, sp.Integer):
        n = int(e)
        if n == 0:
            return _constant(_one())
        if n > 0:
            if n % 2 == 0:  # an even power is ≥ 0: the plain ball power may straddle 0
                return lambda x: (base(x) ** n).nonnegative_part()
            return lambda x: base(x) ** n
        m = -n
        if m % 2 == 0:
            return lambda x: 1 / (base(x) ** m).nonnegative_part()
        return lambda x: 1 / base(x) ** m
    if e == sp.Rational(1, 2):
        return lambda x: base(x).sqrt()
    if e == sp.Rational(-1, 2):
        return lambda x: base(x).rsqrt()

    # a real power: b^e = exp(e log b) where b > 0; elsewhere Arb's own power (0^e for e > 0,
    # an indeterminate ball where the base may be negative, and nothing is decided there)
    def real_power(x):
        b, p = base(x), exponent(x)
        if p.is_exact() and p.is_integer():  # an integer symbol at a point: exact, any sign
            return b ** int(p.unique_fmpz())
        return (p * b.log()).exp() if b > 0 else b**p

    return real_power


def _one():
    from flint import arb

    return arb(1)


# -- the search --------------------------------------------------------------------------------


@dataclass
class _Problem:
    expr: sp.Expr  # g itself, for exact evaluation at rational points
    g: Enclosure
    grads: list[Enclosure] | None
    strict: bool
    symbols: list[sp.Symbol]
    integer: list[bool]


def _relation_parts(relation) -> tuple[sp.Expr, bool]:
    """``(g, strict)`` with the relation equivalent to ``g ≤ 0`` (``g < 0`` when strict)."""
    if isinstance(relation, sp.logic.boolalg.BooleanAtom):
        raise ValueError(
            f"the relation was evaluated to {relation} before certify saw it: build it with "
            "evaluate=False (sympy.Le(a, b, evaluate=False)) to have it certified"
        )
    if isinstance(relation, sp.Eq | sp.Ne) or not isinstance(relation, sp.core.relational.Rel):
        raise ValueError(
            f"certify decides inequalities (<=, <, >=, >), got {relation!r}: an identity is a "
            "sympy proof step"
        )
    lhs, rhs = sp.sympify(relation.lhs), sp.sympify(relation.rhs)
    if isinstance(relation, sp.Le | sp.Lt):
        return lhs - rhs, isinstance(relation, sp.Lt)
    return rhs - lhs, isinstance(relation, sp.Gt)


def _box(box: Mapping, free: set[sp.Symbol]) -> tuple[list[sp.Symbol], list[tuple]]:
    """The box's symbols (the relation's free symbols first matched by name) and exact sides."""
    from flint import fmpq

    by_name = {s.name: s for s in free}
    symbols, sides = [], []
    for key, rng in box.items():
        sym = by_name.get(key if isinstance(key, str) else key.name, key)
        if isinstance(sym, str):
            sym = sp.Symbol(sym)
        try:
            lo, hi = rng
        except (TypeError, ValueError):
            raise ValueError(f"the box's range for {sym} must be (lo, hi), got {rng!r}") from None
        lo_q, hi_q = _exact(lo, sym), _exact(hi, sym)
        if lo_q > hi_q:
            raise ValueError(f"the box's range for {sym} is empty: {lo} > {hi}")
        if sym.is_integer:
            lo_q, hi_q = Fraction(math.ceil(lo_q)), Fraction(math.floor(hi_q))
            if lo_q > hi_q:
                raise ValueError(f"{sym} is an integer and [{lo}, {hi}] holds none")
        symbols.append(sym)
        sides.append(
            (fmpq(lo_q.numerator, lo_q.denominator), fmpq(hi_q.numerator, hi_q.denominator))
        )
    missing = sorted(s.name for s in free - set(symbols))
    if missing:
        raise ValueError(f"the box gives no range for {', '.join(missing)}")
    return symbols, sides


def _exact(v, sym) -> Fraction:
    """A bound's exact value: a rational, a float at its binary value, or a decimal string."""
    if isinstance(v, bool):
        raise ValueError(f"the box's bound for {sym} must be a number, got {v!r}")
    try:
        if isinstance(v, sp.Basic):
            if not (v.is_Rational or v.is_Float):
                raise ValueError
            v = sp.Rational(v)  # a Float: its exact binary value
            return Fraction(int(v.p), int(v.q))
        return Fraction(v)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise ValueError(
            f"the box's bound for {sym} must be a finite rational or float, got {v!r}"
        ) from None


def _balls(sides) -> list:
    from flint import arb

    return [arb(lo) if lo == hi else arb(lo).union(arb(hi)) for lo, hi in sides]


def _centre(sides, integer) -> list:
    from flint import fmpq

    out = []
    for (lo, hi), is_int in zip(sides, integer, strict=True):
        c = (lo + hi) / 2
        if is_int:
            c = fmpq(int(c.p // c.q))
        out.append(c)
    return out


def _eval(f: Enclosure, balls):
    """``f`` on ``balls``; an Arb routine that raises (outside its domain) gives an
    indeterminate ball, which decides nothing."""
    from flint import arb

    try:
        return f(balls)
    except (ValueError, ZeroDivisionError, ArithmeticError, TypeError):
        return arb.nan()


def _decided(ball, strict: bool) -> bool:
    return bool(ball < 0) if strict else bool(ball <= 0)


def _upper(ball) -> float:
    if not ball.is_finite():
        return math.inf
    return float(ball.upper())


def _enclose(p: _Problem, sides) -> tuple[bool, float, list[float] | None, list]:
    """``(settled, upper bound, per-direction width contribution, box)`` on the box ``sides``.

    Where a partial derivative has one sign on the whole box, ``g`` is largest on one face, and
    the box is replaced by that face (the monotonicity test of interval branch and bound): the
    relation holds on the box exactly when it holds there, and the face's side is a point, which
    Arb evaluates exactly (a relation tight at the box's edge is then decided)."""
    from flint import arb

    balls = _balls(sides)
    natural = _eval(p.g, balls)
    if _decided(natural, p.strict):
        return True, _upper(natural), None, sides
    if all(lo == hi for lo, hi in sides):
        exact = _exact_value(p, [lo for lo, _ in sides])
        if exact is not None:  # a rational point where g is rational: decided exactly
            holds = exact < 0 if p.strict else exact <= 0
            return bool(holds), (math.inf if not holds else float(exact)), None, sides
    ub, widths = _upper(natural), None
    if p.grads is not None and balls:
        grads = [_eval(d, balls) for d in p.grads]
        if all(gr.is_finite() for gr in grads):
            face = list(sides)
            for i, (gr, (lo, hi)) in enumerate(zip(grads, sides, strict=True)):
                if lo != hi and bool(gr >= 0):
                    face[i] = (hi, hi)
                elif lo != hi and bool(gr <= 0):
                    face[i] = (lo, lo)
            if face != list(sides):
                return _enclose(p, face)
            centre = [arb(c) for c in _centre(sides, [False] * len(sides))]
            mv = _eval(p.g, centre)
            for gr, b, c in zip(grads, balls, centre, strict=True):
                mv = mv + gr * (b - c)
            if _decided(mv, p.strict):
                return True, min(ub, _upper(mv)), None, sides
            ub = min(ub, _upper(mv))
            widths = [
                float(gr.abs_upper()) * float(hi - lo)
                for gr, (lo, hi) in zip(grads, sides, strict=True)
            ]
    return False, ub, widths, sides


def _exact_value(p: _Problem, point) -> sp.Rational | None:
    """``g`` at a rational point when sympy evaluates it to a rational (exact arithmetic), else
    ``None``."""
    at = {s: sp.Rational(int(c.p), int(c.q)) for s, c in zip(p.symbols, point, strict=True)}
    try:
        v = p.expr.xreplace(at)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if isinstance(v, sp.Rational) else None


def _split(sides, integer, widths) -> tuple[list, list] | None:
    """The box cut in two across its most contributing side; ``None`` when no side can be cut."""
    from flint import fmpq

    def width(i):
        lo, hi = sides[i]
        w = float(hi - lo)
        if integer[i]:
            return w if w >= 1 else 0.0
        size = max(1.0, abs(float(lo)), abs(float(hi)))
        return w if w > _MIN_WIDTH * size else 0.0

    cuttable = [i for i in range(len(sides)) if width(i) > 0]
    if not cuttable:
        return None
    if widths is not None and any(widths[i] > 0 for i in cuttable):
        i = max(cuttable, key=lambda j: widths[j])
    else:
        i = max(cuttable, key=width)
    lo, hi = sides[i]
    mid = (lo + hi) / 2
    if integer[i]:
        m = fmpq(int(mid.p // mid.q))
        left, right = (lo, m), (m + 1, hi)
    else:
        left, right = (lo, mid), (mid, hi)
    a, b = list(sides), list(sides)
    a[i], b[i] = left, right
    return a, b


def _counterexample(p: _Problem, sides):
    """The box's centre and the ball of ``g`` there, when that ball shows the relation false."""
    from flint import arb

    point = _centre(sides, p.integer)
    value = _eval(p.g, [arb(c) for c in point])
    if bool(value > 0):
        return point, value
    if value.contains(0):  # too close to call in balls: exact arithmetic, where sympy has it
        exact = _exact_value(p, point)
        if exact is not None and (exact > 0 or (p.strict and exact == 0)):
            from flint import fmpq

            return point, arb(fmpq(int(exact.p), int(exact.q)))
    return None, value


def _floats(symbols, sides) -> dict[str, tuple[float, float]]:
    return {s.name: (float(lo), float(hi)) for s, (lo, hi) in zip(symbols, sides, strict=True)}


def certify(
    relation, box: Mapping, *, budget: Budget | int | None = None, mean_value: bool = True
) -> Certificate:
    """Decide ``relation`` (a sympy ``<=``, ``<``, ``>=`` or ``>``) at every point of ``box``
    (``{symbol or name: (lo, hi)}``; a symbol declared ``integer=True`` ranges over the
    integers in ``[lo, hi]``). ``budget``: a :class:`Budget`, or a number of boxes; by default
    200 000 boxes or 30 seconds. Returns a :class:`Certificate`; never certifies a false
    relation and never refutes a true one. Bad input raises ``ValueError`` naming it.
    ``mean_value=False`` uses the direct enclosures alone (no mean value form, no monotonicity
    test): the benchmark's reference."""
    from flint import ctx

    if budget is None:
        budget = Budget()
    elif isinstance(budget, int) and not isinstance(budget, bool):
        budget = Budget(boxes=budget)
    elif not isinstance(budget, Budget):
        raise ValueError(f"budget must be a Budget or a number of boxes, got {budget!r}")
    g, strict = _relation_parts(relation)
    symbols, sides = _box(box, g.free_symbols)
    given = _floats(symbols, sides)
    used = [i for i, sym in enumerate(symbols) if sym in g.free_symbols]  # others change nothing
    symbols, sides = [symbols[i] for i in used], [sides[i] for i in used]
    index = {s: i for i, s in enumerate(symbols)}
    t0 = time.perf_counter()
    old = ctx.prec
    ctx.prec = PRECISION
    try:
        problem = _Problem(
            g,
            compile_ball(g, index),
            _gradients(g, symbols, index) if mean_value else None,
            strict,
            symbols,
            [bool(s.is_integer) for s in symbols],
        )
        cert = _search(problem, sides, budget, t0)
    finally:
        ctx.prec = old
    cert.relation = str(relation)
    cert.box = given
    cert.seconds = time.perf_counter() - t0
    return cert


def _gradients(g, symbols, index) -> list[Enclosure] | None:
    """The partial derivatives' enclosures for the mean value form; ``None`` where ``g`` is not
    smooth (abs, Min, Max, …) or a derivative cannot be enclosed."""
    if not symbols or g.has(*_NONSMOOTH):
        return None
    try:
        return [compile_ball(sp.diff(g, s), index) for s in symbols]
    except ValueError:
        return None


def _search(p: _Problem, sides, budget: Budget, t0: float) -> Certificate:
    heap: list = []
    stuck: list = []  # boxes that cannot be split further
    count = 0
    settled, ub, widths, sides = _enclose(p, sides)
    count += 1
    if not settled:
        heapq.heappush(heap, (-ub, count, sides, widths))
    while heap:
        if count >= budget.boxes or time.perf_counter() - t0 > budget.seconds:
            spent = "boxes" if count >= budget.boxes else "seconds"
            return _inconclusive(
                p, heap, stuck, count, f"the budget of {getattr(budget, spent)} {spent} is spent"
            )
        neg, _, box, widths = heapq.heappop(heap)
        point, value = _counterexample(p, box)
        if point is not None:
            cex = {
                s: (sp.Integer(int(c.p)) if is_int else sp.Rational(int(c.p), int(c.q)))
                for s, c, is_int in zip(p.symbols, point, p.integer, strict=True)
            }
            return Certificate(
                "",
                "refuted",
                {},
                boxes=count,
                counterexample=cex,
                value=(float(value.lower()), float(value.upper())),
            )
        halves = _split(box, p.integer, widths)
        if halves is None:
            stuck.append((-neg, box))
            continue
        for half in halves:
            settled, ub, w, half = _enclose(p, half)
            count += 1
            if not settled:
                heapq.heappush(heap, (-ub, count, half, w))
    if stuck:
        return _inconclusive(
            p,
            [],
            stuck,
            count,
            "some boxes cannot be split further and are not "
            "settled (the relation may be tight there, or undefined)",
        )
    return Certificate("", "certified", {}, boxes=count)


def _inconclusive(p: _Problem, heap, stuck, count: int, reason: str) -> Certificate:
    rows = sorted([(-neg, box) for neg, _, box, _ in heap] + stuck, key=lambda r: -r[0])
    left = [_floats(p.symbols, box) for _, box in rows[:5]]
    return Certificate(
        "", "inconclusive", {}, boxes=count, left=left, left_count=len(rows), reason=reason
    )


__all__ = ["Budget", "Certificate", "certify", "STATUSES", "SUPPORTED"]
