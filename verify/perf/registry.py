"""The benchmark registry: every ``verify bench`` name and the rows it runs (the cases against
their references, the whole quick and thorough runs, a scale table per experiment family), and
:func:`run`, which runs the named ones."""

from __future__ import annotations

import time
from collections.abc import Callable

from . import scale
from .cases import (
    OPERATOR_LARGEST,
    certify_case,
    epsilon_case,
    newman_ziff_case,
    operator_case,
    peeling_case,
    run_case,
    stationary_case,
    stationary_gth_case,
)
from .record import machine

THOROUGH_BUDGET_S = 480.0  # `verify run --profile thorough` within 8 minutes on one H100


def profile_run_row(profile: str = "quick") -> dict:
    """The whole ``verify run --profile PROFILE`` in this process, on the default device (a GPU
    when present): seconds in total and per theorem, and whether every outcome was the expected
    one (``correct``). The thorough run has a budget of :data:`THOROUGH_BUDGET_S` on an H100
    (``met`` is judged there only); the quick run has none (for regressions)."""
    import theorems

    from ..engine import check

    per, unexpected = {}, []
    t0 = time.perf_counter()
    for t in theorems.all():
        r = check(t, profile=profile, device="auto")
        per[t.id] = round(r.seconds, 3)
        if not r.as_expected:
            unexpected.append(t.id)
    total = time.perf_counter() - t0
    row = {
        "name": f"{profile} run",
        "ours_s": total,
        "reference_s": None,
        "ratio": None,
        "target": None,
        "met": None,
        "per_theorem_s": per,
        "correct": not unexpected,
        "unexpected": unexpected,
    }
    if profile == "thorough":
        gpu = machine()["gpu"]
        row["budget_s"] = THOROUGH_BUDGET_S
        if gpu and "H100" in gpu:
            row["met"] = total <= THOROUGH_BUDGET_S and not unexpected
        else:
            row["note"] = "the 8-minute budget is for one H100; here it is reported only"
    return row


def _operator_rows(max_exponent: int) -> list[dict]:
    exps = list(range(10, max_exponent + 1, 2))
    # the bandwidth target is for the largest size, which the issue puts at ≥ 2^22
    return [
        run_case(operator_case(e, largest=e == exps[-1] and e >= OPERATOR_LARGEST)) for e in exps
    ]


def _networkx_row() -> list[dict]:
    try:
        import networkx  # noqa: F401
    except ImportError:
        return [
            {
                "name": "Newman-Ziff vs networkx, 50 phi, N_s=1e+05",
                "skipped": "networkx is not installed (pip install 'theoremlab[bench]')",
                "ratio": None,
                "target": 50.0,
                "met": None,
            }
        ]
    return [run_case(newman_ziff_case(10**5, library="networkx"))]


def _cap(default: int, cap: int | None) -> int:
    return default if cap is None else min(default, cap)


# name → rows, given the cap on the Markov sizes' exponent (None: each benchmark's own sizes)
BENCHMARKS: dict[str, Callable[[int | None], list[dict]]] = {
    "markov-operator": lambda c: _operator_rows(_cap(OPERATOR_LARGEST, c)),
    "stationary": lambda c: [run_case(stationary_case(_cap(20, c)))],
    "stationary-gth": lambda c: [run_case(stationary_gth_case(_cap(11, c)))],
    "epsilon": lambda c: [run_case(epsilon_case(_cap(11, c)))],
    "peeling": lambda c: [run_case(peeling_case())],
    "newman-ziff": lambda c: [run_case(newman_ziff_case())] + _networkx_row(),
    "certify": lambda c: [run_case(certify_case())],
    "quick-run": lambda c: [profile_run_row("quick")],
    "thorough-run": lambda c: [profile_run_row("thorough")],
    **scale.EXPERIMENTS,  # a scale table per experiment family (verify.perf.scale)
}
# names that stand for several benchmarks
GROUPS = {"scale": list(scale.EXPERIMENTS)}


def default_names() -> list[str]:
    """Every benchmark; the thorough run only where a GPU is present (on a CPU it takes far
    longer than the rest together; name it to run it there)."""
    import torch

    gpu = torch.cuda.is_available()
    return [n for n in BENCHMARKS if gpu or n != "thorough-run"]


def validate(names: list[str], max_exponent: int | None) -> None:
    unknown = [n for n in names if n not in BENCHMARKS and n not in GROUPS]
    if unknown:
        known = ", ".join([*BENCHMARKS, *GROUPS])
        raise ValueError(f"unknown benchmark(s) {', '.join(unknown)}; known: {known}")
    if max_exponent is None:
        return
    if isinstance(max_exponent, bool) or not isinstance(max_exponent, int):
        raise ValueError(f"the largest exponent must be an integer, got {max_exponent!r}")
    if not 10 <= max_exponent <= 30:
        raise ValueError(f"the largest exponent must lie in [10, 30], got {max_exponent}")


def run(
    names: list[str] | None = None, *, max_exponent: int | None = None, on_row=None
) -> list[dict]:
    """Run the named benchmarks (:func:`default_names` by default; a name of :data:`GROUPS`
    stands for its members); ``max_exponent`` caps the state and skill counts at
    ``2^max_exponent`` (by default the operator goes to 2^22 states, the scale tables to 2^26
    states and 10^7 skills)."""
    names = default_names() if not names else names
    validate(names, max_exponent)
    names = list(dict.fromkeys(m for n in names for m in GROUPS.get(n, [n])))
    rows = []
    for name in names:
        for row in BENCHMARKS[name](max_exponent):
            rows.append(row)
            if on_row:
                on_row(row)
    return rows
