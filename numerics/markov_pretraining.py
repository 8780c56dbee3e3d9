r"""Experiments of the Markov paper's theorems in :mod:`theorems.markov_pretraining` (merged into
:data:`numerics.markov_experiments.EXPERIMENTS`): the KL form of Theorem 4.2 (Thm E.5) and the
depth-dependent bound (Cor. E.3) with its logit bound (Lemma F.15).

:class:`DepthLM` is the transformer of the paper's App. B without its layer normalisation, in
the class ``W̃`` of App. E.2: ``L`` blocks of ``H``-head causal attention over positions and a
ReLU MLP of width ``m``, no biases; the input columns ``s_k = E[x_k] + P[k]`` have
``‖s_k‖₁ ≤ B_tok``; every entry of ``W_V``, ``W_O``, ``W_1``, ``W_2`` is at most ``B_V``,
``B_O``, ``B_1``, ``B_2`` in absolute value (the ∞-norm of Lemma F.13 is the entrywise maximum);
``‖W_Uᵀ‖_{2,1} ≤ B_U``; the next-token law is ``softmax(W_U S^{(L)} 1_n/(nτ))``. ``W_Q``,
``W_K`` are unconstrained, as in ``W̃``. The constraints are restored after every optimiser
step (:meth:`DepthLM.project_`) and checked after training (:func:`class_norms`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .device import numpy_rng
from .markov import contexts
from .markov_data import (
    context_setting,
    deviation_measurement,
    deviations,
    fitted_context_model,
)
from .measurement import Measurement
from .rounding import UNIT_ROUNDOFF, gamma

DELTA = 0.05  # the theorems' δ (level 0.95)


# --------------------------------------------------------------------------------------------
# Theorem E.5: the KL risk
# --------------------------------------------------------------------------------------------


def kl_log_bound(T: int, B_U: float, tau: float, c0: float) -> float:
    """Lemma E.4's ``B`` for the class ``W``: ``max{log T + 2B_U/τ, log(1/c₀)}`` (Prop. F.9)."""
    return max(math.log(T) + 2 * B_U / tau, math.log(1 / c0))


def kl_pretraining_deviations(params, *, seed, device="cpu"):
    """``R − R̂`` of the KL risk (Eq. 8: ``d_KL(P_L(·|S) ‖ P_Θ(·|S))``) of a fixed model over
    ``datasets`` independent samples of ``N`` contexts.

    The truth is an order-``K`` chain over ``T`` tokens, every probability ``≥ c0``; the model a
    :class:`~numerics.lm.ContextLM` (final hidden state in the unit ball, ``‖W_Uᵀ‖_{2,1} ≤ B_U``)
    fitted beforehand on a sample of its own (:func:`~numerics.markov_data.
    fitted_context_model`), so it is fixed with respect to the datasets. Contexts as in
    :func:`~numerics.markov_data.context_setting`; input ``Gamma`` is ``‖Γ‖`` (1) or its bound
    ``√t_min``. Raw: the observed
    95 % quantile, Thm E.5's bound ``√2 ‖Γ‖ B √(log(2/δ)/N)`` computed here, and the largest
    ``|log(P_L/P_Θ)|`` over contexts and tokens against Lemma E.4's ``B``."""

    T, K, N = int(params["T"]), int(params["K"]), int(params["N"])
    tau, BU, c0 = float(params["tau"]), float(params["B_U"]), float(params["c0"])
    M = int(params["datasets"])
    rng, truth, W, weights, gam, mode = context_setting(params, seed, 81)
    model = fitted_context_model(truth, T, K, B_U=BU, tau=tau, weights=weights, seed=seed)
    log_ratio = np.log(truth) - np.log(model)
    kl = (truth * log_ratio).sum(axis=1)
    R, dev = deviations(kl, weights, W, N, M, rng, mode)
    B = kl_log_bound(T, BU, tau, c0)
    return deviation_measurement(
        R,
        dev,
        gam,
        mode,
        Gamma_bound=gam,
        bound=math.sqrt(2) * gam * B * math.sqrt(math.log(2 / DELTA) / N),
        lemma_E4_B=B,
        max_abs_log_ratio=float(np.abs(log_ratio).max()),
        max_kl=float(kl.max()),
    )


