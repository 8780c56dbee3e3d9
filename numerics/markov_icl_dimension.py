"""Experiments of the Markov paper's theorems in :mod:`theorems.markov_dimension` (merged into
:data:`numerics.markov_experiments.EXPERIMENTS`): how the constant ``R·√N`` of the in-context
risk grows with the number of states ``d`` (Zekri et al., Sec. 4.3 "Dependence on d", Fig. 7,
App. E.1.2), for the pre-trained in-context model and for the counting estimator."""

from __future__ import annotations

import math

import numpy as np
import torch

from .device import resolve_device, torch_generator
from .markov_icl import _model_risks
from .measurement import Measurement

N_CONTEXT = 256
"""The context length the constants are read at: the longest the models were trained on."""


def last_position_risks(x: torch.Tensor, P: torch.Tensor) -> dict[str, np.ndarray]:
    """Per-trajectory risk at the last position ``n = L − 1`` (``L`` states seen) of the counting
    estimator (a row never left estimated uniform) and of the add-one (Laplace) estimator:
    ``TV(P[r](x_n, ·), P̂_r(x_n, ·))`` from the ``L − 1`` transitions of trajectory ``r``; arrays
    of length ``len(x)`` (float64)."""
    if x.dim() != 2 or P.dim() != 3 or P.shape[0] != x.shape[0] or P.shape[1] != P.shape[2]:
        raise ValueError(
            f"need x of shape (M, L) and P of shape (M, d, d), got {tuple(x.shape)} and "
            f"{tuple(P.shape)}"
        )
    M, L = x.shape
    d = P.shape[-1]
    if L < 1:
        raise ValueError("need at least one state per trajectory")
    flat = (torch.arange(M, device=x.device)[:, None] * d + x[:, :-1]) * d + x[:, 1:]
    counts = torch.zeros(M * d * d, dtype=torch.float64, device=x.device)
    counts.index_add_(
        0, flat.reshape(-1), torch.ones(flat.numel(), dtype=torch.float64, device=x.device)
    )
    counts = counts.view(M, d, d)
    rows = torch.arange(M, device=x.device)
    c = counts[rows, x[:, -1]]  # (M, d): the transitions seen out of the last state
    seen = c.sum(dim=1, keepdim=True)
    target = P.double()[rows, x[:, -1]]
    count_est = torch.where(seen > 0, c / seen.clamp_min(1), torch.full_like(c, 1 / d))
    laplace = (c + 1) / (seen + d)
    return {
        "counting": (0.5 * (count_est - target).abs().sum(dim=1)).cpu().numpy(),
        "laplace": (0.5 * (laplace - target).abs().sum(dim=1)).cpu().numpy(),
    }


def slope_weights(ds) -> np.ndarray:
    """Weights ``w`` of the least-squares slope of ``y`` against ``log d``: ``slope = w · y``."""
    x = np.log(np.asarray(ds, dtype=float))
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError(f"a slope needs at least two distinct state counts, got {list(ds)}")
    c = x - x.mean()
    return c / (c @ c)


def reference_exponents(ds) -> dict[str, float]:
    """Least-squares exponents in ``d`` of ``√(log d)``, ``√d``, ``d`` and the counting
    estimator's leading-order constant (:func:`counting_leading_order`) over the state counts
    ``ds`` (slopes of their logs against ``log d``): what a constant growing like each would
    show over the same range."""
    w = slope_weights(ds)
    d = np.asarray(ds, dtype=float)
    lead = np.array([math.log(counting_leading_order(int(v))) for v in ds])
    return {
        "sqrt_log_d": float(w @ (0.5 * np.log(np.log(d)))),
        "sqrt_d": float(w @ (0.5 * np.log(d))),
        "d": float(w @ np.log(d)),
        "counting_leading_order": float(w @ lead),
    }


def counting_leading_order(d: int) -> float:
    """The counting estimator's constant ``R·√N`` to leading order in ``N`` for Dirichlet(1) rows
    when each state is visited ``N/d`` times: ``½√(2/π) · √d · E Σ_j √(p_j(1 − p_j))``, the mean
    ``d(d − 1) Γ(3/2) Γ(d − 1/2)/Γ(d + 1)`` (the proof steps dirichlet_row, row_mean_growth)."""
    if d < 2:
        raise ValueError(f"d must be an integer ≥ 2, got {d}")
    log_row = math.lgamma(1.5) + math.lgamma(d - 0.5) - math.lgamma(d + 1)
    return 0.5 * math.sqrt(2 / math.pi) * math.sqrt(d) * d * (d - 1) * math.exp(log_row)


