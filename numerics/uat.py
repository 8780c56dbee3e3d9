"""Transformers as (dynamic) universal approximators (Wang and Li, arXiv 2407.00958): attention as
an input-dependent linear map, a residual block as a one-hidden-layer sum with context-dependent
inner weights, Barron's rate, low-rank (LoRA) and sparse (pruning) approximation. Float64 on the
CPU; every identity is compared with an error bound derived from the sizes and the precision.

Experiments: ``(params, *, seed, device) -> Measurement``.
"""

from __future__ import annotations

import math

import numpy as np

from .device import numpy_rng
from .measurement import Measurement

U = float(np.finfo(np.float64).eps) / 2


def gamma(k: int) -> float:
    """Higham's ``γ_k = k u / (1 − k u)``: the relative error of a ``k``-term float64 sum."""
    return k * U / (1 - k * U)


def softmax_rows(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def attention(X, WQ, WK) -> np.ndarray:
    """``A(X) = softmax(X W_Q (X W_K)ᵀ / √d)``, row-stochastic ``n × n``."""
    d = WQ.shape[1]
    return softmax_rows((X @ WQ) @ (X @ WK).T / math.sqrt(d))


def _check_dims(n, d):
    for name, v in (("n", n), ("d", d)):
        if isinstance(v, bool) or int(v) != v or v < 1:
            raise ValueError(f"{name} must be an integer ≥ 1, got {v!r}")


def attention_linear_form(params, *, seed, device="cpu"):
    """``max |vec(A X W_V) − (W_Vᵀ ⊗ A) vec(X)|`` (column-major ``vec``) or, row-major,
    ``max |vec_r(A X W_V) − (A ⊗ W_Vᵀ) vec_r(X)|``, both sides formed explicitly. Error bound:
    the product ``(A X) W_V`` has entrywise error ``≤ (γ_n + γ_d + γ_n γ_d)(|A||X||W_V|)`` and the
    Kronecker side, ``n·d``-term sums, ``≤ γ_{nd}(|A||X||W_V|)``."""
    n, d = int(params["n"]), int(params["d"])
    _check_dims(n, d)
    rng = numpy_rng(seed, 31)
    X = rng.standard_normal((n, d))
    WQ, WK, WV = (rng.standard_normal((d, d)) / math.sqrt(d) for _ in range(3))
    A = attention(X, WQ, WK)
    lhs = (A @ X) @ WV
    if params.get("layout", "column") == "column":
        got = (np.kron(WV.T, A) @ X.reshape(-1, order="F")).reshape((n, d), order="F")
    else:
        got = (np.kron(A, WV.T) @ X.reshape(-1)).reshape(n, d)
    scale = np.abs(A) @ np.abs(X) @ np.abs(WV)
    bound = (gamma(n) + gamma(d) + gamma(n) * gamma(d) + gamma(n * d)) * scale
    diff = np.abs(lhs - got)
    i = np.unravel_index(np.argmax(diff - bound), diff.shape)
    return Measurement(
        value=float(diff.max()),
        error_bound=float(bound[i] + diff.max() - diff[i]),
        raw={"max_bound": float(bound.max())},
    )


def block_forms(X, n_tok, WQ, WK, WV, W1, b1, W2, b2, act=None):
    """The residual block at token ``n_tok`` computed directly, and as the one-hidden-layer sum
    ``y + Σ_i (W₂)_{:,i} σ(w_i(X)·x_n + θ_i(X)) + b₂`` with ``w(X) = W₁(I + A_nn W_Vᵀ)`` and
    ``θ(X) = W₁ Σ_{j≠n} A_nj W_Vᵀ x_j + b₁``. Returns ``(direct, uat, w, θ)``."""
    act = act or (lambda v: np.maximum(v, 0.0))
    A = attention(X, WQ, WK)
    x_n = X[n_tok]
    y = x_n + (A[n_tok][:, None] * (X @ WV)).sum(axis=0)  # Σ_j A_nj W_Vᵀ x_j
    direct = y + W2 @ act(W1 @ y + b1) + b2
    d = X.shape[1]
    w = W1 @ (np.eye(d) + A[n_tok, n_tok] * WV.T)
    others = [j for j in range(X.shape[0]) if j != n_tok]
    theta = W1 @ (WV.T @ (A[n_tok, others] @ X[others])) + b1 if others else b1.copy()
    uat = y + W2 @ act(w @ x_n + theta) + b2
    return direct, uat, w, theta


def _block_params(n, d, h, rng):
    X = rng.standard_normal((n, d))
    WQ, WK, WV = (rng.standard_normal((d, d)) / math.sqrt(d) for _ in range(3))
    W1 = rng.standard_normal((h, d)) / math.sqrt(d)
    b1 = rng.standard_normal(h)
    W2 = rng.standard_normal((d, h)) / math.sqrt(h)
    b2 = rng.standard_normal(d)
    return X, WQ, WK, WV, W1, b1, W2, b2


def dynamic_form(params, *, seed, device="cpu"):
    """``max |direct − UAT form|`` over the block's outputs at the last token. Error bound: the
    two pre-activations are sums of at most ``K = n·d + 2d + 2`` products, each with error
    ``≤ γ_K`` times the sum of their absolute values (ReLU is 1-Lipschitz), then ``W₂`` adds
    ``γ_h`` relative to ``|W₂||σ|``."""
    n, d, h = int(params["n"]), int(params["d"]), int(params["h"])
    _check_dims(n, d)
    rng = numpy_rng(seed, 32)
    X, WQ, WK, WV, W1, b1, W2, b2 = _block_params(n, d, h, rng)
    direct, uat, w, theta = block_forms(X, n - 1, WQ, WK, WV, W1, b1, W2, b2)
    A = attention(X, WQ, WK)
    pre_abs = np.abs(W1) @ (np.abs(X[n - 1]) + np.abs(WV.T) @ (A[n - 1] @ np.abs(X))) + np.abs(b1)
    K = n * d + 2 * d + 2
    y_abs = np.abs(X[n - 1]) + np.abs(WV.T) @ (A[n - 1] @ np.abs(X))
    bound = (
        2 * gamma(K) * (np.abs(W2) @ pre_abs)
        + gamma(h + 2) * (np.abs(W2) @ pre_abs)
        + 2 * gamma(n + 2) * y_abs
    )
    diff = np.abs(direct - uat)
    return Measurement(value=float(diff.max()), error_bound=float(bound.max()))


def unit_ball(rng: np.random.Generator, k: int, d: int) -> np.ndarray:
    """``k`` points uniform on the unit ball of ``R^d``."""
    g = rng.standard_normal((k, d))
    r = rng.random(k) ** (1 / d)
    return g / np.linalg.norm(g, axis=1, keepdims=True) * r[:, None]


def gaussian_bump(x: np.ndarray) -> np.ndarray:
    """Barron's target ``f(x) = exp(−‖x‖²/2)``."""
    return np.exp(-0.5 * (x**2).sum(axis=1))


def barron_fit(
    m: int,
    d: int,
    rng: np.random.Generator,
    test: np.ndarray,
    *,
    method="random_features",
    steps: int = 2000,
    device="cpu",
) -> np.ndarray:
    """Squared errors at ``test`` of one width-``m`` sigmoid network fitted to
    :func:`gaussian_bump`: random inner weights, outer weights by least squares on ``20 m + 200``
    points of the ball (``method = "trained"``: then every weight trained by Adam, ``steps``
    full-batch steps)."""
    W = rng.standard_normal((m, d)) * 3.0
    c = rng.uniform(-3.0, 3.0, m)
    train = unit_ball(rng, 20 * m + 200, d)

    def feats(x, W=W, c=c):
        return np.column_stack([1 / (1 + np.exp(-(x @ W.T + c))), np.ones(len(x))])

    coef, *_ = np.linalg.lstsq(feats(train), gaussian_bump(train), rcond=None)
    if method == "trained":
        W, c, coef = _train_sigmoid_net(W, c, coef, train, gaussian_bump(train), device, steps)
    return (feats(test, W, c) @ coef - gaussian_bump(test)) ** 2


def barron(params, *, seed, device="cpu"):
    """Squared L² error (uniform measure on the unit ball of ``R^d``) of width-``m`` sigmoid
    networks fitted to ``f(x) = exp(−‖x‖²/2)`` (:func:`barron_fit`: random inner weights, outer
    weights by least squares, or ``method = "trained"``), ``m`` over two decades (2 .. 200): at
    each width the mean over ``fits`` independent networks (each with its own features, training
    and 4000 fresh test points) with the standard error over them, so that the error holds the
    networks' spread, not only the test points'."""
    d = int(params["d"])
    rng = numpy_rng(seed, 33)
    widths = np.unique(np.geomspace(2, 200, 8).round().astype(int))
    method = params.get("method", "random_features")
    steps = int(params.get("train_steps", 2000))
    fits = int(params.get("fits", 8))
    if fits < 2:
        raise ValueError(f"fits must be at least 2 (a standard error needs two), got {fits}")
    vals, ses = [], []
    for m in widths:
        err = [
            barron_fit(
                int(m), d, rng, unit_ball(rng, 4000, d), method=method, steps=steps, device=device
            ).mean()
            for _ in range(fits)
        ]
        vals.append(float(np.mean(err)))
        ses.append(float(np.std(err, ddof=1) / math.sqrt(fits)))
    vals = np.array(vals)
    slope = float(np.polyfit(np.log(widths), np.log(np.maximum(vals, 1e-300)), 1)[0])
    return Measurement(
        value=vals, stderr=np.array(ses), series={"n": widths}, raw={"fitted_exponent": slope}
    )


def _train_sigmoid_net(W, c, coef, x, y, device, steps=2000):
    """Full-batch Adam on all weights of ``Σ_i a_i σ(w_i·x + c_i) + a_0`` (torch, float64)."""
    import torch

    from .device import resolve_device

    dev = resolve_device(device)  # deterministic: no random draws below
    t = {
        k: torch.tensor(v, dtype=torch.float64, device=dev, requires_grad=True)
        for k, v in (("W", W), ("c", c), ("a", coef))
    }
    xt = torch.as_tensor(x, dtype=torch.float64, device=dev)
    yt = torch.as_tensor(y, dtype=torch.float64, device=dev)
    opt = torch.optim.Adam(t.values(), lr=1e-3, foreach=True)

    def train_loss():
        h = torch.sigmoid(xt @ t["W"].T + t["c"])
        return ((h @ t["a"][:-1] + t["a"][-1] - yt) ** 2).mean()

    with torch.no_grad():
        start = train_loss().item()
    for _ in range(steps):
        opt.zero_grad()
        loss = train_loss()
        loss.backward()
        opt.step()
    with torch.no_grad():
        end = train_loss().item()
    if end >= start:  # training made the fit worse on its own data: keep the start
        return W, c, coef
    return (
        t["W"].detach().cpu().numpy(),
        t["c"].detach().cpu().numpy(),
        t["a"].detach().cpu().numpy(),
    )


def _low_rank_problem(params, rng):
    m, k = int(params["rows"]), int(params["cols"])
    W0 = rng.standard_normal((m, k))
    Wstar = W0 + rng.standard_normal((m, k)) / math.sqrt(k)
    return Wstar - W0


def lora_optimal(params, *, seed, device="cpu"):
    """Error of the rank-``r`` truncated SVD of ``W* − W₀``, formed explicitly (residual matrix),
    in the spectral or Frobenius norm; input ``tail``: ``σ_{r+1}`` or ``(Σ_{i>r} σ_i²)^{1/2}``.
    Error bound ``≈ 10·max(m, k)·u·‖Δ‖₂`` (backward-stable SVD, Higham §20)."""
    rng = numpy_rng(seed, 34)
    D = _low_rank_problem(params, rng)
    r = int(params["r"])
    Uu, s, Vt = np.linalg.svd(D, full_matrices=False)
    approx = (Uu[:, :r] * s[:r]) @ Vt[:r]
    spectral = params.get("norm", "frobenius") == "spectral"
    resid = np.linalg.norm(D - approx, 2 if spectral else "fro")
    tail = s[r] if spectral else math.sqrt(float((s[r:] ** 2).sum()))
    return Measurement(
        value=float(resid),
        error_bound=10 * max(D.shape) * U * float(s[0]),
        inputs={"tail": tail},
        raw={"tail_certified": certified_tail(D, r, spectral)},
    )


def certified_tail(D: np.ndarray, r: int, spectral: bool) -> list[float] | None:
    """``[lo, hi]`` around the exact tail ``σ_{r+1}`` or ``(Σ_{i>r} σ_i²)^{1/2}`` of ``D``, from
    Arb's certified eigenvalues of ``DᵀD`` (:func:`numerics.certified.singular_values`);
    ``None`` where Arb cannot isolate them. The claim itself is not certified: the residual is
    that of the float64 SVD's truncation, not of the exact one."""
    from . import certified

    try:
        sv = certified.singular_values(D)
    except RuntimeError:
        return None
    if spectral:
        ball = sv[r]
    else:
        ball = sum((x**2 for x in sv[r:]), certified.exact(0)).sqrt()
    return list(certified.bounds(ball))


def lora_competitors(params, *, seed, device="cpu"):
    """Smallest Frobenius error among rank-``r`` adapters ``B A``: 20 random ones (least-squares
    optimal ``B`` for a random ``A``) and 3 trained by gradient descent from small random
    initialisation; input ``tail`` = ``(Σ_{i>r} σ_i²)^{1/2}``. ``raw["trained_ratio"]``: the best
    trained error over the tail (they approach it)."""
    rng = numpy_rng(seed, 35)
    D = _low_rank_problem(params, rng)
    r = int(params["r"])
    s = np.linalg.svd(D, compute_uv=False)
    tail = math.sqrt(float((s[r:] ** 2).sum()))
    errs = []
    for _ in range(20):
        A = rng.standard_normal((r, D.shape[1]))
        B = np.linalg.lstsq(A.T, D.T, rcond=None)[0].T
        errs.append(np.linalg.norm(D - B @ A))
    trained = []
    for _ in range(3):
        B = rng.standard_normal((D.shape[0], r)) * 0.01
        A = rng.standard_normal((r, D.shape[1])) * 0.01
        lr = 0.2 / s[0]
        for _ in range(int(params.get("steps", 3000))):
            R = B @ A - D
            B, A = B - lr * R @ A.T, A - lr * B.T @ R
        trained.append(np.linalg.norm(D - B @ A))
    errs += trained
    return Measurement(
        value=float(min(errs)),
        error_bound=10 * max(D.shape) * U * float(s[0]),
        inputs={"tail": tail},
        raw={"trained_ratio": min(trained) / tail},
    )


def pruning_competitors(params, *, seed, device="cpu"):
    """Smallest Frobenius error among 200 random ``k``-sparse approximations of ``W`` (each
    keeping ``W``'s entries on a random support: the best values for that support); input
    ``best`` = the error of keeping the ``k`` largest magnitudes."""
    rng = numpy_rng(seed, 36)
    W = rng.standard_normal((int(params["rows"]), int(params["cols"])))
    k = int(round(float(params["keep"]) * W.size))
    flat = W.reshape(-1)
    order = np.argsort(np.abs(flat))
    best = math.sqrt(float((flat[order[: W.size - k]] ** 2).sum()))
    errs = []
    for _ in range(200):
        drop = rng.choice(W.size, size=W.size - k, replace=False)
        errs.append(math.sqrt(float((flat[drop] ** 2).sum())))
    return Measurement(
        value=float(min(errs)),
        error_bound=4 * W.size * U * float(np.abs(W).max()),
        inputs={"best": best},
    )


def pruning_perturbation(params, *, seed, device="cpu"):
    """``‖f(x) − f'(x)‖`` for a depth-``L`` bias-free network and its magnitude-pruned copy, at 64
    inputs with norms from 1e-3 to 10; input ``K`` = ``Σ_l ‖W_l − W'_l‖₂ Π_{j<l}‖W'_j‖₂
    Π_{j>l}‖W_j‖₂`` and ``xnorm`` per input (the claim is ``xnorm·K``)."""
    rng = numpy_rng(seed, 37)
    L, width = int(params["L"]), int(params["width"])
    act = params.get("activation", "relu")
    sigma = (lambda v: np.maximum(v, 0.0)) if act == "relu" else (lambda v: np.logaddexp(0.0, v))
    Ws = [rng.standard_normal((width, width)) / math.sqrt(width) for _ in range(L)]
    pruned = []
    for W in Ws:
        thr = np.quantile(np.abs(W), float(params["prune"]))
        pruned.append(np.where(np.abs(W) > thr, W, 0.0))
    norms = [np.linalg.norm(W, 2) for W in Ws]
    pnorms = [np.linalg.norm(W, 2) for W in pruned]
    K = sum(
        np.linalg.norm(Ws[l] - pruned[l], 2) * math.prod(pnorms[:l]) * math.prod(norms[l + 1 :])
        for l in range(L)
    )
    xs = rng.standard_normal((64, width))
    xn = np.geomspace(1e-3, 10, 64)
    xs = xs / np.linalg.norm(xs, axis=1, keepdims=True) * xn[:, None]

    def net(Wl, x):
        for j, W in enumerate(Wl):
            x = W @ x
            if j < len(Wl) - 1:
                x = sigma(x)
        return x

    diffs = np.array([np.linalg.norm(net(Ws, x) - net(pruned, x)) for x in xs])
    scale = np.array([math.prod(norms) * float(np.linalg.norm(x)) for x in xs])
    return Measurement(
        value=diffs,
        error_bound=4 * L * width * U * (scale + 1e-300),
        series={"i": np.arange(64)},
        inputs={"xnorm": xn, "K": K},
    )
