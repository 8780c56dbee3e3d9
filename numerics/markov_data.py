"""The ground truths and fixed models the generalisation-bound experiments share (Thm 4.2, 4.3,
E.5, Cor. E.3 and Prop. E.2): order-``K`` chains with every probability ``≥ c0``, the chain of
their length-``K`` windows, means along simulated paths, and a context model in the paper's class
fitted on a sample of its own."""

from __future__ import annotations

import math

import numpy as np

from .chains import t_min
from .device import numpy_rng
from .markov import contexts
from .markov_stationary import gth
from .measurement import Measurement


def order_k_truth(T: int, K: int, c0: float, rng: np.random.Generator) -> np.ndarray:
    """Next-token laws of an order-``K`` chain over ``T`` tokens, one row per context (index
    ``Σ a_i T^(K−i)``), every probability ``≥ c0``: rows ``c0 + (1 − T c0)·Dirichlet(1)``."""
    if not 0 < c0 < 1 / T:
        raise ValueError(f"c0 must lie in (0, 1/T) = (0, {1 / T}), got {c0}")
    return c0 + (1 - T * c0) * rng.dirichlet(np.ones(T), size=T**K)


def window_chain(truth: np.ndarray, T: int, K: int) -> np.ndarray:
    """The chain of length-``K`` windows of an order-``K`` chain (dense, ``T^K × T^K``): from
    ``(a_1..a_K)`` token ``t`` leads to ``(a_2..a_K, t)``."""
    n = T**K
    P = np.zeros((n, n))
    s = np.arange(n)
    for t in range(T):
        P[s, (s % T ** (K - 1)) * T + t] = truth[:, t]
    return P


def fitted_context_model(truth, T, K, *, B_U, tau, weights, seed, device="cpu") -> np.ndarray:
    """Next-token laws (one row per context) of a :class:`~numerics.lm.ContextLM` in the paper's
    class, trained on its own sample (``50·T^K`` contexts drawn from ``weights``, next tokens from
    ``truth``), independent of the datasets it is then evaluated on."""
    import torch

    from .lm import ContextLM, train

    rng = numpy_rng(seed, 52)
    n_fit = 50 * T**K
    ctx = rng.choice(T**K, p=weights, size=n_fit)
    cdf = np.cumsum(truth, axis=1)
    nxt = (rng.random(n_fit)[:, None] > cdf[ctx]).sum(axis=1).clip(max=T - 1)
    # the sample's mean cross-entropy, grouped by context: row s carries the counts of its next
    # tokens over n_fit, times the number of rows (train() averages over rows)
    counts = np.zeros((T**K, T))
    np.add.at(counts, (ctx, nxt), 1.0)
    X = torch.as_tensor(contexts(T, K))
    Y = torch.as_tensor(counts * (T**K / n_fit), dtype=torch.float32)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = ContextLM(T, K, B_U=B_U, tau=tau)
    train(model, lambda step, gen: (X, Y), steps=300, lr=3e-2, seed=seed, label="fitting the model")
    with torch.no_grad():
        return model(torch.as_tensor(contexts(T, K))).softmax(dim=-1).double().numpy()


def path_means(P, start, f, N: int, M: int, rng: np.random.Generator) -> np.ndarray:
    """``(1/N) Σ_{n<N} f(X_n)`` along ``M`` independent paths of the chain ``P`` started from
    the law ``start``, simulated side by side."""
    cdf = np.cumsum(P, axis=1)
    cdf[:, -1] = 1.0
    x = rng.choice(len(P), p=start, size=M)
    total = np.zeros(M)
    for _ in range(N):
        total += f[x]
        x = (rng.random(M)[:, None] > cdf[x]).sum(axis=1)
    return total / N


def context_setting(params: dict, seed: int, stream: int):
    """``(rng, truth, W, weights, Γ, mode)`` of a pre-training bound's point: the order-``K``
    truth (every probability ``≥ c0``, drawn first from the generator of ``seed`` and
    ``stream``), and the context law with ``‖Γ‖`` or its bound: ``contexts="iid"``, uniform
    independent contexts (``W = None``, ``‖Γ‖ = 1``, Theorem 4.2 as stated), or ``"chain"``, the
    windows of one long chain started stationary (its window chain ``W``, ``‖Γ‖ ≤ √t_min``, the
    concentration step of Prop. F.18)."""
    T, K = int(params["T"]), int(params["K"])
    mode = params.get("contexts", "iid")
    if mode not in ("iid", "chain"):
        raise ValueError(f"contexts must be 'iid' or 'chain', got {mode!r}")
    rng = numpy_rng(int(seed), stream)
    truth = order_k_truth(T, K, float(params["c0"]), rng)
    if mode == "iid":
        return rng, truth, None, np.full(T**K, 1.0 / T**K), 1.0, mode
    W = window_chain(truth, T, K)
    return rng, truth, W, gth(W), math.sqrt(float(t_min(W))), mode


def deviations(loss, weights, W, N: int, M: int, rng, mode: str):
    """``(R, R − R̂)`` over ``M`` independent datasets of ``N`` contexts: ``R`` the exact mean of
    the per-context loss under the context law, ``R̂`` its mean over a dataset (iid draws, or the
    ``N`` consecutive windows of a chain path started in its stationary law)."""
    R = float(weights @ loss)
    if mode == "iid":
        Rhat = loss[rng.integers(0, len(loss), size=(M, N))].mean(axis=1)
    else:
        Rhat = path_means(W, weights, loss, N, M, rng)
    return R, R - Rhat


def deviation_measurement(R: float, dev: np.ndarray, gamma: float, mode: str, **raw) -> Measurement:
    """A pre-training bound's measurement at one point: the ``R − R̂`` samples of
    :func:`deviations`, the input ``Gamma`` (``‖Γ‖`` or its bound, :func:`context_setting`), and
    in raw the risk ``R``, the context law and the observed 95 % quantile of ``R − R̂``, then the
    experiment's own ``raw`` entries."""
    q95 = float(np.quantile(dev, 0.95))
    return Measurement(
        samples=dev,
        inputs={"Gamma": gamma},
        raw={"risk": R, "contexts": mode, "deviation_q95": q95, **raw},
    )
