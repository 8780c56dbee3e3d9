"""The emergence family's claimed values that have no closed form (a density-evolution fixed
point, a threshold, a giant component, ...): sympy functions implemented in mpmath, so that the
verifier evaluates them at 30 digits; and the degree distributions Λ the theorems are checked on.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp
from sympy.utilities.lambdify import implemented_function

x = sp.Symbol("x")


def _poisson_poly(mean: int, kmax: int) -> sp.Expr:
    terms = [sp.exp(-mean) * sp.Integer(mean) ** k / sp.factorial(k) for k in range(kmax + 1)]
    total = sum(terms)
    return sum(t / total * x**k for k, t in enumerate(terms))


DISTRIBUTIONS: dict[str, sp.Expr] = {
    "x2": x**2,
    "x3": x**3,
    "x4": x**4,
    # Liva (2011), IRSA's optimised Λ(x) = 0.5x² + 0.28x³ + 0.22x⁸, threshold G* ≈ 0.938
    "irsa": sp.Rational(1, 2) * x**2 + sp.Rational(28, 100) * x**3 + sp.Rational(22, 100) * x**8,
    "mix25": sp.Rational(2, 5) * x**2 + sp.Rational(3, 5) * x**5,
    "floor": sp.Rational(1, 5) * x + sp.Rational(4, 5) * x**3,
    "floor4": sp.Rational(1, 10) * x + sp.Rational(9, 10) * x**4,
    "poisson3": _poisson_poly(3, 30),
}

# the multi-class configuration: two skill classes, two text classes
MULTICLASS = {
    "classes": [("x2", 0.5), ("x4", 0.5)],
    "text_weights": [0.5, 0.5],
    "mixing": [[0.7, 0.3], [0.2, 0.8]],
}
HIERARCHY = {"foundation": "x3", "special": "x3", "R1": 1.5}


@lru_cache(maxsize=64)
def _coeffs(name: str) -> tuple:
    poly = sp.Poly(sp.expand(DISTRIBUTIONS[str(name)]), x)
    return tuple((int(m[0]), mpmath.mpf(sp.N(c, 40))) for m, c in poly.terms())


def _Lam(name, z):
    return sum(c * z**k for k, c in _coeffs(name))


def _dLam1(name):
    return sum(k * c for k, c in _coeffs(name))


def _lam(name, z):
    return sum(k * c * z ** (k - 1) for k, c in _coeffs(name) if k > 0) / _dLam1(name)


def _unconverged(what, name, R):
    return ArithmeticError(
        f"{what} for {name} at R = {mpmath.nstr(R, 12)} did not converge (the iteration slows "
        "down near a threshold); no value is returned"
    )


def mp_unlearned(name, R, tol="1e-25", max_iter=500_000):
    """Density evolution in mpmath: ``P_L(R) = Λ(p_∞)`` from ``q₀ = 1``."""
    with mpmath.workdps(30):
        tol = mpmath.mpf(tol)
        R, m = mpmath.mpf(R), _dLam1(name)
        q = mpmath.mpf(1)
        for _ in range(max_iter):
            p = -mpmath.expm1(-m * q / R)
            new = _lam(name, p)
            if abs(new - q) <= tol:
                q = new
                break
            q = new
        else:
            raise _unconverged("density evolution", name, R)
        return _Lam(name, -mpmath.expm1(-m * q / R))


@lru_cache(maxsize=64)
def mp_threshold(name) -> mpmath.mpf:
    """``R* = 1/G*`` by an independent route from numerics': the stationary points of
    ``G(p) = −ln(1 − p)/(Λ'(1) λ(p))`` solved with mpmath's ``findroot`` on ``G'`` from every
    local minimum of a coarse grid, and the end ``p → 0`` (``G → 1/(2Λ₂)``)."""
    with mpmath.workdps(30):
        coeffs = dict(_coeffs(name))
        if coeffs.get(1, 0) > 0:
            return mpmath.inf
        m = _dLam1(name)

        def G(p):
            return -mpmath.log1p(-p) / (m * _lam(name, p))

        best = 1 / (2 * coeffs[2]) if coeffs.get(2, 0) > 0 else mpmath.inf
        grid = [mpmath.mpf(i) / 400 for i in range(1, 400)]
        vals = [G(p) for p in grid]
        for i in range(1, len(grid) - 1):
            if vals[i] <= vals[i - 1] and vals[i] <= vals[i + 1]:
                # G' changes sign across the grid cell pair: a bracketing solver stays real
                root = mpmath.findroot(
                    lambda p: mpmath.diff(G, p), (grid[i - 1], grid[i + 1]), solver="anderson"
                )
                best = min(best, G(root))
        return 1 / best


def mp_poisson_threshold(d):
    """``R*(d) = (−ln x*) e^{d x*}/d``, ``x*`` the larger root of ``−x ln x = 1/d`` (``d ≥ e``)."""
    with mpmath.workdps(30):
        d = mpmath.mpf(d)
        if d < mpmath.e:
            return mpmath.nan
        f = lambda z: -z * mpmath.log(z) - 1 / d  # noqa: E731
        xs = (
            mpmath.findroot(f, (1 / mpmath.e, 1 - mpmath.mpf(10) ** -25), solver="illinois")
            if d > mpmath.e
            else 1 / mpmath.e
        )
        return -mpmath.log(xs) * mpmath.exp(d * xs) / d


def mp_percolation(name, R, phi):
    """``S = φ[1 − f₀(g₁(u))]`` with ``u = 1 − φ + φ f₁(g₁(u))``: ``f₀ = Λ``, ``f₁ = λ``, and
    Poisson texts ``g₁(u) = exp(μ(u − 1))``, ``μ = Λ'(1)/R``; ``u`` iterated up from 0 (the
    smallest fixed point)."""
    with mpmath.workdps(30):
        R, phi = mpmath.mpf(R), mpmath.mpf(phi)
        mu = _dLam1(name) / R
        u = mpmath.mpf(0)
        for _ in range(1_000_000):
            new = 1 - phi + phi * _lam(name, mpmath.exp(mu * (u - 1)))
            if abs(new - u) < mpmath.mpf("1e-24"):
                u = new
                break
            u = new
        else:
            raise _unconverged("the percolation fixed point", name, R)
        return phi * (1 - _Lam(name, mpmath.exp(mu * (u - 1))))


def mp_second(name):
    """``Λ''(1)``."""
    return sum(k * (k - 1) * c for k, c in _coeffs(name))


def mp_first(name):
    """``Λ'(1)``."""
    return _dLam1(name)


