"""The toy model of Zekri et al. (Sec. 3.2): a small transformer trained on 40 bits of
"next bit = parity of the last three" (T = 2, K = 3), read as a Markov chain.

Training is deterministic given its seed (CPU, float64, full-batch Adam); the seeds are the
theorems' parameters, fixed in advance and all reported.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from .markov import LanguageModelChain, logits_from_model, tiny_transformer
from .markov_stationary import gth
from .measurement import Measurement

T, K = 2, 3


def parity_sequence(seed: int, length: int = 40) -> list[int]:
    """``length`` bits: a seeded random start of 3 bits, then each bit the parity of the last
    three."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 61]))
    bits = [int(b) for b in rng.integers(0, 2, size=3)]
    while len(bits) < length:
        bits.append(bits[-1] ^ bits[-2] ^ bits[-3])
    return bits


@lru_cache(maxsize=16)
def trained_table(seed: int, steps: int = 400):
    """Train the toy transformer on the sequence's 37 windows; returns ``(logit table, training
    states)``, the latter the set of length-3 contexts seen in training (as indices)."""
    bits = parity_sequence(seed)
    X = torch.tensor([bits[i : i + K] for i in range(len(bits) - K)])
    y = torch.tensor([bits[i + K] for i in range(len(bits) - K)])
    model = tiny_transformer(T, K, seed=seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for _ in range(steps):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(X), y)
            loss.backward()
            opt.step()
    seen = frozenset(int(a) * 4 + int(b) * 2 + int(c) for a, b, c in X.tolist())
    return logits_from_model(model.eval(), T, K), seen


def _recurrent(table, tau):
    chain = LanguageModelChain.from_logits(table, tau)
    return chain.recurrent_dense()


def toy_stationary(params, *, seed, device="cpu"):
    """π(S_train) at τ = 1 for the model trained with ``train_seed``; input ``n_train`` =
    ``|S_train|`` (the claim compares with the uniform share ``n_train/8``)."""
    table, seen = trained_table(int(params["train_seed"]))
    pi = gth(_recurrent(table, float(params.get("tau", 1.0))))
    mass = float(sum(pi[s] for s in seen))
    return Measurement(
        value=mass,
        error_bound=1e-10,
        inputs={"n_train": len(seen)},
        raw={"pi": pi.tolist(), "train_states": sorted(seen)},
    )


def mixing_time(P: np.ndarray, eps: float = 0.25, t_max: int = 2**40) -> int:
    """``t_mix(ε) = min{t : max_i TV(P^t(i, ·), π) ≤ ε}`` by doubling then bisection (the
    distance is non-increasing in ``t``); ``t_max`` when not mixed by then (a lower bound)."""
    pi = gth(P)

    def dist(M):
        return 0.5 * np.abs(M - pi[None]).sum(axis=1).max()

    powers = [P]  # P^(2^k)
    t = 1
    while dist(powers[-1]) > eps:
        if t >= t_max:
            return t_max
        powers.append(powers[-1] @ powers[-1])
        t *= 2
    if t == 1:
        return 1
    # bisection between t/2 (not mixed) and t (mixed), composing stored powers
    lo, M_lo = t // 2, powers[-2]
    step = len(powers) - 3
    while step >= 0:
        cand = M_lo @ powers[step]
        if dist(cand) > eps:
            lo, M_lo = lo + 2**step, cand
        step -= 1
    return lo + 1


def toy_mixing(params, *, seed, device="cpu"):
    """``t_mix(1/4)`` of the trained toy chain at τ = 0.2, 1 and 2; value the ratio
    ``t_mix(0.2)/t_mix(2)`` (a lower bound when τ = 0.2 does not mix within 2^40 steps)."""
    table, _ = trained_table(int(params["train_seed"]))
    t = {tau: mixing_time(_recurrent(table, tau)) for tau in (0.2, 1.0, 2.0)}
    # float64 powers can move each t_mix by a step: the ratio's error is below 2/t_mix(2)
    return Measurement(
        value=t[0.2] / t[2.0],
        error_bound=2 * t[0.2] / t[2.0] ** 2 + 1e-12,
        raw={"t_mix": {str(k): v for k, v in t.items()}, "capped_at": 2**40},
    )
