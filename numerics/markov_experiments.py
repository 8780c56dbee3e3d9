"""Experiments for the Markov-chain theorems (THEOREMS.md §1): ``(params, *, seed, device) ->
Measurement``, plain numbers in and out, deterministic given the seed."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from . import markov_icl, markov_icl_dimension, markov_icl_regimes, markov_pretraining, markov_toy
from .chains import t_min
from .device import numpy_rng
from .markov import (
    LanguageModelChain,
    U,
    closed_classes,
    count_states_bfs,
    log_epsilon,
    log_epsilon_error,
    logits_from_model,
    random_logits,
    support_pattern_breaks,
    tiny_transformer,
)
from .markov_data import (
    context_setting,
    deviation_measurement,
    deviations,
    fitted_context_model,
    order_k_truth,
    path_means,
)
from .markov_stationary import distance_series as _distance_series
from .markov_stationary import gth, gth_error, spread_series, stationary
from .measurement import Measurement


def logit_table(params: dict, *, seed: int):
    """The logits of a model with ``T`` tokens, context ``K`` and ``max ‖z‖₁ = B``: random
    (``source = "random"``, the default) or a seeded :class:`~numerics.markov.TinyTransformer`
    rescaled to ``B`` (``source = "model"``)."""
    T, K = int(params["T"]), int(params["K"])
    B = float(params.get("B", 2.0))
    source = params.get("source", "random")
    if source == "random":
        return random_logits(T, K, scale=B, seed=seed)
    if source == "model":
        table = logits_from_model(tiny_transformer(T, K, seed=seed), T, K)
        scale = table.max_l1()
        table.logits = [z * (B / scale) for z in table.logits]
        return table
    raise ValueError(f"source must be 'random' or 'model', got {source!r}")


def build_chain(
    params: dict, *, seed: int, device="cpu", tau=None, table=None
) -> LanguageModelChain:
    """The chain of the model :func:`logit_table` describes (or of ``table``) at temperature
    ``tau``; ``top_k`` (optional) truncates decoding, ``top_k = 1`` being greedy."""
    table = logit_table(params, seed=seed) if table is None else table
    tau = float(params.get("tau", 1.0) if tau is None else tau)
    top_k = params.get("top_k")
    top_k = None if top_k is None else int(top_k)
    return LanguageModelChain.from_logits(table, tau, top_k=top_k, device=device)


def state_count(params, *, seed, device="cpu"):
    """``|V*_K|`` counted by running the generation rule from every one-token prompt."""
    return Measurement(value=count_states_bfs(int(params["T"]), int(params["K"])), exact=True)


def transition_nonzeros(params, *, seed, device="cpu"):
    """Number of distinct nonzero entries of ``Q_f`` (transitions with finite log-probability)."""
    chain = build_chain(params, seed=seed, device=device)
    r, c, _ = chain.transitions()
    nnz = len(np.unique(r * chain.n_states + c))
    return Measurement(
        value=nnz, exact=True, raw={"n_states": chain.n_states, "fraction": nnz / chain.n_states**2}
    )


def block_structure(params, *, seed, device="cpu"):
    """Entries of ``Q^k`` (``k ∈ {K, K+1, 2K}``) breaking Lemma F.1's pattern, over every start
    row when ``|V*_K| ≤ 1024``, else over 256 seeded random rows (half transient, half
    recurrent)."""
    chain = build_chain(params, seed=seed, device=device)
    K = chain.K
    rec = chain.recurrent_slice
    if chain.n_states <= 1024:
        rows = np.arange(chain.n_states)
    else:
        rng = numpy_rng(seed, 2)
        rows = np.concatenate(
            [
                rng.choice(rec.start, size=min(128, rec.start), replace=False),
                rng.choice(np.arange(rec.start, chain.n_states), size=128, replace=False),
            ]
        )
    ks = sorted({K, K + 1, 2 * K})
    breaks = support_pattern_breaks(chain, rows, ks)
    return Measurement(
        value=sum(breaks.values()),
        exact=True,
        raw={"rows_checked": len(rows), "n_states": chain.n_states, "breaks_by_k": breaks},
    )


def closed_class_count(params, *, seed, device="cpu"):
    """Number of closed communicating classes of the chain's support graph."""
    chain = build_chain(params, seed=seed, device=device)
    return Measurement(value=closed_classes(chain), exact=True, raw={"n_states": chain.n_states})


