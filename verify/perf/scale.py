"""Scale tables (``verify bench scale``; issue #9): for each experiment, measured sizes with their
seconds and memory, the growth exponents fitted in log-log, and the largest size that fits in
this machine's memory.

Memory is given twice. ``bytes_held`` is counted: the arrays and tensors the experiment holds at
its peak (each fit's note names them), reproducible and comparable between machines. ``peak_rss``
is measured (:func:`~verify.perf.timing.measured`): the process's peak resident memory during the
run above its resident memory before, which includes the temporaries the count leaves out; on a
GPU ``peak_device_bytes`` is torch's peak allocation. The largest size that fits uses the larger
of the two.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from .fixtures import STATIONARY_FLOOR, chain_bytes, random_chain
from .timing import measured, median_time

MEMORY_BYTES = 24 * 2**30  # this machine's memory, for the largest size that fits
STATIONARY_FROM = 16


def row(
    experiment: str, size: int, label: str, secs: float, held: int, *, shown=(), **facts
) -> dict:
    """One measured size. ``shown``: the facts the docs' table prints beside it."""
    return {
        "name": f"scale: {experiment} {label}",
        "experiment": experiment,
        "size": size,
        "size_label": label,
        "ours_s": secs,
        "bytes_held": held,
        **facts,
        "shown": list(shown),
        "reference_s": None,
        "ratio": None,
        "target": None,
        "met": None,
    }


def fit(
    experiment: str,
    rows: list[dict],
    unit: str,
    *,
    counted: str,
    time_key: str = "ours_s",
    time_label: str = "time",
) -> dict:
    """Growth exponents of ``time_key`` and of the bytes held in the size (least squares in
    log-log), and the largest size that fits in :data:`MEMORY_BYTES`: the largest size's memory
    (the larger of counted and measured) extrapolated with the bytes' exponent (linearly when
    there is one size)."""
    n = np.array([r["size"] for r in rows], dtype=float)
    exps = {}
    if len(rows) >= 2:
        for key in (time_key, "bytes_held"):
            y = np.array([r[key] for r in rows], dtype=float)
            exps[key] = float(np.polyfit(np.log(n), np.log(y), 1)[0])
    last = rows[-1]
    peak = max(last["bytes_held"], last.get("peak_rss", 0), last.get("peak_device_bytes", 0))
    growth = exps.get("bytes_held", 1.0)
    largest = last["size"] * (MEMORY_BYTES / peak) ** (1 / max(growth, 0.1))
    return {
        "name": f"scale: {experiment}, fit",
        "experiment": experiment,
        "ours_s": sum(r["ours_s"] for r in rows),
        "time_exponent": exps.get(time_key),
        "time_measure": time_key,
        "time_label": time_label,
        "unit": unit,
        "bytes_exponent": exps.get("bytes_held"),
        "bytes_at_largest": peak,
        "largest_in_memory": largest,
        "largest_measured": last["size"],
        "reference_s": None,
        "ratio": None,
        "target": None,
        "met": None,
        "note": f"fits in {MEMORY_BYTES / 2**30:g} GiB up to about {largest:.3g} {unit} "
        f"({peak / 2**20:.0f} MiB at {last['size_label']}, extrapolated with the bytes' "
        f"exponent; counted: {counted})",
    }


# --------------------------------------------------------------------------------------------
# Markov chains (THEOREMS.md §1)
# --------------------------------------------------------------------------------------------


def _compile_stationary(device="cpu") -> None:
    """One small certified solve, so that no table's first size pays for compiling kernels."""
    from numerics.markov import LanguageModelChain, random_logits
    from numerics.markov_stationary import stationary

    small = random_logits(2, 4, scale=2.0, seed=0)
    stationary(LanguageModelChain.from_logits(small, 1.0, device=device), gth_max=0)


