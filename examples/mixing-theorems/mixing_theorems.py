"""A researcher's own theorems as a theoremlab plug-in: a Doeblin mixing bound, Hoeffding's
inequality, the N^(-1/2) rate of a sample mean, and a negative control (Hoeffding without its
logarithm, which the numerics must refute).

Install it next to theoremlab (``pip install -e examples/mixing-theorems``) and ``verify list``
shows the ``mix.*`` theorems; ``verify run 'mix.*'``, ``pytest --theorems 'mix.*'`` and
``verify docs --only 'mix.*'`` check them and build their site.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from numerics import Measurement, chains
from theorems import Claim, FiniteSet, IntRange, ProofStep, Source, Theorem

SOURCE = Source("A. Researcher", "lecture notes on mixing, Sec. 2", "original")

n = sp.Symbol("n", integer=True)  # states
k = sp.Symbol("k", integer=True)  # steps
eps = sp.Symbol("eps", positive=True)  # Doeblin's constant, measured on the chain
m = sp.Symbol("m", integer=True)  # samples
delta = sp.Symbol("delta", positive=True)  # the failure probability


# -- experiments ---------------------------------------------------------------------------------


def doeblin(params, *, seed, device="cpu"):
    """The worst total-variation distance to stationarity after k = 1..30 steps of a random
    n-state chain whose entries are at least 0.2/n, with Doeblin's ε = Σ_y min_x P(x, y), and the
    rounding bound of the distances (numerics.chains, numerics.rounding)."""
    P = chains.random_chain(int(params["n"]), floor=0.2 / int(params["n"]), seed=seed)
    tv, bound = chains.tv_series(P, 30)
    return Measurement(
        value=tv,
        error_bound=bound,
        series={"k": np.arange(1, 31)},
        inputs={"eps": chains.doeblin(P)},
    )


def _deviations(m_: int, reps: int, rng) -> np.ndarray:
    """|mean − 1/2| of m fair coin flips, for each of ``reps`` independent repetitions."""
    return np.abs(rng.binomial(m_, 0.5, size=reps) / m_ - 0.5)


def hoeffding(params, *, seed, device="cpu"):
    """|mean − p| of m fair coin flips, over 2000 independent repetitions."""
    rng = np.random.default_rng(seed)
    return Measurement(samples=_deviations(int(params["m"]), 2000, rng))


def sample_mean_rate(params, *, seed, device="cpu"):
    """E|mean − p| of m fair coin flips at m = 16..4096, each the average of 4000 repetitions,
    with its standard error."""
    rng = np.random.default_rng(seed)
    ms = np.geomspace(16, 4096, 9).round().astype(int)
    devs = [_deviations(int(x), 4000, rng) for x in ms]
    return Measurement(
        value=np.array([d.mean() for d in devs]),
        stderr=np.array([d.std(ddof=1) / np.sqrt(d.size) for d in devs]),
        series={"m": ms.astype(float)},
    )


# -- the theorems --------------------------------------------------------------------------------


def catalogue():
    hoeffding_bound = sp.sqrt(sp.log(2 / delta) / (2 * m))
    return [
        Theorem(
            id="mix.doeblin",
            title="Doeblin: TV(Pᵏ(x, ·), π) ≤ (1 − ε)ᵏ",
            source=SOURCE,
            parameters={n: FiniteSet((3, 5, 8))},
            assumptions=(n >= 2,),
            claim=Claim(
                "upper_bound",
                (1 - eps) ** k,
                variable=k,
                measured="the worst start's total-variation distance after k steps",
            ),
            proof=(
                ProofStep(
                    "one step contracts by (1 − ε): (1 − ε)^(k+1) = (1 − ε)·(1 − ε)^k",
                    "identity",
                    (1 - eps) ** (k + 1),
                    (1 - eps) * (1 - eps) ** k,
                ),
            ),
            experiment="mixing_theorems:doeblin",
        ),
        Theorem(
            id="mix.hoeffding",
            title="Hoeffding: P(|mean − p| ≤ √(log(2/δ)/(2m))) ≥ 1 − δ",
            source=SOURCE,
            parameters={m: IntRange(20, 2000), delta: FiniteSet((0.05, 0.2))},
            assumptions=(m >= 1,),
            claim=Claim(
                "probability",
                hoeffding_bound,
                level=1 - delta,
                measured="|mean − p| of m fair coin flips",
            ),
            experiment="mixing_theorems:hoeffding",
        ),
        Theorem(
            id="mix.mean_rate",
            title="E|mean − p| decays like m^(−1/2)",
            source=SOURCE,
            parameters={},
            assumptions=(),
            claim=Claim("rate", m ** sp.Rational(-1, 2), variable=m, margin=0.05),
            experiment="mixing_theorems:sample_mean_rate",
        ),
        Theorem(
            id="mix.hoeffding_no_log",
            title="Negative control: Hoeffding without log(2/δ), |mean − p| ≤ 0.1/√m",
            source=SOURCE,
            parameters={m: IntRange(20, 2000), delta: FiniteSet((0.05,))},
            assumptions=(m >= 1,),
            claim=Claim("probability", sp.Rational(1, 10) / sp.sqrt(m), level=1 - delta),
            experiment="mixing_theorems:hoeffding",
            expect="fail",
        ),
    ]
