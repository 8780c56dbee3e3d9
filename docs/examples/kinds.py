"""One worked theorem per claim kind, and a negative control: each with the experiment that
measures it and the uncertainty that experiment states. Run while the docs build."""

import numpy as np
import sympy as sp

from numerics import Measurement, rounding
from theorems import Claim, FiniteSet, IntRange, Source, Theorem

SRC = Source("the guide", "worked examples", "original")
n = sp.Symbol("n", integer=True)
m = sp.Symbol("m", integer=True)
x = sp.Symbol("x", real=True)
N = sp.Symbol("N", integer=True)
delta = sp.Symbol("delta", positive=True)


# identity: exact integers compare exactly
def triangular(params, *, seed, device="cpu"):
    k = int(params["n"])
    return Measurement(value=sum(range(1, k + 1)), exact=True)


# bounds: a Monte-Carlo mean with its standard error
def largest_uniform(params, *, seed, device="cpu"):
    rng = np.random.default_rng(seed)
    draws = rng.random((4000, int(params["n"]))).max(axis=1)
    return Measurement(value=draws.mean(), stderr=draws.std(ddof=1) / np.sqrt(draws.size))


# rate: a series along the rate's variable, with standard errors
def mean_deviation(params, *, seed, device="cpu"):
    rng = np.random.default_rng(seed)
    ms = np.geomspace(16, 4096, 9).round()
    dev = [np.abs(rng.binomial(int(k), 0.5, size=4000) / k - 0.5) for k in ms]
    return Measurement(
        value=np.array([d.mean() for d in dev]),
        stderr=np.array([d.std(ddof=1) / np.sqrt(d.size) for d in dev]),
        series={"m": ms},
    )


# threshold: finite-size brackets [lo, hi], one per size, narrowing
def sqrt2_brackets(params, *, seed, device="cpu"):
    sizes = np.array([10.0, 100.0, 1000.0, 10000.0])
    lo = np.floor(np.sqrt(2) * sizes) / sizes  # the grid cell of 1/N where x² − 2 changes sign
    return Measurement(value=np.column_stack([lo, lo + 1 / sizes]), series={"N": sizes})


# monotone: deterministic floats with a rounding bound
def log1p_values(params, *, seed, device="cpu"):
    xs = np.linspace(0.1, 3.0, 30)
    values = np.log1p(xs)  # accurate to a few units in the last place
    bound = 4 * rounding.UNIT_ROUNDOFF * np.abs(values)
    return Measurement(value=values, error_bound=bound, series={"x": xs})


# probability: one measured value per independent repetition
def uniforms(params, *, seed, device="cpu"):
    return Measurement(samples=np.random.default_rng(seed).random(2000))


def catalogue():
    def thm(tid, title, claim, experiment, parameters=None, **kw):
        return Theorem(
            id=f"guide.{tid}",
            title=title,
            source=SRC,
            parameters=parameters or {},
            assumptions=(),
            claim=claim,
            experiment=f"kinds:{experiment}",
            **kw,
        )

    sizes = {n: IntRange(1, 40)}
    return [
        thm(
            "identity",
            "1 + … + n = n(n + 1)/2",
            Claim("identity", n * (n + 1) / 2),
            "triangular",
            sizes,
        ),
        thm(
            "upper",
            "E max of n uniforms ≤ 1 − 1/(2(n+1))",
            Claim("upper_bound", 1 - 1 / (2 * (n + 1))),
            "largest_uniform",
            sizes,
        ),
        thm(
            "lower",
            "E max of n uniforms ≥ 1 − 2/(n+1)",
            Claim("lower_bound", 1 - 2 / (n + 1)),
            "largest_uniform",
            sizes,
        ),
        thm(
            "rate",
            "E|mean − p| ∝ m^(−1/2)",
            Claim("rate", m ** sp.Rational(-1, 2), variable=m, margin=0.05),
            "mean_deviation",
        ),
        thm(
            "threshold",
            "x² − 2 changes sign at √2",
            Claim("threshold", sp.sqrt(2), variable=N),
            "sqrt2_brackets",
        ),
        thm(
            "monotone",
            "log(1 + x) increases",
            Claim("monotone", sp.log(1 + x), variable=x),
            "log1p_values",
        ),
        thm(
            "probability",
            "P(U ≤ 1 − δ/2) ≥ 1 − δ",
            Claim("probability", 1 - delta / 2, level=1 - delta),
            "uniforms",
            {delta: FiniteSet((0.05, 0.1))},
        ),
        # a negative control drops what makes the claim true: it must be refuted
        thm(
            "control",
            "Negative control: E max of n uniforms ≤ 1/2",
            Claim("upper_bound", sp.Rational(1, 2)),
            "largest_uniform",
            {n: IntRange(2, 40)},
            expect="fail",
        ),
    ]