# --------------------------------------------------------------------------------------------
# Corollary E.3: a transformer without LayerNorm in the class W̃
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthConfig:
    """Architecture and the norm bounds of ``W̃`` (App. E.2): ``L`` layers, ``H`` heads, width
    ``r`` (``H`` divides it), MLP width ``m``, temperature ``tau``."""

    T: int
    K: int
    L: int
    H: int
    r: int
    m: int
    B_1: float
    B_2: float
    B_O: float
    B_V: float
    B_tok: float
    B_U: float
    tau: float = 1.0

    def __post_init__(self):
        for name in ("T", "K", "L", "H", "r", "m"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be an integer ≥ 1, got {v!r}")
        if self.T < 2:
            raise ValueError(f"T must be an integer ≥ 2, got {self.T}")
        if self.r % self.H:
            raise ValueError(f"the number of heads H = {self.H} must divide the width r = {self.r}")
        for name in ("B_1", "B_2", "B_O", "B_V", "B_tok", "B_U", "tau"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
                raise ValueError(f"{name} must be a finite real > 0, got {v!r}")

    @classmethod
    def from_params(cls, params: dict) -> DepthConfig:
        ints = {k: int(params[k]) for k in ("T", "K", "L", "H", "r", "m")}
        reals = {k: float(params[k]) for k in ("B_1", "B_2", "B_O", "B_V", "B_tok", "B_U")}
        return cls(**ints, **reals, tau=float(params.get("tau", 1.0)))

    def layer_factor(self) -> float:
        """``(1 + r m B₁B₂)(1 + r³/H · B_O B_V)``: one block's growth in Lemma F.15."""
        r = self.r
        return (1 + r * self.m * self.B_1 * self.B_2) * (1 + r**3 / self.H * self.B_O * self.B_V)

    def logit_bound(self) -> float:
        """Lemma F.15: ``‖W_U S^{(L)} 1_n/(nτ)‖₁ ≤ c₃ B_U/τ``, ``c₃ = layer_factor^L · B_tok``."""
        return self.layer_factor() ** self.L * self.B_tok * self.B_U / self.tau

    def b_theta(self) -> float:
        """Cor. E.3's ``B_Θ = [(1 + r m B₁B₂)(1 + r³/H · B_O B_V)](B_tok B_U)^{1/L}``."""
        return self.layer_factor() * (self.B_tok * self.B_U) ** (1 / self.L)

    def bbar_over_gamma(self, c0: float) -> float:
        """Cor. E.3's ``B̄/‖Γ‖ = 2 max{log T + 2B_Θ^L/τ, log(1/c₀)}^{1/2}``."""
        return 2 * math.sqrt(
            max(math.log(self.T) + 2 * self.b_theta() ** self.L / self.tau, math.log(1 / c0))
        )


def _depth_lm_class():
    import torch
    import torch.nn.functional as F

    from .lm import project_l21_

    class DepthLM(torch.nn.Module):
        """See the module's text. Parameters are float64; ``forward`` takes contexts ``(b, n)``
        of token indices (``n ≤ K``) and returns logits ``(b, T)``."""

        def __init__(self, cfg: DepthConfig, gen: torch.Generator):
            super().__init__()
            self.cfg = cfg
            T, K, L, H, r, m = cfg.T, cfg.K, cfg.L, cfg.H, cfg.r, cfg.m
            d = r // H

            def init(*shape, scale):
                w = torch.randn(*shape, generator=gen, dtype=torch.float64) * scale
                return torch.nn.Parameter(w)

            self.E = init(T, r, scale=1.0)
            self.P = init(K, r, scale=1.0)
            self.Wq = init(L, H, d, r, scale=1 / math.sqrt(r))
            self.Wk = init(L, H, d, r, scale=1 / math.sqrt(r))
            self.Wv = init(L, H, d, r, scale=cfg.B_V)
            self.Wo = init(L, r, r, scale=cfg.B_O)
            self.W1 = init(L, m, r, scale=cfg.B_1)
            self.W2 = init(L, r, m, scale=cfg.B_2)
            self.WU = init(T, r, scale=1 / math.sqrt(r))
            self.project_()

        def tokens(self, x: torch.Tensor) -> torch.Tensor:
            """The input columns ``s_k = E[x_k] + P[k]``, shape ``(b, n, r)``."""
            return self.E[x] + self.P[: x.shape[1]]

        def hidden(self, x: torch.Tensor) -> torch.Tensor:
            """``S^{(L)}`` as rows (``(b, n, r)``)."""
            cfg = self.cfg
            S = self.tokens(x)
            b, n, r = S.shape
            causal = torch.ones(n, n, dtype=torch.bool).tril()
            for ell in range(cfg.L):
                q = torch.einsum("bnr,hdr->bhnd", S, self.Wq[ell])
                k = torch.einsum("bnr,hdr->bhnd", S, self.Wk[ell])
                v = torch.einsum("bnr,hdr->bhnd", S, self.Wv[ell])
                scores = (q @ k.transpose(-1, -2) / math.sqrt(r)).masked_fill(~causal, -math.inf)
                c = (scores.softmax(dim=-1) @ v).permute(0, 2, 1, 3).reshape(b, n, r)
                Z = S + c @ self.Wo[ell].T
                S = Z + F.relu(Z @ self.W1[ell].T) @ self.W2[ell].T
            return S

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.hidden(x).mean(dim=1) @ self.WU.T / self.cfg.tau

        @torch.no_grad()
        def project_(self) -> None:
            """Back into ``W̃``: entries clipped to ``[−B, B]``; token and position rows scaled
            to ℓ1 norm ``≤ B_tok/2`` each (so every column ``‖s_k‖₁ ≤ B_tok``); ``W_U`` projected
            onto the ``ℓ_{2,1}`` ball of radius ``B_U``."""
            cfg = self.cfg
            for w, bound in ((self.Wv, cfg.B_V), (self.Wo, cfg.B_O)):
                w.clamp_(-bound, bound)
            self.W1.clamp_(-cfg.B_1, cfg.B_1)
            self.W2.clamp_(-cfg.B_2, cfg.B_2)
            for w in (self.E, self.P):
                norms = w.abs().sum(dim=1, keepdim=True)
                w.mul_((cfg.B_tok / 2 / norms.clamp_min(1e-300)).clamp(max=1.0))
            project_l21_(self.WU.data, cfg.B_U)

    return DepthLM


def depth_model(cfg: DepthConfig, *, seed: int):
    """A :class:`DepthLM` with seeded random weights, projected into ``W̃``."""
    from .device import torch_generator

    return _depth_lm_class()(cfg, torch_generator(seed, "cpu"))


def class_norms(model) -> dict:
    """The norms ``W̃`` bounds, as the model holds them: the largest entry of each constrained
    matrix over the layers, the largest ``‖s_k‖₁`` over tokens and positions, ``‖W_Uᵀ‖_{2,1}``."""
    with_abs = lambda w: float(w.detach().abs().max())  # noqa: E731
    l1 = lambda w: w.detach().abs().sum(dim=1)  # noqa: E731
    return {
        "B_V": with_abs(model.Wv),
        "B_O": with_abs(model.Wo),
        "B_1": with_abs(model.W1),
        "B_2": with_abs(model.W2),
        "B_tok": float(l1(model.E).max() + l1(model.P).max()),
        "B_U": float(model.WU.detach().norm(dim=1).sum()),
    }


CLASS_SLACK = 1e-12
"""Relative slack of the class check: the ℓ1 rescaling and the ℓ_{2,1} projection land on the
boundary up to rounding."""


def check_class(model) -> dict:
    """:func:`class_norms`, after checking each is within its bound (``ValueError`` naming the
    first that is not)."""
    cfg, norms = model.cfg, class_norms(model)
    for name, value in norms.items():
        bound = getattr(cfg, name)
        if value > bound * (1 + CLASS_SLACK):
            raise ValueError(f"the model left W̃: {name} norm {value!r} > {bound!r}")
    return norms


_TRAINED: dict = {}
"""Trained models by their inputs (the function is deterministic): a theorem's check runs its
lemma's points again for every variant of the claim (``verify selftest``), and a few dozen
tiny models are cheap to keep."""


def train_depth_model(cfg: DepthConfig, truth, weights, *, seed: int, steps: int = 150):
    """A :class:`DepthLM` fitted to the order-``K`` chain ``truth`` on a sample of its own
    (``50·T^K`` contexts from ``weights``, next tokens from ``truth``): Adam on the sample's mean
    cross-entropy, full batch, float64, projected into ``W̃`` after every step and checked
    after the last (:func:`check_class`). Kept in memory by its inputs (:data:`_TRAINED`): do
    not change the returned model."""
    key = (cfg, np.asarray(truth).tobytes(), np.asarray(weights).tobytes(), int(seed), steps)
    if key not in _TRAINED:
        if len(_TRAINED) >= 64:
            _TRAINED.pop(next(iter(_TRAINED)))
        _TRAINED[key] = _train_depth_model(cfg, truth, weights, seed=seed, steps=steps)
    return _TRAINED[key]


def _train_depth_model(cfg: DepthConfig, truth, weights, *, seed: int, steps: int):
    import torch

    T, K = cfg.T, cfg.K
    rng = numpy_rng(seed, 92)
    n_fit = 50 * T**K
    ctx = rng.choice(T**K, p=weights, size=n_fit)
    nxt = (rng.random(n_fit)[:, None] > np.cumsum(truth, axis=1)[ctx]).sum(axis=1)
    counts = np.zeros((T**K, T))
    np.add.at(counts, (ctx, nxt.clip(max=T - 1)), 1.0 / n_fit)
    X = torch.as_tensor(contexts(T, K))
    Y = torch.as_tensor(counts, dtype=torch.float64)
    model = depth_model(cfg, seed=seed)
    opt = torch.optim.Adam(model.parameters(), lr=3e-2, foreach=True)
    for _ in range(steps):
        loss = -(Y * model(X).log_softmax(dim=-1)).sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        model.project_()
    check_class(model)
    return model.eval()


def logit_norms(model, T: int, K: int) -> np.ndarray:
    """``‖W_U S^{(L)} 1_n/(nτ)‖₁`` at every context of length 1..K (Lemma F.15's left side)."""
    import torch

    with torch.no_grad():
        out = [model(torch.as_tensor(contexts(T, n))).abs().sum(dim=1) for n in range(1, K + 1)]
    return torch.cat(out).numpy()


def logit_rounding(cfg: DepthConfig) -> float:
    """A bound on the relative rounding of the computed logit norms, against Lemma F.15's bound:
    every intermediate vector's ℓ1 norm lies within the lemma's chain of bounds, and each of the
    ``L`` blocks applies at most 8 dot products of length ``≤ r + m + K`` and a softmax, each
    adding at most ``γ_{r+m+K+10}`` relative to that chain; ``T`` more for the read-out."""
    k = 8 * cfg.L * (cfg.r + cfg.m + cfg.K + 10) + 2 * cfg.T + 20
    return (1 + gamma(k)) ** (cfg.L + 1) - 1 + 4 * UNIT_ROUNDOFF


def _extreme_model(cfg: DepthConfig, *, seed: int, kind: str):
    """A member of ``W̃`` at the edge of the class: ``"positive"`` (every constrained entry at
    its bound, all positive, every token ``B_tok e₁``, ``W_U`` constant: each ℓ1 step of
    Lemma F.15 in the MLP and ``W_V`` is then an equality), ``"signs"`` (entries at ``±B``
    with random signs, large ``W_Q``, ``W_K``) or ``"uniform"`` (entries uniform in the
    box)."""
    import torch

    model = depth_model(cfg, seed=seed)
    g = torch.Generator().manual_seed(int(seed))
    mats = ((model.Wv, cfg.B_V), (model.Wo, cfg.B_O), (model.W1, cfg.B_1), (model.W2, cfg.B_2))
    with torch.no_grad():
        for w, bound in mats:
            if kind == "positive":
                w.fill_(bound)
            elif kind == "signs":
                w.copy_(bound * torch.randint(0, 2, w.shape, generator=g).double().mul(2).sub(1))
            else:
                w.copy_(bound * (2 * torch.rand(w.shape, generator=g, dtype=torch.float64) - 1))
        if kind == "positive":
            for w in (model.E, model.P):
                w.zero_()
                w[:, 0] = cfg.B_tok / 2
            model.WU.fill_(cfg.B_U / (cfg.T * math.sqrt(cfg.r)))
        elif kind == "signs":
            model.Wq.mul_(20.0)
            model.Wk.mul_(20.0)
    check_class(model)
    return model.eval()


EXTREME_KINDS = ("positive", "signs", "signs", "uniform", "uniform")


def depth_logit_ratio(params, *, seed, device="cpu"):
    """Lemma F.15 measured: the largest ``‖W_U S^{(L)} 1_n/(nτ)‖₁ / (c₃ B_U/τ)`` over every
    context of length 1..K and over models of ``W̃``: the one :func:`depth_deviations` trains at
    these settings (its own seed) and five at the class's edge (:func:`_extreme_model`). The
    lemma says ``≤ 1``. Deterministic; error bound :func:`logit_rounding`."""
    cfg = DepthConfig.from_params(params)
    bound = cfg.logit_bound()
    _, truth, _, weights, _, _ = context_setting({**params, "contexts": "iid"}, seed, 91)
    models = {"trained": train_depth_model(cfg, truth, weights, seed=seed)}
    for i, kind in enumerate(EXTREME_KINDS):
        models[f"{kind}_{i}"] = _extreme_model(cfg, seed=seed + 7919 * (i + 1), kind=kind)
    ratios = {name: float(logit_norms(m, cfg.T, cfg.K).max() / bound) for name, m in models.items()}
    top = max(ratios.values())
    return Measurement(
        value=top,
        error_bound=logit_rounding(cfg) * max(top, 1.0),
        raw={"ratios": ratios, "logit_bound": bound, "layer_factor": cfg.layer_factor()},
    )


def depth_deviations(params, *, seed, device="cpu"):
    """``R − R̂`` of the TV risk of a fixed :class:`DepthLM` (trained beforehand on a sample of
    its own, in ``W̃``) over ``datasets`` independent samples of ``N`` contexts, as
    :func:`kl_pretraining_deviations` does for the KL risk (same truth and context laws; input
    ``Gamma``). Raw: the observed 95 % quantile, Cor. E.3's bound computed here, the model's
    norms against the class, and its largest logit norm over Lemma F.15's bound."""
    cfg = DepthConfig.from_params(params)
    N, M, c0 = int(params["N"]), int(params["datasets"]), float(params["c0"])
    import torch

    rng, truth, W, weights, gam, mode = context_setting(params, seed, 91)
    model = train_depth_model(cfg, truth, weights, seed=seed)
    with torch.no_grad():
        probs = model(torch.as_tensor(contexts(cfg.T, cfg.K))).softmax(dim=-1).numpy()
    tv = 0.5 * np.abs(truth - probs).sum(axis=1)
    R, dev = deviations(tv, weights, W, N, M, rng, mode)
    bbar = gam * cfg.bbar_over_gamma(c0)
    return deviation_measurement(
        R,
        dev,
        gam,
        mode,
        Gamma_bound=gam,
        bound=bbar * math.sqrt(math.log(2 / DELTA) / N),
        B_Theta=cfg.b_theta(),
        class_norms=check_class(model),
        logit_ratio=float(logit_norms(model, cfg.T, cfg.K).max() / cfg.logit_bound()),
    )


EXPERIMENTS: dict = {
    "markov.kl_pretraining_deviations": kl_pretraining_deviations,
    "markov.depth_deviations": depth_deviations,
    "markov.depth_logit_ratio": depth_logit_ratio,
}
