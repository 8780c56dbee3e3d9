"""Proof steps of the emergence family's hierarchy and multi-class theorems
(``emergence.hierarchy``, ``emergence.multiclass``): where their recursions come from, their
algebra with symbolic parameters, and their fixed points at the catalogue's points certified in
ball arithmetic. Re-exported by :mod:`theorems.emergence_steps`.

The recursions are those of :func:`theorems.emergence_values.mp_hierarchy` and
:func:`~theorems.emergence_values.mp_multiclass`, built here from the same configuration
(:data:`~theorems.emergence_values.HIERARCHY`, :data:`~theorems.emergence_values.MULTICLASS`).
Every map is increasing in its argument (a composition of increasing functions), so density
evolution from ``q = 1`` decreases to the largest fixed point; the interval steps locate that
fixed point: "the gap changes sign" brackets it, "below the identity on (0, 1]" makes it 0.
"""

from __future__ import annotations

import re

import sympy as sp

from .emergence_values import DISTRIBUTIONS, HIERARCHY, MULTICLASS, x
from .proofsteps import ProofStep

_R = sp.Rational
_a = sp.Symbol("a", real=True)  # the theorem's parameter: interval steps take its domain's values
_ap, _P0p, _qp, _mup, _R1p = sp.symbols("a P_0 q mu R_1", positive=True)
_j, _k = sp.symbols("j k", integer=True, nonnegative=True)
_q, _p, _t, _s, _P0 = sp.symbols("q p t s P_0", real=True)  # interval steps' box variables
_u = sp.Symbol("u", positive=True)


def _poisson(k, mean):
    return sp.exp(-mean) * mean**k / sp.factorial(k)


def _rat(v) -> sp.Rational:
    return _R(str(v))  # a catalogue float at its decimal value (0.7 → 7/10)


def _edge(name: str):
    """Λ'(1) and the edge view λ = Λ'/Λ'(1) of a catalogue distribution."""
    dlam = sp.diff(DISTRIBUTIONS[name], x)
    m = dlam.subs(x, 1)
    return m, sp.expand(dlam / m)


def _dec(v, digits: int = 4, up: bool = False) -> sp.Rational:
    """``v`` rounded outward to ``digits`` decimals (an enclosure stays one)."""
    scale = 10**digits
    return (sp.ceiling(v * scale) if up else sp.floor(v * scale)) / scale


def _f(v) -> str:
    return f"{float(v):g}"


_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _poly(e) -> str:
    """A polynomial in x as the page writes it (x**3 → x³)."""
    return re.sub(r"\*\*(\d+)", lambda m: m.group(1).translate(_SUP), str(e))


# ---------------------------------------------------------------------------------------------
# hierarchy: foundation Λ₀ at ratio R0, then fine-tuning Λ₁ at ratio R₁ with Poisson(a)
# foundation skills per fine-tuning text
# ---------------------------------------------------------------------------------------------

# largest fixed points p* (p = 1 − e^{−Λ'(1)λ(p)/R − aP₀}) bracketed: the foundation's at
# R0 = 1, and the fine-tuning's at R0 = 1 for a = 1/2 and a = 1
_FOUNDATION = (_R(92185, 10**5), _R(92193, 10**5))
_FINE = {
    _R(1, 2): (_R(82895, 10**5), _R(82915, 10**5)),
    _R(1): (_R(91400, 10**5), _R(91420, 10**5)),
}


def _bracket(statement: str, gap, lo, box: dict, name: str, uses: tuple) -> ProofStep:
    """``gap(p) = map(p) − p < 0`` on ``[hi, 1]`` and ``gap(lo) > 0``, as one relation."""
    return ProofStep.interval(
        statement,
        sp.Lt(sp.Max(gap(_p), -gap(lo)), 0),
        box=box,
        name=name,
        uses=uses,
    )


