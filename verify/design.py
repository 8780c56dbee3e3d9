"""What a check runs at: the design points of a profile and their seeds, the conversions between
sympy and plain Python (design values, experiment arguments, exact values), and the claimed
values evaluated along a measurement."""

from __future__ import annotations

import itertools
import math
import shlex
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import mpmath
import numpy as np
import sympy as sp

from theorems import FiniteSet, Theorem
from theorems.core import sympy_value
from theorems.errors import OutsideDomain

from .profiles import Profile, get_profile

if TYPE_CHECKING:  # numerics (and torch) load with the experiments, not with the design
    from numerics import Measurement

# --------------------------------------------------------------------------------------------
# points and seeds
# --------------------------------------------------------------------------------------------


def plain_value(value):
    """A sympy or numpy value as a plain Python number; design reals rounded to 4 significant
    digits so that a point can be typed back on the command line."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer | sp.Integer):
        return int(value)
    f = float(value)
    if f == 0 or not math.isfinite(f):
        return f
    return float(f"{f:.4g}")


def _design_value(domain, value):
    """A design value as a plain one: a finite set's fractions unrounded (``1/3`` is the float
    nearest to it, which the set recognises), other reals to 4 digits (:func:`plain_value`)."""
    if isinstance(domain, FiniteSet) and isinstance(value, sp.Rational) and not value.is_Integer:
        return float(value)
    return plain_value(value)


def design_points(theorem: Theorem, profile: str | Profile = "quick") -> list[dict]:
    """The fixed design of a profile: each domain's design values (``theorem.levels`` or the
    profile's), their product filtered by the assumptions, plus the edge points of coupled
    assumptions (:func:`edge_points`), filtered by the profile's size cap and thinned evenly
    (smallest and largest sizes kept) to at most the profile's number of points."""
    return design_summary(theorem, profile)["points"]


def design_summary(theorem: Theorem, profile: str | Profile = "quick") -> dict:
    """The design with its bookkeeping: ``points``, the ``grid`` size, how many grid points lie
    ``outside`` their domains and how many an assumption ``rejected`` (``why``: the first
    message of each), how many ``edges`` were added on the constraints' boundaries, and how
    many the size cap or the thinning left out (``capped``, ``thinned``)."""
    prof = get_profile(profile)
    levels = theorem.levels.get(prof.name, prof.levels)
    names = [s.name for s in theorem.parameters]
    grids = [
        [_design_value(dom, v) for v in dom.design(levels)] for dom in theorem.parameters.values()
    ]
    cap = theorem.caps.get(prof.name, math.inf)
    feasible, rejected, outside = [], [], []
    first: dict = {}  # the first reason of each kind, for a design with no point left
    for combo in itertools.product(*grids):
        p = dict(zip(names, combo, strict=True))
        try:
            theorem.check_assumptions(p)
        except OutsideDomain as exc:
            outside.append(p)
            first.setdefault("domain", str(exc))
        except ValueError as exc:
            rejected.append(p)
            first.setdefault("assumption", str(exc))
        else:
            feasible.append(p)
    edges = edge_points(theorem, rejected, feasible)
    pts = [p for p in feasible + edges if theorem.budget_at(p) <= cap]
    capped = len(feasible) + len(edges) - len(pts)
    before = len(pts)
    if len(pts) > prof.max_points:
        order = sorted(range(len(pts)), key=lambda i: (theorem.budget_at(pts[i]), i))
        picks = sorted({int(round(v)) for v in np.linspace(0, len(pts) - 1, prof.max_points)})
        pts = [pts[order[i]] for i in picks]
    return {
        "points": pts,
        "grid": len(feasible) + len(rejected) + len(outside),
        "rejected": len(rejected),
        "outside": len(outside),
        "why": first,
        "edges": len(edges),
        "capped": capped,
        "thinned": before - len(pts),
    }


def edge_points(theorem: Theorem, rejected: list[dict], feasible: list[dict]) -> list[dict]:
    """Points on the boundary of coupled assumptions, so that a constraint such as
    ``d·p_min ≤ 1`` is tried near its edge and not only where the grid happens to satisfy it:
    for each grid point an assumption rejects and each continuous parameter (an ``Interval`` or
    ``LogUniform`` domain), the parameter is moved to where the broken assumption holds with
    equality (solved by sympy, the other parameters fixed), inside its domain; kept when every
    assumption then holds (a strict one: just inside its edge). New points only, in grid order."""
    from theorems import Interval, LogUniform

    continuous = [s for s, d in theorem.parameters.items() if isinstance(d, Interval | LogUniform)]
    if not rejected or not continuous:
        return []
    seen = {tuple(sorted(p.items())) for p in feasible}
    out = []
    for p in rejected:
        subs = {sym: sympy_value(p[sym.name]) for sym in theorem.parameters}
        broken = [a for a in theorem.assumptions if a.subs(subs) is not sp.true]
        for sym in continuous:
            others = {k: v for k, v in subs.items() if k != sym}
            for a in broken:
                if sym not in a.free_symbols or not isinstance(a, sp.core.relational.Relational):
                    continue
                for q in _on_edge(theorem, p, sym, (a.lhs - a.rhs).subs(others)):
                    key = tuple(sorted(q.items()))
                    if key not in seen:
                        seen.add(key)
                        out.append(q)
    return out


