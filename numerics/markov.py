r"""Autoregressive language models as Markov chains (Zekri et al., arXiv 2410.02724, Sec. 3).

A model over ``T`` tokens with context window ``K`` maps each sequence of 1..K tokens to a
next-token distribution. Generation appends the token and, past ``K`` tokens, drops the oldest
("front truncation"). The chain lives on :math:`V^*_K`, the sequences of length 1..K:
:math:`|V^*_K| = \sum_{i=1}^K T^i`. States of length exactly ``K`` are recurrent, shorter ones
transient.

State indices: a length-``L`` sequence :math:`(a_1, \dots, a_L)` (``a_1`` the oldest) has index
``offset[L] + Σ_i a_i T^{L-i}``, ``offset[L] = Σ_{l<L} T^l``. From a length-``L < K`` state ``r``
token ``t`` leads to ``r·T + t`` of length ``L + 1``; from a length-``K`` state ``a·T^{K-1} + b``
it leads to ``b·T + t``.

The one-step operator is applied as a reshape and a weighted sum over the dropped token:
``O(T^{K+1})`` work, never a dense ``T^K × T^K`` matrix. Probabilities along paths are
multiplied in log space.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps
import torch
from scipy.sparse.csgraph import connected_components

from .device import numpy_rng, resolve_device

U = float(np.finfo(np.float64).eps) / 2  # unit round-off of float64


# --------------------------------------------------------------------------------------------
# Logit tables
# --------------------------------------------------------------------------------------------


@dataclass
class LogitTable:
    """Next-token logits for every context of length 1..K: ``logits[L-1]`` has shape
    ``(T**L, T)``, row ``r`` the context with index ``r`` among length-``L`` sequences."""

    T: int
    K: int
    logits: list[np.ndarray]

    def __post_init__(self):
        check_sizes(self.T, self.K)
        for L, z in enumerate(self.logits, start=1):
            if z.shape != (self.T**L, self.T):
                raise ValueError(f"logits for length {L} must have shape {(self.T**L, self.T)}")

    def max_l1(self) -> float:
        """``B = max ‖z‖₁`` over all contexts."""
        return float(max(np.abs(z).sum(axis=1).max() for z in self.logits))


def check_sizes(T, K) -> None:
    """Raise ``ValueError`` naming the broken assumption on the vocabulary or context size."""
    if isinstance(T, bool) or not isinstance(T, int | np.integer) or T < 2:
        raise ValueError(f"T must be an integer ≥ 2, got {T!r}")
    if isinstance(K, bool) or not isinstance(K, int | np.integer) or K < 1:
        raise ValueError(f"K must be an integer ≥ 1, got {K!r}")


def check_tau(tau) -> None:
    if not (isinstance(tau, int | float) and math.isfinite(tau) and tau > 0):
        raise ValueError(f"tau must be a real number > 0, got {tau!r}")


def random_logits(T: int, K: int, *, scale: float, seed: int, norm: str = "l1") -> LogitTable:
    """Random logits: each context's vector is Gaussian, rescaled so that ``‖z‖₁ = scale``
    (``norm="l1"``, the bound ``B`` of Lemma F.7) or multiplied by ``scale`` (``norm="gauss"``)."""
    check_sizes(T, K)
    if not (scale >= 0 and math.isfinite(scale)):
        raise ValueError(f"the logit scale B must be a finite real ≥ 0, got {scale!r}")
    rng = numpy_rng(seed, 1)
    out = []
    for L in range(1, K + 1):
        z = rng.standard_normal((T**L, T))
        if norm == "l1":
            z *= scale / np.abs(z).sum(axis=1, keepdims=True)
        elif norm == "gauss":
            z *= scale
        else:
            raise ValueError(f"norm must be 'l1' or 'gauss', got {norm!r}")
        out.append(z)
    return LogitTable(T, K, out)


class TinyTransformer(torch.nn.Module):
    """A one-layer causal-free transformer that reads a context of 1..K tokens and returns
    next-token logits from its last position (used to read a logit table off a real model)."""

    def __init__(self, T: int, K: int, width: int = 16):
        super().__init__()
        self.tok = torch.nn.Embedding(T, width)
        self.pos = torch.nn.Embedding(K, width)
        self.attn = torch.nn.MultiheadAttention(width, num_heads=1, batch_first=True)
        self.mlp = torch.nn.Sequential(
            torch.nn.Linear(width, 2 * width), torch.nn.ReLU(), torch.nn.Linear(2 * width, width)
        )
        self.head = torch.nn.Linear(width, T)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        L = tokens.shape[1]
        h = self.tok(tokens) + self.pos(torch.arange(L, device=tokens.device))
        # only the last position's output is read: one query, not L (the layer is position-wise
        # after attention, so the other positions' outputs never reach it)
        q = h[:, -1:]
        a, _ = self.attn(q, h, h, need_weights=False)
        x = q[:, 0] + a[:, 0]
        x = x + self.mlp(x)
        return self.head(x)


def tiny_transformer(T: int, K: int, *, seed: int, width: int = 16) -> TinyTransformer:
    """A :class:`TinyTransformer` with weights drawn from ``seed`` (global RNG state untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(np.random.SeedSequence(seed).generate_state(1)[0]))
        model = TinyTransformer(T, K, width).double()
    return model