def _learned_steps(m, lam, R0) -> tuple:
    """R0 above the threshold: the foundation's map q ↦ λ(1 − e^{−cq}) (λ = x², c = Λ'(1)/R0)
    is below the identity on (0, 1], near 0 by a split and away from 0 by ball arithmetic."""
    c = m / R0
    pq = 1 - sp.exp(-c * _q)
    f = lam.subs(x, pq)
    cut = _R(1, 4)
    return (
        ProofStep(
            f"R0 = {_f(R0)}: the foundation's recursion is f(q) = λ₀(p), p = 1 − e^{{−{c}q}} "
            f"(λ₀(x) = {_poly(lam)}); its gap splits as f(q) − q = q({c}p − 1) − p·∫₀^{{{c}q}}(1 − "
            "e^{−u}) du, the last term ≥ 0 (p ≥ 0 and a nonnegative integrand). Checked by sympy",
            "identity",
            f - _q,
            _q * (c * pq - 1) - pq * sp.Integral(1 - sp.exp(-_u), (_u, 0, c * _q)),
            name="learned_split",
        ),
        ProofStep.interval(
            f"so f(q) < q on (0, {_f(cut)}], where {c}p < 1 (ball arithmetic)",
            sp.Lt(c * pq, 1),
            box={_q: (0, cut)},
            name="learned_near_0",
            uses=("learned_split",),
        ),
        ProofStep.interval(
            f"and f(q) < q on [{_f(cut)}, 1] (ball arithmetic): q = 0 is the only fixed point "
            f"in [0, 1], density evolution from q = 1 tends to it, and P₀ = Λ₀(0) = 0 at "
            f"R0 = {_f(R0)}. Λ₁ = Λ₀ and R₁ = R0 here, so with P₀ = 0 (step fine_text: π = 0) "
            f"the fine-tuning recursion is this same map: P_fine({_f(R0)}, a) = 0 for every a",
            sp.Lt(f, _q),
            box={_q: (cut, 1)},
            name="learned_far",
            uses=("learned_near_0", "fine_text"),
        ),
    )


def _fine_bracket(a, m1, lam1, R1, P_lo, P_hi) -> ProofStep:
    lo, hi = _FINE[a]
    c1 = m1 / R1

    def gap(p):
        return 1 - sp.exp(-c1 * lam1.subs(x, p) - a * _P0) - p

    return _bracket(
        f"R0 = 1, a = {_f(a)}: for every P₀ ∈ [{_f(P_lo)}, {_f(P_hi)}] the fine-tuning map "
        f"p ↦ 1 − e^{{−{c1}λ₁(p) − aP₀}} (q' = λ₁(p), λ₁(x) = {_poly(lam1)}) has its gap < 0 on "
        f"[{_f(hi)}, 1] and > 0 at {_f(lo)} (ball arithmetic over p and P₀): its largest fixed "
        f"point lies in [{_f(lo)}, {_f(hi)}], so P_fine(1, {_f(a)}) = Λ₁(p*) ∈ "
        f"[{_f(_dec(lo**3))}, {_f(_dec(hi**3, up=True))}]",
        gap,
        lo,
        {_p: (hi, 1), _P0: (P_lo, P_hi)},
        f"fine_bracket_a{_f(a).replace('.', '')}",
        ("fine_text", "foundation_bracket"),
    )


