"""Joins a claim to its experiment and decides: :func:`check`."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from numerics import Measurement
from numerics.device import one_thread, resolve_device
from numerics.progress import task as progress_task
from theorems import Theorem, TheoremDefinitionError

from . import decide
from .design import (
    design_points,
    design_summary,
    plain_args,
    point_seed,
    replay_command,
)
from .experiments import resolve, source_hash
from .kinds import PointDecision, kind
from .profiles import Profile, get_profile
from .proofs import proof_closes, proof_status
from .resolution import resolution as point_resolutions
from .verdicts import Strength, Verdict


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
    experiment_hash: str | None = None
    measured: Measured | None = field(default=None, repr=False, compare=False)
    """What was measured, kept in memory (not in reports) so that :func:`redecide` can decide a
    variant of the claim without measuring again; ``None`` when nothing was measured."""

    @property
    def as_expected(self) -> bool:
        """The verdict matches the theorem's expectation: ``pass`` for a claim, ``fail`` for a
        negative control (an ``error`` never matches)."""
        return self.verdict == self.expect

    def to_json(self) -> dict:
        d = asdict(dataclasses.replace(self, measured=None))
        d.pop("measured")
        return _jsonable(d)


@dataclass(frozen=True)
class Measured:
    """A check's measurements and what determined them: the experiment, the seed and the points
    a caller gave, the points with their seeds and arguments, ``(Measurement or PointError,
    seconds)`` per point measured, and the proof steps with their statuses."""

    experiment: str
    seed: int
    given: list[dict] | None  # the points a caller gave (None: the profile's design)
    pts: list[dict]
    seeds: list[int]
    args: list[dict]
    values: list[tuple[Any, float]]
    proof: tuple
    steps: list[dict]
    domain: tuple  # (parameters, assumptions): interval steps over the domain depend on them


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


def validate_measurement(meas: Any, claim_kind: str) -> Measurement:
    if not isinstance(meas, Measurement):
        raise TypeError(f"the experiment returned {type(meas).__name__}, not a Measurement")
    vals = kind(claim_kind).measured_values(meas)
    if np.any(np.isnan(vals)):
        raise FloatingPointError("the experiment produced NaN")
    if np.any(np.isinf(vals)) and not (meas.log and np.all(vals[np.isinf(vals)] < 0)):
        raise FloatingPointError("the experiment produced an infinite value")
    if meas.stderr is not None and np.any(~np.isfinite(np.asarray(meas.stderr, dtype=float))):
        raise FloatingPointError("the experiment produced a non-finite standard error")
    if claim_kind in COMPARED and meas.undeclared():
        raise UndeclaredUncertainty(
            "the experiment returned floats with no stated uncertainty, and a "
            f"{claim_kind} claim compares them with the claimed value: declare "
            "error_bound=... (a bound on the rounding, numerics.rounding has bounds for sums, "
            "products and matrix powers), stderr=... (Monte Carlo) or exact=True (values "
            "computed without rounding); nothing is assumed"
        )
    return meas


COMPARED = ("identity", "upper_bound", "lower_bound", "monotone")
"""The claim kinds that compare measured values with claimed ones (or with each other), so that a
float measurement must say how far off it may be."""


class UndeclaredUncertainty(ValueError):
    """A float measurement with neither an error bound, a standard error nor ``exact=True``."""


def check(
    theorem: Theorem,
    *,
    profile: str | Profile = "quick",
    seed: int = 0,
    device: str = "auto",
    points: list[Mapping[str, Any]] | None = None,
    executor: Any = None,
) -> CheckResult:
    """Check ``theorem``: its proof steps, then its experiment at every design point of
    ``profile`` (or at the given ``points``, each run with ``seed`` itself), then a decision per
    claim kind (``verify.decide``).

    ``executor``: anything with ``map(fn, *iterables)`` yielding results in order (a
    ``concurrent.futures`` executor, :class:`verify.parallel.DaskExecutor`): the points are then
    measured there, each with its own seed, so the result is the one a serial run gives.

    Progress goes to :mod:`numerics.progress` as the task ``theorem.id`` (points done of all).

    Returns a :class:`CheckResult`; an experiment that raises or yields NaN/inf makes the verdict
    ``error``, never ``pass``. Invalid given points raise ``ValueError`` naming the broken
    assumption.

    The check runs on one thread (:func:`numerics.device.one_thread`: torch, numba, BLAS), here
    and in any worker, so its numbers are the same however many workers run beside it."""
    with one_thread():
        return _check(theorem, profile, seed, device, points, executor)


def _check(theorem, profile, seed, device, points, executor) -> CheckResult:
    t0 = time.perf_counter()
    prof = get_profile(profile)
    dev = str(resolve_device(device))

    def lemma(t: Theorem) -> str:  # a numeric proof step: its lemma checked like a claim
        return check(t, profile=prof, seed=seed, device=dev).verdict

    out = _Outcome(theorem, prof, dev, proof_status(theorem, numeric=lemma), t0)
    # a failed step of the paper's own argument is a finding (on the page), and so is the step
    # a negative control names as broken (ProofStep.meant_to_fail); any other failed step is a
    # defect in the encoding, and nothing measured can stand on it
    bad = next(
        (
            row
            for step, row in zip(theorem.proof, out.steps, strict=True)
            if row["status"] == "failed"
            and not (row["paper"] or step.meant_to_fail(theorem.expect))
        ),
        None,
    )
    if bad is not None:
        return out.finish(Verdict.ERROR, message=f"proof step is false: {bad['statement']}")
    pts, seeds = plan(theorem, prof, seed, points)
    try:
        fn = resolve(theorem.experiment)
    except LookupError as exc:
        return out.finish(Verdict.ERROR, message=str(exc))
    args = [plain_args({**p, **theorem.fixed_for(prof.name)}) for p in pts]
    values: list = []
    measured = _kept(measure(theorem, fn, args, seeds, out.device, executor), values)
    with progress_task(theorem.id, len(pts)) as update:
        result = decide_points(out, pts, seeds, args, measured, update)
    given = None if points is None else [dict(p) for p in points]
    result.measured = Measured(
        theorem.experiment,
        seed,
        given,
        pts,
        seeds,
        args,
        values,
        theorem.proof,
        out.steps,
        (theorem.parameters, theorem.assumptions),
    )
    return result


def _kept(stream, into: list):
    """``stream``'s items, each also appended to ``into`` as it is consumed."""
    for item in stream:
        into.append(item)
        yield item


