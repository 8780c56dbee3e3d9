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

from theorems import Theorem
from theorems.core import sympy_value

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


def design_points(theorem: Theorem, profile: str | Profile = "quick") -> list[dict]:
    """The fixed design of a profile: each domain's design values (``theorem.levels`` or the
    profile's), their product filtered by the assumptions and the profile's size cap, thinned
    evenly (smallest and largest sizes kept) to at most the profile's number of points."""
    prof = get_profile(profile)
    levels = theorem.levels.get(prof.name, prof.levels)
    names = [s.name for s in theorem.parameters]
    grids = [[plain_value(v) for v in dom.design(levels)] for dom in theorem.parameters.values()]
    cap = theorem.caps.get(prof.name, math.inf)
    pts = []
    for combo in itertools.product(*grids):
        p = dict(zip(names, combo, strict=True))
        if not theorem.satisfies(p):
            continue
        if theorem.budget_at(p) > cap:
            continue
        pts.append(p)
    if len(pts) > prof.max_points:
        order = sorted(range(len(pts)), key=lambda i: (theorem.budget_at(pts[i]), i))
        picks = sorted({int(round(v)) for v in np.linspace(0, len(pts) - 1, prof.max_points)})
        pts = [pts[order[i]] for i in picks]
    return pts


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
