r"""Small language models in the class of Zekri et al. (arXiv 2410.02724, Sec. 4): the final
hidden state lies in the unit ℓ2 ball (their LayerNorm assumption) and the next-token law is
``softmax(W_U h / τ)`` with ``‖W_Uᵀ‖_{2,1} = Σ_i ‖row_i(W_U)‖₂ ≤ B_U``.

The hidden state is projected onto the ball in the forward pass; ``W_U`` is projected onto the
``ℓ_{2,1}`` ball after every optimiser step (:func:`project_l21_`), so every model a training run
returns is in the class (``tests/fast/test_lm.py`` checks it).

* :class:`ContextLM` reads a context of ``K`` tokens (pre-training, Thm 4.2).
* :class:`InContextLM` reads a whole trajectory of a ``d``-state chain causally and predicts the
  next state at every position (in-context learning, Thm 4.3): one attention layer whose keys are
  the previous token (the induction-head circuit, with its first layer, the previous-token head,
  given), an attention sink, and a ReLU MLP.

Training (:func:`train`) is deterministic given its seed on the CPU (float32, fixed data order,
``torch.use_deterministic_algorithms``) and reports progress through :mod:`numerics.progress`.
Trained in-context models are cached on disk by their configuration (:func:`cached`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F

from .device import resolve_device, torch_generator
from .files import atomic_write, cache_root
from .markov import TinyTransformer
from .progress import report

CACHE_VERSION = 1


def project_l21_(W: torch.Tensor, radius: float) -> None:
    """Project ``W`` in place onto ``{W : Σ_i ‖W_i‖₂ ≤ radius}`` (Euclidean projection): the
    vector of row norms is projected onto the ℓ1 ball by the sort-and-threshold rule (Duchi,
    Shalev-Shwartz, Singer, Chandra, ICML 2008) and each row rescaled to its new norm."""
    if not radius > 0:
        raise ValueError(f"B_U must be > 0, got {radius!r}")
    with torch.no_grad():
        r = W.norm(dim=1)
        if float(r.sum()) <= radius:
            return
        u, _ = torch.sort(r, descending=True)
        c = torch.cumsum(u, 0) - radius
        j = torch.arange(1, len(u) + 1, dtype=u.dtype, device=u.device)
        rho = int((u - c / j > 0).nonzero().max())
        theta = c[rho] / (rho + 1)
        new = (r - theta).clamp_min(0)
        W.mul_((new / r.clamp_min(torch.finfo(r.dtype).tiny))[:, None])


def l21_norm(W: torch.Tensor) -> float:
    """``‖Wᵀ‖_{2,1}`` as the paper writes it: the sum of the row norms of ``W``."""
    return float(W.detach().norm(dim=1).sum())


def unit_ball(h: torch.Tensor) -> torch.Tensor:
    """Project each vector onto the unit ℓ2 ball (unchanged inside it)."""
    return h / h.norm(dim=-1, keepdim=True).clamp_min(1.0)


class ProjectedHead(torch.nn.Module):
    """``h ↦ W_U unit_ball(h) / τ`` with ``‖W_Uᵀ‖_{2,1} ≤ B_U`` kept by :meth:`project_`."""

    def __init__(self, width: int, vocab: int, B_U: float, tau: float):
        super().__init__()
        if not (B_U > 0 and math.isfinite(B_U)):
            raise ValueError(f"B_U must be a finite real > 0, got {B_U!r}")
        if not (tau > 0 and math.isfinite(tau)):
            raise ValueError(f"tau must be a finite real > 0, got {tau!r}")
        self.B_U, self.tau = float(B_U), float(tau)
        self.W_U = torch.nn.Parameter(torch.randn(vocab, width) / math.sqrt(width))
        self.project_()

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return F.linear(unit_ball(h), self.W_U) / self.tau

    def project_(self) -> None:
        project_l21_(self.W_U.data, self.B_U)


class ContextLM(TinyTransformer):
    """The :class:`~numerics.markov.TinyTransformer` over contexts of ``K`` tokens from a
    vocabulary of ``T``, its read-out replaced by the projected head."""

    def __init__(self, T: int, K: int, *, B_U: float, tau: float = 1.0, width: int = 16):
        super().__init__(T, K, width)
        self.head = ProjectedHead(width, T, B_U, tau)


class InContextLM(torch.nn.Module):
    """Causal one-layer transformer for in-context learning of ``d``-state chains.

    At position ``n`` the query is the current state ``x_n``; position ``j ≤ n`` offers the key
    of its previous state ``x_{j−1}`` and the value of its own state ``x_j``, so attention can
    average the successors of earlier visits to ``x_n``. Scores are cosine similarities times a
    learned scale; a learned sink key/value lets the layer shrink towards a prior when few
    earlier visits exist. The MLP reads the attention output and the current state's embedding.
    """

    def __init__(self, d: int, *, B_U: float, tau: float = 1.0, width: int = 32):
        super().__init__()
        self.d = d
        self.tok = torch.nn.Embedding(d, width)
        self.prev = torch.nn.Embedding(d + 1, width)  # index d: "no previous token"
        self.q = torch.nn.Linear(width, width, bias=False)
        self.k = torch.nn.Linear(width, width, bias=False)
        self.v = torch.nn.Linear(width, width, bias=False)
        self.sink_k = torch.nn.Parameter(torch.randn(width))
        self.sink_v = torch.nn.Parameter(torch.zeros(width))
        self.log_scale = torch.nn.Parameter(torch.tensor(math.log(10.0)))
        self.mlp = torch.nn.Sequential(
            torch.nn.Linear(2 * width, 4 * width),
            torch.nn.ReLU(),
            torch.nn.Linear(4 * width, width),
        )
        self.head = ProjectedHead(width, d, B_U, tau)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Next-state logits at every position, shape ``(batch, length, d)``."""
        B, L = x.shape
        prev = torch.cat([torch.full_like(x[:, :1], self.d), x[:, :-1]], dim=1)
        e = self.tok(x)
        q = F.normalize(self.q(e), dim=-1)
        k = F.normalize(self.k(self.prev(prev)), dim=-1)
        scale = self.log_scale.exp()
        scores = scale * (q @ k.transpose(1, 2))
        causal = torch.ones(L, L, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        sink = scale * (q @ F.normalize(self.sink_k, dim=0))
        att = torch.cat([sink[..., None], scores], dim=-1).softmax(dim=-1)
        a = att[..., :1] * self.sink_v + att[..., 1:] @ self.v(e)
        return self.head(self.mlp(torch.cat([a, e], dim=-1)))


def train(
    model: torch.nn.Module,
    batch: Callable[[int, torch.Generator], tuple[torch.Tensor, torch.Tensor]],
    *,
    steps: int,
    lr: float,
    seed: int,
    label: str = "training",
) -> list[float]:
    """Adam with a one-cycle schedule on the cross-entropy against target distributions;
    ``batch(step, generator)`` returns ``(inputs, target probabilities)`` matching the model's
    output. ``W_U`` is projected after every step. Returns the loss per step."""
    dev = next(model.parameters()).device
    gen = torch_generator(seed, dev)
    opt = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=steps)
    was_det = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True, warn_only=dev.type != "cpu")
    losses = []
    try:
        model.train()
        every = max(1, steps // 100)
        for step in range(steps):
            inputs, target = batch(step, gen)
            logp = model(inputs).log_softmax(dim=-1)
            loss = -(target * logp).sum(dim=-1).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            model.head.project_()
            losses.append(loss.detach())
            if (step + 1) % every == 0 or step + 1 == steps:
                report(label, step + 1, steps)
    finally:
        torch.use_deterministic_algorithms(was_det)
    model.eval()
    return [float(v) for v in torch.stack(losses).cpu()]


# --------------------------------------------------------------------------------------------
# Random chains and in-context pre-training
# --------------------------------------------------------------------------------------------


def random_chains(n: int, d: int, gen: torch.Generator, *, p_min: float = 0.0) -> torch.Tensor:
    """``n`` random ``d × d`` transition matrices, rows ``p_min + (1 − d p_min)·Dirichlet(1)``
    (a Dirichlet(1) row is a normalised vector of standard exponentials)."""
    dev = gen.device
    E = -torch.log(torch.rand(n, d, d, generator=gen, device=dev).clamp_min(1e-30))
    return p_min + (1 - d * p_min) * E / E.sum(dim=-1, keepdim=True)


def sample_paths(P: torch.Tensor, length: int, gen: torch.Generator) -> torch.Tensor:
    """One trajectory of each chain ``P[b]`` (``P`` of shape ``(n, d, d)``), uniform start;
    returns ``(n, length)`` states."""
    n, d, _ = P.shape
    dev = P.device
    cdf = P.cumsum(dim=-1)
    cdf[..., -1] = 1.0
    u = torch.rand(n, length, generator=gen, device=dev)
    x = torch.empty(n, length, dtype=torch.long, device=dev)
    x[:, 0] = torch.randint(0, d, (n,), generator=gen, device=dev)
    # the next state from every state at every step, by inverse CDF, in one vectorised pass;
    # the walk is then one gather per step (few kernel launches on a GPU)
    nxt = (u[:, :, None, None] > cdf[:, None]).sum(dim=-1).clamp_max(d - 1)  # (n, length, d)
    for t in range(1, length):
        x[:, t] = nxt[:, t].gather(1, x[:, t - 1 : t]).squeeze(1)
    return x


def icl_config(d: int, steps: int, device="cpu") -> dict:
    """The pre-training configuration of the in-context model for ``d`` states (the device type
    is part of it: a checkpoint trained on a GPU differs in its last bits)."""
    if isinstance(d, bool) or not isinstance(d, int) or d < 2:
        raise ValueError(f"d must be an integer ≥ 2, got {d!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"the number of pre-training steps must be an integer ≥ 1, got {steps!r}")
    return dict(
        d=d,
        width=48,
        B_U=4.0 * d,
        tau=1.0,
        length=256,
        batch=64,
        lr=5e-3,
        seed=0,
        steps=steps,
        device=resolve_device(device).type,
    )


def pretrain_icl(config: dict, device="cpu") -> InContextLM:
    """Pre-train an :class:`InContextLM` on trajectories of fresh random chains (a new chain per
    sequence), with the true next-state distributions as soft targets."""
    dev = resolve_device(device)
    d = int(config["d"])
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(config["seed"]))
        model = InContextLM(d, B_U=config["B_U"], tau=config["tau"], width=config["width"])
    model = model.to(dev)
    rows = torch.arange(config["batch"], device=dev)[:, None]

    def batch(step, gen):
        P = random_chains(config["batch"], d, gen)
        x = sample_paths(P, config["length"], gen)
        return x, P[rows, x]

    train(
        model,
        batch,
        steps=int(config["steps"]),
        lr=float(config["lr"]),
        seed=int(config["seed"]),
        label=f"pre-training the in-context model (d={d})",
    )
    return model


# --------------------------------------------------------------------------------------------
# Checkpoint cache
# --------------------------------------------------------------------------------------------


SHIPPED = Path(__file__).resolve().parent / "checkpoints"
"""Checkpoints that ship with the package (package data): the quick profile's, trained once on a
CPU by ``verify checkpoints --rebuild --ship``."""


def cache_dir() -> Path:
    """Where checkpoints trained here live: ``checkpoints/`` under
    :func:`numerics.files.cache_root`."""
    return cache_root() / "checkpoints"


def config_key(kind: str, config: dict) -> str:
    """The file key of a configuration: a hash of its kind, its fields and the cache version."""
    blob = json.dumps({"kind": kind, "config": config, "version": CACHE_VERSION}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def checkpoint_name(kind: str, config: dict) -> str:
    return f"{kind}-{config_key(kind, config)}.pt"


def locate(kind: str, config: dict, *, shipped: bool = True) -> tuple[Path | None, str]:
    """Where the checkpoint of ``config`` is: ``(path, "shipped" | "cached")``, or
    ``(None, "missing")``. A shipped checkpoint is preferred: every machine then uses the same
    weights."""
    name = checkpoint_name(kind, config)
    places = ([(SHIPPED, "shipped")] if shipped else []) + [(cache_dir(), "cached")]
    for root, where in places:
        if (root / name).exists():
            return root / name, where
    return None, "missing"


def store(kind: str, config: dict, model: torch.nn.Module, root: Path | None = None) -> Path:
    """Save ``model``'s weights under ``root`` (the cache by default), with its configuration
    beside it as JSON; returns the path."""
    root = cache_dir() if root is None else Path(root)
    path = root / checkpoint_name(kind, config)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    atomic_write(path, lambda fh: torch.save(state, fh))
    meta = json.dumps({"kind": kind, **config}, indent=1, sort_keys=True) + "\n"
    atomic_write(path.with_suffix(".json"), lambda fh: fh.write(meta.encode()))
    return path


def load(path: Path, empty: torch.nn.Module) -> torch.nn.Module:
    """The weights at ``path`` loaded into ``empty`` (in evaluation mode)."""
    empty.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return empty.eval()


def cached(
    kind: str,
    config: dict,
    build: Callable[[], torch.nn.Module],
    empty: torch.nn.Module,
    *,
    shipped: bool = True,
) -> torch.nn.Module:
    """The model for ``config``: loaded into ``empty`` from a shipped or cached checkpoint when
    there is one, otherwise ``build()`` and stored in the cache (atomically: an interrupted
    training leaves nothing behind, and the next run starts it again)."""
    path, _ = locate(kind, config, shipped=shipped)
    if path is not None:
        return load(path, empty)
    model = build()
    store(kind, config, model)
    return model


def empty_icl_model(config: dict) -> InContextLM:
    return InContextLM(
        int(config["d"]), B_U=config["B_U"], tau=config["tau"], width=config["width"]
    )


def icl_configs(d: int, steps: int, device="cpu") -> list[dict]:
    """The configurations that serve ``d`` states and ``steps`` on ``device``, preferred first:
    the one trained on this device type, then (off the CPU) the CPU-trained one, which is shipped
    for the quick profile. The weights, not the device they were trained on, define the model."""
    first = icl_config(d, steps, device)
    return [first] if first["device"] == "cpu" else [first, icl_config(d, steps, "cpu")]


def find_icl(d: int, steps: int, device="cpu", *, shipped: bool = True):
    """``(config, path, where)``: the first of :func:`icl_configs` with a checkpoint, or the
    device's own configuration with ``(None, "missing")``."""
    configs = icl_configs(d, steps, device)
    for config in configs:
        path, where = locate("icl", config, shipped=shipped)
        if path is not None:
            return config, path, where
    return configs[0], None, "missing"


def icl_model(d: int, steps: int, device="cpu", *, shipped: bool = True) -> InContextLM:
    """The pre-trained in-context model for ``d`` states: a shipped or cached checkpoint of one
    of :func:`icl_configs`, or trained now on ``device`` (with progress) and cached."""
    config, _, _ = find_icl(d, steps, device, shipped=shipped)
    model = cached(
        "icl",
        config,
        lambda: pretrain_icl(config, device),
        empty_icl_model(config),
        shipped=shipped,
    )
    return model.to(resolve_device(device))
