"""Where checks run: one thread per measurement, worker processes (``verify run --jobs N``), an
existing Dask distributed cluster (``verify run --scheduler ADDRESS``, the ``dask`` extra).

Every experiment is measured on one thread (:func:`numerics.device.one_thread`: torch, numba,
BLAS and OpenMP),
in this process and in every worker, so its numbers do not depend on how many workers run beside
it and no two layers of parallelism share the cores.

Two ways to spread a run over ``N`` local processes, with the same results as one:

- **lanes** (:func:`check_in_lanes`, several theorems): each worker checks whole theorems
  (proof steps, measurement, decision). Theorems whose experiments live in one module go to one
  worker, one after another, so that the module's in-process caches (a trained model that
  several claims read) are filled once. Groups start longest first, by the seconds the last
  report (or the shipped schedule hints) recorded.
- **points** (:func:`executor`, one theorem, or a Dask cluster): the points of a theorem are
  measured in the workers; each carries its own seed (:func:`verify.design.point_seed`) and the
  decisions are taken in the calling process, in the points' order. Workers resolve each
  experiment by its registry key or ``module:function`` path, so they need the same code
  installed (true of local processes; on a cluster, install theoremlab on every worker).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from pathlib import Path

from numerics.device import one_thread

SCHEDULE_HINTS = Path(__file__).resolve().parent / "data" / "schedule-hints.json"
"""Seconds per theorem and profile, from a recorded run (``tests/golden.py`` rewrites them):
the order in which lanes start their groups when no report of one's own has them yet."""


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _one_threaded(fn, *args):
    """``fn(*args)`` under :func:`one_thread` (a task on a Dask worker, which stays as it is)."""
    with one_thread():
        return fn(*args)


def _single_threaded_worker() -> None:
    """A worker process's initialiser: one thread for good (it only measures)."""
    one_thread().__enter__()


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
        lists = [list(it) for it in iterables]
        n = len(lists[0]) if lists else 0
        futures = self.client.map(_one_threaded, [fn] * n, *lists, pure=False)
        for f in futures:  # in submission order; all of them run meanwhile
            yield f.result()

    def close(self):
        self.client.close()


WORKER_ENVIRONMENT = {
    # (no thread counts here: a worker starts its libraries as this process did and then limits
    # them, as one_thread() does here, so that OpenBLAS picks the same kernels bit for bit)
    # glibc keeps freed blocks up to 256 MiB instead of handing each back to the kernel and
    # faulting it in again on the next step (the cold quick profile here: 42 s of system time
    # in the workers without these, 6 s with them)
    "MALLOC_MMAP_THRESHOLD_": str(256 << 20),
    "MALLOC_TRIM_THRESHOLD_": str(1 << 30),
}
"""Set for worker processes as they start (a value the caller's environment gives wins)."""


def _spawned_pool(jobs: int, *, catalogue: bool = False) -> ProcessPoolExecutor:
    """A process pool whose workers start now, in :data:`WORKER_ENVIRONMENT`, on one thread;
    ``catalogue``: each builds the catalogue as it starts (:func:`_warm`: workers that check
    theorems by id; workers that only measure points resolve experiments and need none)."""
    # spawn, not fork: a forked child of a process whose torch/OpenMP threads are running can hang
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_single_threaded_worker,
    )
    added = {k: v for k, v in WORKER_ENVIRONMENT.items() if k not in os.environ}
    os.environ.update(added)
    try:  # a worker inherits the environment when it is started: by a submission
        for _ in range(jobs):
            pool.submit(_warm if catalogue else int)
    finally:
        for k in added:
            del os.environ[k]
    return pool


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


# --------------------------------------------------------------------------------------------
# Lanes: whole theorems in worker processes
# --------------------------------------------------------------------------------------------


def group_key(theorem) -> str:
    """The module that holds ``theorem``'s experiment (its caches), or the theorem's own id
    when the experiment cannot be resolved (its check then reports why)."""
    from .experiments import resolve

    try:
        return resolve(theorem.experiment).__module__
    except Exception:
        return theorem.id


def schedule_hints(profile: str) -> dict[str, float]:
    """Seconds per theorem id for ``profile``: the shipped hints, then the last report's."""
    from . import report as reports

    hints: dict[str, float] = {}
    try:
        hints.update(json.loads(SCHEDULE_HINTS.read_text()).get(profile, {}))
    except (OSError, ValueError):
        pass
    last = reports.load(reports.LATEST) or {}
    for row in last.get("results", []):
        if row.get("profile") == profile and isinstance(row.get("seconds"), int | float):
            hints[row["id"]] = float(row["seconds"])
    return hints


def portable(theorem) -> bool:
    """A worker process rebuilds ``theorem`` from its id (:func:`theorems.registry.collected`)."""
    from theorems.registry import collected

    return collected(theorem)


LANES_WORTH = 20.0
"""Seconds of recorded work above which a run starts lanes by default: two workers take about
five seconds each to start (torch, the catalogue)."""


def worth_lanes(chosen: list, hints: dict[str, float]) -> bool:
    """Whether ``chosen`` is long enough for lanes: their seconds by ``hints``
    (:func:`schedule_hints`; a theorem with none counts as long) add up to more than
    :data:`LANES_WORTH`."""
    return sum(hints.get(t.id, LANES_WORTH) for t in chosen) > LANES_WORTH


def lane_groups(chosen: list, hints: dict[str, float]) -> list[list[int]]:
    """Indices into ``chosen`` grouped by :func:`group_key`, each group in catalogue order,
    the groups longest first by ``hints`` (:func:`schedule_hints`; a theorem with no hint
    counts as long: the longest-first rule is then safe)."""
    longest = max(hints.values(), default=1.0)
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(chosen):
        groups.setdefault(group_key(t), []).append(i)
    cost = {k: sum(hints.get(chosen[i].id, longest) for i in g) for k, g in groups.items()}
    return [groups[k] for k in sorted(groups, key=lambda k: -cost[k])]