def convergence(params, *, seed, device="cpu"):
    r"""``d(n) = max_ij |(Q^n)_ij − π_j|`` for ``n = K .. n_max`` with π from GTH, and the measured
    ``ε`` (input ``eps``) the claim's bound uses.

    Error bound of ``d(n)``: ``n`` products of stochastic matrices in float64 each add at most
    ``γ_m = m u / (1 − m u)`` (``m = |V*_K|``) to every entry (stochastic factors do not amplify
    earlier errors in the ∞-norm); the rounding of ``Q`` itself (``(T + 10) u`` per row) adds
    ``n (T + 10) u``; GTH's relative error (``2 m³ u``) adds at most that times ``max π``."""
    chain = build_chain(params, seed=seed, device=device)
    K, m = chain.K, chain.n_states
    n_max = int(params.get("n_max", 40 * K + 20))
    st = stationary(chain)
    d = _distance_series(chain, st.pi, n_max)[K - 1 :]
    n = np.arange(K, n_max + 1)
    gamma = m * U / (1 - m * U)
    err = n * (gamma + (chain.T + 10) * U) + gth_error(chain.n_recurrent) * st.pi.max()
    leps = log_epsilon(chain)
    return Measurement(
        value=d,
        error_bound=err,
        series={"n": n},
        inputs={"eps": math.exp(leps)},
        raw={"log_eps": leps, "n_states": m, "pi_method": st.method},
    )


def spread(params, *, seed, device="cpu"):
    """``δ(n)``, a π-free lower bound on ``max_ij |(Q^n)_ij − π_j|`` for every stationary π, for
    ``n`` from ``n_from·K`` to ``(n_from + 4)·K``."""
    chain = build_chain(params, seed=seed, device=device)
    K, m = chain.K, chain.n_states
    lo = int(params.get("n_from", 10)) * K
    hi = lo + 4 * K
    d = spread_series(chain, hi)[lo - 1 :]
    n = np.arange(lo, hi + 1)
    gamma = m * U / (1 - m * U)
    return Measurement(value=d, error_bound=n * (gamma + (chain.T + 10) * U), series={"n": n})


CERTIFY_WORK = 2**19
"""Largest ``K·T^{K+1}`` for which :func:`epsilon` certifies ``log ε`` in ball arithmetic (about a
second here); larger chains get the float64 dynamic program with its derived error bound."""


def epsilon(params, *, seed, device="cpu"):
    """``log ε`` of the chain by the min-sum dynamic program (log scale: ε underflows float64):
    certified in ball arithmetic (:func:`numerics.certified.log_epsilon`) up to
    :data:`CERTIFY_WORK`, with the float64 value beside it in raw; float64 with its error bound
    beyond. ``ε = T^{−K}`` exactly when the logits are constant (``B = 0``)."""
    table = logit_table(params, seed=seed)
    chain = build_chain(params, seed=seed, device=device, table=table)
    B, tau = float(params["B"]), float(params["tau"])
    T, K = chain.T, chain.K
    fast = log_epsilon(chain)
    if K * T ** (K + 1) > CERTIFY_WORK:
        return Measurement(value=fast, log=True, error_bound=log_epsilon_error(chain, B, tau))
    from . import certified

    logits = table.logits[-1]
    mid, rad = certified.float_ball(certified.log_epsilon(logits, T, K, tau))
    return Measurement(
        value=mid,
        log=True,
        error_bound=rad,
        certified=True,
        exact_value=certified.uniform_epsilon(logits, T, K),
        raw={"log_epsilon_float64": fast, "arb_radius": rad},
    )


