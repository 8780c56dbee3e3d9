"""Experiments of the Markov paper's theorems in :mod:`theorems.markov_icl_extra` (merged into
:data:`numerics.markov_experiments.EXPERIMENTS`): the counting ("frequentist") estimator and the
pre-trained in-context model on chains of controlled ``t_min`` (lazy versions of fixed random
chains, Sec. 4.3 "Dependence on t_min" and Fig. 6 b-c) and on the structured chains of App. D.3
(reflecting and polygonal random walks, the inner-clique/outer-rim chain of Wolfer and
Kontorovich), which have ``p_min = 0`` and are partly periodic.

The chains, the trajectories (started in the stationary law) and the risks are plain numpy; the
model's risk uses :func:`numerics.lm.icl_model` (torch) on the same trajectories.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from . import montecarlo
from .chains import check_stochastic, gth, random_chain, t_min
from .device import numpy_rng
from .measurement import Measurement

if TYPE_CHECKING:  # torch is imported where the model runs
    import torch

# --------------------------------------------------------------------------------------------
# chains
# --------------------------------------------------------------------------------------------

BASE_FLOOR = 0.02
"""Entry floor of the fixed random base chains (markov.icl_bound's ``p_min``)."""
CLIQUE_ETA = 0.02
"""η of the inner-clique/outer-rim chain, as in the paper's Fig. 16 (App. D.3.2)."""
WALKS = ("reflecting", "cycle", "clique")


def base_chain(index: int, d: int = 3) -> np.ndarray:
    """The fixed random ``d``-state chain number ``index``: rows
    ``0.02 + (1 − 0.02 d)·Dirichlet(1)`` drawn with seed ``index``
    (:func:`numerics.chains.random_chain`), independent of any run's
    seed, so every run sees the same chains."""
    if isinstance(index, bool) or int(index) != index or index < 0:
        raise ValueError(f"the base chain's index is an integer ≥ 0, got {index!r}")
    return random_chain(d, floor=BASE_FLOOR, seed=int(index))


def lazy_chain(P: np.ndarray, lam: float) -> np.ndarray:
    """``λI + (1 − λ)P``: the chain that stays put with probability ``λ`` and otherwise moves
    by ``P`` (same stationary law; eigenvalues ``λ + (1 − λ)μ``)."""
    P = check_stochastic(P)
    if not 0 <= lam < 1:
        raise ValueError(f"the laziness λ lies in [0, 1), got {lam!r}")
    return lam * np.eye(len(P)) + (1 - lam) * P


def reflecting_walk(d: int) -> np.ndarray:
    """The constrained random walk of App. D.3.1, Eq. (6): ``0 → 1`` and ``d−1 → d−2`` surely,
    an interior state to each neighbour with probability ½ (period 2)."""
    _states(d, 3)
    P = np.zeros((d, d))
    P[0, 1] = P[d - 1, d - 2] = 1.0
    for i in range(1, d - 1):
        P[i, i - 1] = P[i, i + 1] = 0.5
    return P


def cycle_walk(d: int) -> np.ndarray:
    """The polygonal random walk of App. D.3.1, Eq. (7): from ``i`` to ``i ± 1 mod d`` with
    probability ½ each (period 2 for even ``d``, aperiodic for odd ``d``)."""
    _states(d, 3)
    P = np.zeros((d, d))
    for i in range(d):
        P[i, (i + 1) % d] += 0.5
        P[i, (i - 1) % d] += 0.5
    return P


def clique_rim(d: int, eta: float = CLIQUE_ETA) -> np.ndarray:
    """The inner-clique/outer-rim chain ``M_{η,0}`` of App. D.3.2 (Wolfer and Kontorovich's
    lower-bound family at ``τ = 0``), ``d = 3k``, ``k ≥ 2``: clique states ``0..k−1`` stay with
    probability ``3/4 − η`` and move to each other clique state with ``η/(k − 1)``; clique state
    ``i`` moves to each of its two rim states ``k + 2i, k + 2i + 1`` with ``1/8``; a rim state
    stays with ``7/8`` and returns to its clique state with ``1/8``. Symmetric, so π is
    uniform."""
    _states(d, 6)
    if d % 3:
        raise ValueError(f"the inner-clique/outer-rim chain has d = 3k states, got d = {d}")
    if not 0 < eta < 0.75:
        raise ValueError(f"η lies in (0, 3/4), got {eta!r}")
    k = d // 3
    P = np.zeros((d, d))
    P[:k, :k] = eta / (k - 1)
    np.fill_diagonal(P[:k, :k], 0.75 - eta)
    for i in range(k):
        for rim in (k + 2 * i, k + 2 * i + 1):
            P[i, rim] = P[rim, i] = 0.125
            P[rim, rim] = 0.875
    return P


def walk_chain(walk: str, d: int) -> np.ndarray:
    """The App. D.3 chain named ``walk`` (``reflecting``, ``cycle`` or ``clique``) on ``d``
    states."""
    build = {"reflecting": reflecting_walk, "cycle": cycle_walk, "clique": clique_rim}
    if walk not in build:
        raise ValueError(f"walk must be one of {WALKS}, got {walk!r}")
    return build[walk](int(d))


def _states(d, least: int) -> None:
    if isinstance(d, bool) or int(d) != d or d < least:
        raise ValueError(f"this chain needs an integer number of states d ≥ {least}, got {d!r}")


def period(P: np.ndarray) -> int:
    """The period of an irreducible chain: the gcd of the differences of the breadth-first
    levels across its edges (``level(y) − level(x) − 1`` for every ``x → y``)."""
    P = check_stochastic(P)
    n = len(P)
    level = np.full(n, -1)
    level[0], frontier = 0, [0]
    while frontier:
        nxt = []
        for x in frontier:
            for y in np.flatnonzero(P[x] > 0):
                if level[y] < 0:
                    level[y] = level[x] + 1
                    nxt.append(int(y))
        frontier = nxt
    if np.any(level < 0):
        raise ValueError("period() needs an irreducible chain")
    g = 0
    for x, y in zip(*np.nonzero(P > 0), strict=True):
        g = math.gcd(g, int(abs(level[x] + 1 - level[y])))
    return g


def chain_t_min(P: np.ndarray) -> float:
    """``t_min`` of Theorem 4.3 (:func:`numerics.chains.t_min`, computed exactly), ``inf`` for a
    periodic chain: there ``d(t) ≥ 1/2`` at every ``t``, so no ``t_mix(ε/2)`` with ``ε < 1`` is
    finite."""
    return math.inf if period(P) > 1 else float(t_min(P))


def eigen_floor(P: np.ndarray) -> float:
    """The lower bound ``6 / log(1/|μ₂|)`` on ``t_min`` (``μ₂`` the largest-modulus eigenvalue
    other than 1): ``|μ|^t ≤ 2 d(t)`` for every eigenvalue ``μ ≠ 1``, so ``t_mix(ε/2) ≥
    log(1/ε)/log(1/|μ|)``, and ``log(1/ε)((2 − ε)/(1 − ε))² ≥ 6`` on ``(0, 1)``."""
    mu = np.sort(np.abs(np.linalg.eigvals(check_stochastic(P))))[-2]
    return math.inf if mu >= 1 else 6.0 / math.log(1.0 / max(mu, 1e-300))


# --------------------------------------------------------------------------------------------
# trajectories and the counting estimator
# --------------------------------------------------------------------------------------------


def stationary_start(pi: np.ndarray, reps: int, rng: np.random.Generator) -> np.ndarray:
    """``reps`` states drawn from ``pi``."""
    return ((1.0 - rng.random(reps))[:, None] > np.cumsum(pi)[:-1]).sum(axis=1)


def trajectories(P: np.ndarray, length: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """``reps`` trajectories ``x_1..x_length`` of ``P`` started in its stationary law (so that
    ``x_N`` has law π at every ``N``: no parity effect in a periodic chain), as ``(reps, length)``
    states (int8)."""
    P = check_stochastic(P)
    cdf = np.cumsum(P, axis=1)
    cdf[:, -1] = 1.0
    x = np.empty((reps, length), dtype=np.int8)
    x[:, 0] = stationary_start(gth(P), reps, rng)
    for n in range(1, length):  # 1 − u lies in (0, 1]: a successor of probability 0 never comes
        x[:, n] = ((1.0 - rng.random(reps))[:, None] > cdf[x[:, n - 1]]).sum(axis=1)
    return x


def counting_risks(P: np.ndarray, x: np.ndarray, Ns) -> dict[str, np.ndarray]:
    """The counting estimator ``P̂_N`` from the first ``N`` states of each trajectory (the
    ``N − 1`` transitions seen; rows never visited estimated uniform), at each ``N`` of ``Ns``:
    ``stationary`` is ``R_icl = Σ_i π_i TV(P_i, P̂_N,i)`` and ``current`` the risk at the current
    state, ``TV(P(x_N, ·), P̂_N(x_N, ·))``; arrays of shape ``(len(Ns), reps)``."""
    P = check_stochastic(P)
    d, (reps, length) = len(P), x.shape
    Ns = [int(v) for v in Ns]
    if min(Ns) < 1 or max(Ns) > length or sorted(Ns) != Ns:
        raise ValueError(f"Ns must increase within 1..{length}, got {Ns}")
    pi = gth(P)
    r = np.arange(reps)
    flat = np.zeros(reps * d * d)
    out = {"stationary": [], "current": []}
    done = 1
    for N in Ns:
        for n in range(done, N):
            flat[(r * d + x[:, n - 1]) * d + x[:, n]] += 1.0
        done = N
        counts = flat.reshape(reps, d, d)
        visits = counts.sum(axis=2, keepdims=True)
        est = np.where(visits > 0, counts / np.maximum(visits, 1.0), 1.0 / d)
        tv = 0.5 * np.abs(P[None] - est).sum(axis=2)
        out["stationary"].append(tv @ pi)
        out["current"].append(tv[r, x[:, N - 1]])
    return {k: np.array(v) for k, v in out.items()}


def mean_se(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error over the last axis."""
    return a.mean(axis=-1), a.std(axis=-1, ddof=1) / math.sqrt(a.shape[-1])


def loglog_slope(Ns, values) -> float:
    """The least-squares slope of ``log values`` against ``log N``."""
    return float(np.polyfit(np.log(np.asarray(Ns, float)), np.log(np.asarray(values)), 1)[0])


# --------------------------------------------------------------------------------------------
# markov.icl_tmin_regime
# --------------------------------------------------------------------------------------------

CURVE_NS = (2, 3, 5, 7, 10, 14, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000)
"""Context lengths of the evidence's risk curves (Fig. 6 b-c)."""


def tmin_curves(P0: np.ndarray, lams, reps: int, rng: np.random.Generator, Ns=CURVE_NS) -> list:
    """For each laziness ``λ``: the chain ``λI + (1 − λ)P0``'s exact ``t_min``, the eigenvalue
    floor on it, and the counting estimator's risks (both kinds, mean ± standard error over
    ``reps`` trajectories) at each ``N`` of ``Ns``, with their log-log slopes over ``N ≥ 20``."""
    out = []
    for lam in lams:
        P = lazy_chain(P0, float(lam))
        tm = chain_t_min(P)
        risks = counting_risks(P, trajectories(P, max(Ns), reps, rng), Ns)
        row = {"lambda": float(lam), "t_min": tm, "t_min_eigen_floor": eigen_floor(P)}
        row["N_icl"] = [int(v) for v in Ns]
        row["N_over_t_min"] = [v / tm for v in Ns]
        late = [i for i, v in enumerate(Ns) if v >= 20]
        for kind, a in risks.items():
            m, s = mean_se(a)
            row[kind] = m.tolist()
            row[f"{kind}_stderr"] = s.tolist()
            row[f"{kind}_slope_from_20"] = loglog_slope([Ns[i] for i in late], m[late])
        out.append(row)
    return out


def icl_tmin_regime(params, *, seed, device="cpu"):
    """The counting estimator's in-context risk ``R_icl = Σ_i π_i TV(P_i, P̂_i)`` at context
    length ``N_icl`` on the lazy versions ``λI + (1 − λ)P`` (``λ`` from ``lazy``) of the fixed
    random 3-state chain number ``chain`` (:func:`base_chain`), mean ± standard error over
    ``reps`` trajectories each (fresh for every ``λ``, started in π), aligned with the chains'
    exact ``t_min`` (series ``t_min``, increasing). ``raw`` holds ``λ``, ``t_min`` and its
    eigenvalue floor, the risk at the current state at ``N_icl``, and the curves of both risks
    against ``N_icl`` and ``N_icl/t_min`` (``curve_reps`` trajectories, ``N`` from 2 to 1000)
    with their slopes beyond ``N = 20``."""
    N, reps = int(params["N_icl"]), int(params["reps"])
    lams = [float(v) for v in params["lazy"]]
    if N < 2 or reps < 2:
        raise ValueError(f"N_icl ≥ 2 and reps ≥ 2 are needed, got N_icl={N}, reps={reps}")
    P0 = base_chain(int(params["chain"]))
    rng = numpy_rng(seed, 191)
    rows = []
    for lam in lams:
        P = lazy_chain(P0, lam)
        risks = counting_risks(P, trajectories(P, N, reps, rng), [N])
        m, s = mean_se(risks["stationary"][0])
        c, cs = mean_se(risks["current"][0])
        rows.append((chain_t_min(P), float(m), float(s), lam, float(c), float(cs)))
    rows.sort()
    curves = tmin_curves(P0, lams, int(params.get("curve_reps", 1000)), numpy_rng(seed, 192))
    return Measurement(
        value=np.array([r[1] for r in rows]),
        stderr=np.array([r[2] for r in rows]),
        series={"t_min": np.array([r[0] for r in rows])},
        raw={
            "base_chain": P0.tolist(),
            "lambda": [r[3] for r in rows],
            "t_min": [r[0] for r in rows],
            "current_state_risk": [r[4] for r in rows],
            "current_state_risk_stderr": [r[5] for r in rows],
            "curves": curves,
        },
    )


def tmin_figure_data(lams, chains=(0, 1, 2), *, seed: int = 0, reps: int = 1000) -> dict:
    """The data of the docs' figure (Fig. 6 b-c): :func:`tmin_curves` for each base chain at the
    laziness values ``lams`` (the theorem's), seeded and deterministic."""
    return {
        "chains": {
            int(c): tmin_curves(base_chain(int(c)), lams, reps, numpy_rng(seed, 193, int(c)))
            for c in chains
        }
    }


# --------------------------------------------------------------------------------------------
# markov.icl_rate_random_walk and markov.icl_random_walk_frequentist
# --------------------------------------------------------------------------------------------


def rate_sizes(d: int) -> np.ndarray:
    """The counting theorem's context lengths: ``50 d`` to ``3200 d`` (markov.icl_rate's range),
    13 values a factor √2 apart: 11 degrees of freedom in the fit, where 7 values (5 degrees)
    leave a t quantile near 7 at the catalogue's simultaneous level."""
    return (50 * d * np.geomspace(1, 64, 13)).round().astype(int)


def _advance(x: np.ndarray, counts: np.ndarray, v: np.ndarray, cdf: np.ndarray) -> None:
    """Move each trajectory ``r`` (current state ``x[r]``) ``len(v)`` steps, the successor of
    ``s`` being the first ``y`` with ``cdf[s, y] ≥ v[t, r]`` (``v`` in ``(0, 1]``, so a
    successor of probability 0 is never drawn), and count each transition in
    ``counts[r, s, y]``. In place; compiled by numba when it is there."""
    steps, reps = v.shape
    d = cdf.shape[0]
    for r in range(reps):
        s = x[r]
        for t in range(steps):
            y = 0
            while y < d - 1 and v[t, r] > cdf[s, y]:
                y += 1
            counts[r, s, y] += 1
            s = y
        x[r] = s


def _advance_numpy(x, counts, v, cdf) -> None:
    """:func:`_advance` in numpy (the reference, and the fallback without numba)."""
    r = np.arange(len(x))
    for t in range(v.shape[0]):
        y = (v[t][:, None] > cdf[x]).sum(axis=1)
        np.add.at(counts, (r, x, y), 1)
        x[:] = y


try:  # numba compiles the walk; without it the numpy loop does the same, more slowly
    import numba

    _ADVANCE = numba.njit(cache=True)(_advance)
except ImportError:  # pragma: no cover - numba is a dependency
    _ADVANCE = _advance_numpy

CHUNK = 1024  # steps per call of the kernel (uniforms for CHUNK × reps at a time)


def current_risk_fresh(
    P: np.ndarray, Ns, reps: int, rng: np.random.Generator, *, kernel=None
) -> np.ndarray:
    """``TV(P(x_N, ·), P̂_N(x_N, ·))`` of the counting estimator (rows never visited estimated
    uniform) on ``reps`` fresh trajectories started in π for each ``N`` of ``Ns``, one batch
    after the other, each from the generator's next draws. Shape ``(len(Ns), reps)``.
    ``kernel`` replaces the compiled walk (:func:`_advance_numpy` for a reference)."""
    P = check_stochastic(P)
    kernel = _ADVANCE if kernel is None else kernel
    d, Ns = len(P), [int(v) for v in Ns]
    if min(Ns) < 1:
        raise ValueError(f"the sizes N must be ≥ 1, got {Ns}")
    cdf = np.cumsum(P, axis=1)
    cdf[:, -1] = 1.0
    pi = gth(P)
    out = np.empty((len(Ns), reps))
    for g, N in enumerate(Ns):
        x = stationary_start(pi, reps, rng).astype(np.int64)
        counts = np.zeros((reps, d, d), dtype=np.int64)
        for done in range(0, N - 1, CHUNK):
            v = 1.0 - rng.random((min(CHUNK, N - 1 - done), reps))
            kernel(x, counts, v, cdf)
        row = counts[np.arange(reps), x].astype(float)
        seen = row.sum(axis=1, keepdims=True)
        est = np.where(seen > 0, row / np.maximum(seen, 1.0), 1.0 / d)
        out[g] = 0.5 * np.abs(P[x] - est).sum(axis=1)
    return out


def icl_rate_random_walk(params, *, seed, device="cpu"):
    """The counting estimator's risk at the current state, ``TV(P(x_N, ·), P̂_N(x_N, ·))``, on the
    App. D.3 chain ``walk`` with ``d`` states (:func:`walk_chain`), at ``N_icl`` from ``50 d`` to
    ``3200 d`` (fresh trajectories at each, started in π), mean ± standard error over ``reps``
    trajectories. ``raw``: the chain's period, ``t_min`` (``inf`` when periodic), the constant
    ``R·√N`` at the largest ``N`` and the fitted slope."""
    walk, d, reps = str(params["walk"]), int(params["d"]), int(params["reps"])
    P = walk_chain(walk, d)
    Ns = rate_sizes(d)
    m, s = mean_se(current_risk_fresh(P, Ns, reps, numpy_rng(seed, 194)))
    per = period(P)
    return Measurement(
        value=m,
        stderr=s,
        series={"N_icl": Ns.astype(float)},
        raw={
            "period": per,
            "t_min": chain_t_min(P),
            "constant": float(m[-1] * math.sqrt(Ns[-1])),
            "fitted_slope": loglog_slope(Ns, m),
        },
    )


def by_state(risk: np.ndarray, at: np.ndarray, d: int) -> dict[str, list]:
    """The mean of ``risk`` (``(len(Ns), reps)``) over the trajectories whose current state is
    ``s``, for each state ``s`` (``None`` where no trajectory is there): where a learner's risk
    comes from (a deterministic row learnt or not)."""
    out = {}
    for st in range(d):
        here = at == st
        n = here.sum(axis=1)
        sums = np.where(here, risk, 0.0).sum(axis=1)
        out[str(st)] = [float(v / k) if k else None for v, k in zip(sums, n, strict=True)]
    return out


MODEL_NS = (32 * 2 ** (np.arange(16) / 3)).round().astype(int)
"""The model theorem's context lengths: 32 to 1024, 16 values a factor ``2^(1/3)`` apart (App. D.3's
figures plot ``N_icl`` up to ``10^3``; from 32 on as markov.icl_rate_model, past the first stage
of stagnation). The model was pre-trained on 256-token contexts; it has no positions, so it
reads longer ones as they come."""


def predict_at(model, x, positions) -> torch.Tensor:
    """The next-state probabilities of the in-context model (:class:`numerics.lm.InContextLM`)
    after the first ``n + 1`` states of each trajectory ``x`` (``(reps, length)`` states, a torch
    tensor), for each ``n`` of ``positions``: ``model(x).softmax(-1)[:, positions]``, with the
    queries at those positions only (the same layers, ``len(positions) × length`` attention
    scores per trajectory instead of ``length²``). Shape ``(reps, len(positions), d)``."""
    import torch
    import torch.nn.functional as F

    B, L = x.shape
    pos = torch.as_tensor(np.asarray(positions), dtype=torch.long, device=x.device)
    if pos.numel() == 0 or int(pos.min()) < 0 or int(pos.max()) >= L:
        raise ValueError(f"the positions must lie in 0..{L - 1}, got {list(positions)}")
    prev = torch.cat([torch.full_like(x[:, :1], model.d), x[:, :-1]], dim=1)
    e = model.tok(x)
    k = F.normalize(model.k(model.prev(prev)), dim=-1)
    eq = e[:, pos]
    q = F.normalize(model.q(eq), dim=-1)
    scale = model.log_scale.exp()
    scores = scale * (q @ k.transpose(1, 2))  # (B, len(pos), L)
    late = torch.arange(L, device=x.device)[None, :] > pos[:, None]
    scores = scores.masked_fill(late, float("-inf"))
    sink = scale * (q @ F.normalize(model.sink_k, dim=0))
    att = torch.cat([sink[..., None], scores], dim=-1).softmax(dim=-1)
    a = att[..., :1] * model.sink_v + att[..., 1:] @ model.v(e)
    return model.head(model.mlp(torch.cat([a, eq], dim=-1))).softmax(dim=-1)


def power_fit(Ns, m: np.ndarray, se: np.ndarray) -> dict:
    """The weighted least-squares fit of ``log m = b + a log N`` (weights ``(m/se)²``): the
    exponent ``a``, its standard error (scaled by the reduced χ² when that exceeds 1, so a misfit
    widens it, as in the rate check) and the reduced χ² (≫ 1: the curve is no power law)."""
    lx, y, w = np.log(np.asarray(Ns, float)), np.log(m), (m / se) ** 2
    X = np.column_stack([np.ones_like(lx), lx]) * np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(X, y * np.sqrt(w), rcond=None)
    chi2 = float(np.sum((y * np.sqrt(w) - X @ coef) ** 2)) / (len(lx) - 2)
    cov = np.linalg.inv(X.T @ X) * max(1.0, chi2)
    return {"exponent": float(coef[1]), "stderr": float(math.sqrt(cov[1, 1])), "chi2_dof": chi2}


def model_and_counting(P: np.ndarray, d: int, steps: int, reps: int, seed, device) -> dict:
    """On ``reps`` trajectories of ``P`` (started in π, length ``max(MODEL_NS)``): the states at
    each ``N`` of :data:`MODEL_NS`, the true next-state rows there, the in-context model's
    predictions (:func:`predict_at`, checked against its forward pass on a few trajectories)
    and the risks at the current state of the model and of the counting estimator, both
    ``(len(MODEL_NS), reps)``."""
    import torch

    from .device import resolve_device
    from .lm import icl_model

    dev = resolve_device(device)
    Ns = MODEL_NS
    x = trajectories(P, int(Ns[-1]), reps, numpy_rng(seed, 195))
    model = icl_model(d, steps, dev)
    xt = torch.as_tensor(x, dtype=torch.long, device=dev)
    with torch.no_grad():
        q = torch.cat([predict_at(model, xt[i : i + 256], Ns - 1) for i in range(0, reps, 256)])
        few = Ns[Ns <= 256] - 1  # the full forward pass on a few trajectories: the same numbers
        full = model(xt[:4, : few[-1] + 1]).softmax(dim=-1)[:, few]
        if not torch.allclose(full, q[:4, : len(few)], atol=1e-5):
            raise RuntimeError("predict_at disagrees with the model's forward pass")
    q = q.double().cpu().numpy()
    truth = P[x[:, Ns - 1]]
    return {
        "at": x[:, Ns - 1].T,
        "truth": truth,
        "q": q,
        "model": 0.5 * np.abs(q - truth).sum(axis=-1).T,
        "counting": counting_risks(P, x, Ns)["current"],
    }


def _walk_run(params, seed, device) -> tuple:
    """The chain ``walk`` with ``d`` states, its in-context model's settings and
    :func:`model_and_counting` on ``reps`` of its trajectories (parameters checked first)."""
    walk, d, reps = str(params["walk"]), int(params["d"]), int(params["reps"])
    steps = int(params["pretrain_steps"])
    models = [int(v) for v in params.get("icl_models", (d,))]
    if d not in models:
        raise ValueError(f"no in-context model for d = {d} in this profile (icl_models {models})")
    if reps < 2:
        raise ValueError(f"reps ≥ 2 are needed, got {reps}")
    P = walk_chain(walk, d)
    return P, d, steps, model_and_counting(P, d, steps, reps, seed, device)


def top_on_certain_moves(r: dict) -> list:
    """The model's largest probability where the true move is certain, at each ``N`` (None
    where no trajectory is at such a state)."""
    certain = (r["truth"] == 1.0).any(axis=-1)  # (reps, len(Ns))
    top = r["q"].max(axis=-1)
    return [
        float(top[certain[:, g], g].max()) if certain[:, g].any() else None
        for g in range(certain.shape[1])
    ]


def icl_random_walk_frequentist(params, *, seed, device="cpu"):
    """The counting ("frequentist") estimator's risk at the current state minus the pre-trained
    in-context model's, ``TV(P(x_N, ·), P̂_N(x_N, ·)) − TV(P(x_N, ·), model(x_1..x_N))``, on the
    same trajectories of the App. D.3 chain ``walk`` with ``d`` states (started in π), at each
    ``N_icl`` of :data:`MODEL_NS` (32 to 1024): mean ± standard error of the paired differences
    over ``reps`` trajectories. ``raw``: both curves with their errors, both weighted power-law
    fits (exponent, its misfit-scaled error, reduced χ²), both constants ``R·√N`` at the largest
    ``N`` and their ratio, both risks by current state (:func:`by_state`), and the model's
    largest probability on a certain move (the reflecting walk's end states) at each ``N``."""
    P, d, steps, r = _walk_run(params, seed, device)
    Ns = MODEL_NS
    m, s = mean_se(r["model"])
    c, cs = mean_se(r["counting"])
    diff, diff_se = mean_se(r["counting"] - r["model"])
    root = math.sqrt(Ns[-1])
    return Measurement(
        value=diff,
        stderr=diff_se,
        series={"N_icl": Ns.astype(float)},
        raw={
            "period": period(P),
            "model": m.tolist(),
            "model_stderr": s.tolist(),
            "counting": c.tolist(),
            "counting_stderr": cs.tolist(),
            "power_fit_model": power_fit(Ns, m, s),
            "power_fit_counting": power_fit(Ns, c, cs) if np.all(c > 0) else None,
            "constant_model": float(m[-1] * root),
            "constant_counting": float(c[-1] * root),
            "model_over_counting_at_largest_N": float(m[-1] / c[-1]) if c[-1] > 0 else math.inf,
            "model_by_state": by_state(r["model"], r["at"], d),
            "counting_by_state": by_state(r["counting"], r["at"], d),
            "model_top_probability_on_certain_moves": top_on_certain_moves(r),
            "pretrain_steps": steps,
        },
    )


def icl_rate_random_walk_model(params, *, seed, device="cpu"):
    """The pre-trained in-context model's risk at the current state at the largest ``N_icl`` of
    :data:`MODEL_NS` over its risk at the smallest (1024 over 32), on ``reps`` trajectories of
    the App. D.3 chain ``walk`` started in π: the ratio of the two means and its paired
    delta-method standard error. An ``N^(−1/2)`` law gives ``32^(−1/2) ≈ 0.18``; any exponent
    ≤ −0.4 gives ≤ 1/4. ``raw``: both means, the exponent the ratio implies, the whole curve
    with its weighted power-law fit, the risks by current state and the model's largest
    probability on a certain move at each ``N``."""
    P, d, steps, r = _walk_run(params, seed, device)
    Ns = MODEL_NS
    ratio, se = montecarlo.ratio_of_means(r["model"][0], r["model"][-1])
    m, s = mean_se(r["model"])
    return Measurement(
        value=ratio,
        stderr=se,
        inputs={"N_first": float(Ns[0]), "N_last": float(Ns[-1])},
        raw={
            "period": period(P),
            "risk_first": float(m[0]),
            "risk_last": float(m[-1]),
            "implied_exponent": math.log(ratio) / math.log(Ns[-1] / Ns[0]) if ratio > 0 else None,
            "model": m.tolist(),
            "model_stderr": s.tolist(),
            "N_icl": Ns.tolist(),
            "power_fit_model": power_fit(Ns, m, s),
            "model_by_state": by_state(r["model"], r["at"], d),
            "model_top_probability_on_certain_moves": top_on_certain_moves(r),
            "pretrain_steps": steps,
        },
    )


EXPERIMENTS: dict = {
    "markov.icl_tmin_regime": icl_tmin_regime,
    "markov.icl_rate_random_walk": icl_rate_random_walk,
    "markov.icl_random_walk_frequentist": icl_random_walk_frequentist,
    "markov.icl_rate_random_walk_model": icl_rate_random_walk_model,
}
