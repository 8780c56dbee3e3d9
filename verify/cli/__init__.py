"""The ``verify`` command line (also ``python -m verify``): ``list``, ``show``, ``run``,
``check``, ``docs``, ``fuzz`` (counterexample search), ``selftest`` (mutation analysis),
``checkpoints`` (the pre-trained models a profile uses), ``proofs`` (the shipped proof-step
statuses), ``certify`` and ``bench``.

``list``, ``show`` and ``--help`` import neither torch nor numba nor scipy: the engine and the
numerics load when an experiment runs.

Exit codes: 0 when every verdict matches its theorem's expectation (a negative control must be
refuted); inconclusive verdicts are listed and, with ``--strict``, exit 1 too; 1 otherwise; 2 for
usage errors (unknown id, bad ``--at`` value, broken assumption). ``fuzz`` exits 1 when its
outcome contradicts the expectation; ``selftest`` when a check rejects fewer than 90 % of its
mutants (of claims, or of proof steps) or a true theorem fails. ``certify`` (an inequality over a
box, in ball arithmetic) exits 0 when certified, 1 when refuted, 3 when inconclusive.
"""

from __future__ import annotations

from .args import UsageError, parse_at, parser
from .commands import (
    COMMANDS,
    cmd_bench,
    cmd_calibrate,
    cmd_check,
    cmd_checkpoints,
    cmd_docs,
    cmd_fuzz,
    cmd_list,
    cmd_proofs,
    cmd_run,
    cmd_selftest,
    cmd_show,
    run_theorems,
    show_record,
)
from .render import VERDICT_STYLE, err, out

__all__ = [
    "COMMANDS",
    "UsageError",
    "VERDICT_STYLE",
    "cmd_bench",
    "cmd_calibrate",
    "cmd_check",
    "cmd_checkpoints",
    "cmd_docs",
    "cmd_fuzz",
    "cmd_list",
    "cmd_proofs",
    "cmd_run",
    "cmd_selftest",
    "cmd_show",
    "err",
    "main",
    "out",
    "parse_at",
    "parser",
    "run_theorems",
    "show_record",
]


def _warn_broken_plugins() -> None:
    """Say once, on stderr, which plug-ins failed to load (their theorems are left out)."""
    import theorems

    try:
        bad = theorems.broken()
    except Exception:  # the built-in catalogue itself: let the command report it
        return
    for origin, error in bad:
        err.print(f"verify: warning: {origin} failed to load and is left out: {error}")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command not in ("certify", "bench", "new"):  # the commands that read the catalogue
        _warn_broken_plugins()
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        err.print(f"verify: error: {exc}")
        return 2
    except KeyboardInterrupt:
        err.print("verify: interrupted")
        return 130
