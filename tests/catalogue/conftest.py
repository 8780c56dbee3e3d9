"""The catalogue tier: the whole quick profile at seed 0 runs once per session (``verify run``
in process, :func:`quick`), and every test here reads that run: the golden file, the docs site,
the report's round trips, and each claim changed on purpose, decided on the run's own
measurements (:func:`verify.redecide`) rather than by measuring again."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

import theorems
from verify import redecide as _redecide


@dataclass
class QuickRun:
    """The session's quick run: its folder (``reports/latest.json`` in it), the report read
    back, its exit code, and each theorem's result with its measurements."""

    folder: Path
    report: dict
    code: int
    results: dict

    @property
    def report_path(self) -> Path:
        return self.folder / "reports" / "latest.json"

    def result(self, theorem_id: str):
        return self.results[theorem_id]

    def redecide(self, variant: theorems.Theorem):
        """``variant`` (a theorem of the catalogue with its claim changed) decided on the run's
        measurements of the theorem with the same id: the verdict a fresh quick check at seed 0
        gives, without measuring."""
        return _redecide(variant, self.results[variant.id])


@pytest.fixture(scope="session")
def quick(tmp_path_factory) -> QuickRun:
    from verify.cli.commands import run_theorems

    folder = tmp_path_factory.mktemp("quick-run")
    here = os.getcwd()
    os.chdir(folder)
    collected: list = []
    try:
        code = run_theorems([], profile="quick", device_choice="cpu", seed=0, collect=collected)
    finally:
        os.chdir(here)
    report = json.loads((folder / "reports" / "latest.json").read_text())
    return QuickRun(folder, report, code, {r.id: r for r in collected})