def hierarchy_steps() -> tuple:
    """The fine-tuning recursion from its texts, its floor, and the fixed points at the
    catalogue's R0 = 1.5 (the foundation learned) and R0 = 1 (P₀ ≈ 0.78: a floor, and the
    claimed values bracketed)."""
    m0, lam0 = _edge(HIERARCHY["foundation"])
    m1, lam1 = _edge(HIERARCHY["special"])
    Lam1 = DISTRIBUTIONS[HIERARCHY["special"]]
    R1 = _rat(HIERARCHY["R1"])
    pi = 1 - sp.exp(-_ap * _P0p)
    lo, hi = _FOUNDATION
    P_lo, P_hi = _dec(lo**3), _dec(hi**3, up=True)
    return (
        ProofStep(
            "A fine-tuning text holds Poisson(μ) other specialised skills (μ = Λ₁'(1)/R₁), each "
            "unlearned with probability q, and Poisson(a) foundation skills, each unlearned "
            "with probability P₀; it cannot teach with probability p' = 1 − e^{−μq}·Σ_j "
            "P_a(j)(1 − P₀)^j = π + (1 − π)(1 − e^{−μq}), π = 1 − e^{−aP₀}: density evolution "
            "with a share π of the texts blocked for good (π = 0 when P₀ = 0). Checked by sympy",
            "identity",
            1 - sp.exp(-_mup * _qp) * sp.Sum(_poisson(_j, _ap) * (1 - _P0p) ** _j, (_j, 0, sp.oo)),
            pi + (1 - pi) * (1 - sp.exp(-_mup * _qp)),
            name="fine_text",
            uses=("emergence.density_evolution",),
        ),
        ProofStep(
            f"The floor: p' ≥ π, so at every R₁ the unlearned share Λ₁(p') ≥ Λ₁(π) (Λ₁ = "
            f"{_poly(Lam1)}); and as R₁ → ∞, Λ₁(1 − e^{{−Λ₁'(1)q/R₁ − aP₀}}) → Λ₁(π) = (1 − "
            "e^{−aP₀})³ for each q: more fine-tuning texts do not remove it. Checked by sympy",
            "limit",
            Lam1.subs(x, 1 - sp.exp(-m1 * _qp / _R1p - _ap * _P0p)),
            Lam1.subs(x, pi),
            var=_R1p,
            point=sp.oo,
            name="floor",
            uses=("fine_text",),
        ),
        *_learned_steps(m0, lam0, _rat(1.5)),
        _bracket(
            f"R0 = 1: the foundation's map p ↦ 1 − e^{{−{m0}λ₀(p)}} (q = λ₀(p)) has its gap "
            f"< 0 on [{_f(hi)}, 1] and > 0 at {_f(lo)} (ball arithmetic): its largest fixed "
            f"point, where density evolution from q = 1 ends, lies in [{_f(lo)}, {_f(hi)}], so "
            f"P₀ = Λ₀(p*) ∈ [{_f(P_lo)}, {_f(P_hi)}]",
            lambda p: 1 - sp.exp(-m0 * lam0.subs(x, p)) - p,
            lo,
            {_p: (hi, 1)},
            "foundation_bracket",
            (),
        ),
        ProofStep.interval(
            f"so at R0 = 1 the floor is Λ₁(π) = (1 − e^{{−aP₀}})³ ≥ 1/30 for a ∈ {{0.5, 1}} "
            f"(the theorem's values) and every P₀ ∈ [{_f(P_lo)}, {_f(P_hi)}] (ball arithmetic)",
            sp.Ge(Lam1.subs(x, 1 - sp.exp(-_a * _P0)), _R(1, 30)),
            box={_P0: (P_lo, P_hi)},
            name="floor_value",
            uses=("floor", "foundation_bracket"),
        ),
        *(_fine_bracket(a, m1, lam1, R1, P_lo, P_hi) for a in _FINE),
    )


# ---------------------------------------------------------------------------------------------
# several classes: skill classes c (share w_c, Λ_c), text classes t (share v_t), mixing M
# ---------------------------------------------------------------------------------------------

_NAMES = [n for n, _ in MULTICLASS["classes"]]
_W = [_rat(s) for _, s in MULTICLASS["classes"]]
_V = [_rat(s) for s in MULTICLASS["text_weights"]]
_MIX = [[_rat(e) for e in row] for row in MULTICLASS["mixing"]]

# the largest fixed point q* at R = 0.9 bracketed: lo ≤ q* ≤ hi componentwise
_LO = (_R(9160, 10**4), _R(8824, 10**4))
_HI = (_R(9162, 10**4), _R(8827, 10**4))


def _mu(R):
    """μ_ct = w_c Λ_c'(1) M_ct/(v_t R): mean number of class-c skills in a class-t text."""
    ms = [_edge(n)[0] for n in _NAMES]
    return [[_W[c] * ms[c] * _MIX[c][t] / (_V[t] * R) for t in range(len(_V))] for c in range(2)]


def _xs(R, q):
    """x_c = Σ_t M_ct (1 − exp(−Σ_c' μ_c't q_c')): an edge of class c finds its text blocked."""
    mu = _mu(R)
    p = [1 - sp.exp(-sum(mu[c][t] * q[c] for c in range(2))) for t in range(len(_V))]
    return [sum(_MIX[c][t] * p[t] for t in range(len(_V))) for c in range(2)]


def _F(R, q):
    """The vector recursion q_c ↦ λ_c(x_c(q))."""
    return [_edge(n)[1].subs(x, xc) for n, xc in zip(_NAMES, _xs(R, q), strict=True)]