TAU_GRID = np.geomspace(0.05, 5.0, 25)


def epsilon_vs_temperature(params, *, seed, device="cpu"):
    """``log ε(τ)`` over a fixed temperature grid (0.05 to 5, 25 points) for one logit table."""
    taus = np.asarray(params.get("taus", TAU_GRID), dtype=float)
    B = float(params["B"])
    vals, errs = [], []
    for tau in taus:
        chain = build_chain(params, seed=seed, device=device, tau=float(tau))
        vals.append(log_epsilon(chain))
        errs.append(log_epsilon_error(chain, B, float(tau)))
    return Measurement(
        value=np.array(vals), log=True, error_bound=np.array(errs), series={"tau": taus}
    )


# -- Section 4: sample complexity and in-context learning of Markov chains ---------------------

# The paper's Table 2: vocabulary T, embedding dimension r, pre-training tokens N.
LLM_TABLE = {
    "Llama 7B": (32000, 4096, 1e12),
    "Llama2 7B": (32000, 4096, 2e12),
    "Llama3 8B": (128000, 4096, 1.5e13),
    "Llama3.2 3B": (128000, 3072, 1.5e13),
    "Gemma 2B": (256128, 2048, 3e12),
    "Gemma 7B": (256128, 3072, 6e12),
    "Gemma2 9B": (256128, 3584, 8e12),
    "Gemma2 27B": (256128, 4608, 1.3e13),
}


def approximation_error(T: float, r: float, N: float, *, tau=1.0, delta=0.05) -> float:
    """Prop 4.1 with zero empirical risk, solved for ε by bisection on the sample-size condition
    ``N ≥ 4 B̄² ε⁻² log(2/δ)`` (so independently of the closed form ``ε = 2B̄ √(log(2/δ)/N)``),
    ``B̄ ≈ 2 (log T + 2T√r/τ)^{1/2}`` (the paper's approximation ``B_U ≈ T√r``)."""
    B = 2 * math.sqrt(math.log(T) + 2 * T * math.sqrt(r) / tau)
    lo, hi = 1e-12, 1e6
    for _ in range(200):  # smallest ε whose required sample size is met by N
        mid = math.sqrt(lo * hi)
        if 4 * B * B / mid**2 * math.log(2 / delta) <= N:
            hi = mid
        else:
            lo = mid
    return hi


def sample_complexity(params, *, seed, device="cpu"):
    """ε of one model of Table 2 (input ``T, r, N`` from the table; τ = 1, δ = 0.05)."""
    T, r, N = LLM_TABLE[params["model"]]
    eps = approximation_error(T, r, N)
    return Measurement(value=eps, error_bound=1e-12 * eps, inputs={"T": T, "r": r, "N": N})


FIGURE_RANGE = (Fraction(7, 1000), Fraction(22, 1000))


def models_in_figure_range(params, *, seed, device="cpu"):
    """How many of Table 2's eight models have ε in Fig. 1's axis range [0.7, 2.2]·10⁻²: each ε
    enclosed in ball arithmetic (:func:`numerics.certified.sample_complexity_epsilon`) and its
    place against the range decided on the enclosure, so the count is exact; the bisection's
    float values (:func:`approximation_error`) beside them in raw. A ball that straddles an end
    of the range would leave the count undecided by one (``error_bound``)."""
    from . import certified

    lo, hi = (certified.exact(v) for v in FIGURE_RANGE)
    eps = {m: approximation_error(*v) for m, v in LLM_TABLE.items()}
    balls = {m: certified.sample_complexity_epsilon(*v) for m, v in LLM_TABLE.items()}
    inside = sum(bool(b >= lo and b <= hi) for b in balls.values())
    outside = sum(bool(b < lo or b > hi) for b in balls.values())
    undecided = len(balls) - inside - outside
    enclosures = {m: list(certified.bounds(b)) for m, b in balls.items()}
    raw = {"epsilon": eps, "epsilon_certified": enclosures}
    if undecided:
        return Measurement(value=inside, error_bound=undecided, raw=raw)
    return Measurement(value=inside, exact=True, raw=raw)