def redecide(theorem: Theorem, result: CheckResult, *, executor: Any = None) -> CheckResult:
    """Decide ``theorem`` (a variant of the claim that ``result`` checked: a scaled bound, a
    moved threshold, a changed exponent, a flipped direction) on the measurements ``result``
    holds, without running the experiment again. That is the verdict :func:`check` would give
    at the same profile, seed and device whenever the variant measures the same thing: the same
    experiment, at the same points with the same seeds and arguments (its parameters,
    assumptions, fixed values, levels and caps select them), and the same proof steps. Where
    it does not (or ``result`` holds no measurements: a report read back, a check that stopped
    before measuring), the variant is checked afresh and the result's message says why. A
    redecided result's ``seconds`` are the decision's; each point keeps its measuring time."""
    kept = result.measured
    prof = get_profile(result.profile)
    why = _remeasure_reason(theorem, kept, prof)
    if why:
        seed, given = (0, None) if kept is None else (kept.seed, kept.given)
        fresh = check(
            theorem, profile=prof, seed=seed, device=result.device, points=given, executor=executor
        )
        fresh.message = f"measured again ({why})" + (f"; {fresh.message}" if fresh.message else "")
        return fresh
    t0 = time.perf_counter()
    out = _Outcome(theorem, prof, result.device, [dict(r) for r in kept.steps], t0)
    n = len(kept.values)
    decided = decide_points(out, kept.pts[:n], kept.seeds[:n], kept.args[:n], kept.values)
    decided.measured = kept
    return decided


def _remeasure_reason(theorem: Theorem, kept: Measured | None, prof) -> str:
    """Why ``theorem`` cannot be decided on ``kept`` ('' when it can)."""
    if kept is None:
        return "the result holds no measurements"
    if theorem.experiment != kept.experiment:
        return f"another experiment: {theorem.experiment}, not {kept.experiment}"
    if theorem.proof != kept.proof:
        return "other proof steps"
    if (theorem.parameters, theorem.assumptions) != kept.domain:
        return "another parameter domain or assumptions"
    if kept.given is None:
        pts, seeds = plan(theorem, prof, kept.seed, None)
        if pts != kept.pts or seeds != kept.seeds:
            return "other design points"
    else:
        broken = [p for p in kept.pts if not theorem.satisfies(p)]
        if broken:
            return f"the point {broken[0]} breaks the variant's assumptions"
    args = [plain_args({**p, **theorem.fixed_for(prof.name)}) for p in kept.pts]
    if args != kept.args:
        return "other experiment arguments (fixed values)"
    return ""