def _log_mean_ratio(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``log(mean a) − log(mean b)`` for paired samples, with its delta-method standard error
    (the pairing's covariance included)."""
    n = a.size
    ma, mb = a.mean(), b.mean()
    va, vb = a.var(ddof=1) / n, b.var(ddof=1) / n
    cov = np.cov(a, b, ddof=1)[0, 1] / n
    var = va / ma**2 + vb / mb**2 - 2 * cov / (ma * mb)
    return float(math.log(ma) - math.log(mb)), float(math.sqrt(max(var, 0.0)))


def growth_exponents(samples: dict[int, dict[str, np.ndarray]]) -> dict:
    """From per-trajectory risks at one context length (``samples[d][name]``, trajectories of
    different ``d`` independent, the estimators of one ``d`` on the same trajectories): each
    estimator's growth exponent (the least-squares slope of ``log mean risk`` against ``log d``)
    with its delta-method standard error, and the model's exponent minus the counting
    estimator's (and minus the add-one estimator's), the pairing within each ``d`` kept."""
    ds = sorted(samples)
    w = slope_weights(ds)
    out: dict = {"d": ds}
    names = sorted(samples[ds[0]])
    for name in names:
        logs = np.array([math.log(samples[d][name].mean()) for d in ds])
        se = np.array([samples[d][name].std(ddof=1) / math.sqrt(samples[d][name].size) for d in ds])
        rel = se / np.exp(logs)
        out[name] = {"exponent": float(w @ logs), "stderr": float(math.sqrt(w**2 @ rel**2))}
    for other in ("counting", "laplace"):
        if other in names and "model" in names:
            pairs = [_log_mean_ratio(samples[d]["model"], samples[d][other]) for d in ds]
            diff = np.array([p[0] for p in pairs])
            se = np.array([p[1] for p in pairs])
            out[f"model_minus_{other}"] = {
                "exponent": float(w @ diff),
                "stderr": float(math.sqrt(w**2 @ se**2)),
            }
    return out


def icl_dimension(params, *, seed, device="cpu"):
    """The growth in ``d`` of the in-context risk's constant ``R·√N`` at ``N = N_icl`` (256,
    the models' training length, by default): for each ``d`` in ``icl_models``, ``reps``
    trajectories of fresh random ``d``-state chains (Dirichlet(1) rows, uniform start, one chain
    per trajectory) are read by the pre-trained model of ``d`` states and by the counting and
    add-one estimators. ``value`` is the model's growth exponent minus the counting estimator's
    (least-squares slopes of ``log R`` against ``log d``), ``stderr`` by the delta method over
    trajectories (paired within each ``d``, independent across ``d``). ``raw`` holds the
    constants per ``d`` with standard errors, the counting constant's leading order per ``d``,
    each exponent, and the exponents ``√(log d)``, ``√d``, ``d`` and that leading order show over
    the same ``d``."""
    ds = [int(v) for v in params["icl_models"]]
    reps, steps = int(params["reps"]), int(params["pretrain_steps"])
    n = int(params.get("N_icl", N_CONTEXT))
    if not 2 <= n <= N_CONTEXT:
        raise ValueError(f"N_icl must be an integer in [2, {N_CONTEXT}], got {n}")
    if len(set(ds)) < 2 or min(ds) < 2:
        raise ValueError(f"icl_models needs at least two distinct state counts ≥ 2, got {ds}")
    if reps < 2:
        raise ValueError(f"reps must be an integer ≥ 2, got {reps}")
    dev = resolve_device(device)
    gen = torch_generator(seed, dev)
    samples, constants = {}, {}
    root = math.sqrt(n)
    for d in sorted(set(ds)):
        tv, x, P = _model_risks(d, steps, reps, n, gen, dev)
        est = last_position_risks(x, P)
        samples[d] = {"model": tv[:, -1].cpu().numpy(), **est}
        constants[str(d)] = {
            name: {
                "constant": float(v.mean() * root),
                "stderr": float(v.std(ddof=1) / math.sqrt(reps) * root),
            }
            for name, v in samples[d].items()
        }
    fit = growth_exponents(samples)
    diff = fit["model_minus_counting"]
    return Measurement(
        value=diff["exponent"],
        stderr=diff["stderr"],
        raw={
            "N_icl": n,
            "pretrain_steps": steps,
            "reps": reps,
            "d": fit["d"],
            "constants": constants,
            "counting_leading_order": {str(d): counting_leading_order(d) for d in fit["d"]},
            "exponent_model": fit["model"],
            "exponent_counting": fit["counting"],
            "exponent_laplace": fit["laplace"],
            "model_minus_laplace": fit["model_minus_laplace"],
            "reference_exponents": reference_exponents(fit["d"]),
        },
    )


EXPERIMENTS: dict = {"markov.icl_dimension": icl_dimension}
