"""Emergence benchmarks (`make bench`; not part of `make test`): each pair timed in the same run,
reporting the ratio against its target (issue: peeling ≥ 10× a queue peeler at N_s = 10^6;
Newman–Ziff ≥ 10× scipy's connected components at 50 values of φ on 10^6 skills, ≥ 50× networkx
on 10^5)."""

import statistics
import time

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from numerics import emergence as em

pytestmark = pytest.mark.bench
PHIS = np.linspace(0.02, 1.0, 50)


def median_time(fn, rounds=3):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(benchmark, name, ours, ref, target, **extra):
    ratio = ref / ours
    benchmark.extra_info.update(
        {
            "name": name,
            "ratio": ratio,
            "target": target,
            "ours_s": ours,
            "reference_s": ref,
            **extra,
        }
    )
    print(
        f"\n{name}: ours {ours:.3f}s, reference {ref:.3f}s, ratio {ratio:.1f}x (target ≥ {target}x)"
    )
    assert ratio >= target, f"{name}: {ratio:.1f}x is below the {target}x target"


def test_peeling_against_a_queue_peeler(benchmark):
    n = 10**6
    s, t, nt = em.bipartite_graph({3: 1.0}, n, 1.3, seed=1)
    ours = benchmark.pedantic(lambda: em.peel(s, t, n, nt), rounds=3, iterations=1)
    assert ours[0] == 0.0
    t_ours = benchmark.stats.stats.median
    t_ref = median_time(lambda: em.peel_reference(s, t, n, nt), rounds=1)
    report(benchmark, "peeling N_s=1e6", t_ours, t_ref, 10, edges_per_s=len(s) / t_ours)


def reference_curve(n, order, largest):
    """``largest(occupied)`` at each φ of :data:`PHIS`, occupying skills in ``order``."""
    out = []
    for phi in PHIS:
        occ = np.zeros(n, dtype=bool)
        occ[order[: int(phi * n)]] = True
        out.append(largest(occ))
    return out


def _largest_by_csgraph(s, t, n, nt, occupied):
    keep = occupied[s]
    g = csr_matrix((np.ones(int(keep.sum())), (s[keep], n + t[keep])), shape=(n + nt, n + nt))
    _, labels = connected_components(g, directed=False)
    return np.bincount(labels[:n][occupied]).max() / n


def test_newman_ziff_against_scipy_connected_components(benchmark):
    n = 10**6
    s, t, nt = em.bipartite_graph({3: 1.0}, n, 1.0, seed=2)
    order = em.numpy_rng(3, 15).permutation(n)
    curve = benchmark.pedantic(lambda: em.newman_ziff(s, t, n, nt, seed=3), rounds=3, iterations=1)
    t_ours = benchmark.stats.stats.median

    t0 = time.perf_counter()
    ref = reference_curve(n, order, lambda occ: _largest_by_csgraph(s, t, n, nt, occ))
    t_ref = time.perf_counter() - t0
    assert np.allclose(ref, curve[(PHIS * n).astype(int) - 1])
    report(benchmark, "Newman-Ziff vs csgraph, 50 phi, N_s=1e6", t_ours, t_ref, 10)


def test_newman_ziff_against_networkx(benchmark):
    nx = pytest.importorskip("networkx")
    n = 10**5
    s, t, nt = em.bipartite_graph({3: 1.0}, n, 1.0, seed=4)
    order = em.numpy_rng(5, 15).permutation(n)
    curve = benchmark.pedantic(lambda: em.newman_ziff(s, t, n, nt, seed=5), rounds=5, iterations=1)
    t_ours = benchmark.stats.stats.median

    def largest_by_networkx(occ):
        keep = occ[s]
        g = nx.Graph()
        g.add_nodes_from(np.flatnonzero(occ).tolist())
        g.add_edges_from(zip(s[keep].tolist(), (n + t[keep]).tolist(), strict=True))
        return max(sum(1 for v in c if v < n) for c in nx.connected_components(g)) / n

    t0 = time.perf_counter()
    ref = reference_curve(n, order, largest_by_networkx)
    t_ref = time.perf_counter() - t0
    assert np.allclose(ref, curve[(PHIS * n).astype(int) - 1])
    report(benchmark, "Newman-Ziff vs networkx, 50 phi, N_s=1e5", t_ours, t_ref, 50)