def failed(theorem: Theorem, profile: str | Profile, device: str, message: str) -> CheckResult:
    """An ``error`` result for a check that could not run at all (its worker process died)."""
    out = _Outcome(theorem, get_profile(profile), str(device), [], time.perf_counter())
    return out.finish(Verdict.ERROR, message=message)


class _Outcome:
    """What a check knows before it measures (the theorem, profile, device, proof steps, start
    time), and how it turns a verdict and its evidence into a :class:`CheckResult`."""

    def __init__(self, theorem: Theorem, prof, device: str, steps: list[dict], t0: float):
        self.theorem, self.prof, self.device, self.steps = theorem, prof, device, steps
        self.t0 = t0

    def finish(
        self,
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
    ) -> CheckResult:
        t, claim = self.theorem, self.theorem.claim
        return CheckResult(
            id=t.id,
            kind=claim.kind,
            expect=t.expect,
            source=str(t.source),
            theorem_hash=t.hash,
            experiment_hash=source_hash(t.experiment),
            confidence=1 - self.prof.alpha,
            device=self.device,
            profile=self.prof.name,
            verdict=verdict,
            strength=strength,
            seconds=round(time.perf_counter() - self.t0, 4),
            points=len(pts),
            seeds=list(seeds),
            worst=worst,
            tightness=tight,
            counterexample=cex,
            evidence={"proof": self.steps, "points": list(per_point), "measured": claim.measured},
            message=message,
            resolution=resolution[0],
            resolution_note=resolution[1],
        )


def plan(theorem: Theorem, profile: Profile, seed: int, points) -> tuple[list[dict], list[int]]:
    """The points to measure and their seeds: the profile's design, each point with its own
    seed (:func:`point_seed`), or the given points (their assumptions checked), all at ``seed``."""
    if points is None:
        pts = design_points(theorem, profile)
        if not pts:
            raise TheoremDefinitionError(no_design_point(theorem, profile))
        return pts, [point_seed(seed, p) for p in pts]
    pts = [dict(p) for p in points]
    for p in pts:
        theorem.check_assumptions(p)
    return pts, [int(seed)] * len(pts)


def no_design_point(theorem: Theorem, profile: Profile) -> str:
    """Why ``theorem`` has no design point at ``profile`` (a definition error), or ''."""
    d = design_summary(theorem, profile)
    if d["points"]:
        return ""
    why = d["why"].get("domain") or d["why"].get("assumption") or "the size cap left none"
    return (
        f"{theorem.id}: no design point at the {profile.name} profile ({d['outside']} of a "
        f"grid of {d['grid']} outside their domains, {d['rejected']} breaking an assumption; "
        f"first: {why})"
    )


def measure(theorem: Theorem, fn, args: list[dict], seeds: list[int], device: str, executor):
    """``(Measurement or PointError, seconds)`` per point, in the points' order: here, lazily,
    or on ``executor`` (which resolves the experiment by its key)."""
    kind = theorem.claim.kind
    if executor is None:
        return (measure_point(fn, a, s, device, kind) for a, s in zip(args, seeds, strict=True))
    n = len(args)
    return _guarded(executor.map, [theorem.experiment] * n, args, seeds, [device] * n, [kind] * n)


def decide_points(out: _Outcome, pts, seeds, args, measured, update=None) -> CheckResult:
    """Decide each measured point in order (the first that cannot be decided ends the check
    with ``error``), then aggregate them into the verdict (:func:`summarise`)."""
    theorem = out.theorem
    alpha_point = out.prof.alpha / max(len(pts), 1)
    decisions: list[PointDecision] = []
    per_point: list[dict] = []
    exactness, stochastic = [], False
    for idx, (p, s, a, (meas, seconds)) in enumerate(zip(pts, seeds, args, measured, strict=True)):
        try:
            if isinstance(meas, PointError):  # the experiment raised, here or in a worker
                raise meas
            scalars = {k: v for k, v in a.items() if isinstance(v, int | float | str)}
            d, claimed = _decide_point(theorem, scalars, meas, alpha_point)
        except Exception as exc:
            what = str(exc) if isinstance(exc, PointError) else f"{type(exc).__name__}: {exc}"
            return out.finish(
                Verdict.ERROR,
                pts=pts[: idx + 1],
                seeds=seeds[: idx + 1],
                message=f"at {p} (seed {s}): {what}",
                per_point=per_point,
                cex={"params": p, "seed": s, "command": replay_command(theorem.id, p, s)},
            )
        exact = meas.exact and kind(theorem.claim.kind).exact_points_decide(theorem.claim)
        exactness.append(exact or _certifies(theorem, scalars, meas))
        stochastic = stochastic or meas.stochastic
        decisions.append(d)
        per_point.append(_point_record(p, s, seconds, d, meas, claimed))
        if update:
            update(idx + 1)
    strength = _strength(stochastic, exactness)
    return summarise(out, pts, seeds, decisions, per_point, strength)


