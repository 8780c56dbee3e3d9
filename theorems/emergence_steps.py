"""Proof steps of the emergence family (:mod:`theorems.emergence`): the derivations that make its
formulas what they are. Density evolution's recursion from the Poisson texts, the threshold's
``G* = inf G`` certified in ball arithmetic for each degree distribution of the catalogue, the
stability slope, the Poisson variant's critical point, the percolation threshold from the
generating functions, and the enumerative code's length bound.

Symbols here carry sign assumptions (they are proof-side symbols, never theorem parameters); the
interval steps give their own boxes.
"""

from __future__ import annotations

import sympy as sp

from .emergence_steps_classes import hierarchy_steps as hierarchy_steps
from .emergence_steps_classes import multiclass_steps as multiclass_steps
from .emergence_values import DISTRIBUTIONS, x
from .proofsteps import ProofStep

_p, _q, _mu, _u, _phi = sp.symbols("p q mu u phi", positive=True)
_Rp = sp.Symbol("R", positive=True)
_xp = sp.Symbol("x", positive=True)
_dp = sp.Symbol("d", positive=True)
_t, _s = sp.symbols("t s", positive=True)
_k = sp.Symbol("k", integer=True, nonnegative=True)
_L1 = sp.Symbol("Lambda_1", positive=True)
_L2p, _L3p, _L4p = sp.symbols("Lambda_2 Lambda_3 Lambda_4", positive=True)
_L2, _L3, _L5, _L8 = sp.symbols("Lambda_2 Lambda_3 Lambda_5 Lambda_8", nonnegative=True)

# a general Λ = Λ₂x² + Λ₃x³ + Λ₄x⁴ (no skill of degree 1), and its edge view λ = Λ'/Λ'(1)
_LAM = _L2p * x**2 + _L3p * x**3 + _L4p * x**4
_M = sp.diff(_LAM, x).subs(x, 1)
_lam = sp.diff(_LAM, x) / _M
_RECURSION = _lam.subs(x, 1 - sp.exp(-_M * _q / _Rp))  # q ↦ λ(1 − e^{−Λ'(1)q/R})


def _slope(statement: str) -> ProofStep:
    """The recursion's slope at q = 0 is 2Λ₂/R (density evolution's shape, the stability bound)."""
    return ProofStep(
        statement, "identity", sp.diff(_RECURSION, _q).subs(_q, 0), 2 * _L2p / _Rp, name="slope"
    )


def _poisson(k, mean):
    return sp.exp(-mean) * mean**k / sp.factorial(k)


def density_evolution_steps() -> tuple:
    """Where the recursion q ↦ λ(1 − e^{−Λ'(1)q/R}) comes from, and its shape."""
    floor = _L1 * x + _L3p * x**3 + _L4p * x**4
    return (
        ProofStep(
            "A text holds Poisson(μ) skills besides the one an edge leads to (μ = Λ'(1)/R: the "
            "Poisson law's size-biased excess is Poisson(μ) again, k ↦ (k + 1)P(k + 1)/μ = P(k))",
            "identity",
            (_k + 1) * _poisson(_k + 1, _mu) / _mu,
            _poisson(_k, _mu),
            name="excess_poisson",
        ),
        ProofStep(
            "so the text cannot teach that skill (another of its skills unlearned, each with "
            "probability q) with probability p = 1 − Σ_k P(k)(1 − q)^k = 1 − e^{−μq}",
            "identity",
            sp.Sum(_poisson(_k, _mu) * (1 - _q) ** _k, (_k, 0, sp.oo)),
            sp.exp(-_mu * _q),
            name="blocked_text",
            uses=("excess_poisson",),
        ),
        ProofStep(
            "The recursion f(q) = λ(1 − e^{−Λ'(1)q/R}) is increasing (f' = λ'(p)·∂p/∂q > 0), "
            "so from q₀ = 1 it decreases to the largest fixed point in [0, 1]",
            "positive",
            sp.diff(_lam, x).subs(x, _p) * sp.diff(1 - sp.exp(-_M * _q / _Rp), _q),
            name="increasing",
            uses=("blocked_text",),
        ),
        _slope("At q = 0 the recursion has slope 2Λ₂/R (Λ = Λ₂x² + Λ₃x³ + Λ₄x⁴)"),
        ProofStep(
            "With skills of degree 1 (Λ = Λ₁x + Λ₃x³ + Λ₄x⁴) q = 0 is no fixed point: f(0) = "
            "λ(0) = Λ₁/Λ'(1) > 0, so some skills stay unlearned at every R (the 'floor' case)",
            "positive",
            (sp.diff(floor, x) / sp.diff(floor, x).subs(x, 1)).subs(x, 0),
            name="floor",
        ),
    )