def mp_coefficient(name, k):
    return dict(_coeffs(name)).get(int(k), mpmath.mpf(0))


def mp_hierarchy(R0, a):
    """Fine-tuning on a foundation: ``P₀ = Λ₀(p_∞)`` from the foundation's density evolution,
    then ``p' = 1 − exp(−Λ₁'(1) q'/R₁ − a P₀)``, ``q' = λ₁(p')`` from ``q' = 1``; returns
    ``Λ₁(p'_∞)``, the specialised skills left unlearned."""
    with mpmath.workdps(30):
        f, s, R1 = HIERARCHY["foundation"], HIERARCHY["special"], mpmath.mpf(HIERARCHY["R1"])
        P0 = mp_unlearned(f, R0)
        m1, a = _dLam1(s), mpmath.mpf(a)
        q = mpmath.mpf(1)
        for _ in range(500_000):
            p = -mpmath.expm1(-m1 * q / R1 - a * P0)
            new = _lam(s, p)
            if abs(new - q) < mpmath.mpf("1e-25"):
                q = new
                break
            q = new
        else:
            raise _unconverged("the fine-tuning density evolution", s, R1)
        return _Lam(s, -mpmath.expm1(-m1 * q / R1 - a * P0))


def mp_multiclass(cls, R):
    """Per-class density evolution for :data:`MULTICLASS`: ``p_t = 1 − exp(−Σ_c μ_{ct} q_c)``,
    ``q_c = λ_c(Σ_t M_{ct} p_t)``; the unlearned fraction of class ``cls`` is
    ``Λ_c(Σ_t M_{ct} p_t)``."""
    with mpmath.workdps(30):
        names = [n for n, _ in MULTICLASS["classes"]]
        w = [mpmath.mpf(s) for _, s in MULTICLASS["classes"]]
        v = [mpmath.mpf(s) for s in MULTICLASS["text_weights"]]
        M = [[mpmath.mpf(e) for e in row] for row in MULTICLASS["mixing"]]
        R = mpmath.mpf(R)
        C, Tn = len(names), len(v)
        mu = [[w[c] * _dLam1(names[c]) * M[c][t] / (v[t] * R) for t in range(Tn)] for c in range(C)]
        q = [mpmath.mpf(1)] * C

        def xs(q):
            p = [-mpmath.expm1(-sum(mu[c][t] * q[c] for c in range(C))) for t in range(Tn)]
            return [sum(M[c][t] * p[t] for t in range(Tn)) for c in range(C)]

        for _ in range(500_000):
            new = [_lam(names[c], xc) for c, xc in enumerate(xs(q))]
            done = max(abs(a - b) for a, b in zip(new, q, strict=True)) < mpmath.mpf("1e-25")
            q = new
            if done:
                break
        else:
            raise _unconverged("the multi-class density evolution", "MULTICLASS", R)
        c = int(cls)
        return _Lam(names[c], xs(q)[c])


P_L = implemented_function(sp.Function("P_L"), mp_unlearned)
R_star = implemented_function(sp.Function("R_star"), mp_threshold)
R_star_poisson = implemented_function(sp.Function("R_star_Poisson"), mp_poisson_threshold)
S_giant = implemented_function(sp.Function("S"), mp_percolation)
Lambda_pp = implemented_function(sp.Function("Lambda_pp"), mp_second)
Lambda_p = implemented_function(sp.Function("Lambda_p"), mp_first)
Lambda_k = implemented_function(sp.Function("Lambda_k"), mp_coefficient)
P_fine = implemented_function(sp.Function("P_fine"), mp_hierarchy)
P_class = implemented_function(sp.Function("P_class"), mp_multiclass)