def _point_record(p, s, seconds, d, meas: Measurement, claimed) -> dict:
    return {
        "params": p,
        "seed": s,
        "seconds": round(seconds, 4),
        "p_fail": d.p_fail,
        "ok": d.ok,
        "margin": d.margin,
        "tightness": d.tightness,
        "worst": d.evidence.to_json(),
        "inputs": _small(meas.inputs),
        "raw": _small(meas.raw),
        "plot": _plot_data(meas, claimed),
    }


def _strength(stochastic: bool, exactness: list[bool]) -> Strength:
    """The evidence strength before the verdict: statistical, certified (every point exact) or
    numerically consistent; ``proved`` is decided with the verdict (:func:`summarise`)."""
    if stochastic:
        return Strength.STATISTICAL
    if exactness and all(exactness):
        return Strength.CERTIFIED
    return Strength.NUMERIC


def summarise(out: _Outcome, pts, seeds, decisions, per_point, strength) -> CheckResult:
    """The verdict over the points (:func:`verify.decide.aggregate`), its worst point, the
    counterexample that replays a failure, and the check's resolution."""
    theorem, prof = out.theorem, out.prof
    claim = theorem.claim
    agg = decide.aggregate(decisions, prof.alpha_refute, existential=claim.existential)
    if agg.verdict == Verdict.PASS and proof_closes(theorem, out.steps):
        strength = Strength.PROVED
    worst = cex = tight = None
    if agg.worst_index is not None:
        w = agg.worst_index
        d = decisions[w]
        evidence = d.evidence.to_json()
        worst = {"params": pts[w], "seed": seeds[w], "margin": d.margin, **evidence}
        tight = d.tightness
        if agg.verdict == Verdict.FAIL:
            cex = {
                "params": pts[w],
                "seed": seeds[w],
                **evidence,
                "command": replay_command(theorem.id, pts[w], seeds[w]),
            }
    message = agg.summary
    if agg.verdict == Verdict.INCONCLUSIVE and decisions and not claim.existential:
        message += repetitions_hint(theorem, pts, decisions, prof.alpha)
    return out.finish(
        agg.verdict,
        resolution=point_resolutions(claim, [d.evidence for d in decisions], prof.alpha_refute),
        strength=strength,
        pts=pts,
        seeds=seeds,
        worst=worst,
        tight=tight,
        cex=cex,
        message=message,
        per_point=per_point,
    )


def repetitions_hint(theorem: Theorem, pts, decisions, alpha: float) -> str:
    """For an inconclusive check: how many times its repetitions the undecided points would need
    at the measured effect (the largest such factor, and where), from each kind's
    :meth:`~verify.kinds.base.Kind.repetitions`; empty where the evidence does not say."""
    from .kinds.stats import normal_quantile

    k = kind(theorem.claim.kind)
    z = normal_quantile(1 - alpha / (2 * len(decisions)))
    factors = []
    for p, d in zip(pts, decisions, strict=True):
        if d.ok:
            continue
        try:
            f = k.repetitions(theorem.claim.at(p), d.evidence, z)
        except (ValueError, TypeError):
            f = None
        if f is not None and f > 1:  # ≤ 1: the standard error is not what leaves it open
            factors.append((f, p))
    if not factors:
        return ""
    f, p = max(factors, key=lambda x: x[0])
    where = ", ".join(f"{name}={v}" for name, v in p.items()) or "the point"
    if not math.isfinite(f):
        return (
            f"; at {where} the measured value sits on the claim's edge: more repetitions alone "
            "will not decide it"
        )
    return (
        f"; at the measured effect, about {f:.3g}× the repetitions at {where} would "
        "decide it (standard errors falling like 1/√n)"
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
    """The point's decision by the claim's kind, and the claimed values along it (or None). A
    level, margin or tolerance written as an expression is evaluated at the point first."""
    here = theorem.claim.at(point)
    if here is not theorem.claim:
        theorem = dataclasses.replace(theorem, claim=here)
    return kind(theorem.claim.kind).decide(theorem, point, meas, alpha_point)


def _certifies(theorem: Theorem, point, meas: Measurement) -> bool:
    """A certified measurement (an enclosure) that decides the claim rigorously at the point."""
    if not meas.certified:
        return False
    here = theorem.claim.at(point)
    if here is not theorem.claim:
        theorem = dataclasses.replace(theorem, claim=here)
    return kind(theorem.claim.kind).certifies(theorem, point, meas)


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