def stationary_rows(max_exponent: int = 26, tol: float = 1e-10) -> list[dict]:
    """The certified stationary distribution of random chains (T = 2) from 2^16 states up to
    ``2^max_exponent``: seconds (building the chain and solving), iterations, seconds per step,
    bytes held; then the fit."""
    from numerics.markov_stationary import stationary

    _compile_stationary()
    rows = []
    for e in range(STATIONARY_FROM, max(max_exponent, STATIONARY_FROM) + 1, 2):

        def solve(e=e):
            t0 = time.perf_counter()
            chain = random_chain(2, e, seed=400 + e, floor=STATIONARY_FLOOR)
            built = time.perf_counter() - t0
            t0 = time.perf_counter()
            r = stationary(chain, gth_max=0, tol=tol)
            return chain, r, built, time.perf_counter() - t0

        (chain, r, built, secs), _, mem = measured(solve)
        held = chain_bytes(chain) + 4 * 8 * 2**e  # the iterate, two step buffers, the difference
        rows.append(
            row(
                "stationary",
                2**e,
                f"2^{e}",
                secs,
                held,
                shown=("iterations", "certified_l1_error"),
                build_s=built,
                iterations=r.iterations,
                seconds_per_step=secs / max(r.iterations, 1),
                certified_l1_error=r.l1_error,
                correct=r.l1_error <= tol,
                **mem,
            )
        )
        del chain, r
    counted = "the chain's tables and the iteration's buffers"
    return rows + [
        fit(
            "stationary",
            rows,
            "states",
            counted=counted,
            time_key="seconds_per_step",
            time_label="time per step",
        )
    ]


def lm_chain_rows(Ks=(11, 14, 17, 20), tol: float = 1e-10, device="auto") -> list[dict]:
    """The chain of a transformer (``markov.*`` with ``source = "model"``, T = 2, B = 2:
    :func:`~numerics.markov_experiments.build_chain` reads the next-token logits off the model
    for every context of 1..K tokens), and its certified stationary distribution; sizes in
    states ``2^(K+1) − 2``."""
    from numerics.device import resolve_device
    from numerics.markov_experiments import build_chain
    from numerics.markov_stationary import stationary

    dev = resolve_device(device)
    _compile_stationary(dev)
    rows = []
    for K in Ks:

        def run(K=K):
            t0 = time.perf_counter()
            chain = build_chain({"T": 2, "K": K, "source": "model", "B": 2.0}, seed=K, device=dev)
            built = time.perf_counter() - t0
            t0 = time.perf_counter()
            r = stationary(chain, gth_max=0, tol=tol)
            return chain, r, built, time.perf_counter() - t0

        (chain, r, built, solve), secs, mem = measured(run, dev)
        held = (
            chain_bytes(chain)
            + 4 * 8 * 2**K  # the stationary iteration's buffers
            + 8 * 2**K * K  # the longest contexts, as int64 token indices
        )
        rows.append(
            row(
                "transformer chain",
                chain.n_states,
                f"K={K} ({chain.n_states} states)",
                secs,
                held,
                shown=("build_s", "stationary_s", "iterations"),
                build_s=built,
                stationary_s=solve,
                iterations=r.iterations,
                certified_l1_error=r.l1_error,
                correct=r.l1_error <= tol,
                **mem,
            )
        )
        del chain, r
    if not rows:  # every size above the cap
        return []
    counted = "the chain's tables, the iteration's buffers, the contexts"
    return rows + [fit("transformer chain", rows, "states", counted=counted)]


# --------------------------------------------------------------------------------------------
# Emergence (THEOREMS.md §2)
# --------------------------------------------------------------------------------------------