def _class_algebra() -> tuple:
    q0, q1, m0, m1 = sp.symbols("q_0 q_1 mu_0 mu_1", positive=True)
    w0, v0, v1, M00, M01, M10, M11, Rp = sp.symbols(
        "w_0 v_0 v_1 M_00 M_01 M_10 M_11 R", positive=True
    )
    w1 = 1 - w0
    mix = [[M00, M01], [M10, M11]]
    mu = [
        [w * d * mix[c][t] / (v * Rp) for t, v in enumerate((v0, v1))]
        for c, (w, d) in enumerate(((w0, 2), (w1, 4)))
    ]  # Λ₀ = x², Λ₁ = x⁴: Λ'(1) = 2, 4
    x0 = sum(mix[0][t] * (1 - sp.exp(-mu[0][t] * q0 - mu[1][t] * q1)) for t in range(2))
    k0, k1 = sp.symbols("M_c0 M_c1", positive=True)
    s0, s1 = sp.symbols("s_0 s_1", positive=True)
    return (
        ProofStep(
            "A class-t text holds Poisson(μ_0t) class-0 and Poisson(μ_1t) class-1 skills "
            "(μ_ct = w_c Λ_c'(1) M_ct/(v_t R): the class-c edges into class-t texts over their "
            "number), independently, each class-c skill unlearned with probability q_c; it "
            "teaches with probability Π_c Σ_k P_{μ_ct}(k)(1 − q_c)^k = e^{−μ_0t q_0 − μ_1t q_1}. "
            "An edge of class c lands in a class-t text with probability M_ct, so q_c ↦ "
            "λ_c(x_c), x_c = Σ_t M_ct(1 − e^{−Σ_c' μ_c't q_c'}), and P_class(c, R) = Λ_c(x_c) "
            "at the largest fixed point. Checked by sympy",
            "identity",
            sp.Sum(_poisson(_k, m0) * (1 - q0) ** _k, (_k, 0, sp.oo))
            * sp.Sum(_poisson(_j, m1) * (1 - q1) ** _j, (_j, 0, sp.oo)),
            sp.exp(-m0 * q0 - m1 * q1),
            name="class_text",
            uses=("emergence.density_evolution",),
        ),
        ProofStep(
            "At q = 0 the class-0 row of the Jacobian (Λ₀ = x², λ₀(x) = x) has ∂/∂q₀ = Σ_t "
            "M_0t μ_0t = 2w₀(M_00²/v₀ + M_01²/v₁)/R for any shares (sympy); the class-1 row "
            "vanishes (λ₁(x) = x³). So the spectral radius there is this entry, 1.16/R for the "
            "catalogue's shares: above 1 at R = 0.9 (q = 0 unstable, class 0 not learned), "
            "below 1 at R = 1.4",
            "identity",
            sp.Subs(sp.Derivative(x0, q0), (q0, q1), (0, 0)),
            2 * w0 * (M00**2 / v0 + M01**2 / v1) / Rp,
            name="stability",
            uses=("class_text",),
        ),
        ProofStep(
            "x_c ≤ Σ_t M_ct s_t (s_t = Σ_c' μ_c't q_c', the exponent): Σ_t M_ct(1 − e^{−s_t}) "
            "= Σ_t M_ct s_t − Σ_t M_ct ∫₀^{s_t}(1 − e^{−u}) du, integrals of a nonnegative "
            "function. Checked by sympy",
            "identity",
            k0 * (1 - sp.exp(-s0)) + k1 * (1 - sp.exp(-s1)),
            k0 * s0
            + k1 * s1
            - k0 * sp.Integral(1 - sp.exp(-_u), (_u, 0, s0))
            - k1 * sp.Integral(1 - sp.exp(-_u), (_u, 0, s1)),
            name="linear_bound",
        ),
    )


