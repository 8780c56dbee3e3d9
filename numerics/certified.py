"""Certified measurements: deterministic quantities of the catalogue enclosed in ball arithmetic
(python-flint's Arb: every ball contains the exact result of the operations that built it;
Johansson, IEEE Trans. Computers 66, 2017).

Each function takes the same inputs as its float64 counterpart (floats at their exact binary
value) and returns an ``arb`` ball that contains the exact value of the quantity for those
inputs. :func:`float_ball` turns a ball into ``(midpoint, radius)`` floats, the radius rounded
outward, for :class:`~numerics.measurement.Measurement` (``certified=True``). The float64
paths stay the fast ones; the tests compare the two.

- :func:`log_epsilon` — ``log ε`` of a language-model chain (Prop 3.4's ε): the log-softmax of
  each length-``K`` context and the min-plus dynamic program over the de Bruijn graph
  (:func:`numerics.markov.log_min_kstep` in float64), in balls.
- :func:`g_star` — ``G* = inf_{p∈(0,1)} −ln(1 − p)/Σ_k kΛ_k p^{k−1}`` by branch and bound (a
  certified global minimum), so ``R* = 1/G*`` (:func:`numerics.emergence.threshold_G`).
- :func:`poisson_threshold` — ``R*(d) = (−ln x*) e^{d x*}/d`` with ``x*`` the larger root of
  ``−x ln x = 1/d``, the root isolated by bisection on certified signs.
- :func:`percolation_threshold` — ``φ_c = R/Λ''(1)``.
- :func:`sample_complexity_epsilon` — Fig. 1's ``ε = 2B̄ √(log(2/δ)/N)``.
- :func:`singular_values` — the singular values of a real matrix, as the square roots of the
  certified eigenvalues of ``AᵀA`` (Arb's ``arb_mat.eig``, Rump's algorithm).
- :func:`stationary_law`, :func:`mixing_time` — ``π`` and ``t_mix(ε)`` of the length-``K``
  block of a language-model chain (the toy parity model's), at a precision that keeps
  ``1 − p`` representable for transition probabilities far below float64's ``2^−53``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np

PRECISION = 96  # bits


def _flint():
    from flint import arb, ctx

    ctx.prec = max(ctx.prec, PRECISION)
    return arb


def exact(x) -> object:
    """A float (or int, or Fraction) as an exact ball."""
    from flint import fmpq

    arb = _flint()  # sets the precision
    q = Fraction(x) if not isinstance(x, Fraction) else x
    return arb(fmpq(q.numerator, q.denominator))


def float_ball(x) -> tuple[float, float]:
    """``(mid, rad)`` floats with ``[mid − rad, mid + rad]`` containing the ball ``x``: the
    radius is the ball's distance from the float midpoint, rounded up."""
    if not x.is_finite():
        raise ValueError(f"the ball {x} is not finite")
    mid = float(x.mid())
    gap = (x - exact(mid)).abs_upper()
    rad = float(gap)
    if exact(rad) < gap:  # float() rounds to nearest: step up past the exact upper end
        rad = math.nextafter(rad, math.inf)
    return mid, rad


def bounds(x) -> tuple[float, float]:
    """``(lo, hi)`` floats with ``[lo, hi]`` containing the ball ``x`` (rounded outward)."""
    lo, hi = float(x.lower()), float(x.upper())
    if exact(lo) > x.lower():
        lo = math.nextafter(lo, -math.inf)
    if exact(hi) < x.upper():
        hi = math.nextafter(hi, math.inf)
    return lo, hi


# -- ε of a language-model chain ---------------------------------------------------------------


def log_softmax_rows(z: np.ndarray, tau: float) -> list[list]:
    """``log softmax(z/τ)`` of each row of ``z``, in balls."""
    t = exact(float(tau))
    out = []
    for row in np.asarray(z, dtype=np.float64):
        u = [exact(float(v)) / t for v in row]
        top = max(float(v) for v in row) / float(tau)
        shift = exact(top)  # any shift is exact here; this one keeps the exponentials small
        lse = shift + sum((ui - shift).exp() for ui in u).log()
        out.append([ui - lse for ui in u])
    return out