def scaling_floor_steps() -> tuple:
    floor = _L1 * x + _L3p * x**3 + _L4p * x**4
    m = sp.diff(floor, x).subs(x, 1)
    q0 = (sp.diff(floor, x) / m).subs(x, 0)  # λ(0): the fixed point's limit as R → ∞
    return (
        ProofStep(
            "as R → ∞: R·Λ₁ p(R) → Λ₁² with p = 1 − e^{−Λ₁/R} (q → λ(0))",
            "limit",
            _Rp * (1 - sp.exp(-_L1 / _Rp)),
            _L1,
            var=_Rp,
            point=sp.oo,
            name="leading_term",
        ),
        ProofStep(
            "the whole unlearned fraction: R·Λ(1 − e^{−Λ'(1)λ(0)/R}) → Λ₁² (Λ = Λ₁x + Λ₃x³ + "
            "Λ₄x⁴; the cubic and quartic terms are O(R⁻³))",
            "limit",
            _Rp * floor.subs(x, 1 - sp.exp(-m * q0 / _Rp)),
            _L1**2,
            var=_Rp,
            point=sp.oo,
            uses=("leading_term",),
        ),
    )


def stability_steps() -> tuple:
    gen = _L2 * x**2 + _L3 * x**3 + _L5 * x**5 + _L8 * x**8  # x2, x3, irsa and mix25 are such
    return (
        _slope("slope of the recursion at q = 0 is 2Λ₂/R, which must be ≤ 1"),
        ProofStep(
            "R* = 1/G* = sup_{p∈(0,1)} 1/G(p) ≥ lim_{p→0} Λ'(p)/(−ln(1 − p)) = 2Λ₂, for every "
            "Λ = Λ₂x² + Λ₃x³ + Λ₅x⁵ + Λ₈x⁸ with coefficients ≥ 0 (x2, x3, irsa and mix25 are of "
            "this form; Λ₂ = 0 included): the claim",
            "limit",
            sp.diff(gen, x).subs(x, _p) / (-sp.log(1 - _p)),
            2 * _L2,
            var=_p,
            point=0,
            uses=("slope",),
            closes=True,
        ),
    )


# G* = inf G per distribution: (lower, upper) bounds on G*, the ends a and b of the middle box,
# and the minimiser p* (6 digits). The bounds are G* rounded down and up at 10⁻⁶.
_R = sp.Rational
_GSTAR = {
    "x3": (_R(818469, 10**6), _R(818470, 10**6), _R(3, 10), _R(95, 100), _R(715332, 10**6)),
    "x4": (_R(772279, 10**6), _R(772280, 10**6), _R(4, 10), _R(97, 100), _R(851001, 10**6)),
    "irsa": (_R(938635, 10**6), _R(938636, 10**6), _R(5, 100), _R(98, 100), _R(847737, 10**6)),
}


def _down(q) -> str:
    return f"{float(sp.floor(q * 10**6) / 10**6):.6f}"  # rounded outward: still an enclosure


def _up(q) -> str:
    return f"{float(sp.ceiling(q * 10**6) / 10**6):.6f}"


def _gstar_steps(name: str) -> tuple:
    lo, hi, a, b, pstar = _GSTAR[name]
    p, s = sp.symbols("p s", real=True)
    dlam = sp.expand(sp.diff(DISTRIBUTIONS[name], x))  # Λ'(x) = Λ'(1)λ(x)
    G = -sp.log(1 - p) / dlam.subs(x, p)
    m = dlam.subs(x, 1)
    lo_, hi_, a_, b_, p_ = (f"{float(v):g}" for v in (lo, hi, a, b, pstar))
    name_ = f"Λ = '{name}'"
    return (
        ProofStep.interval(
            f"{name_}, p ∈ (0, {a_}]: G(p) ≥ p/Λ'(p) (step log_bound), and {lo_}·Λ'(p)/p ≤ 1 "
            f"there, so G ≥ {lo_}",
            sp.Le(lo * sp.expand(dlam / x).subs(x, p), 1),
            box={p: (0, a)},
            name=f"{name}_near_0",
            uses=("log_bound",),
        ),
        ProofStep.interval(
            f"{name_}: G(p) = −ln(1 − p)/Λ'(p) ≥ {lo_} on [{a_}, {b_}]",
            sp.Ge(G, lo),
            box={p: (a, b)},
            name=f"{name}_middle",
        ),
        ProofStep.interval(
            f"{name_}, p ∈ [{b_}, 1): with p = 1 − (1 − {b_})s, s ∈ (0, 1], −ln(1 − p) ≥ "
            f"−ln(1 − {b_}) ≥ {lo_}·Λ'(p), so G ≥ {lo_} up to p = 1",
            sp.Ge(-sp.log(1 - b), lo * dlam.subs(x, 1 - (1 - b) * s)),
            box={s: (0, 1)},
            name=f"{name}_near_1",
        ),
        ProofStep.interval(
            f"{name_}: G({p_}) ≤ {hi_}, so G* ∈ [{lo_}, {hi_}] and R* = 1/G* ∈ "
            f"[{_down(1 / hi)}, {_up(1 / lo)}] (Λ'(1) = {m})",
            sp.Le(G, hi),
            box={p: (pstar, pstar)},
            name=f"{name}_attained",
            uses=(f"{name}_near_0", f"{name}_middle", f"{name}_near_1"),
        ),
    )