def _class_learned(R) -> tuple:
    """R = 1.4: along γ(t) = (t, t³) the recursion is below γ for t ∈ (0, 1], so (the map
    increasing, γ(1) = (1, 1)) the largest fixed point is 0."""
    mu = _mu(R)
    cut = _R(1, 4)
    slope = [sum(_MIX[c][t] * (mu[0][t] + mu[1][t] * _t**2) for t in range(2)) for c in range(2)]
    F = _F(R, (_t, _t**3))
    return (
        ProofStep.interval(
            f"R = {_f(R)}, on the curve γ(t) = (t, t³): by step linear_bound x_c(γ(t)) ≤ "
            f"t·Σ_t' M_ct'(μ_0t' + μ_1t' t²), and these sums are < 1 for both classes on "
            f"[0, {_f(cut)}] (ball arithmetic), so x₀ < t and x₁ < t there, and the recursion "
            "F = (x₀, x₁³) is below γ(t) componentwise for t ∈ (0, 1/4]",
            sp.Lt(sp.Max(*slope), 1),
            box={_t: (0, cut)},
            name="learned_near_0",
            uses=("linear_bound",),
        ),
        ProofStep.interval(
            f"and F(γ(t)) < γ(t) componentwise on [{_f(cut)}, 1] (ball arithmetic). As F is "
            "increasing and γ(1) = (1, 1), the largest fixed point q* ≤ γ(t) forces q* ≤ "
            "F(γ(t)) < γ(t), so the least t with q* ≤ γ(t) is 0: q* = 0, and "
            f"P_class(c, {_f(R)}) = Λ_c(0) = 0 for both classes",
            sp.Lt(sp.Max(F[0] - _t, F[1] - _t**3), 0),
            box={_t: (cut, 1)},
            name="learned_far",
            uses=("learned_near_0",),
        ),
    )


def _class_bracket(R) -> tuple:
    """R = 0.9: the largest fixed point in the box [lo, hi]."""
    q0, q1 = sp.symbols("q_0 q_1", real=True)
    F = _F(R, (q0, q1))
    gamma = [_HI[c] + _s * (1 - _HI[c]) for c in range(2)]
    Fg = _F(R, gamma)
    lo, hi = ", ".join(map(_f, _LO)), ", ".join(map(_f, _HI))
    P0 = (_dec(_LO[0] ** 2), _dec(_HI[0] ** 2, up=True))
    x1 = (_LO[1], _HI[1])  # q₁ = x₁³, so P₁ = x₁⁴ = q₁^{4/3}
    P1 = (_dec(sp.Pow(x1[0], _R(4, 3))), _dec(sp.Pow(x1[1], _R(4, 3)), up=True))
    return (
        ProofStep.interval(
            f"R = {_f(R)}: F maps the box B = [({lo}), ({hi})] into its interior (ball "
            "arithmetic over B): F(lo) > lo, so the iterates from lo increase to a fixed point "
            "in B, and the largest fixed point q* ≥ lo",
            sp.Lt(sp.Max(_LO[0] - F[0], _LO[1] - F[1], F[0] - _HI[0], F[1] - _HI[1]), 0),
            box={q0: (_LO[0], _HI[0]), q1: (_LO[1], _HI[1])},
            name="unlearned_box",
            uses=("class_text",),
        ),
        ProofStep.interval(
            f"and F(γ(s)) < γ(s) componentwise on the segment γ(s) = hi + s((1, 1) − hi), s ∈ "
            "[0, 1] (ball arithmetic), so as at R = 1.4 q* ≤ hi: q* ∈ B. Hence P_class(0, "
            f"{_f(R)}) = q₀*² ∈ [{_f(P0[0])}, {_f(P0[1])}] and P_class(1, {_f(R)}) = "
            f"q₁*^(4/3) ∈ [{_f(P1[0])}, {_f(P1[1])}]",
            sp.Lt(sp.Max(Fg[0] - gamma[0], Fg[1] - gamma[1]), 0),
            box={_s: (0, 1)},
            name="unlearned_above",
            uses=("unlearned_box",),
        ),
    )


def multiclass_steps() -> tuple:
    """The per-class recursion from its texts, its stability at q = 0 with symbolic shares, and
    its largest fixed point at the catalogue's R = 1.4 (0: both classes learned) and R = 0.9
    (bracketed: the claimed values enclosed)."""
    return (*_class_algebra(), *_class_learned(_rat(1.4)), *_class_bracket(_rat(0.9)))


__all__ = ["hierarchy_steps", "multiclass_steps"]
