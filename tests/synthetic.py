"""Synthetic experiments with known truth, one per claim kind, for the engine's tests: a true
claim must pass and a false one fail. Referenced as ``synthetic:NAME`` ("module:function")."""

import math

import numpy as np
import sympy as sp

from numerics import Measurement
from numerics.device import numpy_rng
from theorems import Claim, FiniteSet, Interval, IntRange, Source, Theorem

n, N, t, x, c = sp.symbols("n N t x c")
SRC = Source("synthetic", "tests/synthetic.py", "reconstruction")


def triangular(params, *, seed, device="cpu"):
    """Σ_{k=1..n} k by a loop: exact."""
    return Measurement(value=sum(range(1, int(params["n"]) + 1)), exact=True)


def geometric(params, *, seed, device="cpu"):
    """Σ_{k≥0}^{n} x^k in float64, with its rounding bound."""
    xv, nv = float(params["x"]), int(params["n"])
    s = math.fsum(xv**k for k in range(nv + 1))
    return Measurement(value=s, error_bound=4 * (nv + 1) * 2.2e-16 * max(1.0, abs(s)))


def uniform_mean(params, *, seed, device="cpu"):
    """Mean of ``size`` uniforms on [0, 1] (true mean 1/2) with its standard error."""
    rng = numpy_rng(seed)
    u = rng.random(int(params.get("size", 4000)))
    return Measurement(value=u.mean(), stderr=u.std(ddof=1) / math.sqrt(u.size))


def biased_mean(params, *, seed, device="cpu"):
    """Estimates of 1 + 1/√N at N = 100..6400, each a mean of noisy draws; the limit is 1."""
    rng = numpy_rng(seed)
    sizes = np.array([100, 400, 1600, 6400])
    vals, ses = [], []
    for s in sizes:
        draws = 1 + 1 / math.sqrt(s) + 0.05 * rng.standard_normal(2000)
        vals.append(draws.mean())
        ses.append(draws.std(ddof=1) / math.sqrt(draws.size))
    return Measurement(value=np.array(vals), stderr=np.array(ses), series={"N": sizes})


def sine_squared(params, *, seed, device="cpu"):
    """sin²(n) for n = 1..200 (≤ 1, reaching 0.99997 near n = 11·k)."""
    ns = np.arange(1, 201)
    return Measurement(value=np.sin(ns) ** 2, error_bound=1e-15, series={"n": ns})


def bernoulli_rate(params, *, seed, device="cpu"):
    """Frequency of successes among 20000 Bernoulli(p) draws with its standard error."""
    p = float(params["p"])
    k = numpy_rng(seed).binomial(20000, p)
    return Measurement(value=k / 20000, stderr=math.sqrt(p * (1 - p) / 20000))


def power_decay(params, *, seed, device="cpu"):
    """2·n^(-1/2) with 2 % multiplicative noise on n = 10..10^4 (12 points)."""
    ns = np.geomspace(10, 1e4, 12)
    noise = 1 + 0.02 * numpy_rng(seed).standard_normal(ns.size)
    return Measurement(value=2 * ns**-0.5 * noise, stderr=0.02 * 2 * ns**-0.5, series={"n": ns})


def half_n(params, *, seed, device="cpu"):
    """n/2 exactly on n = 8, 16, 32, 64: exact points, a rate fitted through them."""
    ns = np.array([8.0, 16.0, 32.0, 64.0])
    return Measurement(value=ns / 2, exact=True, series={"n": ns})


def exp_decay(params, *, seed, device="cpu"):
    """3·exp(−0.3 t) with 2 % multiplicative noise on t = 1..40."""
    ts = np.arange(1.0, 41.0)
    noise = 1 + 0.02 * numpy_rng(seed).standard_normal(ts.size)
    y = 3 * np.exp(-0.3 * ts)
    return Measurement(value=y * noise, stderr=0.02 * y, series={"t": ts})


