"""Inputs the benchmarks and the scale tables share: random Markov chains built straight from
probabilities, and their transposed sparse blocks (what the scipy references multiply by)."""

from __future__ import annotations

import numpy as np

# Next-token probabilities in [1/3, 2/3]: the K-step minorisation β
# (numerics.markov_stationary.stationary) is then ≈ 0.05 at 2^20 states, so the certificate
# reaches 1e-10 above the rounding floor (with probabilities down to 0.08, β ≈ 1e-5 and the
# certificate stalls near 6e-10).
STATIONARY_FLOOR = 1.0


def random_chain(T: int, K: int, *, seed: int = 0, floor: float = 0.1):
    """A chain with random next-token probabilities bounded below (``≥ floor/(T(1+floor))``),
    built straight from probabilities: large sizes without a logit table."""
    from numerics.markov import LanguageModelChain

    rng = np.random.default_rng(seed)
    lps = []
    for L in range(1, K + 1):
        p = rng.random((T**L, T)) + floor
        lps.append(np.log(p / p.sum(axis=1, keepdims=True)))
    return LanguageModelChain(lps, device="cpu")


def transpose_csr(chain):
    """``Q_Kᵀ`` of the length-K block as CSR: ``x ↦ x Q`` is one product with it."""
    return chain.recurrent_sparse().T.tocsr()


def chain_bytes(chain) -> int:
    """Bytes the chain holds: log-probabilities and probabilities at every length."""
    return sum(a.nbytes for a in chain.logprobs) + sum(p.numel() * 8 for p in chain._p)