def threshold_steps() -> tuple:
    """G* = inf_{p∈(0,1)} G(p) certified for x3, x4 and irsa: G ≥ G*_lo on (0, a], [a, b] and
    [b, 1) (three boxes that cover the open interval), and G ≤ G*_hi at the minimiser."""
    return (
        ProofStep(
            "Λ = x²: G* = lim_{p→0} −ln(1 − p)/(2p) = 1/2 (CRDSA)",
            "limit",
            -sp.log(1 - _p) / (2 * _p),
            sp.Rational(1, 2),
            var=_p,
            point=0,
        ),
        ProofStep(
            "−ln(1 − p) ≥ p on (0, 1): with p = 1 − e^{−t}, −ln(1 − p) − p = t − (1 − e^{−t}) = "
            "∫₀^t (1 − e^{−s}) ds, an integral of a nonnegative function",
            "identity",
            sp.Integral(1 - sp.exp(-_s), (_s, 0, _t)),
            _t - (1 - sp.exp(-_t)),
            name="log_bound",
        ),
        *_gstar_steps("x3"),
        *_gstar_steps("x4"),
        *_gstar_steps("irsa"),
    )


def poisson_threshold_steps() -> tuple:
    Rx = -sp.log(_xp) * sp.exp(_dp * _xp) / _dp  # the R at which x is a fixed point
    at_root = {_dp: -1 / (_xp * sp.log(_xp))}  # −x ln x = 1/d
    return (
        ProofStep(
            "R(x) = (−ln x)e^{dx}/d has R'(x) = 0 iff −x ln x = 1/d",
            "identity",
            sp.diff(Rx, _xp),
            sp.exp(_dp * _xp) * (-_xp * sp.log(_xp) - 1 / _dp) / _xp,
            name="critical_points",
        ),
        ProofStep(
            "−x ln x is largest at x = 1/e",
            "identity",
            sp.diff(-_xp * sp.log(_xp), _xp).subs(_xp, sp.exp(-1)),
            0,
            name="peak",
        ),
        ProofStep(
            "At a critical point R''(x) = e^{dx}(−ln x − 1)/x: negative for the larger root x* > "
            "1/e, so R(x*) is a local maximum of R on (1/e, 1); the largest fixed point of "
            "x ↦ exp(−dR e^{−dx}) jumps below x* as R passes R*(d) = R(x*)",
            "identity",
            sp.diff(Rx, _xp, 2).subs(at_root),
            (sp.exp(_dp * _xp) * (-sp.log(_xp) - 1) / _xp).subs(at_root),
            uses=("critical_points", "peak"),
        ),
        ProofStep(
            "so the critical point is d = e, where R* = R(1/e) = 1",
            "identity",
            (-sp.log(_xp) * sp.exp(sp.E * _xp) / sp.E).subs(_xp, sp.exp(-1)),
            1,
            uses=("peak",),
        ),
    )


def _excess(gf):
    """The excess generating function g'(u)/g'(1)."""
    return sp.diff(gf, _u) / sp.diff(gf, _u).subs(_u, 1)


def percolation_steps() -> tuple:
    g0 = sp.exp(_mu * (_u - 1))  # Poisson texts' degree gf
    H = 1 - _phi + _phi * _lam.subs(x, g0)
    return (
        ProofStep(
            "Poisson texts: the excess degree gf g₁ = g₀'/g₀'(1) is g₀(u) = e^{μ(u−1)} itself",
            "identity",
            _excess(g0),
            g0,
            name="poisson_excess",
        ),
        ProofStep(
            "u = 1 solves u = 1 − φ + φ f₁(g₁(u)) for every φ: the solution with no giant "
            "component (S = φ[1 − f₀(g₁(1))] = 0); the claimed S takes the smallest root",
            "identity",
            sp.Subs(H, _u, 1),
            1,
            uses=("poisson_excess",),
        ),
    )


