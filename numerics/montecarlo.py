"""Monte-Carlo repetitions as a library: independent generators spawned from one seed, the
samples of a repeated measurement (for probability claims), and their mean with its standard
error (for identities, bounds and rates). How many repetitions a profile uses is the theorem's
business: declare them per profile in ``Theorem.fixed`` (``theorems.per_profile(200, 2000,
20000)``) and read ``params["reps"]`` in the experiment.

>>> from numerics import montecarlo
>>> m = montecarlo.mean(lambda rng: rng.random(), reps=400, seed=1)
>>> abs(m.value - 0.5) < 4 * m.stderr
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .measurement import Measurement


def generators(seed: int, reps: int) -> list[np.random.Generator]:
    """``reps`` independent generators from one seed (``numpy.random.SeedSequence.spawn``): the
    same seed gives the same streams, and no two repetitions share one."""
    if reps < 1:
        raise ValueError(f"a Monte-Carlo estimate needs reps ≥ 1, got {reps}")
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(reps)]


def samples(one: Callable[[np.random.Generator], float], reps: int, seed: int) -> np.ndarray:
    """``one(rng)`` for each of ``reps`` independent generators: the measured value of each
    repetition, as ``Measurement(samples=...)`` wants it."""
    out = np.array([float(one(g)) for g in generators(seed, reps)])
    if not np.all(np.isfinite(out)):
        raise FloatingPointError("a repetition produced NaN or inf")
    return out


def mean(
    one: Callable[[np.random.Generator], float], reps: int, seed: int, **measurement: object
) -> Measurement:
    """The mean of ``reps`` independent repetitions of ``one(rng)`` with its standard error
    (``sd / √reps``; at least 2 repetitions), as a :class:`~numerics.Measurement` (further fields
    such as ``inputs`` or ``raw`` passed through)."""
    if reps < 2:
        raise ValueError(f"a standard error needs reps ≥ 2, got {reps}")
    x = samples(one, reps, seed)
    return Measurement(
        value=float(x.mean()), stderr=float(x.std(ddof=1) / np.sqrt(reps)), **measurement
    )


def mean_series(
    one: Callable[[np.random.Generator, float], float],
    values: np.ndarray,
    name: str,
    reps: int,
    seed: int,
) -> Measurement:
    """The mean and standard error of ``one(rng, v)`` at each ``v`` of a sweep (``series={name:
    values}``), each with its own independent repetitions: a rate's or a monotone claim's
    measurement."""
    values = np.asarray(values, dtype=float)
    streams = generators(seed, values.size)
    means, ses = [], []
    for v, s in zip(values, streams, strict=True):
        x = samples(lambda g, v=v: one(g, v), reps, int(s.integers(2**63)))
        means.append(x.mean())
        ses.append(x.std(ddof=1) / np.sqrt(reps))
    return Measurement(value=np.array(means), stderr=np.array(ses), series={name: values})


def ratio_of_means(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``mean(b)/mean(a)`` for paired samples (the same trajectories) and its delta-method
    standard error, the pairing's covariance included."""
    n = a.shape[-1]
    ma, mb = float(a.mean()), float(b.mean())
    if n < 2 or ma <= 0:
        raise ValueError(f"a ratio needs ≥ 2 paired samples and a positive mean, got {n}, {ma}")
    cov = np.cov(np.vstack([a, b]), ddof=1)
    var = (cov[1, 1] / ma**2 - 2 * mb * cov[0, 1] / ma**3 + mb**2 * cov[0, 0] / ma**4) / n
    return mb / ma, float(np.sqrt(max(var, 0.0)))
