"""Stationary laws of the Markov chains of language models (:mod:`numerics.markov`), and the
distance to them: the GTH reference at small sizes, power iteration with an a-posteriori error
bound (a Dobrushin minorisation) at large ones, and the convergence series ``d(n)``, ``δ(n)``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .chains import gth, gth_error
from .markov import LanguageModelChain, U, log_min_kstep


@dataclass
class Stationary:
    """A stationary distribution over all of ``V*_K`` with an a-posteriori bound ``l1_error``
    on ``‖π̂ − π‖₁`` (``inf`` when it could not be certified), and the work it took."""

    pi: np.ndarray
    l1_error: float
    iterations: int
    method: str


def minorisation(chain: LanguageModelChain) -> float:
    """``β = Σ_j min_i (Q^K)_ij`` over the length-K states (:func:`log_min_kstep`)."""
    return float(np.exp(log_min_kstep(chain)).sum())


def _residual_bound(chain: LanguageModelChain, resid: float) -> float:
    """A bound on the exact ``‖x − xQ^K‖₁`` from its float64 value ``resid``: each step sums
    ``T`` products per entry (error ≤ ``T u`` in ℓ1, not amplified by later stochastic steps),
    the difference and its ℓ1 sum add a factor ``(1 + n u)``."""
    floor = (chain.K * (chain.T + 1) + 2) * U
    return resid * (1 + chain.n_recurrent * U) + floor


def certified_l1_error(chain: LanguageModelChain, x: np.ndarray) -> float:
    """The certificate :func:`stationary` uses, for any distribution ``x`` on the length-K
    states (from another solver, say): ``‖x − π‖₁ ≤ ‖x − xQ^K‖₁ / β`` (``inf`` when β = 0)."""
    beta = minorisation(chain)
    xt = torch.as_tensor(np.asarray(x, dtype=np.float64), device=chain.device)[None]
    y = xt
    for _ in range(chain.K):
        y = chain.recurrent_step(y)
    resid = _residual_bound(chain, float((y - xt).abs().sum()))
    return resid / beta if beta > 0 else math.inf


def stationary(
    chain: LanguageModelChain, *, gth_max: int = 1024, tol: float = 1e-12, max_iter: int = 100_000
) -> Stationary:
    """π of the chain: zero on transient states; on the length-K block GTH when ``T^K ≤ gth_max``,
    else power iteration with an a-posteriori error bound.

    The bound: with ``β = Σ_j min_i (Q^K)_ij`` (Dobrushin: ``δ(Q^K) ≤ 1 − β``), any probability
    vector ``x`` satisfies ``‖x − π‖₁ ≤ ‖x − xQ^K‖₁ / β``, since
    ``x − π = (x − xQ^K) + (x − π)Q^K``.
    A small residual alone does not prove π accurate; this bound does."""
    n_rec = chain.n_recurrent
    pi = np.zeros(chain.n_states)
    if n_rec <= gth_max:
        pr = gth(chain.recurrent_dense())
        pi[chain.recurrent_slice] = pr
        return Stationary(pi, float(gth_error(n_rec) * 2), 0, "gth")
    beta = minorisation(chain)
    x = torch.full((1, n_rec), 1.0 / n_rec, dtype=torch.float64, device=chain.device)
    bound, it, stalled = math.inf, 0, 0
    # Buffers reused across the iterations (fresh pages at every step cost more than the step at
    # 2^22 states): the K steps alternate between two, the difference goes to a third.
    bufs = [torch.empty_like(x), torch.empty_like(x)]
    diff = torch.empty_like(x)
    while it < max_iter:
        y = x
        for k in range(chain.K):
            y = chain.recurrent_step(y, out=bufs[k % 2])
        it += chain.K
        resid = _residual_bound(chain, float(torch.sub(y, x, out=diff).abs_().sum()))
        torch.div(y, y.sum(), out=x)
        if beta > 0:
            new = resid / beta
            stalled = stalled + 1 if new >= bound else 0
            bound = min(bound, new)
            if bound < tol or stalled >= 20:  # converged, or stuck at the rounding floor
                break
    pi[chain.recurrent_slice] = x[0].cpu().numpy()
    return Stationary(pi, bound, it, "power")


def distance_series(chain: LanguageModelChain, pi: np.ndarray, n_max: int) -> np.ndarray:
    """``d(n) = max_ij |(Q^n)_ij − π_j|`` for ``n = 1..n_max`` (dense; small chains)."""
    Q = chain.dense()
    M = np.eye(chain.n_states)
    out = np.empty(n_max)
    for n in range(n_max):
        M = M @ Q
        out[n] = np.abs(M - pi[None, :]).max()
    return out


def spread_series(chain: LanguageModelChain, n_max: int) -> np.ndarray:
    """``δ(n) = ½ max_j (max_i (Q^n)_ij − min_i (Q^n)_ij)`` for ``n = 1..n_max``.

    It needs no π and lower-bounds ``max_ij |(Q^n)_ij − π_j|`` for *every* stationary π
    (triangle inequality), so it refutes convergence claims on reducible or periodic chains."""
    Q = chain.dense()
    M = np.eye(chain.n_states)
    out = np.empty(n_max)
    for n in range(n_max):
        M = M @ Q
        out[n] = 0.5 * (M.max(axis=0) - M.min(axis=0)).max()
    return out