def contexts(T: int, L: int) -> np.ndarray:
    """All length-``L`` sequences in index order, shape ``(T**L, L)`` (oldest token first)."""
    idx = np.arange(T**L)
    powers = T ** np.arange(L - 1, -1, -1)
    return (idx[:, None] // powers[None, :]) % T


@torch.no_grad()
def logits_from_model(model: torch.nn.Module, T: int, K: int, *, batch: int = 4096) -> LogitTable:
    """Read the logit table off a torch model by prompting it with every context of 1..K tokens."""
    check_sizes(T, K)
    p = next(model.parameters())
    out = []
    for L in range(1, K + 1):
        ctx = torch.as_tensor(contexts(T, L), device=p.device)
        # written into one preallocated table: kept per-batch outputs interleave with each
        # batch's temporaries on the heap and hold it at many times the table's size
        z = torch.empty(len(ctx), T, dtype=torch.float64, device=p.device)
        for i in range(0, len(ctx), batch):
            z[i : i + batch] = model(ctx[i : i + batch])
        out.append(z.cpu().numpy())  # one transfer per length
    return LogitTable(T, K, out)


def next_token_logprobs(
    table: LogitTable, tau: float, top_k: int | None = None
) -> list[np.ndarray]:
    """``log softmax(z/τ)`` for every context; with ``top_k`` only the ``k`` largest logits keep
    mass (``top_k = 1`` is greedy decoding), the others get ``-inf``."""
    check_tau(tau)
    if top_k is not None and not (isinstance(top_k, int) and 1 <= top_k <= table.T):
        raise ValueError(f"top_k must be an integer in [1, T], got {top_k!r}")
    out = []
    for z in table.logits:
        z = z / tau
        if top_k is not None and top_k < table.T:
            kth = np.sort(z, axis=1)[:, -top_k][:, None]
            z = np.where(z >= kth, z, -np.inf)
        m = z.max(axis=1, keepdims=True)
        lse = m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
        out.append(z - lse)
    return out


# --------------------------------------------------------------------------------------------
# The chain
# --------------------------------------------------------------------------------------------


class LanguageModelChain:
    """The Markov chain ``MC(V*_K, Q_f)`` of a language model, as a structured operator.

    Parameters
    ----------
    logprobs
        ``logprobs[L-1]``: array ``(T**L, T)`` of next-token log-probabilities (rows
        log-sum-exp to 0; ``-inf`` marks a token the decoder never emits).
    device
        Where the operator runs (``auto``, ``cpu``, ``cuda``); float64 throughout.
    """

    def __init__(self, logprobs: list[np.ndarray], device="cpu"):
        if not logprobs:
            raise ValueError("K must be an integer ≥ 1, got 0 (no context lengths)")
        T = logprobs[0].shape[1]
        K = len(logprobs)
        check_sizes(T, K)
        self.T, self.K = T, K
        self.device = resolve_device(device)
        self.logprobs = [np.asarray(lp, dtype=np.float64) for lp in logprobs]
        self.sizes = [T**L for L in range(1, K + 1)]
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        self.n_states = int(self.offsets[-1])
        self._lp = [torch.as_tensor(lp, device=self.device) for lp in self.logprobs]
        self._p = [lp.exp() for lp in self._lp]

    @classmethod
    def from_logits(cls, table: LogitTable, tau: float, top_k: int | None = None, device="cpu"):
        return cls(next_token_logprobs(table, tau, top_k), device=device)

    # -- sizes ------------------------------------------------------------------------------
    @property
    def n_recurrent(self) -> int:
        return self.T**self.K

    @property
    def recurrent_slice(self) -> slice:
        return slice(int(self.offsets[self.K - 1]), self.n_states)

    # -- one step ---------------------------------------------------------------------------
    def step(self, x: torch.Tensor) -> torch.Tensor:
        """One step ``x ↦ x Q_f`` for a batch of distributions ``x`` of shape ``(n, |V*_K|)``."""
        T, K = self.T, self.K
        n = x.shape[0]
        parts = [torch.zeros(n, T, dtype=x.dtype, device=x.device)]
        for L in range(1, K):
            xl = x[:, self.offsets[L - 1] : self.offsets[L]]
            parts.append((xl[:, :, None] * self._p[L - 1][None]).reshape(n, T ** (L + 1)))
        new_k = self.recurrent_step(x[:, self.recurrent_slice])
        if K > 1:
            new_k = new_k + parts.pop()
        else:
            parts = []
        return torch.cat([*parts, new_k], dim=1)

    def recurrent_step(self, x: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor:
        """One step on the length-``K`` states:
        ``new[b·T + t] = Σ_a x[a·T^{K-1} + b] p(t | a, b)``.

        On the CPU in float64 a fused compiled loop (:func:`_recurrent_step_loop`): each
        probability and each entry of ``x`` read once, each output written once, no temporary
        of size ``T^{K+1}``. Elsewhere (CUDA) one einsum over the reshaped arrays. ``out``: a
        buffer of ``x``'s shape to write into (not ``x``); a loop that reuses two buffers
        avoids fresh pages at every step, which at 2^22 states cost more than the step."""
        T, K = self.T, self.K
        n = x.shape[0]
        if out is not None and (out.shape != x.shape or out.data_ptr() == x.data_ptr()):
            raise ValueError("out must be a separate buffer of x's shape")
        if x.device.type == "cpu" and x.dtype == torch.float64 and _NUMBA:
            xs = np.ascontiguousarray(x.numpy()).reshape(n, T**K)
            res = out if out is not None and out.is_contiguous() else torch.empty_like(x)
            _fused(xs, self._p_host(), res.numpy().reshape(n, T**K), T, T ** (K - 1))
            if out is not None and res is not out:
                out.copy_(res)
                return out
            return res
        x3 = x.reshape(n, T, T ** (K - 1))
        p3 = self._p[K - 1].reshape(T, T ** (K - 1), T)
        new = torch.einsum("nab,abt->nbt", x3, p3).reshape(n, T**K)
        if out is not None:
            out.copy_(new)
            return out
        return new

    def _p_host(self) -> np.ndarray:
        """The length-``K`` next-token probabilities ``(T^K, T)`` as a flat host array."""
        if getattr(self, "_p_np", None) is None:
            self._p_np = np.ascontiguousarray(self._p[self.K - 1].cpu().numpy()).ravel()
        return self._p_np

    def _lp_host(self) -> np.ndarray:
        """The length-``K`` next-token log-probabilities ``(T^K, T)`` as a flat host array."""
        if getattr(self, "_lp_np", None) is None:
            self._lp_np = np.ascontiguousarray(self.logprobs[self.K - 1]).ravel()
        return self._lp_np

    def log_recurrent_step(self, lx: torch.Tensor) -> torch.Tensor:
        """:meth:`recurrent_step` in log space (log-sum-exp over the dropped token)."""
        T, K = self.T, self.K
        n = lx.shape[0]
        l4 = lx.reshape(n, T, T ** (K - 1), 1) + self._lp[K - 1].reshape(1, T, T ** (K - 1), T)
        return torch.logsumexp(l4, dim=1).reshape(n, T**K)

    def min_recurrent_step(self, g: torch.Tensor) -> torch.Tensor:
        """The (min, +) version: ``new[b·T + t] = min_a (g[a·T^{K-1} + b] + log p(t | a, b))``
        (on the CPU in float64 a compiled loop without the ``T^{K+1}`` temporary)."""
        T, K = self.T, self.K
        if g.device.type == "cpu" and g.dtype == torch.float64 and _NUMBA:
            out = np.empty(T**K)
            lp = self._lp_host()
            _MIN_PLUS[T**K >= PARALLEL_FROM](
                np.ascontiguousarray(g.numpy()), lp, out, T, T ** (K - 1)
            )
            return torch.from_numpy(out)
        h = g.reshape(T, T ** (K - 1), 1) + self._lp[K - 1].reshape(T, T ** (K - 1), T)
        return h.min(dim=0).values.reshape(T**K)

    # -- explicit forms (references for small sizes) ----------------------------------------
    def transitions(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every transition as ``(row, col, log p)`` arrays, emitted tokens only (finite log p)."""
        T, K = self.T, self.K
        rows, cols, vals = [], [], []
        for L in range(1, K + 1):
            r = np.arange(T**L, dtype=np.int64)
            t = np.arange(T, dtype=np.int64)
            if L < K:
                nxt = self.offsets[L] + (r[:, None] * T + t[None, :])
            else:
                nxt = self.offsets[K - 1] + ((r % T ** (K - 1))[:, None] * T + t[None, :])
            src = np.broadcast_to((self.offsets[L - 1] + r)[:, None], nxt.shape)
            lp = self.logprobs[L - 1]
            keep = np.isfinite(lp)
            rows.append(src[keep])
            cols.append(nxt[keep])
            vals.append(lp[keep])
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def sparse(self) -> sps.csr_matrix:
        """``Q_f`` as a scipy CSR matrix (probabilities)."""
        r, c, lv = self.transitions()
        return sps.csr_matrix((np.exp(lv), (r, c)), shape=(self.n_states, self.n_states))

    def dense(self) -> np.ndarray:
        if self.n_states > 8192:
            raise ValueError(f"refusing a dense {self.n_states}² matrix; use the operator")
        return self.sparse().toarray()

    def recurrent_sparse(self) -> sps.csr_matrix:
        """The length-``K`` block of ``Q_f`` as a scipy CSR matrix (probabilities)."""
        T, K = self.T, self.K
        n = T**K
        r = np.arange(n)
        nxt = (r % T ** (K - 1))[:, None] * T + np.arange(T)[None, :]
        p = np.exp(self.logprobs[K - 1]).ravel()
        return sps.csr_matrix((p, (np.repeat(r, T), nxt.ravel())), shape=(n, n))

    def recurrent_dense(self) -> np.ndarray:
        """The length-``K`` block of ``Q_f`` as a dense array (GTH's input)."""
        return self.recurrent_sparse().toarray()


def _recurrent_step_loop(x, p, out, T, B):
    """``out[i, b·T + t] = Σ_a x[i, a·B + b] · p[(a·B + b)·T + t]`` (``B = T^{K-1}``, ``p`` the
    flat ``(T^K, T)`` table), summed over ``a`` in increasing order; per ``b`` the inner loops
    run over contiguous memory. Compiled serial and parallel (over ``b``) by numba."""
    for i in range(x.shape[0]):
        xi = x[i]
        oi = out[i]
        for b in prange(B):
            o = b * T
            x0 = xi[b]
            for t in range(T):
                oi[o + t] = x0 * p[o + t]
            for a in range(1, T):
                xa = xi[a * B + b]
                q = (a * B + b) * T
                for t in range(T):
                    oi[o + t] += xa * p[q + t]


def _recurrent_step_binary(x, p, out, T, B):
    """:func:`_recurrent_step_loop` written out for ``T = 2`` (the same sums, in the same
    order): about three times faster, as the compiler then vectorises it."""
    for i in range(x.shape[0]):
        xi = x[i]
        oi = out[i]
        for b in prange(B):
            x0 = xi[b]
            x1 = xi[B + b]
            oi[2 * b] = x0 * p[2 * b] + x1 * p[2 * (B + b)]
            oi[2 * b + 1] = x0 * p[2 * b + 1] + x1 * p[2 * (B + b) + 1]


def _min_plus_step_loop(g, lp, out, T, B):
    """``out[b·T + t] = min_a (g[a·B + b] + lp[(a·B + b)·T + t])``, ``a`` in increasing order
    (a minimum of the same sums as the torch version: the same value)."""
    for b in prange(B):
        o = b * T
        for t in range(T):
            out[o + t] = g[b] + lp[o + t]
        for a in range(1, T):
            ga = g[a * B + b]
            q = (a * B + b) * T
            for t in range(T):
                v = ga + lp[q + t]
                if v < out[o + t]:
                    out[o + t] = v


PARALLEL_FROM = 2**17  # states; below, starting the threads costs more than they save


def _fused(x: np.ndarray, p: np.ndarray, out: np.ndarray, T: int, B: int) -> None:
    """The compiled one-step kernel for these sizes (``p`` flat)."""
    kernels = _BINARY if T == 2 else _GENERAL
    kernels[T * B >= PARALLEL_FROM](x, p, out, T, B)


try:  # numba compiles the loops; without it the operator falls back to torch's einsum
    import numba
    from numba import prange

    # [serial, parallel]; only the parallel build is cached on disk (one cache entry per
    # function: two builds of one function would share it)
    _GENERAL = [
        numba.njit(_recurrent_step_loop),
        numba.njit(cache=True, parallel=True)(_recurrent_step_loop),
    ]
    _BINARY = [
        numba.njit(_recurrent_step_binary),
        numba.njit(cache=True, parallel=True)(_recurrent_step_binary),
    ]
    _MIN_PLUS = [
        numba.njit(_min_plus_step_loop),
        numba.njit(cache=True, parallel=True)(_min_plus_step_loop),
    ]
    _NUMBA = True
except ImportError:  # pragma: no cover - numba is a dependency, but GPU hosts may lack it
    prange = range
    _NUMBA = False


# --------------------------------------------------------------------------------------------
# Structure
# --------------------------------------------------------------------------------------------


def count_states_bfs(T: int, K: int) -> int:
    """Count ``V*_K`` by running the generation rule: start from the ``T`` one-token prompts,
    append every token, truncate at the front past ``K``, and collect every sequence reached."""
    check_sizes(T, K)
    seen = {(t,) for t in range(T)}
    frontier = list(seen)
    while frontier:
        nxt = []
        for s in frontier:
            for t in range(T):
                u = (s + (t,))[-K:]
                if u not in seen:
                    seen.add(u)
                    nxt.append(u)
        frontier = nxt
    return len(seen)


def closed_classes(chain: LanguageModelChain) -> int:
    """Number of closed communicating classes (strongly connected components of the support graph
    that no edge leaves): the number of stationary distributions' extreme points."""
    r, c, _ = chain.transitions()
    G = sps.csr_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(chain.n_states,) * 2)
    n, labels = connected_components(G, directed=True, connection="strong")
    leaving = labels[r] != labels[c]
    open_ = np.zeros(n, dtype=bool)
    open_[labels[r[leaving]]] = True
    return int(n - open_.sum())


def support_pattern_breaks(chain: LanguageModelChain, rows: np.ndarray, ks: list[int]) -> dict:
    """Lemma F.1's block pattern, checked on the given start rows: for each ``k`` in ``ks``
    (all ``≥ K``), count the entries ``(i, j)`` with ``j`` transient and ``(Q^k)_ij ≠ 0``, or ``j``
    recurrent and ``(Q^k)_ij`` not a positive number.

    Two independent computations: the support from boolean powers of the explicit sparse matrix,
    and the values' positivity from the structured operator in log space (so that no product
    underflows to 0)."""
    K = chain.K
    if any(k < K for k in ks):
        raise ValueError(f"k must be ≥ K = {K}, got {ks}")
    r, c, _ = chain.transitions()
    Q = sps.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(chain.n_states,) * 2)
    # the rows' supports as dense 0/1 indicators (they fill within K steps, so a sparse product
    # would build a dense result the slow way); dense times sparse is one pass over Q
    S = np.zeros((len(rows), chain.n_states), dtype=np.float32)
    S[np.arange(len(rows)), rows] = 1.0
    rec = chain.recurrent_slice
    transient = np.zeros(chain.n_states, dtype=bool)
    transient[: rec.start] = True
    # log-space operator: distributions start as point masses
    lx = torch.full(
        (len(rows), chain.n_states), -math.inf, dtype=torch.float64, device=chain.device
    )
    dev = chain.device
    lx[torch.arange(len(rows), device=dev), torch.as_tensor(rows, device=dev)] = 0.0
    breaks = {}
    for k in range(1, max(ks) + 1):
        S = np.asarray(S @ Q)
        np.minimum(S, 1.0, out=S)  # path counts back to indicators
        lx = _log_step(chain, lx)
        if k in ks:
            support = S > 0
            finite = torch.isfinite(lx).cpu().numpy()
            bad_transient = (support[:, transient]).sum() + finite[:, transient].sum()
            bad_recurrent = (~(support[:, rec] & finite[:, rec])).sum()
            breaks[k] = int(bad_transient + bad_recurrent)
    return breaks


def _log_step(chain: LanguageModelChain, lx: torch.Tensor) -> torch.Tensor:
    """One step of the full chain in log space (transient lengths included)."""
    T, K = chain.T, chain.K
    n = lx.shape[0]
    off = chain.offsets
    parts = [torch.full((n, T), -math.inf, dtype=lx.dtype, device=lx.device)]
    for L in range(1, K):
        xl = lx[:, off[L - 1] : off[L]]
        parts.append((xl[:, :, None] + chain._lp[L - 1][None]).reshape(n, T ** (L + 1)))
    new_k = chain.log_recurrent_step(lx[:, chain.recurrent_slice])
    if K > 1:
        new_k = torch.logaddexp(new_k, parts.pop())
    else:
        parts = []
    return torch.cat([*parts, new_k], dim=1)


# --------------------------------------------------------------------------------------------
# ε and the Dobrushin coefficient
# --------------------------------------------------------------------------------------------


def log_min_kstep(chain: LanguageModelChain) -> np.ndarray:
    r"""``g[j] = min_i log (Q^K)_{ij}`` over recurrent ``i``, for every recurrent ``j``.

    The K-step path between two length-K states is unique (the K tokens of ``j`` are emitted in
    turn), so ``(Q^K)_{ij}`` is a product of ``K`` probabilities, and the minimum over ``i`` is a
    min-sum dynamic program over the de Bruijn graph: ``K`` applications of
    :meth:`LanguageModelChain.min_recurrent_step`, ``O(K T^{K+1})`` work, never ``Q^K`` itself."""
    g = torch.zeros(chain.n_recurrent, dtype=torch.float64, device=chain.device)
    for _ in range(chain.K):
        g = chain.min_recurrent_step(g)
    return g.cpu().numpy()


def log_epsilon(chain: LanguageModelChain) -> float:
    """``log ε``, ``ε = min over recurrent i, j of (Q_f^K)_ij`` (Prop 3.4); ``-inf`` if ε = 0."""
    return float(log_min_kstep(chain).min())


def log_epsilon_error(chain: LanguageModelChain, logit_scale: float, tau: float) -> float:
    """A bound on the absolute float64 error of :func:`log_epsilon`: each of the ``K`` log
    probabilities comes from a log-softmax whose inputs have size ``≤ B/τ``, with error at most
    ``(T + 4)·u·(2B/τ + log T + 1)``; the ``K``-term sum adds ``K·u`` relative to its size."""
    size = 2 * logit_scale / tau + math.log(chain.T) + 1
    per_term = (chain.T + 4) * U * size
    return chain.K * per_term + chain.K * U * chain.K * size


def log_epsilon_bruteforce(chain: LanguageModelChain) -> float:
    """``log ε`` by forming ``Q^K`` densely on the recurrent block (small sizes only: a test
    reference for the dynamic program)."""
    P = chain.recurrent_dense()
    with np.errstate(divide="ignore"):
        return float(np.log(np.linalg.matrix_power(P, chain.K).min()))


def all_sequences(T: int, K: int):
    """Every sequence of 1..K tokens as tuples, in index order (tests)."""
    for L in range(1, K + 1):
        yield from itertools.product(range(T), repeat=L)
