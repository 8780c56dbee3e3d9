"""Benchmark cases: each of our implementations against a reference implementation timed in the
same process and the same run, reported as a ratio against its target (``verify bench``; the
pytest-benchmark suite in ``benchmarks/`` runs the same cases).

A :class:`Case` is built by its ``setup`` (untimed): the function under test, the reference, a
check that both computed the same thing (a benchmark of a wrong answer is worthless), and
anything else to time in the same run (a memory copy, for bandwidth). :func:`run_case` times it
with :func:`~verify.perf.timing.median_time`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .fixtures import STATIONARY_FLOOR, random_chain, transpose_csr
from .timing import median_time


@dataclass
class Case:
    name: str
    ours: Callable[[], Any]
    reference: Callable[[], Any] | None
    target: float | None  # reference time / our time must reach it (None: reported only)
    check: Callable[[Any, Any], dict] | None = None  # (our result, reference result) → facts
    also: dict[str, Callable[[], Any]] = field(default_factory=dict)  # other timings
    finish: Callable[[dict], dict] | None = None  # row → extra fields (bandwidth, ...)
    note: str = ""
    rounds: int = 5
    reference_rounds: int = 5


def run_case(case: Case) -> dict:
    """Time ``case``; the row has ``name``, ``ours_s``, ``reference_s``, ``ratio``, ``target``,
    ``met`` and whatever the case adds."""
    t_ours, r_ours = median_time(case.ours, case.rounds)
    row: dict[str, Any] = {"name": case.name, "ours_s": t_ours}
    if case.reference is not None:
        t_ref, r_ref = median_time(case.reference, case.reference_rounds)
        row |= {"reference_s": t_ref, "ratio": t_ref / t_ours}
        if case.check is not None:
            row |= case.check(r_ours, r_ref)
    else:
        row |= {"reference_s": None, "ratio": None}
    for k, fn in case.also.items():
        row[f"{k}_s"] = median_time(fn, case.rounds)[0]
    row["target"] = case.target
    if case.finish is not None:
        row |= case.finish(row)
    met = [row["ratio"] >= case.target] if case.target is not None and row["ratio"] else []
    if row.get("bandwidth_target") is not None:
        met.append(row["bandwidth_fraction"] >= row["bandwidth_target"])
    if "correct" in row:  # a fast wrong answer meets nothing
        met.append(row["correct"])
    row["met"] = all(met) if met else None
    if case.note:
        row["note"] = case.note
    return row


# --------------------------------------------------------------------------------------------
# Markov chains
# --------------------------------------------------------------------------------------------


OPERATOR_FROM = 16  # the 1.5x target applies from 2^16 states up
OPERATOR_TARGET = 1.5
BANDWIDTH_TARGET = 0.5  # of a numpy copy's bandwidth, at the largest size (≥ 2^22)
OPERATOR_LARGEST = 22


def operator_case(exponent: int, *, largest: bool, T: int = 2) -> Case:
    import torch

    K = round(exponent / math.log2(T))
    chain = random_chain(T, K, seed=exponent)
    n = T**K
    x = torch.rand(1, n, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    x /= x.sum()
    QT = transpose_csr(chain)
    xv = x[0].numpy().copy()
    buf = torch.empty_like(x)  # the operator writes into a buffer, as its iterations do
    src = np.random.default_rng(2).random(n * T)  # as large as the probability table
    dst = np.empty_like(src)
    moved = 8 * (n * T + 2 * n)  # probabilities read once, x read once, the result written once

    def check(ours, ref):
        diff = float(np.abs(ours[0].numpy() - ref).max())
        return {"max_abs_difference": diff, "correct": diff <= 1e-12 * float(np.abs(ref).max())}

    def finish(row):
        bw = moved / row["ours_s"]
        copy_bw = 2 * 8 * src.size / row["copy_s"]
        return {
            "states": n,
            "bandwidth_GBps": bw / 1e9,
            "copy_GBps": copy_bw / 1e9,
            "bandwidth_fraction": bw / copy_bw,
            "bandwidth_target": BANDWIDTH_TARGET if largest else None,
        }

    return Case(
        name=f"markov-operator 2^{exponent}",
        ours=lambda: chain.recurrent_step(x, out=buf),
        reference=lambda: QT @ xv,
        target=OPERATOR_TARGET if exponent >= OPERATOR_FROM else None,
        check=check,
        also={"copy": lambda: np.copyto(dst, src)},
        finish=finish,
        note=f"T = {T}, K = {K}; reference: scipy CSR matrix-vector product on the same chain",
    )


def stationary_case(exponent: int = 20, tol: float = 1e-10) -> Case:
    """Certified power iteration to ``tol`` against scipy's sparse eigensolver (ARPACK) on the
    same chain; both solutions get the same a-posteriori certificate."""
    import scipy.sparse.linalg as spla

    from numerics.markov_stationary import certified_l1_error, stationary

    K = exponent
    chain = random_chain(2, K, seed=100 + exponent, floor=STATIONARY_FLOOR)
    QT = transpose_csr(chain)

    def ours():
        return stationary(chain, gth_max=0, tol=tol)

    def reference():
        _, v = spla.eigs(QT, k=1, which="LM", tol=1e-14)
        v = np.abs(v[:, 0].real)
        return v / v.sum()

    def check(ours_r, ref):
        pi = ours_r.pi[chain.recurrent_slice]
        return {
            "states": 2**K,
            "iterations": ours_r.iterations,
            "certified_l1_error": ours_r.l1_error,
            "reference_certified_l1_error": certified_l1_error(chain, ref),
            "l1_difference": float(np.abs(pi - ref).sum()),
            "correct": ours_r.l1_error <= tol,
        }

    return Case(
        name=f"stationary 2^{exponent}",
        ours=ours,
        reference=reference,
        target=1.0,
        check=check,
        rounds=3,
        reference_rounds=1,
        note=f"certified ‖π̂ − π‖₁ ≤ {tol:g}; reference: scipy.sparse.linalg.eigs (ARPACK)",
    )


def stationary_gth_case(exponent: int = 11) -> Case:
    """Certified power iteration against GTH (exact to O(n³u)) at the largest size GTH holds
    here in seconds."""
    from numerics.markov_stationary import gth, gth_error, stationary

    chain = random_chain(2, exponent, seed=200 + exponent, floor=STATIONARY_FLOOR)
    P = chain.recurrent_dense()

    def check(ours_r, ref):
        pi = ours_r.pi[chain.recurrent_slice]
        diff = float(np.abs(pi - ref).sum())
        return {
            "states": 2**exponent,
            "certified_l1_error": ours_r.l1_error,
            "l1_difference": diff,
            "correct": diff <= ours_r.l1_error + gth_error(2**exponent),
        }

    return Case(
        name=f"stationary vs GTH 2^{exponent}",
        ours=lambda: stationary(chain, gth_max=0, tol=1e-10),
        reference=lambda: gth(P),
        target=1.0,
        check=check,
        rounds=3,
        reference_rounds=1,
        note="reference: GTH state reduction on the dense block (O(n³))",
    )


def epsilon_case(exponent: int = 11) -> Case:
    """ε by the min-sum dynamic program against forming ``Q^K`` densely."""
    from numerics.markov import log_epsilon, log_epsilon_bruteforce

    chain = random_chain(2, exponent, seed=300 + exponent)

    def check(ours, ref):
        diff = abs(ours - ref)
        return {
            "states": 2**exponent,
            "log_eps": ours,
            "abs_difference": diff,
            "correct": diff < 1e-9,
        }

    return Case(
        name=f"epsilon DP vs dense Q^K 2^{exponent}",
        ours=lambda: log_epsilon(chain),
        reference=lambda: log_epsilon_bruteforce(chain),
        target=10.0,
        check=check,
        rounds=5,
        reference_rounds=1,
    )


# --------------------------------------------------------------------------------------------
# Emergence
# --------------------------------------------------------------------------------------------

PHIS = np.linspace(0.02, 1.0, 50)


def _curve(n, order, largest):
    """``largest(occupied)`` at each φ of :data:`PHIS`, occupying skills in ``order``."""
    out = []
    for phi in PHIS:
        occ = np.zeros(n, dtype=bool)
        occ[order[: int(phi * n)]] = True
        out.append(largest(occ))
    return np.array(out)


def peeling_case(n: int = 10**6) -> Case:
    from numerics import emergence as em

    s, t, nt = em.bipartite_graph({3: 1.0}, n, 1.3, seed=1)

    def check(ours, ref):
        return {
            "skills": n,
            "edges": len(s),
            "unlearned": ours[0],
            "reference_unlearned": ref,
            "correct": abs(ours[0] - ref) < 1e-12,
        }

    return Case(
        name="peeling N_s=1e6",
        ours=lambda: em.peel(s, t, n, nt),
        reference=lambda: em.peel_reference(s, t, n, nt),
        target=10.0,
        check=check,
        rounds=3,
        reference_rounds=1,
        note="reference: a queue peeler in Python (numerics.emergence.peel_reference)",
    )


def newman_ziff_case(n: int = 10**6, *, library: str = "csgraph") -> Case:
    from numerics import emergence as em

    s, t, nt = em.bipartite_graph({3: 1.0}, n, 1.0, seed=2)
    order = em.numpy_rng(3, 15).permutation(n)
    if library == "csgraph":
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        def largest(occ):
            keep = occ[s]
            g = csr_matrix(
                (np.ones(int(keep.sum())), (s[keep], n + t[keep])), shape=(n + nt, n + nt)
            )
            _, labels = connected_components(g, directed=False)
            return np.bincount(labels[:n][occ]).max() / n

        target = 10.0
    else:
        import networkx as nx

        def largest(occ):
            keep = occ[s]
            g = nx.Graph()
            g.add_nodes_from(np.flatnonzero(occ).tolist())
            g.add_edges_from(zip(s[keep].tolist(), (n + t[keep]).tolist(), strict=True))
            return max(sum(1 for v in c if v < n) for c in nx.connected_components(g)) / n

        target = 50.0

    def check(curve, ref):
        agree = bool(np.allclose(ref, curve[(PHIS * n).astype(int) - 1]))
        return {"skills": n, "correct": agree}

    return Case(
        name=f"Newman-Ziff vs {library}, 50 phi, N_s={n:.0e}",
        ours=lambda: em.newman_ziff(s, t, n, nt, seed=3),
        reference=lambda: _curve(n, order, largest),
        target=target,
        check=check,
        rounds=3,
        reference_rounds=1,
    )


# --------------------------------------------------------------------------------------------
# The certifier
# --------------------------------------------------------------------------------------------


def certify_suite() -> list[tuple[str, Any, dict, str]]:
    """``(name, relation, box, expected status)``: one- to four-variable relations of the kinds
    the proofs hold (a spike, a global minimum among two, an integer box, a 4-d box)."""
    import sympy as sp

    x, y, z, w, p = sp.symbols("x y z w p", real=True)
    n = sp.Symbol("n", integer=True)
    R = sp.Rational
    G = -sp.log(1 - p) / (2 * R(54, 100) * p + 3 * R(22, 100) * p**2 + 12 * R(24, 100) * p**11)
    spike = x * (1 - x) + 2 * sp.exp(-((10**6 * (x - R(313705, 10**6))) ** 2))
    quad = {s: (R(1, 2), 2) for s in (x, y, z, w)}
    return [
        ("log(1+x) <= x", sp.log(1 + x) <= x, {x: (R(1, 10), 10)}, "certified"),
        ("exp(x) >= 1+x+x^2", sp.exp(x) >= 1 + x + x**2, {x: (R(1, 100), 3)}, "refuted"),
        ("spike <= 1/2", spike <= R(1, 2), {x: (0, 1)}, "refuted"),
        ("bimodal G >= 0.91885", G >= R(91885, 10**5), {p: (R(1, 100), R(99, 100))}, "certified"),
        ("bimodal G >= 0.91887", G >= R(91887, 10**5), {p: (R(1, 100), R(99, 100))}, "refuted"),
        ("gamma(x) >= 0.88", sp.gamma(x) >= R(88, 100), {x: (R(1, 2), 3)}, "certified"),
        ("n! >= 2^n", sp.factorial(n) >= 2**n, {n: (4, 100)}, "certified"),
        ("x*y <= 4 (tight corners)", x * y <= 4, {x: (-2, 2), y: (-2, 2)}, "certified"),
        (
            "AM-GM, 4 variables",
            (x + y + z + w) / 4 - (x * y * z * w) ** R(1, 4) >= -R(1, 100),
            quad,
            "certified",
        ),
    ]


def certify_case() -> Case:
    """Seconds per relation of :func:`certify_suite`, with the mean value form and the
    monotonicity test against the direct ball enclosures alone (the same search)."""
    from ..certifier import Budget, certify

    suite = certify_suite()
    budget = Budget(boxes=200_000, seconds=30.0)

    def run(mean_value):
        return [certify(r, b, budget=budget, mean_value=mean_value) for _, r, b, _ in suite]

    def check(ours, ref):
        return {
            "relations": len(suite),
            "per_relation": {
                name: {"seconds": round(c.seconds, 4), "boxes": c.boxes, "status": c.status}
                for (name, *_), c in zip(suite, ours, strict=True)
            },
            "reference_statuses": [c.status for c in ref],
            "correct": all(c.status == want for (*_, want), c in zip(suite, ours, strict=True)),
        }

    return Case(
        name=f"certify, {len(suite)} relations",
        ours=lambda: run(True),
        reference=lambda: run(False),
        target=None,
        check=check,
        rounds=3,
        reference_rounds=1,
        finish=lambda row: {"ours_per_relation_s": row["ours_s"] / len(suite)},
        note="reference: the same branch and bound on direct ball enclosures alone",
    )