def brackets(params, *, seed, device="cpu"):
    """Brackets [R* − w, R* + w/2] around R* = 1.221793 narrowing as N grows."""
    sizes = np.array([1e3, 1e4, 1e5])
    w = 2 / np.sqrt(sizes)
    r = 1.221793
    return Measurement(value=np.column_stack([r - w, r + w / 2]), series={"N": sizes})


def noisy_brackets(params, *, seed, device="cpu"):
    """Estimated brackets whose largest one has its upper edge exactly at 1 on average (the
    claim 1 sits on the boundary), each edge with Gaussian noise of standard error 0.01."""
    sizes = np.array([1e3, 1e4, 1e5])
    w = 2 / np.sqrt(sizes)
    true = np.column_stack([1 - w, 1 - w[-1] + w / 2])  # last: [1 − w, 1 − w/2] … upper edge 1
    true[-1, 1] = 1.0
    se = np.full(true.shape, 0.01)
    est = true + se * numpy_rng(seed).standard_normal(true.shape)
    return Measurement(value=est, stderr=se, series={"N": sizes})


def shifted_brackets(params, *, seed, device="cpu"):
    """Brackets at four sizes around a limit 1 whose smallest one is shifted above it (a
    finite-size shift, as emergence.threshold's N = 10⁴ bracket in thorough) while the larger
    ones contain it and narrow; the largest one's upper edge is at 1 on average (the claim on
    its boundary), each edge with Gaussian noise of standard error 0.01 (none with
    ``params["exact"]``)."""
    sizes = np.array([1e3, 1e4, 1e5, 1e6])
    w = 2 / np.sqrt(sizes)
    true = np.column_stack([1 - w, 1 + w / 2])
    true[0] = [1.02, 1.02 + w[0]]  # shifted: excludes the limit
    true[-1] = [1 - w[-1], 1.0]
    if params.get("exact"):  # brackets known exactly (no simulation noise)
        return Measurement(value=true, series={"N": sizes})
    se = np.full(true.shape, 0.01)
    est = true + se * numpy_rng(seed).standard_normal(true.shape)
    return Measurement(value=est, stderr=se, series={"N": sizes})


def located_threshold(params, *, seed, device="cpu"):
    """A threshold located at each size with a standard error (brackets of width zero, as the
    percolation crossing): estimates of R* = 1.221793 with errors 0.02, 0.01, 0.005."""
    sizes = np.array([1e3, 1e4, 1e5])
    se = np.array([0.02, 0.01, 0.005])
    at = 1.221793 + se * numpy_rng(seed).standard_normal(se.size)
    return Measurement(
        value=np.column_stack([at, at]), stderr=np.column_stack([se, se]), series={"N": sizes}
    )


def increasing(params, *, seed, device="cpu"):
    xs = np.linspace(0.1, 3, 30)
    return Measurement(value=np.log1p(xs), error_bound=1e-15, series={"x": xs})


def uniform_samples(params, *, seed, device="cpu"):
    """2000 independent uniforms: P(U ≤ q) = q."""
    return Measurement(samples=numpy_rng(seed).random(2000))


def nan_value(params, *, seed, device="cpu"):
    return Measurement(value=float("nan"))


def raises(params, *, seed, device="cpu"):
    raise RuntimeError("the simulation diverged")


def theorem(id, kind, expr, experiment, params=None, **claim_kw):
    claim_fields = {
        k: claim_kw.pop(k)
        for k in list(claim_kw)
        if k in ("variable", "limit", "existential", "margin", "level", "direction", "tolerance")
    }
    params = params if params is not None else {n: FiniteSet((1, 2, 3))}
    return Theorem(
        id=id,
        title=id,
        source=SRC,
        parameters=params,
        assumptions=(),
        claim=Claim(kind, expr, **claim_fields),
        experiment=f"synthetic:{experiment}",
        **claim_kw,
    )