def log_epsilon(logits: np.ndarray, T: int, K: int, tau: float):
    """``log ε`` for the length-``K`` logits ``(T^K, T)`` at temperature ``τ``: ``ε = min_{i,j}
    (Q^K)_{ij}`` over the recurrent states, a min-plus dynamic program of ``K`` steps
    ``g'[b·T + t] = min_a (g[a·T^{K−1} + b] + log p(t | a, b))`` from ``g = 0`` (the ``K``-step
    path between two length-``K`` states is unique), in balls."""
    lp = log_softmax_rows(logits, tau)
    if len(lp) != T**K:
        raise ValueError(f"expected {T**K} contexts of length K = {K}, got {len(lp)}")
    B = T ** (K - 1)
    g = [exact(0)] * T**K
    for _ in range(K):
        new = [None] * T**K
        for b in range(B):
            for t in range(T):
                best = g[b] + lp[b][t]
                for a in range(1, T):
                    best = best.min(g[a * B + b] + lp[a * B + b][t])
                new[b * T + t] = best
        g = new
    best = g[0]
    for v in g[1:]:
        best = best.min(v)
    return best


def uniform_epsilon(logits: np.ndarray, T: int, K: int) -> Fraction | None:
    """``ε = T^{−K}`` exactly when every context's logits are constant (uniform next-token
    laws, as at ``B = 0``): the exact value that decides the equality case; else ``None``."""
    z = np.asarray(logits)
    if z.size and np.all(z == z[:, :1]):
        return Fraction(1, T**K)
    return None


# -- density evolution and the Poisson variant --------------------------------------------------


def _degree_poly(degrees: Mapping[int, float]):
    """``poly(p) = Σ_{k≥2} kΛ_k p^{k−2}`` and its derivative as ball functions
    (``Λ'(1) λ(p) = p · poly(p)``)."""
    terms = [(k - 2, exact(k) * exact(float(v))) for k, v in degrees.items() if k >= 2 and v > 0]

    def poly(p):
        return sum((c * p**e for e, c in terms), exact(0))

    def dpoly(p):
        return sum((e * c * p ** (e - 1) for e, c in terms if e > 0), exact(0))

    return poly, dpoly


def _h(p):
    """``h(p) = −ln(1 − p)/p`` (1 at ``p = 0``), increasing on ``[0, 1)``."""
    if p == 0:
        return exact(1)
    return -((-p).log1p()) / p


def _dh(p):
    """``h'(p) = (p/(1 − p) + ln(1 − p))/p²`` for ``p > 0``."""
    return (p / (1 - p) + (-p).log1p()) / p**2


def g_star(degrees: Mapping[int, float], *, rel_tol: float = 1e-13, max_boxes: int = 200_000):
    """A ball containing ``G* = inf_{p∈(0,1)} G(p)``, ``G = h/poly``, ``h(p) = −ln(1 − p)/p``
    increasing from 1 and ``poly`` (:func:`_degree_poly`) increasing (non-negative
    coefficients). Branch and bound over ``[0, 1 − 2^−59]``: on a box ``[a, b]`` the lower bound
    is the better of the monotone one ``h(a)/poly(b)`` and, away from 0, the mean-value form
    ``G(m) + G'([a, b])·([a, b] − m)`` (``G'`` from the quotient rule, in balls); values at
    points, and the limit ``1/poly(0) = 1/(2Λ₂)`` at ``p → 0``, give the upper bound. Beyond
    ``1 − 2^−59``, ``G ≥ h(1 − 2^−59)/poly(1)``. Skills of degree 0 or 1 are not handled
    (degree 1 gives ``G* = 0``): ``ValueError``."""
    if any(k < 2 and v > 0 for k, v in degrees.items()):
        raise ValueError("g_star needs every skill degree ≥ 2 (degree 1 gives G* = 0)")
    poly, dpoly = _degree_poly(degrees)
    zero, one = exact(0), exact(1)
    best = one / poly(zero) if poly(zero) > 0 else None  # the limit at p → 0

    def lower(a: Fraction, b: Fraction):
        A, Bb = exact(a), exact(b)
        lo = (_h(A) / poly(Bb)).lower()
        if a > 0:
            ball = A.union(Bb)
            m = exact((a + b) / 2)
            grad = (_dh(ball) * poly(ball) - _h(ball) * dpoly(ball)) / poly(ball) ** 2
            mv = (_h(m) / poly(m) + grad * (ball - m)).lower()
            if mv.is_finite() and mv > lo:
                lo = mv
        return lo

    edge = 1 - Fraction(1, 2**59)
    lows = [(_h(exact(edge)) / poly(one)).lower()]
    boxes = [(Fraction(i, 64), Fraction(i + 1, 64)) for i in range(63)]
    boxes += [(1 - Fraction(1, 2**j), 1 - Fraction(1, 2 ** (j + 1))) for j in range(6, 59)]
    for a, _ in boxes[1:]:
        v = _h(exact(a)) / poly(exact(a))
        if best is None or v.upper() < best.upper():
            best = v
    examined = 0
    while boxes:
        examined += 1
        if examined > max_boxes:
            raise RuntimeError(f"g_star: more than {max_boxes} boxes examined")
        a, b = boxes.pop()
        lo = lower(a, b)
        cap = best.upper()
        if lo > cap:
            continue
        m = (a + b) / 2
        v = _h(exact(m)) / poly(exact(m))
        if v.upper() < cap:
            best, cap = v, v.upper()
        if cap - lo <= exact(rel_tol) * cap:
            lows.append(lo)
            continue
        boxes += [(a, m), (m, b)]
    floor = best.lower()
    for x in lows:
        floor = floor.min(x)
    return floor.union(best.upper())


