"""In-context learning of Markov chains by a small pre-trained transformer (Zekri et al., Sec. 4.3
and Fig. 6–7): the model of :func:`numerics.lm.icl_model` reads trajectories of a fresh random
chain and its next-state laws are compared with the chain's."""

from __future__ import annotations

import math

import numpy as np
import torch

from .device import resolve_device, torch_generator
from .lm import icl_model, random_chains, sample_paths
from .measurement import Measurement


def estimator_risks(x: torch.Tensor, P: torch.Tensor) -> dict[str, np.ndarray]:
    """Per-position risk ``TV(P(x_n, ·), P̂_n)`` of the counting estimator (rows never seen
    estimated uniform) and of the add-one (Laplace) estimator, the Bayes rule under the Dirichlet(1)
    prior the model was pre-trained on, from the transitions seen up to position ``n``;
    averaged over the trajectories ``x``, trajectory ``r`` of the chain ``P[r]``."""
    M, L = x.shape
    d = P.shape[-1]
    counts = torch.zeros(M, d, d, dtype=torch.float64, device=x.device)
    rows = torch.arange(M, device=x.device)
    out = {"counting": [], "laplace": []}
    for n in range(L):
        if n:
            counts[rows, x[:, n - 1], x[:, n]] += 1
        c = counts[rows, x[:, n]]
        seen = c.sum(dim=1, keepdim=True)
        target = P[rows, x[:, n]]
        count_est = torch.where(seen > 0, c / seen.clamp_min(1), torch.full_like(c, 1 / d))
        out["counting"].append(0.5 * (count_est - target).abs().sum(dim=1).mean())
        out["laplace"].append(0.5 * ((c + 1) / (seen + d) - target).abs().sum(dim=1).mean())
    return {k: torch.stack(v).cpu().numpy() for k, v in out.items()}


def _model_risks(d, steps, reps, length, gen, dev):
    """Per-position TV risk of the pre-trained ``d``-state model on ``reps`` trajectories, each of
    its own fresh random chain (pre-training draws from its own generator, seed 0)."""
    model = icl_model(d, steps, dev)
    P = random_chains(reps, d, gen)
    x = sample_paths(P, length, gen)
    with torch.no_grad():
        q = torch.cat([model(x[i : i + 256]).softmax(dim=-1) for i in range(0, reps, 256)])
    P = P.double()
    truth = P[torch.arange(reps, device=x.device)[:, None], x]  # (reps, length, d)
    return 0.5 * (q.double() - truth).abs().sum(dim=-1), x, P


def icl_model_rate(params, *, seed, device="cpu"):
    """In-context risk of the pre-trained model on fresh random ``d``-state chains (one per
    trajectory: the mean is the risk on a random chain, its standard error holds the chains'
    spread) at context lengths ``N_icl`` from 32 to 256: ``TV(P(x_N, ·), model(x_1..x_N))``, mean
    ± standard error over ``reps`` trajectories (uniform start). ``raw`` holds the counting and
    Laplace estimators' risks on the same trajectories and the constants ``R·√N`` at the largest
    ``N``, also for the models of ``growth_d`` states (their growth in ``d``; no slope is claimed
    there)."""
    d, reps, steps = int(params["d"]), int(params["reps"]), int(params["pretrain_steps"])
    dev = resolve_device(device)
    gen = torch_generator(seed, dev)
    Ns = np.array([32, 40, 51, 64, 81, 102, 128, 161, 203, 256])
    tv, x, P = _model_risks(d, steps, reps, int(Ns[-1]), gen, dev)
    at = torch.as_tensor(Ns - 1, device=dev)  # position N − 1 has seen N states
    vals = tv[:, at].mean(dim=0).cpu().numpy()
    ses = (tv[:, at].std(dim=0) / math.sqrt(reps)).cpu().numpy()
    base = estimator_risks(x, P)
    growth = {}
    for d2 in params.get("growth_d", ()):  # the constants' growth in d (no slope claimed there)
        tv2, x2, P2 = _model_risks(int(d2), steps, reps, int(Ns[-1]), gen, dev)
        growth[str(d2)] = {
            "model": float(tv2[:, -1].mean() * math.sqrt(Ns[-1])),
            "counting": float(estimator_risks(x2, P2)["counting"][-1] * math.sqrt(Ns[-1])),
        }
    growth[str(d)] = {
        "model": float(vals[-1] * math.sqrt(Ns[-1])),
        "counting": float(base["counting"][-1] * math.sqrt(Ns[-1])),
    }
    return Measurement(
        value=vals,
        stderr=ses,
        series={"N_icl": Ns.astype(float)},
        raw={
            "counting": base["counting"][Ns - 1].tolist(),
            "laplace": base["laplace"][Ns - 1].tolist(),
            "constant_model": float(vals[-1] * math.sqrt(Ns[-1])),
            "constant_counting": float(base["counting"][Ns[-1] - 1] * math.sqrt(Ns[-1])),
            "pretrain_steps": steps,
            "constant_growth": growth,
        },
    )
