"""Performance: ``verify bench`` and the pytest-benchmark suite in ``benchmarks/``.

- :mod:`~verify.perf.timing`: medians of repeated calls, one call's seconds and memory;
- :mod:`~verify.perf.fixtures`: the random chains the benchmarks and tables share;
- :mod:`~verify.perf.cases`: each implementation against a reference, in the same run;
- :mod:`~verify.perf.scale`: a scale table per experiment (sizes, seconds, memory, fits);
- :mod:`~verify.perf.record`: the machine, the JSON record of a run, whether its rows failed;
- :mod:`~verify.perf.registry`: the benchmarks by name, and :func:`run`.

Each module imports only those above it in this list.
"""

from __future__ import annotations

from .record import build as build_record
from .record import failed, machine
from .record import write as write_record
from .registry import BENCHMARKS, GROUPS, default_names, run, validate

__all__ = [
    "BENCHMARKS",
    "GROUPS",
    "build_record",
    "default_names",
    "failed",
    "machine",
    "run",
    "validate",
    "write_record",
]