def threshold(degrees: Mapping[int, float]):
    """``R* = 1/G*`` as a ball (:func:`g_star`)."""
    return exact(1) / g_star(degrees)


def poisson_threshold(d: float, *, bits: int = 80):
    """``R*(d) = (−ln x*) e^{d x*}/d``, ``x*`` the larger root of ``f(x) = −x ln x − 1/d`` on
    ``(1/e, 1)`` (``f`` decreases there from ``1/e − 1/d > 0`` to ``−1/d``), isolated by
    bisection on certified signs of ``f`` down to ``2^−bits``; ``d > e``."""
    arb = _flint()
    dd = exact(float(d))
    if not dd > arb.const_e():
        raise ValueError(f"a jump needs d > e, got d = {d!r}")

    def f(x):
        return -x * x.log() - 1 / dd

    lo, hi = Fraction(3679, 10000), Fraction(1)  # 0.3679 > 1/e
    if not (f(exact(lo)) > 0):
        raise ValueError(f"d = {d!r} is too close to e for the root's bracket")
    for _ in range(bits):
        mid = (lo + hi) / 2
        s = f(exact(mid))
        if s > 0:
            lo = mid
        elif s < 0:
            hi = mid
        else:  # the sign is not decided: the bracket is as narrow as the precision allows
            break
    x = exact(lo).union(exact(hi))
    return -x.log() * (dd * x).exp() / dd


def percolation_threshold(degrees: Mapping[int, float], R: float):
    """``φ_c = R/Λ''(1)``, ``Λ''(1) = Σ_k k(k−1)Λ_k``."""
    second = sum((exact(k * (k - 1)) * exact(float(v)) for k, v in degrees.items()), exact(0))
    return exact(float(R)) / second


# -- Fig. 1 and the LoRA tail --------------------------------------------------------------------


def sample_complexity_epsilon(T: float, r: float, N: float, *, tau=1.0, delta=0.05):
    """``ε = 2B̄ √(log(2/δ)/N)`` with ``B̄ = 2 (log T + 2T√r/τ)^{1/2}`` (Prop 4.1 with zero
    empirical risk, the paper's ``B_U ≈ T√r``), in balls."""
    T_, r_, N_, tau_, delta_ = (exact(float(v)) for v in (T, r, N, tau, delta))
    bbar = 2 * (T_.log() + 2 * T_ * r_.sqrt() / tau_).sqrt()
    return 2 * bbar * ((2 / delta_).log() / N_).sqrt()


def singular_values(A: np.ndarray) -> list:
    """The singular values of the real matrix ``A`` (float64 entries, exact), largest first,
    as the square roots of the eigenvalues of ``AᵀA`` (or ``AAᵀ``, the smaller), which Arb
    encloses with Rump's algorithm (``arb_mat.eig``); ``RuntimeError`` when Arb cannot isolate
    them (clustered or repeated eigenvalues: it certifies simple ones only)."""
    from flint import arb_mat

    _flint()
    A = np.asarray(A, dtype=np.float64)
    M = arb_mat([[exact(float(v)) for v in row] for row in A])
    G = M.transpose() * M if A.shape[1] <= A.shape[0] else M * M.transpose()
    try:
        eig = G.eig(algorithm="rump")
    except ValueError as exc:
        raise RuntimeError(f"Arb could not isolate the eigenvalues: {exc}") from None
    out = []
    for e in eig:
        re = e.real
        if not e.imag.contains(0) or not re.is_finite():
            raise RuntimeError(f"an eigenvalue enclosure is not real: {e}")
        out.append(re.nonnegative_part().sqrt())
    return sorted(out, key=lambda x: -float(x.mid()))


# -- the length-K block of a language-model chain: π and mixing times -------------------------