def stationary_laws(P: np.ndarray) -> np.ndarray:
    """Stationary laws of the chains ``P`` (``(..., d, d)``, each irreducible), as rows."""
    w, v = np.linalg.eig(np.swapaxes(P, -1, -2))
    k = np.argmin(np.abs(w - 1), axis=-1)
    pi = np.real(np.take_along_axis(v, k[..., None, None], axis=-1)[..., 0])
    return pi / pi.sum(axis=-1, keepdims=True)


def counting_risk(P: np.ndarray, pi: np.ndarray, N: int, rng: np.random.Generator, reps: int):
    """``Σ_i π_i TV(P_i, P̂_i)`` of the counting estimator from a length-``N`` trajectory started
    in π (rows never visited estimated uniform), for ``reps`` independent trajectories simulated
    side by side: of the one chain ``P`` (``d × d``, ``pi`` its stationary law), or of chain
    ``P[r]`` for trajectory ``r`` (``P`` of shape ``(reps, d, d)``, ``pi`` of ``(reps, d)``)."""
    P = np.broadcast_to(P, (reps,) + P.shape[-2:])
    pi = np.broadcast_to(pi, (reps, P.shape[-1]))
    d = P.shape[-1]
    cdf = np.cumsum(P, axis=-1)
    cdf[..., -1] = 1.0
    r = np.arange(reps)
    x = (rng.random(reps)[:, None] > np.cumsum(pi, axis=-1)[:, :-1]).sum(axis=1)
    base = r * d * d
    cells = np.empty((N, reps), dtype=np.int64)
    for n in range(N):
        y = (rng.random(reps)[:, None] > cdf[r, x]).sum(axis=1)
        cells[n] = base + x * d + y
        x = y
    counts = np.bincount(cells.ravel(), minlength=reps * d * d).reshape(reps, d, d)
    visits = counts.sum(axis=2, keepdims=True)
    Phat = np.where(visits > 0, counts / np.maximum(visits, 1), 1.0 / d)
    return ((0.5 * np.abs(P - Phat).sum(axis=2)) * pi).sum(axis=1)


def icl_counting_rate(params, *, seed, device="cpu"):
    """In-context risk of the counting estimator on random ``d``-state chains (rows
    Dirichlet(1), a fresh chain for every trajectory, so that the mean is the risk on a random
    chain and its standard error holds the chains' spread) at context lengths ``N_icl`` from
    ``50 d`` to ``50 d · 64`` (7 values, fresh trajectories at each), mean ± standard error over
    ``reps`` trajectories; ``raw["constant"]`` is ``R·√N`` at the largest ``N`` (its growth in
    ``d``)."""
    d, reps = int(params["d"]), int(params["reps"])
    rng = numpy_rng(seed, 41)
    Ns = (50 * d * np.geomspace(1, 64, 7)).round().astype(int)
    vals, ses = [], []
    for N in Ns:
        P = rng.dirichlet(np.ones(d), size=(reps, d))
        r = counting_risk(P, stationary_laws(P), int(N), rng, reps)
        vals.append(r.mean())
        ses.append(r.std(ddof=1) / math.sqrt(reps))
    vals = np.array(vals)
    return Measurement(
        value=vals,
        stderr=np.array(ses),
        series={"N_icl": Ns.astype(float)},
        raw={"constant": float(vals[-1] * math.sqrt(Ns[-1]))},
    )