def emergence_rows(max_skills: int = 10**7) -> list[dict]:
    """Peeling and Newman–Ziff on random skill–text graphs (degree 3) from 10^4 skills to
    ``max_skills``: median seconds of three runs and bytes of the edge arrays, then the fits."""
    from numerics import emergence as em

    sizes = [n for n in (10**4, 10**5, 10**6, 10**7) if n <= max_skills]
    out = []
    for experiment, R in (("peeling", 1.3), ("Newman-Ziff", 1.0)):
        rows = []
        for n in sizes:

            def timed(n=n, R=R, experiment=experiment):
                s, t, nt = em.bipartite_graph({3: 1.0}, n, R, seed=n)
                if experiment == "peeling":
                    run = partial(em.peel, s, t, n, nt)
                else:
                    run = partial(em.newman_ziff, s, t, n, nt, seed=n)
                return s, t, median_time(run, rounds=3)

            (s, t, (secs, result)), _, mem = measured(timed)  # the graph's memory included
            held = s.nbytes + t.nbytes
            if experiment == "peeling":
                frac, rounds = result
                facts = {"rounds": int(rounds), "unlearned": float(frac)}
            else:
                facts = {"largest_at_phi_1": float(result[-1])}
            rows.append(
                row(
                    experiment,
                    n,
                    f"N_s={n:.0e}",
                    secs,
                    held,
                    shown=("edges", "rounds"),
                    edges=int(s.size),
                    **facts,
                    **mem,
                )
            )
            del s, t
        out += rows + [fit(experiment, rows, "skills", counted="the edge arrays")]
    return out


# --------------------------------------------------------------------------------------------
# Multi-concept in-context learning (THEOREMS.md §3)
# --------------------------------------------------------------------------------------------


def _saved_bytes(loss_of: Callable[[], Any]) -> tuple[Any, int]:
    """``loss_of()`` under a hook that counts the bytes autograd saves for the backward pass
    (each storage once)."""
    import torch

    seen: dict[int, int] = {}

    def pack(t):
        s = t.untyped_storage()
        seen[s.data_ptr()] = s.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = loss_of()
    return out, sum(seen.values())


def icl_rows(Ls=(16, 64, 256), steps: int = 5, device="auto") -> list[dict]:
    """The ``icl.*`` training at the quick profile's sizes, with ``L`` demonstrations per prompt:
    seconds to draw the held-out set, per SGD step and per held-out evaluation; the time per step
    of the decay phase (one step and one evaluation) is fitted."""
    import torch

    from numerics import concepts as cc
    from numerics.device import resolve_device, torch_generator

    dev = resolve_device(device)
    rows = []
    for L in Ls:
        cfg = cc.ConceptConfig(L=L)

        def run(cfg=cfg):
            gen = torch_generator(cfg.L, dev)
            D = cc.dictionary(cfg, gen)
            t0 = time.perf_counter()
            test = cc.prompts(cfg, D, cfg.n_test, gen)
            drawn = time.perf_counter() - t0
            model = cc.ConceptICL(cfg, gen)
            opt = torch.optim.SGD(model.parameters(), lr=cfg.lr)

            times, saved = [], 0
            for _ in range(steps + 1):  # the first is a warm-up
                t0 = time.perf_counter()
                loss, saved = _saved_bytes(partial(cc.batch_loss, model, cfg, D, gen))
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            ev = cc.evaluate(model, test, D)
            evaluation = time.perf_counter() - t0
            return test, model, saved, drawn, float(np.median(times[1:])), evaluation, ev

        (test, model, saved, drawn, step_s, eval_s, ev), secs, mem = measured(run, dev)
        held = (
            sum(getattr(test, f).nbytes for f in ("demos", "query", "y", "task", "demo_concept"))
            + saved
            + sum(p.nbytes for p in model.parameters())
        )
        rows.append(
            row(
                "concept ICL training",
                L,
                f"L={L}",
                secs,
                held,
                shown=("prompts_s", "train_step_s", "evaluation_s"),
                prompts_s=drawn,
                train_step_s=step_s,
                evaluation_s=eval_s,
                seconds_per_step=step_s + eval_s,
                n_test=cfg.n_test,
                batch=cfg.batch,
                held_out_error=ev["error"],
                **mem,
            )
        )
        del test, model
    counted = "the held-out prompts, the tensors one SGD step saves for backward, the model"
    return rows + [
        fit(
            "concept ICL training",
            rows,
            "demonstrations per prompt",
            counted=counted,
            time_key="seconds_per_step",
            time_label="time per decay-phase step",
        )
    ]


