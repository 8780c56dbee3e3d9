"""The bench record: what ``verify bench --json PATH`` writes (date, machine, versions, rows;
the docs' performance page reads it from ``docs/benchmarks/``), and the judgement of its rows."""

from __future__ import annotations

import time
from pathlib import Path

from .. import report


def machine() -> dict:
    """What the figures were measured on."""
    import os
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import torch

        gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception:  # pragma: no cover - a broken CUDA install is still a CPU machine
        gpu = None
    try:
        import numba

        threads = numba.get_num_threads()
    except ImportError:  # pragma: no cover
        threads = None
    return {"cpu": cpu, "cores": os.cpu_count(), "numba_threads": threads, "gpu": gpu}


def build(rows: list[dict]) -> dict:
    """The record of a run's rows: today's date, this machine, the package versions."""
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "versions": report.versions(),
        "rows": rows,
    }


def write(path: Path, rows: list[dict]) -> None:
    """Write the record of ``rows`` to ``path`` (atomically)."""
    report.atomic_write_json(path, build(rows))


def failed(rows: list[dict]) -> bool:
    """Whether a row missed its target or computed a different answer (``verify bench`` then
    exits 1)."""
    return any(r.get("met") is False or r.get("correct") is False for r in rows)
