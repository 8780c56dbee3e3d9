"""Measuring parameter points elsewhere: local worker processes (``verify run --jobs N``) or an
existing Dask distributed cluster (``verify run --scheduler ADDRESS``, the ``dask`` extra).

Points are independent and each carries its own seed (:func:`verify.design.point_seed`), so a
parallel run measures exactly what a serial one does; the decisions are taken in the calling
process, in the points' order. Workers resolve each experiment by its registry key or
``module:function`` path, so they need the same code installed (true of local processes; on a
cluster, install theoremlab on every worker).
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor


class DaskExecutor:
    """``map(fn, *iterables)`` over a Dask distributed cluster, results in order."""

    def __init__(self, address: str, timeout: float = 10.0):
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError(
                "--scheduler needs Dask distributed: pip install 'theoremlab[dask]'"
            ) from None
        try:
            self.client = Client(address, timeout=timeout)
        except OSError as exc:
            raise RuntimeError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None

    def map(self, fn, *iterables):
        futures = self.client.map(fn, *iterables, pure=False)
        for f in futures:  # in submission order; all of them run meanwhile
            yield f.result()

    def close(self):
        self.client.close()


def _spawned_pool(jobs: int) -> ProcessPoolExecutor:
    # spawn, not fork: a forked child of a process whose torch/OpenMP threads are running can hang
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


@contextlib.contextmanager
def executor(jobs: int = 1, scheduler: str | None = None) -> Iterator:
    """The executor for ``jobs`` local processes or a Dask ``scheduler`` address; ``None`` (run
    in this process) for one job and no scheduler."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    if scheduler is not None and jobs != 1:
        raise ValueError("give either --jobs or --scheduler, not both")
    if scheduler is not None:
        ex = DaskExecutor(scheduler)
        try:
            yield ex
        finally:
            ex.close()
    elif jobs == 1:
        yield None
    else:
        with _spawned_pool(jobs) as pool:
            yield pool