def pretraining_deviations(params, *, seed, device="cpu"):
    """``R − R̂`` of a fixed model over ``datasets`` independent samples of ``N`` contexts.

    Ground truth: an order-``K`` chain over ``T`` tokens whose next-token probabilities are all
    ``≥ c0``. Model: a :class:`~numerics.lm.ContextLM` (final hidden state in the unit ball,
    ``‖W_Uᵀ‖_{2,1} ≤ B_U``) fitted beforehand on a sample of its own, so it is fixed with respect
    to the datasets. ``contexts="iid"``: contexts uniform on the ``T^K`` windows, independent
    (input ``Gamma`` = ‖Γ‖ = 1, Theorem 4.2 as stated); ``contexts="chain"``: the ``N``
    consecutive windows of one long chain started in its stationary law, input ``Gamma`` =
    √t_min of the window chain, ``t_min`` computed exactly (Prop. F.18's concentration step,
    Paulin 2015, Cor. 2.11, applied to ``R̂_pre``; raw ``locator`` says which). ``R`` is the
    exact mean of the per-context total variation under the context law, ``R̂`` its mean over a
    dataset."""
    T, K, N = int(params["T"]), int(params["K"]), int(params["N"])
    tau, BU = float(params["tau"]), float(params["B_U"])
    rng, truth, W, weights, gam, mode = context_setting(params, seed, 51)
    tmin = gam**2
    model = fitted_context_model(truth, T, K, B_U=BU, tau=tau, weights=weights, seed=seed)
    tv = 0.5 * np.abs(truth - model).sum(axis=1)
    R, dev = deviations(tv, weights, W, N, int(params["datasets"]), rng, mode)
    hoeffding = math.sqrt(tmin * math.log(2 / 0.05) / (2 * N))
    return deviation_measurement(
        R,
        dev,
        gam,
        mode,
        t_min=None if mode == "iid" else float(tmin),
        locator="Theorem 4.2, ‖Γ‖ = 1 (iid contexts)"
        if mode == "iid"
        else "Prop. F.18's step applied to R̂_pre, ‖Γ‖ ≤ √t_min",
        hoeffding_term=hoeffding,
    )


def _fixed_model(d: int, BU: float, tau: float, pmin: float, rng: np.random.Generator):
    """A random first-order ``d``-state chain (transitions ≥ ``pmin``), its stationary law, and a
    fixed model ``softmax(W_U h/τ)`` (``‖h‖ = 1``, ``‖W_Uᵀ‖_{2,1} = B_U``): ``P, π``, each
    state's TV distance between the chain's and the model's next-token law, and the risk."""
    P = order_k_truth(d, 1, pmin, rng)  # a first-order chain: one row per state
    pi = gth(P)
    h = rng.standard_normal((d, 8))
    h /= np.linalg.norm(h, axis=1, keepdims=True)
    WU = rng.standard_normal((d, 8))
    WU *= BU / np.linalg.norm(WU, axis=1).sum()
    z = h @ WU.T / tau
    Q = np.exp(z - z.max(axis=1, keepdims=True))
    Q /= Q.sum(axis=1, keepdims=True)
    tv = 0.5 * np.abs(P - Q).sum(axis=1)
    return P, pi, tv, float(pi @ tv)


def icl_deviations(params, *, seed, device="cpu"):
    """``R_icl − R̂_icl`` of a fixed model (``softmax(W_U h/τ)``, ``‖h‖ = 1``,
    ``‖W_Uᵀ‖_{2,1} = B_U``) on ``datasets`` trajectories of length ``N_icl`` of a random
    ``d``-state chain with every transition ``≥ p_min``, started in π (so ``E R̂ = R``); input
    ``t_min`` of the chain (context window 1: the context chain is the chain itself)."""
    d, N, M = int(params["d"]), int(params["N_icl"]), int(params["datasets"])
    tau, BU, pmin = float(params["tau"]), float(params["B_U"]), float(params["p_min"])
    if not 0 < pmin < 1 / d:
        raise ValueError(f"p_min must lie in (0, 1/d) = (0, {1 / d}), got {pmin}")
    rng = numpy_rng(seed, 71)
    P, pi, tv, R = _fixed_model(d, BU, tau, pmin, rng)
    dev = R - path_means(P, pi, tv, N, M, rng)
    return Measurement(
        samples=dev,
        inputs={"t_min": float(t_min(P))},
        raw={"risk": R, "deviation_q95": float(np.quantile(dev, 0.95))},
    )