# --------------------------------------------------------------------------------------------
# Universal approximation (THEOREMS.md §4)
# --------------------------------------------------------------------------------------------


def uat_rows(
    kron_sides=(16, 32, 64, 96), widths=(100, 200, 400, 800, 1600), sides=(256, 512, 1024, 2048)
) -> list[dict]:
    """The three ``uat.*`` checks whose cost grows with the size: attention as a linear map with
    the Kronecker matrix formed (``n = d``, size ``n·d``), Barron's least-squares fit (width
    ``m``, ``20 m + 200`` training points, d = 3), and LoRA's truncated SVD (a square matrix)."""
    from numerics import uat

    out = []
    rows = []
    uat.attention_linear_form({"n": 4, "d": 4}, seed=0)  # warm up BLAS and the allocator
    uat.barron_fit(8, 3, np.random.default_rng(0), np.zeros((4, 3)))
    for n in kron_sides:
        m, secs, mem = measured(partial(uat.attention_linear_form, {"n": n, "d": n}, seed=n))
        nd = n * n
        held = 8 * (nd * nd + 6 * nd + 3 * n * n)  # the Kronecker matrix, X, A, products, weights
        rows.append(
            row(
                "attention as a linear map",
                nd,
                f"n=d={n}",
                secs,
                held,
                shown=("difference", "error_bound"),
                difference=m.value,
                error_bound=m.error_bound,
                correct=m.value <= m.error_bound,
                **mem,
            )
        )
    out += rows + [
        fit("attention as a linear map", rows, "entries of X", counted="the Kronecker matrix")
    ]
    rows = []
    d = 3
    for m in widths:
        rng = np.random.default_rng(m)
        test = uat.unit_ball(rng, 4000, d)
        err, secs, mem = measured(partial(uat.barron_fit, m, d, rng, test))
        held = 8 * ((20 * m + 200) * (m + 1) * 2 + 4000 * (m + 1))  # features, lstsq copy, test
        rows.append(
            row(
                "Barron fit",
                m,
                f"m={m}",
                secs,
                held,
                shown=("squared_error",),
                squared_error=float(err.mean()),
                **mem,
            )
        )
    out += rows + [
        fit("Barron fit", rows, "neurons", counted="the feature matrices and lstsq's copy")
    ]
    rows = []
    for s in sides:
        params = {"rows": s, "cols": s, "r": 8, "norm": "frobenius"}
        m, secs, mem = measured(partial(uat.lora_optimal, params, seed=s))
        held = 8 * 6 * s * s  # W0, W*, Δ, U, Vᵀ, the rank-r product
        rows.append(
            row(
                "LoRA truncated SVD",
                s,
                f"{s}x{s}",
                secs,
                held,
                shown=("residual",),
                residual=m.value,
                **mem,
            )
        )
    out += rows + [
        fit("LoRA truncated SVD", rows, "rows", counted="the matrices and the SVD's factors")
    ]
    return out


# name → rows, given the cap on the state and skill counts' exponent (None: the default sizes)
EXPERIMENTS: dict[str, Callable[[int | None], list[dict]]] = {
    "scale-markov": lambda c: (
        stationary_rows(26 if c is None else min(26, c))
        + lm_chain_rows(tuple(K for K in (11, 14, 17, 20) if c is None or K + 1 <= c))
    ),
    "scale-emergence": lambda c: emergence_rows(10**7 if c is None else 2**c),
    "scale-icl": lambda c: icl_rows(),
    "scale-uat": lambda c: uat_rows(),
}