def true_and_false():
    """(true theorem, false variant) pairs, one or more per claim kind."""
    p = sp.Symbol("p", real=True)
    nn = sp.Symbol("n", integer=True)
    out = {}
    thm = theorem(
        "syn.triangular", "identity", nn * (nn + 1) / 2, "triangular", {nn: IntRange(1, 50)}
    )
    out["identity exact"] = (thm, thm.with_claim(expr=nn * (nn + 1) / 2 + 1))
    xs = sp.Symbol("x", real=True)
    thm = theorem(
        "syn.geometric",
        "identity",
        (1 - xs ** (nn + 1)) / (1 - xs),
        "geometric",
        {xs: Interval(0.1, 0.9), nn: IntRange(1, 30)},
    )
    out["identity float"] = (thm, thm.with_claim(expr=(1 - xs ** (nn + 1)) / (1 - xs) * (1 + 1e-9)))
    thm = theorem("syn.uniform_mean", "identity", sp.Rational(1, 2), "uniform_mean", tolerance=0.05)
    out["identity Monte Carlo"] = (thm, thm.with_claim(expr=sp.Rational(53, 100)))
    thm = theorem("syn.limit", "identity", 1, "biased_mean", limit="N", tolerance=0.02)
    out["identity large-N"] = (thm, thm.with_claim(expr=sp.Rational(21, 20)))
    thm = theorem("syn.sine", "upper_bound", 1, "sine_squared", variable=n)
    out["upper bound deterministic"] = (thm, thm.with_claim(expr=sp.Rational(99, 100)))
    thm = theorem(
        "syn.bernoulli",
        "upper_bound",
        sp.Rational(32, 100),
        "bernoulli_rate",
        {p: FiniteSet((0.3,))},
    )
    # 6 standard errors off: a run's refutation level (α/50, verify.profiles) needs ~4.5
    out["upper bound Monte Carlo"] = (thm, thm.with_claim(expr=sp.Rational(28, 100)))
    thm = theorem(
        "syn.bernoulli_lower",
        "lower_bound",
        sp.Rational(28, 100),
        "bernoulli_rate",
        {p: FiniteSet((0.3,))},
    )
    out["lower bound Monte Carlo"] = (thm, thm.with_claim(expr=sp.Rational(32, 100)))
    thm = theorem(
        "syn.power", "rate", n ** sp.Rational(-1, 2), "power_decay", variable=n, margin=0.1
    )
    out["rate power exponent"] = (thm, thm.with_claim(expr=n**-1))
    out["rate power vs exponential"] = (thm, thm.with_claim(expr=sp.exp(-c * n)))
    thm = theorem("syn.exp", "rate", sp.exp(-c * t), "exp_decay", variable=t)
    out["rate exponential vs 1/t"] = (thm, thm.with_claim(expr=1 / t))
    thm2 = theorem(
        "syn.exp_value",
        "rate",
        sp.exp(-sp.Rational(3, 10) * t),
        "exp_decay",
        variable=t,
        margin=0.03,
    )
    out["rate exponential value"] = (thm2, thm2.with_claim(expr=sp.exp(-sp.Rational(2, 5) * t)))
    thm = theorem("syn.threshold", "threshold", sp.Float(1.221793), "brackets", variable=N)
    out["threshold"] = (thm, thm.with_claim(expr=sp.Float(1.221793 * 1.05)))
    thm = theorem("syn.located", "threshold", sp.Float(1.221793), "located_threshold", variable=N)
    out["threshold located"] = (thm, thm.with_claim(expr=sp.Float(1.221793 * 1.05)))
    thm = theorem("syn.monotone", "monotone", x, "increasing", variable=x)
    out["monotone"] = (thm, thm.with_claim(direction="decreasing"))
    thm = theorem(
        "syn.probability", "probability", sp.Rational(99, 100), "uniform_samples", level=0.95
    )
    out["probability"] = (thm, thm.with_claim(expr=sp.Rational(9, 10)))
    return out
