"""Joins a claim to its experiment and decides: :func:`check`."""

from __future__ import annotations

import itertools
import math
import shlex
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from numerics import Measurement
from numerics.device import resolve_device
from theorems import Theorem

from . import decide
from .experiments import resolve
from .profiles import get_profile
from .proofs import proof_status
from .resolution import resolution as point_resolutions


@dataclass
class CheckResult:
    """The outcome of checking one theorem (DESIGN.md, "Core objects")."""

    id: str
    kind: str
    expect: str
    verdict: str
    strength: str | None
    source: str
    theorem_hash: str
    seconds: float
    points: int
    seeds: list[int]
    confidence: float
    worst: dict | None
    tightness: float | None
    counterexample: dict | None
    evidence: dict = field(default_factory=dict)
    device: str = "cpu"
    profile: str = "quick"
    message: str = ""
    resolution: float | None = None
    resolution_note: str = ""

    @property
    def as_expected(self) -> bool:
        """The verdict matches the theorem's expectation: ``pass`` for a claim, ``fail`` for a
        negative control (an ``error`` never matches)."""
        return self.verdict == self.expect

    def to_json(self) -> dict:
        d = asdict(self)
        return _jsonable(d)


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, int | float | str | bool) or x is None:
        return x
    return str(x)


# --------------------------------------------------------------------------------------------
# points and seeds
# --------------------------------------------------------------------------------------------


def _plain(value):
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


def design_points(theorem: Theorem, profile: str = "quick") -> list[dict]:
    """The fixed design of a profile: each domain's design values (``theorem.levels`` or the
    profile's), their product filtered by the assumptions and the profile's size cap, thinned
    evenly (smallest and largest sizes kept) to at most the profile's number of points."""
    prof = get_profile(profile)
    levels = theorem.levels.get(profile, prof.levels)
    names = [s.name for s in theorem.parameters]
    grids = [[_plain(v) for v in dom.design(levels)] for dom in theorem.parameters.values()]
    cap = theorem.caps.get(profile, math.inf)
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
        subs = {s: _exact(point[s.name]) for s in expr.free_symbols}
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


def _exact(v):
    if isinstance(v, bool):
        return sp.true if v else sp.false
    if isinstance(v, int):
        return sp.Integer(v)
    if isinstance(v, float):
        return sp.nsimplify(v)
    return sp.Symbol(str(v))


# --------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------


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


def validate_measurement(meas: Any, claim_kind: str) -> Measurement:
    if not isinstance(meas, Measurement):
        raise TypeError(f"the experiment returned {type(meas).__name__}, not a Measurement")
    if claim_kind == "probability":
        vals = np.asarray(meas.samples, dtype=float) if meas.samples is not None else None
        if vals is None or vals.size == 0:
            raise ValueError("a probability claim needs the experiment's samples")
    else:
        vals = np.asarray(meas.value, dtype=float)
    if np.any(np.isnan(vals)):
        raise FloatingPointError("the experiment produced NaN")
    if np.any(np.isinf(vals)) and not (meas.log and np.all(vals[np.isinf(vals)] < 0)):
        raise FloatingPointError("the experiment produced an infinite value")
    if meas.stderr is not None and np.any(~np.isfinite(np.asarray(meas.stderr, dtype=float))):
        raise FloatingPointError("the experiment produced a non-finite standard error")
    return meas