def icl_bbar(d: int, B_U: float, tau: float, p_min: float) -> float:
    """``B̄ = 2 max{log d + 2B_U/τ, log(1/p_min)}^{1/2}`` of Theorem 4.3 and Prop. E.2."""
    return 2 * math.sqrt(max(math.log(d) + 2 * B_U / tau, math.log(1 / p_min)))


def icl_sample_complexity(params, *, seed, device="cpu"):
    """Prop. E.2 at the sample size it prescribes, corrected: ``R_icl − R̂_icl`` of a fixed model
    (as :func:`icl_deviations`) on ``datasets`` trajectories of length
    ``N* = ⌈4 B̄² t_min ε⁻² log(2/δ)⌉``, ``t_min`` computed exactly from the drawn chain. The
    paper's ``N* = ⌈4 B̄² ε⁻² log(2/δ)⌉`` (no ``t_min``) is run too, on fresh trajectories: the
    share of them within ``ε/2`` there is reported in ``raw`` (is the paper's size enough
    numerically, although its derivation drops ``t_min``?)."""
    d, M = int(params["d"]), int(params["datasets"])
    tau, BU, pmin = float(params["tau"]), float(params["B_U"]), float(params["p_min"])
    e, delta = float(params["epsilon"]), float(params["delta"])
    if not 0 < pmin < 1 / d:
        raise ValueError(f"p_min must lie in (0, 1/d) = (0, {1 / d}), got {pmin}")
    rng = numpy_rng(seed, 73)
    P, pi, tv, R = _fixed_model(d, BU, tau, pmin, rng)
    tm = float(t_min(P))
    base = 4 * icl_bbar(d, BU, tau, pmin) ** 2 * math.log(2 / delta) / e**2
    paper_n, corrected_n = math.ceil(base), math.ceil(base * tm)
    dev = R - path_means(P, pi, tv, corrected_n, M, rng)
    at_paper = R - path_means(P, pi, tv, paper_n, M, rng)
    return Measurement(
        samples=dev,
        raw={
            "t_min": tm,
            "paper_N": paper_n,
            "corrected_N": corrected_n,
            "share_within_at_corrected_N": float(np.mean(dev <= e / 2)),
            "share_within_at_paper_N": float(np.mean(at_paper <= e / 2)),
        },
    )


EXPERIMENTS = {
    "markov.state_count": state_count,
    "markov.transition_nonzeros": transition_nonzeros,
    "markov.block_structure": block_structure,
    "markov.closed_classes": closed_class_count,
    "markov.convergence": convergence,
    "markov.spread": spread,
    "markov.epsilon": epsilon,
    "markov.epsilon_vs_temperature": epsilon_vs_temperature,
    "markov.models_in_figure_range": models_in_figure_range,
    "markov.icl_counting_rate": icl_counting_rate,
    "markov.toy_stationary": markov_toy.toy_stationary,
    "markov.icl_deviations": icl_deviations,
    "markov.icl_sample_complexity": icl_sample_complexity,
    "markov.toy_mixing": markov_toy.toy_mixing,
    "markov.toy_speedup": markov_toy.toy_speedup,
    "markov.toy_uniform": markov_toy.toy_uniform,
    "markov.pretraining_deviations": pretraining_deviations,
    "markov.icl_model_rate": markov_icl.icl_model_rate,
    **markov_icl_regimes.EXPERIMENTS,
    **markov_icl_dimension.EXPERIMENTS,
    **markov_pretraining.EXPERIMENTS,
}
"""The family's experiments by key (a theorem names one in ``experiment``); verify finds them
here through the family's name (:func:`verify.experiments.resolve`)."""
