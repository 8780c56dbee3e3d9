"""The toy model of Zekri et al. (Sec. 3.2): a small transformer trained on 40 bits of
"next bit = parity of the last three" (T = 2, K = 3), read as a Markov chain.

Training is deterministic given its seed (CPU, float64, full-batch Adam); the seeds are the
theorems' parameters, fixed in advance and all reported.
"""

from __future__ import annotations

from fractions import Fraction
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
    opt = torch.optim.Adam(model.parameters(), lr=1e-2, foreach=True)
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


@lru_cache(maxsize=16)
def certified_mixing_times(seed: int) -> dict[float, tuple[int, bool]]:
    """``t_mix(1/4)`` of the trained toy chain at τ = 0.2, 1 and 2, decided in ball arithmetic
    (:func:`numerics.certified.mixing_time`: float64 cannot represent the chain at τ = 0.2,
    whose smallest transition probabilities are near e^−250); ``(t, capped)`` per τ."""
    from .certified import mixing_time as certified_mixing_time

    table, _ = trained_table(int(seed))
    return {tau: certified_mixing_time(table.logits[K - 1], T, K, tau) for tau in TEMPERATURES}


TEMPERATURES = (0.2, 1.0, 2.0)  # Fig. 5 (a)-(c)
PAPER_STEPS = {"0.2": "> 10^6", "1.0": "about 300", "2.0": "about 30"}  # Sec. 3.2, Fig. 5


def _mixing_ratio(seed: int, fast: float, slow: float) -> Measurement:
    """``t_mix(slow τ)/t_mix(fast τ)`` of the trained toy chain, certified: the two mixing times
    are exact integers, the ratio's float rounding is in its error bound. When the slow one has
    not mixed within the cap its lower bound is used (the ratio is then a lower bound, said in
    raw)."""
    t = certified_mixing_times(int(seed))
    (num, capped), (den, _) = t[slow], t[fast]
    ratio = Fraction(num, den)
    value = float(ratio)
    return Measurement(
        value=value,
        error_bound=abs(float(Fraction(value) - ratio)) + 2.0**-1074 + value * 2.0**-52,
        certified=True,
        exact_value=None if capped else ratio,
        raw={
            "t_mix": {str(k): str(v[0]) for k, v in t.items()},
            "capped": {str(k): v[1] for k, v in t.items()},
            "paper_t_mix": PAPER_STEPS,
            "lower_bound_only": capped,
        },
    )


def toy_mixing(params, *, seed, device="cpu"):
    """``t_mix(0.2)/t_mix(2)`` of the trained toy chain (certified mixing times; a lower bound
    when τ = 0.2 does not mix within 2^512 steps)."""
    return _mixing_ratio(int(params["train_seed"]), 2.0, 0.2)


def toy_speedup(params, *, seed, device="cpu"):
    """``t_mix(1)/t_mix(2)`` of the trained toy chain (Fig. 5 (b)-(c)'s "×10 faster")."""
    return _mixing_ratio(int(params["train_seed"]), 2.0, 1.0)


def toy_uniform(params, *, seed, device="cpu"):
    """``TV(π|S_train, U(S_train))`` at τ = 1: the total variation between the stationary law
    restricted to the training states and renormalised, and the uniform law on them (Fig. 4 b),
    π certified (:func:`numerics.certified.stationary_law`). ``raw`` holds π and π(S_train)."""
    from .certified import bounds, exact, float_ball, stationary_law

    table, seen = trained_table(int(params["train_seed"]))
    pi = stationary_law(table.logits[K - 1], T, K, float(params.get("tau", 1.0)))
    mass = sum((pi[s] for s in seen), exact(0))
    tv = sum((abs(pi[s] / mass - exact(Fraction(1, len(seen)))) for s in seen), exact(0)) / 2
    mid, rad = float_ball(tv)
    return Measurement(
        value=mid,
        error_bound=rad,
        certified=True,
        raw={
            "pi": [float(p.mid()) for p in pi],
            "train_states": sorted(seen),
            "pi_train": bounds(mass),
        },
    )