def percolation_threshold_steps() -> tuple:
    g1 = sp.exp(_M / _Rp * (_u - 1))  # μ = Λ'(1)/R
    H = 1 - _phi + _phi * _lam.subs(x, g1)
    second = sp.diff(_LAM, x, 2).subs(x, 1)
    return (
        ProofStep(
            "f₁ = λ = Λ'/Λ'(1) has f₁'(1) = Λ''(1)/Λ'(1) (Λ = Λ₂x² + Λ₃x³ + Λ₄x⁴)",
            "identity",
            sp.Subs(sp.Derivative(_lam, x), x, 1),
            second / _M,
            name="f1_slope",
        ),
        ProofStep(
            "the map u ↦ 1 − φ + φ f₁(g₁(u)) has slope φ f₁'(1) g₁'(1) = φΛ''(1)/R at u = 1 "
            "(g₁'(1) = μ = Λ'(1)/R): u = 1 is unstable, and a giant component exists, iff "
            "φ > R/Λ''(1) = φ_c",
            "identity",
            sp.Subs(sp.Derivative(H, _u), _u, 1),
            _phi * second / _Rp,
            uses=("f1_slope",),
        ),
        ProofStep(
            "with Poisson skill degrees (mean dR), Λ''(1) = (dR)², so φ_c = 1/(d²R)",
            "identity",
            _Rp / sp.diff(sp.exp(_dp * _Rp * (x - 1)), x, 2).subs(x, 1),
            1 / (_dp**2 * _Rp),
        ),
    )


def one_mode_steps() -> tuple:
    G0 = _LAM.subs(x, sp.exp(_M / _Rp * (_u - 1)))  # the projected graph's degree gf f₀(g₁(u))
    second = sp.diff(_LAM, x, 2).subs(x, 1)
    Lpp, Lp = sp.symbols("Lambda''(1) Lambda'(1)", positive=True)
    return (
        ProofStep(
            "the projected graph's degree gf G₀ = f₀(g₁(u)) gives G₀'(1)/G₀''(1) = "
            "R/(Λ''(1) + Λ'(1)): the value this negative control claims",
            "identity",
            sp.Subs(sp.Derivative(G0, _u), _u, 1) / sp.Subs(sp.Derivative(G0, _u, 2), _u, 1),
            _Rp / (second + _M),
            name="one_mode_value",
        ),
        ProofStep(
            "it is below the bipartite threshold R/Λ''(1) by RΛ'(1)/(Λ''(1)(Λ''(1) + Λ'(1))) "
            "> 0: the cliques of the projection are not tree-like",
            "identity",
            _Rp / Lpp - _Rp / (Lpp + Lp),
            _Rp * Lp / (Lpp * (Lpp + Lp)),
            uses=("one_mode_value", "emergence.percolation_threshold"),
        ),
    )


def compression_steps() -> tuple:
    Ns = sp.Symbol("N_s", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, nonnegative=True)
    P, C = sp.symbols("P C", positive=True)
    e1, e2 = sp.symbols("e_1 e_2", nonnegative=True)
    return (
        ProofStep(
            "The largest rank of a k-set in the combinatorial number system, that of {N_s − k, "
            "…, N_s − 1}, is Σ_{i<k} C(N_s − k + i, i + 1) = C(N_s, k) − 1 (hockey stick): the "
            "rank fits in ⌈log₂ C(N_s, k)⌉ bits",
            "identity",
            sp.Sum(sp.binomial(Ns - k + i, i + 1), (i, 0, k - 1)),
            sp.binomial(Ns, k) - 1,
            name="rank_fits",
        ),
        ProofStep(
            "Entropy of the skill set (a uniform k-set given its count k ~ P): the C(N_s, k) sets "
            "of size k, each of probability P(k)/C(N_s, k), contribute P(k)(−log₂ P(k) + "
            "log₂ C(N_s, k)); so H = H(K) + E log₂ C(N_s, K)",
            "identity",
            C * (P / C) * (-sp.log(P / C, 2)),
            P * (-sp.log(P, 2) + sp.log(C, 2)),
            name="entropy_split",
        ),
        ProofStep(
            "Each set of size k costs ⌈−log₂ P(k)⌉ + ⌈log₂ C(N_s, k)⌉ bits; a ceiling exceeds its "
            "argument by a fraction f = e/(1 + e) ∈ [0, 1) (e ≥ 0), so the cost is below "
            "−log₂ P(k) + log₂ C(N_s, k) + 2 by 2 − f₁ − f₂ = 1/(1 + e₁) + 1/(1 + e₂) > 0. "
            "Averaged with the weights P(k) (summing to 1): mean length < H + 2, the claim",
            "positive",
            1 / (1 + e1) + 1 / (1 + e2),
            uses=("rank_fits", "entropy_split"),
            closes=True,
        ),
    )