def _on_edge(theorem: Theorem, point: dict, sym: sp.Symbol, gap: sp.Expr) -> list[dict]:
    """``point`` with ``sym`` moved to each real root of ``gap`` inside its domain (or just
    inside the edge, for a strict assumption or a value the design's rounding moves out)."""
    dom = theorem.parameters[sym]
    try:
        roots = sp.solve(gap, sym)
    except (NotImplementedError, ValueError, TypeError):
        return []
    out = []
    for r in roots:
        if not (r.is_real or r.is_number and sp.im(r) == 0):
            continue
        v = float(r)
        if not (dom.lo <= v <= dom.hi) or not math.isfinite(v):
            continue
        step = 1e-9 * max(1e-300, abs(v))
        near = (math.nextafter(v, -math.inf), math.nextafter(v, math.inf), v - step, v + step)
        for cand in (plain_value(v), v, *near):
            q = {**point, sym.name: cand}
            if dom.lo <= cand <= dom.hi and theorem.satisfies(q):
                out.append(q)
                break
    return out


def point_seed(seed: int, point: Mapping[str, Any]) -> int:
    """The experiment seed of a design point: derived from the run's seed and the point, so a
    point keeps its seed when the design changes around it. ``verify check --seed`` takes this
    seed directly."""
    key = ",".join(f"{k}={point[k]!r}" for k in sorted(point))
    state = np.random.SeedSequence([int(seed), zlib.crc32(key.encode())]).generate_state(1)
    return int(state[0])


def replay_command(theorem_id: str, point: Mapping[str, Any], seed: int) -> str:
    at = ",".join(f"{k}={v}" for k, v in point.items())
    return f"verify check {theorem_id} --at {shlex.quote(at)} --seed {seed}"


# --------------------------------------------------------------------------------------------
# claimed values
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _lambdified(expr: sp.Expr, names: tuple[str, ...]):
    syms = [sp.Symbol(n) for n in names]
    plain = expr.subs({s: sp.Symbol(s.name) for s in expr.free_symbols})
    return sp.lambdify(syms, plain, modules="mpmath")


def claimed_values(
    expr: sp.Expr, point: Mapping[str, Any], meas: Measurement, n: int, *, dps: int = 40
) -> tuple[np.ndarray, Any]:
    """Evaluate ``expr`` in mpmath at the point, element by element along the series (and the
    measurement's inputs), as float64 (natural logs when the measurement is in log scale). Also
    returns the exact sympy value when the expression has no measured inputs (exact checks)."""
    names = tuple(sorted(s.name for s in expr.free_symbols))
    env: dict[str, Any] = {}
    for name in names:
        if name in meas.series:
            env[name] = np.asarray(meas.series[name])
        elif name in meas.inputs:
            env[name] = meas.inputs[name]
        elif name in point:
            env[name] = point[name]
        else:
            raise ValueError(
                f"the claim refers to {name!r}, which is neither a parameter nor something the "
                "experiment measured"
            )
    exact = None
    if meas.exact and not any(nm in meas.series or nm in meas.inputs for nm in names):
        subs = {s: exact_value(point[s.name]) for s in expr.free_symbols}
        exact = sp.nsimplify(expr.subs(subs)) if subs else expr
    f = _lambdified(expr, names)
    out = np.empty(n)
    with mpmath.workdps(dps):
        for i in range(n):
            args = []
            for name in names:
                v = env[name]
                if isinstance(v, np.ndarray) and v.ndim > 0:
                    v = v[i] if v.size == n else v.reshape(-1)[0]
                args.append(mpmath.mpf(float(v)) if not isinstance(v, str) else v)
            val = f(*args)
            if meas.log:
                val = mpmath.log(val) if val > 0 else (-mpmath.inf if val == 0 else mpmath.nan)
            out[i] = float(val)
    return out, exact


def exact_value(v):
    """A point's value as a sympy value, floats made exact (:func:`theorems.core.sympy_value`)."""
    return sympy_value(v, exact=True)


def plain_args(values: Mapping[str, Any]) -> dict:
    """Experiment arguments as plain Python: sympy numbers become floats or ints, sympy
    polynomials in one variable become ``{degree: coefficient}`` mappings (degree distributions),
    containers are converted element by element."""

    def conv(v):
        if isinstance(v, Mapping):
            return {k: conv(u) for k, u in v.items()}
        if isinstance(v, list | tuple):
            return type(v)(conv(u) for u in v)
        if isinstance(v, sp.Basic):
            if v.is_Integer:
                return int(v)
            if v.is_number:
                return float(v)
            syms = v.free_symbols
            if len(syms) == 1:
                poly = sp.Poly(sp.expand(v), *syms)
                return {int(m[0]): float(c) for m, c in poly.terms()}
            raise ValueError(f"cannot pass {v} to an experiment: not a number or a polynomial")
        return v

    return {k: conv(v) for k, v in values.items()}
