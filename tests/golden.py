"""The golden file of the whole quick run at seed 0: per theorem its verdict, strength, number of
points, the worst point's parameters, measured and claimed values there (12 significant digits)
and tightness. ``tests/test_golden.py`` compares a fresh run against it, so that a refactor that
changes evidence is caught. A change that alters evidence on purpose regenerates it in the same
commit (and says why)::

    .venv/bin/python tests/golden.py        # writes tests/golden/quick-seed0.json
                                            # and verify/data/schedule-hints.json
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "quick-seed0.json"
DIGITS = 12


def rounded(x):
    """``x`` with every float to ``DIGITS`` significant digits (lists and dicts recursively)."""
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [rounded(v) for v in x]
    if isinstance(x, float) and math.isfinite(x) and x != 0:
        return float(f"{x:.{DIGITS}g}")
    return x


def summary(report: dict) -> dict:
    """The golden record of a report (``reports/latest.json``'s schema), timings aside."""
    out = {}
    for row in report["results"]:
        w = row.get("worst") or {}
        out[row["id"]] = rounded(
            {
                "verdict": row["verdict"],
                "strength": row["strength"],
                "points": row["points"],
                "worst_params": w.get("params"),
                "measured": w.get("measured"),
                "claimed": w.get("claimed"),
                "tightness": row["tightness"],
            }
        )
    return out


def quick_run(folder: Path) -> dict:
    """A fresh ``verify run --profile quick --seed 0`` (every theorem) in ``folder`` (its
    ``reports/latest.json`` goes there), the report read back."""
    from verify.cli import main

    here = os.getcwd()
    os.chdir(folder)
    try:
        main(["run", "--profile", "quick", "--seed", "0"])
    finally:
        os.chdir(here)
    return json.loads((Path(folder) / "reports" / "latest.json").read_text())


if __name__ == "__main__":
    import tempfile

    from verify.parallel import SCHEDULE_HINTS, write_schedule_hints

    with tempfile.TemporaryDirectory() as tmp:
        report = quick_run(Path(tmp))
    record = summary(report)
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(record, indent=1, sort_keys=True, allow_nan=False) + "\n")
    write_schedule_hints(report)  # the seconds each theorem took: the lanes' order on a fresh clone
    print(f"wrote {GOLDEN} ({len(record)} theorems) and {SCHEDULE_HINTS}", file=sys.stderr)
