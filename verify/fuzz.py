"""Counterexample search: hypothesis explores a theorem's parameter domains (respecting its
assumptions, :mod:`verify.strategies`) for a point where the check fails, shrinks it to the
simplest such point, and re-confirms it with fresh seeds when the check is stochastic.

Hypothesis's own engine does the search and the shrinking. Its example database lives in
``.hypothesis/fuzz/<theorem id>/`` (relative to the working directory), so a counterexample found
once is replayed first the next time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from numerics.progress import task as progress_task
from theorems import Theorem

from .design import replay_command
from .engine import CheckResult, check
from .strategies import points


class _Found(Exception):
    pass


@dataclass
class FuzzResult:
    theorem_id: str
    expect: str
    examples: int  # points tried (shrinking included)
    found: bool
    point: dict | None = None
    seed: int | None = None  # the experiment seed of the failing run
    result: CheckResult | None = None
    confirmations: list[str] = field(default_factory=list)  # verdicts with fresh seeds

    @property
    def command(self) -> str | None:
        if self.point is None:
            return None
        return replay_command(self.theorem_id, self.point, self.seed)

    @property
    def as_expected(self) -> bool:
        """A counterexample to a theorem expected to pass is unexpected, and so is finding none
        for a negative control (expected to fail)."""
        return self.found == (self.expect == "fail")


def fuzz(
    theorem: Theorem,
    *,
    examples: int = 50,
    seed: int = 0,
    profile: str = "quick",
    device: str = "cpu",
    database: Path | None = Path(".hypothesis") / "fuzz",
    confirm: int = 3,
) -> FuzzResult:
    """Search ``examples`` points of ``theorem`` for one whose check fails (or errors). Each point
    runs with experiment seed ``seed``; a stochastic counterexample is re-run with ``confirm``
    fresh seeds and the verdicts reported. Progress: the task ``"fuzzing <id>"`` of
    :mod:`numerics.progress`."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from hypothesis.database import DirectoryBasedExampleDatabase

    if examples < 1:
        raise ValueError(f"examples must be ≥ 1, got {examples}")
    db = DirectoryBasedExampleDatabase(str(database / theorem.id)) if database else None
    state: dict[str, Any] = {"tried": 0}

    # settings outside seed: @seed turns the example database off in the settings it wraps
    @settings(
        max_examples=examples,
        deadline=None,
        database=db,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        print_blob=False,
    )
    @hseed(seed)
    @given(points(theorem, profile))
    def probe(p):
        state["tried"] += 1
        state["update"](min(state["tried"], examples))
        r = check(theorem, profile=profile, seed=seed, device=device, points=[p])
        if r.verdict in ("fail", "error"):
            state["point"], state["result"] = dict(p), r  # the last one is the shrunk one
            raise _Found

    from hypothesis.errors import Unsatisfiable

    try:
        with progress_task(f"fuzzing {theorem.id}", examples) as state["update"]:
            probe()
    except _Found:
        pass
    except Unsatisfiable:
        raise ValueError(
            f"{theorem.id}: hypothesis found no point satisfying the assumptions within the "
            f"{profile} profile's size cap"
        ) from None
    out = FuzzResult(theorem.id, theorem.expect, state["tried"], "point" in state)
    if out.found:
        out.point, out.result = state["point"], state["result"]
        out.seed = seed
        if out.result.strength == "statistical":
            for k in range(1, confirm + 1):
                again = check(
                    theorem, profile=profile, seed=seed + k, device=device, points=[out.point]
                )
                out.confirmations.append(again.verdict)
    return out


__all__ = ["FuzzResult", "fuzz"]
