"""Calibration on the real experiments: a profile's Monte-Carlo theorems run at many seeds.

``verify calibrate [ID|GLOB ...] --seeds N`` checks each selected theorem at seeds ``0..N−1``
and reports, per theorem and for the whole run, how often the verdict is a pass, a fail or
inconclusive, and how often it is not the expected one (a true theorem refuted, a negative
control or finding missed). It also sets each experiment's reported standard errors against the
spread of its estimates over the seeds, element by element of the measured series at every
design point: the ratio ``spread / reported`` should be near 1 (within a factor 1.5 at 20
seeds). Deterministic theorems (one seed decides them) are left out.

The synthetic calibration tests (``tests/slow/test_calibration.py``) check each decision rule on
data whose finite-size form is exactly the fitted one; this checks the rules on the experiments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from numerics.progress import task as progress_task
from theorems import Theorem

from .engine import CheckResult, check

SE_FACTOR = 1.5
"""How far the spread over the seeds may be from the reported standard error (either way)."""


@dataclass
class TheoremCalibration:
    """One theorem's verdicts over the seeds and its standard errors against their spread."""

    id: str
    expect: str
    seeds: list[int]
    verdicts: list[str]
    se_ratio: float | None = None  # median over elements of spread / reported
    se_ratio_range: list[float] | None = None  # the 10 % and 90 % quantiles
    se_elements: int = 0
    se_note: str = ""
    seconds: float = 0.0

    def count(self, verdict: str) -> int:
        return self.verdicts.count(verdict)

    @property
    def unexpected(self) -> int:
        """Seeds whose verdict is not the expected one (inconclusive counts as unexpected)."""
        return sum(v != self.expect for v in self.verdicts)

    @property
    def false_fails(self) -> int:
        """A true theorem refuted."""
        return self.count("fail") if self.expect == "pass" else 0

    @property
    def se_ok(self) -> bool:
        return self.se_ratio is None or 1 / SE_FACTOR <= self.se_ratio <= SE_FACTOR

    def to_json(self) -> dict:
        return asdict(self) | {
            "pass": self.count("pass"),
            "fail": self.count("fail"),
            "inconclusive": self.count("inconclusive"),
            "error": self.count("error"),
            "unexpected": self.unexpected,
            "false_fails": self.false_fails,
            "se_ok": self.se_ok,
        }


@dataclass
class Calibration:
    """A calibration run: every theorem's, and the run's, rates."""

    profile: str
    seeds: list[int]
    theorems: list[TheoremCalibration] = field(default_factory=list)
    deterministic: list[str] = field(default_factory=list)

    def runs_with(self, bad: Callable[[TheoremCalibration, int], bool]) -> int:
        """The number of seeds at which some theorem is ``bad`` (a whole run's rate)."""
        return sum(any(bad(t, i) for t in self.theorems) for i in range(len(self.seeds)))

    @property
    def runs_with_a_false_fail(self) -> int:
        return self.runs_with(lambda t, i: t.expect == "pass" and t.verdicts[i] == "fail")

    @property
    def runs_with_an_unexpected_verdict(self) -> int:
        return self.runs_with(lambda t, i: t.verdicts[i] != t.expect)

    @property
    def ok(self) -> bool:
        return self.runs_with_an_unexpected_verdict == 0 and all(t.se_ok for t in self.theorems)

    def to_json(self) -> dict:
        return {
            "profile": self.profile,
            "seeds": self.seeds,
            "runs_with_a_false_fail": self.runs_with_a_false_fail,
            "runs_with_an_unexpected_verdict": self.runs_with_an_unexpected_verdict,
            "se_factor": SE_FACTOR,
            "theorems": [t.to_json() for t in self.theorems],
            "deterministic": self.deterministic,
        }


def _series(result: CheckResult) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per design point, the measured values and their standard errors (the evidence's plot
    data, or the worst element's for a point without a series); empty where none is reported."""
    out = []
    for p in result.evidence.get("points", []):
        plot = p.get("plot") or {}
        if plot.get("stderr") is not None:
            out.append((np.asarray(plot["y"], float), np.asarray(plot["stderr"], float)))
            continue
        w = p.get("worst") or {}
        if w.get("stderr") is not None and w.get("measured") is not None:
            out.append((np.array([float(w["measured"])]), np.array([float(w["stderr"])])))
        else:
            out.append((np.array([]), np.array([])))
    return out


def se_ratios(results: list[CheckResult]) -> np.ndarray:
    """``spread over the seeds / reported standard error`` for every element of every point
    (root mean square of the reported errors; elements whose reported error is 0 are skipped)."""
    per_seed = [_series(r) for r in results]
    ratios = []
    for i in range(min(len(s) for s in per_seed)):
        sizes = {s[i][0].size for s in per_seed}
        if len(sizes) != 1 or 0 in sizes:
            continue  # not the same elements at every seed
        Y = np.stack([s[i][0] for s in per_seed])
        SE = np.stack([s[i][1] for s in per_seed])
        reported = np.sqrt((SE**2).mean(axis=0))
        spread = Y.std(axis=0, ddof=1)
        # an element that did not vary at all (an exact 0, a floored error) says nothing about
        # the error's calibration
        keep = (reported > 0) & np.isfinite(reported) & np.isfinite(spread) & (spread > 0)
        ratios.extend((spread[keep] / reported[keep]).tolist())
    return np.asarray(ratios)


def calibrate_theorem(
    theorem: Theorem,
    seeds: list[int],
    *,
    profile: str = "quick",
    device: str = "cpu",
) -> TheoremCalibration | None:
    """Check ``theorem`` at every seed; ``None`` when its evidence is not statistical (the
    first seed's run says so, and then decides it for every seed). Progress: the task
    ``"<id> seeds"`` of :mod:`numerics.progress`."""
    results = []
    with progress_task(f"{theorem.id} seeds", len(seeds)) as update:
        for k, s in enumerate(seeds):
            r = check(theorem, profile=profile, seed=s, device=device)
            if k == 0 and r.strength != "statistical" and r.verdict != "error":
                return None
            results.append(r)
            update(k + 1)
    out = TheoremCalibration(
        theorem.id,
        theorem.expect,
        list(seeds),
        [r.verdict for r in results],
        seconds=round(sum(r.seconds for r in results), 2),
    )
    ratios = se_ratios(results)
    if not ratios.size and any(y.size for y, _ in _series(results[0])):
        out.se_note = "the run's seed does not change this measurement (its randomness is fixed "
        out.se_note += "by its parameters)"
    if ratios.size:
        out.se_ratio = float(np.median(ratios))
        out.se_ratio_range = [float(np.quantile(ratios, 0.1)), float(np.quantile(ratios, 0.9))]
        out.se_elements = int(ratios.size)
    return out


def calibrate(
    theorems: list[Theorem],
    seeds: int,
    *,
    profile: str = "quick",
    device: str = "cpu",
) -> Calibration:
    """Calibrate every Monte-Carlo theorem among ``theorems`` at seeds ``0..seeds−1``
    (progress: the task ``"theorems"``, and one per theorem)."""
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 2:
        raise ValueError(f"--seeds must be an integer ≥ 2, got {seeds!r}")
    run = Calibration(profile, list(range(seeds)))
    with progress_task("theorems", len(theorems)) as update:
        for k, t in enumerate(theorems):
            res = calibrate_theorem(t, run.seeds, profile=profile, device=device)
            if res is None:
                run.deterministic.append(t.id)
            else:
                run.theorems.append(res)
            update(k + 1)
    return run
