"""Timing and measuring: the median of repeated calls (the benchmarks), and one call's seconds
with its memory (the scale tables).

Times are medians over rounds after a warm-up call; a round repeats a fast call until it lasts
≥ 20 ms, and the first call of one that takes over a second counts as a round.

Memory is given twice by the scale tables. ``bytes_held`` is counted by each table; ``peak_rss``
is measured here: the process's peak resident memory during the run above its resident memory
before (Linux ``VmHWM``, reset through ``/proc/self/clear_refs``; absent elsewhere), which
includes the temporaries a count leaves out; on a GPU ``peak_device_bytes`` is torch's peak
allocation.
"""

from __future__ import annotations

import ctypes
import gc
import math
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

MIN_ROUND_S = 0.02
SLOW_S = 1.0  # a first call this long is timed as a round (no separate warm-up)


def median_time(fn: Callable[[], Any], rounds: int = 5) -> tuple[float, Any]:
    """Median seconds per call over ``rounds`` rounds, and the last result."""
    t0 = time.perf_counter()
    out = fn()  # warm-up (compilation, caches), and the result to check
    first = time.perf_counter() - t0
    if first >= SLOW_S:  # a slow call: nothing to warm up, and it counts as a round
        times, reps = [first], 1
    else:
        t0 = time.perf_counter()
        fn()
        once = time.perf_counter() - t0
        times, reps = [], max(1, math.ceil(MIN_ROUND_S / max(once, 1e-9)))
    while len(times) < rounds:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t0) / reps)
    return statistics.median(times), out


def _status_bytes(field: str) -> int:
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M).group(1)) * 1024


def _release() -> None:
    """Collect garbage and hand freed heap back to the system, so that a run's resident memory
    starts from what is live."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def measured(fn: Callable[[], Any], device=None) -> tuple[Any, float, dict]:
    """Run ``fn`` once: its result, its seconds, and its measured memory (``peak_rss`` in bytes
    where Linux tells it; ``peak_device_bytes`` when ``device`` is a CUDA device)."""
    import torch

    _release()
    mem: dict = {}
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the peak resident set (VmHWM) to the current one
        base = _status_bytes("VmRSS")
    except (OSError, AttributeError):
        base = None
    cuda = device is not None and torch.device(device).type == "cuda"
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        dev_base = torch.cuda.memory_allocated()
    t0 = time.perf_counter()
    out = fn()
    if cuda:
        torch.cuda.synchronize()
    secs = time.perf_counter() - t0
    if base is not None:
        mem["peak_rss"] = max(0, _status_bytes("VmHWM") - base)
    if cuda:
        mem["peak_device_bytes"] = torch.cuda.max_memory_allocated() - dev_base
    return out, secs, mem
