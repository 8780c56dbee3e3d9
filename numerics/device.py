"""Where experiments run: the device, the threads (:func:`one_thread`), seeded generators.

Every randomness takes a seed: numpy through ``numpy.random.SeedSequence``, torch through an
explicit ``torch.Generator``; the same seed on the same device gives the same numbers. torch is
imported by the functions that need it, so that importing :mod:`numerics` (for
:class:`~numerics.Measurement`) stays light.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import torch


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``auto`` is CUDA when available, else the CPU; ``cuda`` without a GPU is an error."""
    import torch

    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise ValueError(f"device must be auto, cpu or cuda, got {device!r}")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but torch sees no CUDA device here")
    if device not in ("cpu",) and not device.startswith("cuda"):
        raise ValueError(f"device must be auto, cpu or cuda, got {device!r}")
    return torch.device(device)


def numpy_rng(seed: int, *stream: int) -> np.random.Generator:
    """A numpy generator for ``seed`` and an optional sub-stream (e.g. a dataset index)."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), *map(int, stream)]))


def torch_generator(seed: int, device: str | torch.device = "cpu") -> torch.Generator:
    """A torch generator on ``device`` seeded from ``seed`` (through SeedSequence, so nearby seeds
    give unrelated streams)."""
    import torch

    dev = resolve_device(device)
    state = np.random.SeedSequence(int(seed)).generate_state(2, dtype=np.uint32)
    g = torch.Generator(device=dev)
    g.manual_seed(int(state[0]) << 32 | int(state[1]))
    return g


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """torch, numba and the BLAS/OpenMP libraries on one thread inside, as they were after.
    ``verify`` measures every experiment so (:func:`verify.engine.check`, its worker processes):
    the numbers are then the same however many workers run beside it."""
    import numba
    import scipy.linalg  # noqa: F401 - its BLAS loaded before the limit, so that it applies
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads(), numba.get_num_threads()
    torch.set_num_threads(1)
    numba.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            yield
    finally:
        torch.set_num_threads(before[0])
        numba.set_num_threads(before[1])