def check(
    theorem: Theorem,
    *,
    profile: str = "quick",
    seed: int = 0,
    device: str = "auto",
    points: list[Mapping[str, Any]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Any = None,
) -> CheckResult:
    """Check ``theorem``: its proof steps, then its experiment at every design point of
    ``profile`` (or at the given ``points``, each run with ``seed`` itself), then a decision per
    claim kind (``verify.decide``).

    ``executor``: anything with ``map(fn, *iterables)`` yielding results in order (a
    ``concurrent.futures`` executor, :class:`verify.parallel.DaskExecutor`): the points are then
    measured there, each with its own seed, so the result is the one a serial run gives.

    Returns a :class:`CheckResult`; an experiment that raises or yields NaN/inf makes the verdict
    ``error``, never ``pass``. Invalid given points raise ``ValueError`` naming the broken
    assumption."""
    prof = get_profile(profile)
    t0 = time.perf_counter()
    dev = str(resolve_device(device))
    claim = theorem.claim
    steps = proof_status(theorem)
    base = dict(
        id=theorem.id,
        kind=claim.kind,
        expect=theorem.expect,
        source=str(theorem.source),
        theorem_hash=theorem.hash,
        confidence=1 - prof.alpha,
        device=dev,
        profile=profile,
    )

    def finish(
        verdict,
        *,
        strength=None,
        pts=(),
        seeds=(),
        worst=None,
        tight=None,
        cex=None,
        message="",
        per_point=(),
        resolution=(None, ""),
    ):
        return CheckResult(
            **base,
            verdict=verdict,
            strength=strength,
            seconds=round(time.perf_counter() - t0, 4),
            points=len(pts),
            seeds=list(seeds),
            worst=worst,
            tightness=tight,
            counterexample=cex,
            evidence={"proof": steps, "points": list(per_point), "measured": claim.measured},
            message=message,
            resolution=resolution[0],
            resolution_note=resolution[1],
        )

    if any(s["proved"] is False for s in steps):
        bad = next(s for s in steps if s["proved"] is False)
        return finish("error", message=f"proof step is false: {bad['statement']}")

    if points is None:
        pts = design_points(theorem, profile)
        seeds = [point_seed(seed, p) for p in pts]
    else:
        pts = [dict(p) for p in points]
        for p in pts:
            theorem.check_assumptions(p)
        seeds = [int(seed)] * len(pts)
    try:
        fn = resolve(theorem.experiment)
    except LookupError as exc:
        return finish("error", message=str(exc))

    alpha_point = prof.alpha / max(len(pts), 1)
    decisions: list[decide.PointDecision] = []
    per_point: list[dict] = []
    exactness = []
    stochastic = False
    all_args = [plain_args({**p, **theorem.fixed_for(profile)}) for p in pts]
    if executor is None:
        measured = (
            measure_point(fn, a, s, dev, claim.kind) for a, s in zip(all_args, seeds, strict=True)
        )
    else:  # the points are independent: measured elsewhere, decided here in their order
        measured = _guarded(
            executor.map,
            [theorem.experiment] * len(pts),
            all_args,
            seeds,
            [dev] * len(pts),
            [claim.kind] * len(pts),
        )
    for idx, (p, s, args, (meas, seconds)) in enumerate(
        zip(pts, seeds, all_args, measured, strict=True)
    ):
        try:
            if isinstance(meas, PointError):  # the experiment raised, here or in a worker
                raise meas
            scalars = {k: v for k, v in args.items() if isinstance(v, int | float | str)}
            d, claimed = _decide_point(theorem, scalars, meas, alpha_point)
        except Exception as exc:
            what = str(exc) if isinstance(exc, PointError) else f"{type(exc).__name__}: {exc}"
            msg = f"at {p} (seed {s}): {what}"
            return finish(
                "error",
                pts=pts[: idx + 1],
                seeds=seeds[: idx + 1],
                message=msg,
                per_point=per_point,
                cex={"params": p, "seed": s, "command": replay_command(theorem.id, p, s)},
            )
        exactness.append(meas.exact)
        stochastic = stochastic or meas.stochastic
        decisions.append(d)
        per_point.append(
            {
                "params": p,
                "seed": s,
                "seconds": round(seconds, 4),
                "p_fail": d.p_fail,
                "ok": d.ok,
                "margin": d.margin,
                "tightness": d.tightness,
                "worst": d.worst,
                "inputs": _small(meas.inputs),
                "raw": _small(meas.raw),
                "plot": _plot_data(meas, claimed),
            }
        )
        if progress:
            progress(idx + 1, len(pts))

    agg = decide.aggregate(decisions, prof.alpha_refute, existential=claim.existential)
    if stochastic:
        strength = "statistical"
    elif exactness and all(exactness):
        strength = "certified"
    else:
        strength = "numerically consistent"
    if (
        agg.verdict == "pass"
        and theorem.proved_by_steps
        and steps
        and all(s["proved"] for s in steps)
    ):
        strength = "proved"
    worst = cex = None
    tight = None
    if agg.worst_index is not None:
        w = agg.worst_index
        d = decisions[w]
        worst = {"params": pts[w], "seed": seeds[w], "margin": d.margin, **d.worst}
        tight = d.tightness
        if agg.verdict == "fail":
            cex = {
                "params": pts[w],
                "seed": seeds[w],
                **d.worst,
                "command": replay_command(theorem.id, pts[w], seeds[w]),
            }
    return finish(
        agg.verdict,
        resolution=point_resolutions(claim, [d.worst for d in decisions], prof.alpha_refute),
        strength=strength,
        pts=pts,
        seeds=seeds,
        worst=worst,
        tight=tight,
        cex=cex,
        message=agg.summary,
        per_point=per_point,
    )


def measure_point(experiment, args: dict, seed: int, device: str, kind: str):
    """Run one point's experiment: ``(Measurement, seconds)``, or ``(exception, seconds)`` when
    it raises or its measurement is invalid. ``experiment`` is the function or its registry key
    (a worker process resolves the key itself)."""
    t0 = time.perf_counter()
    try:
        fn = resolve(experiment) if isinstance(experiment, str) else experiment
        meas = validate_measurement(fn(args, seed=seed, device=device), kind)
    except Exception as exc:  # sent back as plain text: any exception, picklable or not
        meas = PointError(type(exc).__name__, str(exc))
    return meas, time.perf_counter() - t0


def _guarded(map_, *iterables):
    """``map_(measure_point, *iterables)``, with a failure of the executor itself (a worker
    killed, a lost cluster) turned into a :class:`PointError` for the point it stopped at."""
    try:
        yield from map_(measure_point, *iterables)
    except Exception as exc:
        yield PointError(type(exc).__name__, f"the executor failed: {exc}"), 0.0


class PointError(Exception):
    """An experiment's exception, as its type name and message."""

    def __init__(self, type_name: str, text: str):
        super().__init__(type_name, text)
        self.type_name, self.text = type_name, text

    def __str__(self) -> str:
        return f"{self.type_name}: {self.text}"


def _decide_point(theorem: Theorem, point, meas: Measurement, alpha_point: float):
    claim = theorem.claim
    kind = claim.kind
    var = claim.variable.name if claim.variable is not None else None
    if kind == "probability":
        n = np.asarray(meas.samples).size
    elif kind == "threshold":
        n = 1
    else:
        n = meas.values().size
    if kind == "rate":
        if var not in meas.series:
            raise ValueError(f"the experiment returned no series {var!r} to fit the rate over")
        expr = claim.expr.subs(
            {
                s: _exact(point[s.name])
                for s in claim.expr.free_symbols
                if s.name in point and s.name != var
            }
        )
        return decide.rate(meas, expr, claim, alpha_point, meas.series[var]), None
    if kind == "monotone":
        if var not in meas.series:
            raise ValueError(f"the experiment returned no series {var!r} to check monotonicity")
        return decide.monotone(meas, claim, alpha_point, meas.series[var]), None
    claimed, exact = claimed_values(claim.expr, point, meas, n)
    if np.any(np.isnan(claimed)):
        raise FloatingPointError(f"the claimed expression {claim.expr} is NaN here")
    if kind == "identity":
        if claim.limit is not None:
            if claim.limit not in meas.series:
                raise ValueError(f"a large-{claim.limit} identity needs the series {claim.limit!r}")
            d = decide.limit_identity(meas, claimed, claim, alpha_point, meas.series[claim.limit])
        else:
            d = decide.identity(meas, claimed, claim, alpha_point, exact)
    elif kind in ("upper_bound", "lower_bound"):
        d = decide.bound(meas, claimed, claim, alpha_point)
    elif kind == "threshold":
        d = decide.threshold(meas, claimed, claim, alpha_point, meas.series[var])
    elif kind == "probability":
        d = decide.probability(meas, claimed, claim, alpha_point)
    else:
        raise ValueError(f"unknown claim kind {kind!r}")
    return d, claimed


def _small(raw: dict) -> dict:
    out = {}
    for k, v in (raw or {}).items():
        if isinstance(v, np.ndarray):
            if v.size > 64:
                continue
            v = v.tolist()
        out[k] = v
    return _jsonable(out)


def _plot_data(meas: Measurement, claimed) -> dict | None:
    """The measured series and the claimed values along it (thinned to ≤ 200 points), for plots
    in reports and docs."""
    if not meas.series:
        return None
    name, xs = next(iter(meas.series.items()))
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(meas.value, dtype=float)
    if ys.shape[0] != xs.shape[0]:
        return None
    idx = np.unique(np.linspace(0, len(xs) - 1, min(len(xs), 200)).round().astype(int))
    out = {"x_name": name, "x": xs[idx], "y": ys[idx], "log": meas.log}
    if claimed is not None and np.size(claimed) == xs.shape[0]:
        out["claimed"] = np.asarray(claimed, dtype=float)[idx]
    if meas.stderr is not None and np.size(meas.stderr) == ys.size:  # brackets: one per end
        out["stderr"] = np.asarray(meas.stderr, dtype=float).reshape(ys.shape)[idx]
    return _jsonable(out)