def _chain_precision(z: np.ndarray, tau: float, doublings: int = 0) -> int:
    """Bits enough that ``1 − p`` is representable for the smallest transition probability
    ``p ≥ e^{−spread/τ}/T`` (spread: the largest max − min of a row of logits), plus two bits
    per squaring (each can double a radius)."""
    spread = float((z.max(axis=1) - z.min(axis=1)).max()) / float(tau)
    return PRECISION + int(math.ceil(spread * 1.4427)) + 2 * doublings


def _with_precision(bits: int, compute):
    """``compute()`` at ``bits`` of precision, retried once at twice that when a comparison was
    undecided (:class:`_Undecided`); the context's precision is restored after."""
    from flint import ctx

    old = ctx.prec
    try:
        for prec in (bits, 2 * bits):
            ctx.prec = prec
            try:
                return compute()
            except _Undecided:
                continue
        raise ArithmeticError("comparisons of balls stayed undecided at twice the precision")
    finally:
        ctx.prec = old


class _Undecided(Exception):
    pass


def _block_balls(z: np.ndarray, T: int, K: int, tau: float):
    """``(P, π)`` of the length-``K`` block as Arb matrices: context ``(x_1..x_K)`` at index
    ``Σ x_i T^{K−i}``, its successor ``(x_2..x_K, t)`` with probability ``softmax(z/τ)_t``;
    ``π`` (a column) solves ``πP = π``, ``Σπ = 1`` by Arb's certified linear solve."""
    from flint import arb_mat

    n = T**K
    if z.shape != (n, T):
        raise ValueError(f"expected {n} contexts of length K = {K}, got shape {z.shape}")
    P = arb_mat(n, n)
    for i, row in enumerate(log_softmax_rows(z, tau)):
        for t, lp in enumerate(row):
            P[i, (i * T + t) % n] = lp.exp()
    A = arb_mat(n, n)  # (Pᵀ − I) with its last row replaced by ones
    for i in range(n):
        for j in range(n):
            A[i, j] = 1 if i == n - 1 else P[j, i] - (1 if i == j else 0)
    rhs = arb_mat(n, 1)
    rhs[n - 1, 0] = 1
    try:
        return P, A.solve(rhs)
    except ZeroDivisionError:  # not certified invertible at this precision
        raise _Undecided from None


def stationary_law(logits: np.ndarray, T: int, K: int, tau: float) -> list:
    """The stationary law of the length-``K`` block (see :func:`_block_balls`), as balls."""
    z = np.asarray(logits, dtype=np.float64)

    def compute():
        _, pi = _block_balls(z, T, K, tau)
        return [pi[i, 0] for i in range(T**K)]

    return _with_precision(_chain_precision(z, tau), compute)


def mixing_time(
    logits: np.ndarray, T: int, K: int, tau: float, *, eps=Fraction(1, 4), doublings=512
) -> tuple[int, bool]:
    """``t_mix(ε) = min{t : max_i TV(P^t(i, ·), π) ≤ ε}`` of the length-``K`` block ``P``
    (:func:`_block_balls`), decided in balls: ``P^(2^k)`` by squaring, then bisection between
    the last two powers (the distance is non-increasing in ``t``). Returns ``(t, capped)``,
    ``capped`` when the chain has not mixed by ``2^doublings`` steps (``t`` is then that, a
    lower bound). Every comparison with ``ε`` is certain or the computation is redone at twice
    the precision; ``ArithmeticError`` if it stays undecided."""
    z = np.asarray(logits, dtype=np.float64)
    return _with_precision(
        _chain_precision(z, tau, doublings),
        lambda: _mixing_time_at(z, T, K, tau, exact(eps), doublings),
    )


def _mixing_time_at(z, T, K, tau, eps, doublings):
    P, pi = _block_balls(z, T, K, tau)
    n = T**K

    def mixed(M) -> bool:
        worst = [sum((abs(M[i, j] - pi[j, 0]) for j in range(n)), exact(0)) / 2 for i in range(n)]
        if all(w <= eps for w in worst):
            return True
        if any(w > eps for w in worst):
            return False
        raise _Undecided

    powers, t = [P], 1  # powers[k] = P^(2^k)
    while not mixed(powers[-1]):
        if len(powers) > doublings:
            return 2**doublings, True
        powers.append(powers[-1] * powers[-1])
        t *= 2
    if t == 1:
        return 1, False
    lo, M_lo = t // 2, powers[-2]  # not mixed at lo, mixed at 2·lo
    for k in range(len(powers) - 3, -1, -1):
        cand = M_lo * powers[k]
        if not mixed(cand):
            lo, M_lo = lo + 2**k, cand
    return lo + 1, False