def _in_catalogue(theorem_id: str, theorem_hash: str):
    """In a worker: the catalogue's theorem ``theorem_id`` if it has that hash, else ``None``
    (one added or changed at run time in the calling process, which then does the work)."""
    import theorems

    try:
        t = theorems.get(theorem_id)
    except LookupError:
        return None
    return t if t.hash == theorem_hash else None


def _check_in_worker(theorem_id: str, theorem_hash: str, profile, seed: int, device: str, keep):
    """A lane's task: ``theorem_id`` checked whole (:func:`verify.engine.check`); ``None`` when
    the worker does not know it (:func:`_in_catalogue`). The measurements come back when
    ``keep`` (without the proof steps and domain, which the caller holds: some sympy objects do
    not pickle)."""
    from .engine import check

    t = _in_catalogue(theorem_id, theorem_hash)
    if t is None:
        return None
    r = check(t, profile=profile, seed=seed, device=device)
    if keep and r.measured is not None:
        r.measured = dataclasses.replace(r.measured, proof=None, domain=None)
    else:
        r.measured = None
    return r


def _warm() -> None:
    """A lane's first task, sent as it starts: the catalogue built and torch imported while the
    calling process is still choosing what to run."""
    import torch  # noqa: F401

    import theorems

    from . import engine  # noqa: F401

    theorems.all()


class Lanes:
    """``jobs`` worker processes, each checking whole theorems one after another
    (:meth:`check`). They start (and build the catalogue) as soon as this is made."""

    def __init__(self, jobs: int):
        self.pools = [_spawned_pool(1, catalogue=True) for _ in range(jobs)]

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Lanes:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check(
        self, chosen: list, *, profile, seed: int, device: str, keep: bool, hints: dict
    ) -> Iterator[tuple[int, object]]:
        """``(index, CheckResult)`` for every theorem of ``chosen`` as it finishes, each
        checked whole in one of the lanes (:func:`lane_groups` decides which theorems share
        one). A theorem a worker does not know (:func:`portable`: one added at run time) is
        checked in this process, after the lanes have their work; a worker that dies makes its
        theorem's verdict ``error``."""
        from .engine import check, failed

        here = [i for i, t in enumerate(chosen) if not portable(t)]
        away = [i for i in range(len(chosen)) if i not in here]
        groups = lane_groups([chosen[i] for i in away], hints)
        queue = deque([away[j] for j in g] for g in groups)
        pending: dict = {}
        busy = dict.fromkeys(range(len(self.pools)), 0)

        def feed(lane: int) -> None:
            for i in queue.popleft():
                t = chosen[i]
                fut = self.pools[lane].submit(
                    _check_in_worker, t.id, t.hash, profile, seed, device, keep
                )
                pending[fut] = (lane, i)
                busy[lane] += 1

        for lane in busy:
            if queue:
                feed(lane)
        for i in here:
            yield i, check(chosen[i], profile=profile, seed=seed, device=device)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                lane, i = pending.pop(fut)
                busy[lane] -= 1
                t = chosen[i]
                try:
                    r = fut.result()
                except Exception as exc:
                    r = failed(t, profile, device, f"the worker process failed: {exc}")
                if r is None:
                    r = check(t, profile=profile, seed=seed, device=device)
                if r.measured is not None:
                    r.measured = dataclasses.replace(
                        r.measured, proof=t.proof, domain=(t.parameters, t.assumptions)
                    )
                yield i, r
                if busy[lane] == 0 and queue:
                    feed(lane)


def _steps_decided(theorem_id: str, theorem_hash: str) -> dict | None:
    """A worker's task: :func:`verify.proofs.ship_one` of the catalogue's ``theorem_id``
    (``None`` when the worker does not know it: :func:`_in_catalogue`)."""
    from .proofs import ship_one

    t = _in_catalogue(theorem_id, theorem_hash)
    return None if t is None else ship_one(t)


def decide_proofs(chosen: list, *, jobs: int | None = None, on_done=None) -> dict[str, dict]:
    """Every sympy and interval step of ``chosen`` decided from scratch, by step hash
    (:func:`verify.proofs.ship_one`), the theorems spread over ``jobs`` worker processes (one
    per core by default); ``on_done(count)`` after each theorem."""
    from .proofs import ship_one

    jobs = cores() if jobs is None else jobs
    statuses: dict[str, dict] = {}
    if jobs == 1 or len(chosen) < 2:
        for k, t in enumerate(chosen, start=1):
            statuses |= ship_one(t)
            if on_done:
                on_done(k)
        return statuses
    with _spawned_pool(jobs, catalogue=True) as pool:
        futures = {pool.submit(_steps_decided, t.id, t.hash): t for t in chosen}
        for k, fut in enumerate(as_completed(futures), start=1):
            got = fut.result()
            statuses |= ship_one(futures[fut]) if got is None else got
            if on_done:
                on_done(k)
    return statuses


def write_schedule_hints(report: dict, path: Path = SCHEDULE_HINTS) -> None:
    """Record ``report``'s seconds per theorem as the shipped hints for its profile."""
    from numerics.files import atomic_write

    try:
        hints = json.loads(path.read_text())
    except (OSError, ValueError):
        hints = {}
    hints[report["profile"]] = {r["id"]: round(float(r["seconds"]), 1) for r in report["results"]}
    body = json.dumps(hints, indent=1, sort_keys=True) + "\n"
    atomic_write(path, lambda fh: fh.write(body.encode()))
