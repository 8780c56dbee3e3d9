r"""Emergence of skills on the skill–text bipartite graph (Liao, Chang and Hong, arXiv 2404.07009).

``N_s`` skills, ``N_t = R·N_s`` texts. A skill appears in a random number of texts with
distribution ``Λ(x) = Σ_k Λ_k x^k`` (node view; edge view ``λ(x) = Λ'(x)/Λ'(1)``); each edge goes
to a uniformly random text, so a text holds ``Poisson(Λ'(1)/R)`` skills. The learner *peels*: a
text in which all but one of its skills are learned teaches the remaining one, until nothing
changes (successive interference cancellation in IRSA, erasure decoding of LDPC codes).

Degree distributions are plain mappings ``{degree: probability}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import mpmath
import numpy as np
import torch

from .device import numpy_rng, resolve_device

Degrees = Mapping[int, float]


# --------------------------------------------------------------------------------------------
# degree distributions
# --------------------------------------------------------------------------------------------


def check_degrees(degrees: Degrees) -> dict[int, float]:
    """Validate ``{degree: probability}``: non-negative integer degrees, probabilities ≥ 0 that sum
    to 1, and a positive mean degree."""
    if not isinstance(degrees, Mapping) or not degrees:
        raise ValueError("degrees must be a non-empty mapping {degree: probability}")
    out = {}
    for k, p in degrees.items():
        if isinstance(k, bool) or int(k) != k or k < 0:
            raise ValueError(f"degrees must be integers ≥ 0, got {k!r}")
        if not (p >= 0 and math.isfinite(p)):
            raise ValueError(f"probabilities must be finite and ≥ 0, got {p!r} for degree {k}")
        if p > 0:
            out[int(k)] = float(p)
    total = sum(out.values())
    if abs(total - 1) > 1e-9:
        raise ValueError(f"the degree probabilities must sum to 1, got {total!r}")
    if mean_degree(out) <= 0:
        raise ValueError("the mean degree Λ'(1) must be positive")
    return out


def check_ratio(R) -> float:
    """``R`` as a float: a finite real > 0 (numpy scalars accepted, booleans refused)."""
    if isinstance(R, bool | np.bool_) or not isinstance(R, int | float | np.integer | np.floating):
        raise ValueError(f"R (texts per skill) must be a real number > 0, got {R!r}")
    if not (math.isfinite(R) and R > 0):
        raise ValueError(f"R (texts per skill) must be a real number > 0, got {R!r}")
    return float(R)


def node_gf(degrees: Degrees, x):
    """``Λ(x) = Σ_k Λ_k x^k``."""
    return sum(p * x**k for k, p in degrees.items())


def mean_degree(degrees: Degrees) -> float:
    """``Λ'(1)``."""
    return sum(k * p for k, p in degrees.items())


def edge_gf(degrees: Degrees, x):
    """``λ(x) = Λ'(x)/Λ'(1) = Σ_k k Λ_k x^{k−1} / Λ'(1)``."""
    m = mean_degree(degrees)
    return sum(k * p * x ** (k - 1) for k, p in degrees.items() if k > 0) / m


# --------------------------------------------------------------------------------------------
# density evolution and the threshold
# --------------------------------------------------------------------------------------------


def largest_fixed_point(f, *, upper: float = 1.0, tiny: float = 1e-300) -> float:
    """The largest ``q`` in ``[0, upper]`` with ``f(q) = q``, for an increasing ``f`` (taking
    numpy arrays) that maps ``[0, upper]`` into itself: the limit of the iteration from
    ``upper``, which decreases to it.

    A few iterations from ``upper`` give ``U ≥ q*`` (every iterate bounds the limit from above).
    Below ``U`` the root is bracketed on a grid, linear with step ``U/4000`` and geometric from
    ``U`` down to ``tiny`` (13 points a decade): the first grid point from the top with
    ``f(q) ≥ q`` bounds it below (``f`` then maps ``[q, 1]`` into itself, so a fixed point lies
    above ``q``), the grid point above it bounds it above, and Brent's method
    (``scipy.optimize.brentq``) solves ``f(q)/q − 1 = 0`` there to float64 precision (scaled, so
    that a root near 0 is as exact as one near 1). Without a sign change down to ``tiny`` the
    root is 0. Unlike the plain iteration, this converges at a continuous transition, where the
    iteration's contraction rate tends to 1. Two fixed points closer than the grid's step are
    not told apart (a tangency: the transition point itself)."""
    from scipy.optimize import brentq

    U = float(upper)
    for _ in range(200):
        nxt = float(f(U))
        if nxt >= U:  # U is a fixed point (to rounding)
            return U if nxt == U or U == upper else nxt
        done = U - nxt <= 1e-3 * U
        U = nxt
        if done or U <= tiny:
            break
    if U <= tiny:
        return 0.0
    grid = np.unique(np.concatenate([U * np.linspace(0, 1, 4001)[1:], np.geomspace(tiny, U, 4000)]))
    grid = grid[(grid > 0) & (grid <= U)][::-1]
    ok = f(grid) >= grid
    if not ok.any():
        return 0.0
    i = int(np.argmax(ok))  # the first point from the top with f(q) ≥ q
    if i == 0:
        return U
    h = lambda q: float(f(q)) / q - 1.0  # noqa: E731  (the sign of f(q) − q for q > 0)
    return float(brentq(h, grid[i], grid[i - 1], xtol=tiny, rtol=4 * np.finfo(float).eps))


def density_evolution(degrees: Degrees, R: float):
    """The fixed point of ``q₀ = 1, p_{i+1} = 1 − exp(−Λ'(1) q_i / R), q_{i+1} = λ(p_{i+1})``:
    the largest root of ``q = λ(1 − exp(−Λ'(1) q/R))`` in ``[0, 1]``, which the iteration from 1
    decreases to (the map is increasing), solved by :func:`largest_fixed_point`. Returns
    ``(P_L, p_∞, q_∞)`` with ``P_L = Λ(p_∞)`` the unlearned fraction."""
    deg = check_degrees(degrees)
    R = check_ratio(R)
    m = mean_degree(deg)

    def step(q):
        return edge_gf(deg, -np.expm1(-m * np.asarray(q) / R))

    q = largest_fixed_point(step)
    p = -math.expm1(-m * q / R)
    return node_gf(deg, p), p, q


def unlearned_fraction(degrees: Degrees, R: float) -> float:
    """The density-evolution prediction ``P_L(R) = Λ(p_∞)`` of the unlearned fraction of skills."""
    return density_evolution(degrees, R)[0]


def _G(deg, p):
    return -np.log1p(-p) / (mean_degree(deg) * edge_gf(deg, p))


def threshold_G(degrees: Degrees, *, grid: int = 200_001, dps: int = 30) -> float:
    """``G* = inf_{p∈(0,1)} −ln(1 − p)/(Λ'(1) λ(p))``: a global grid search (the objective can have
    several local minima), each local minimum refined in mpmath by golden-section search to
    ``1e-12`` in ``p``; 0 when skills of degree 1 exist (``λ(0) > 0``)."""
    deg = check_degrees(degrees)
    if deg.get(1, 0) > 0 or deg.get(0, 0) == 1:
        return 0.0
    # dense near both ends, where the minimum of peaked distributions can sit
    p = np.unique(
        np.concatenate(
            [np.geomspace(1e-9, 0.5, grid // 2), 1 - np.geomspace(0.5, 1e-12, grid // 2)]
        )
    )
    g = _G(deg, p)
    interior = np.flatnonzero((g[1:-1] <= g[:-2]) & (g[1:-1] <= g[2:])) + 1
    candidates = sorted(interior.tolist() + [int(np.argmin(g))], key=lambda i: g[i])[:8]
    # the end p → 0: G → 1/(2Λ₂) when Λ₁ = 0 (the slope of the recursion at q = 0)
    best = 1 / (2 * deg[2]) if deg.get(2, 0) > 0 else math.inf
    with mpmath.workdps(dps):
        mdeg = {k: mpmath.mpf(v) for k, v in deg.items()}

        def G(x):
            return -mpmath.log1p(-x) / (mean_degree(mdeg) * edge_gf(mdeg, x))

        for i in candidates:
            a = mpmath.mpf(p[max(i - 1, 0)])
            b = mpmath.mpf(p[min(i + 1, len(p) - 1)])
            best = min(best, float(_golden(G, a, b)))
    return best


def _golden(f, a, b, tol="1e-13"):
    """Minimum value of a unimodal ``f`` on ``[a, b]`` by golden-section search."""
    tol = mpmath.mpf(tol)
    invphi = (mpmath.sqrt(5) - 1) / 2
    c, d = b - invphi * (b - a), a + invphi * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - invphi * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + invphi * (b - a)
            fd = f(d)
    return min(fc, fd, f((a + b) / 2))


def threshold(degrees: Degrees) -> float:
    """The learning threshold ``R* = 1/G*``: above it density evolution learns every skill (no
    skill of degree ≤ 1); ``inf`` when degree-1 skills make ``G* = 0``."""
    g = threshold_G(degrees)
    return math.inf if g == 0 else 1.0 / g


# --------------------------------------------------------------------------------------------
# Poisson variant
# --------------------------------------------------------------------------------------------


def poisson_evolution(d: float, R: float) -> float:
    """Texts need ``Poisson(d)`` skills, so skills appear in ``Poisson(dR)`` texts: the limit of
    ``x_{i+1} = exp(−dR e^{−d x_i})`` from ``x₀ = 1``, the largest root of that map in
    ``(0, 1]`` (it is increasing), by :func:`largest_fixed_point`."""
    if isinstance(d, bool) or not (d > 0 and math.isfinite(d)):
        raise ValueError(f"d must be a real number > 0, got {d!r}")
    R = check_ratio(R)
    return largest_fixed_point(lambda x: np.exp(-d * R * np.exp(-d * np.asarray(x))))


def poisson_threshold(d: float) -> float:
    """``R*(d) = (−ln x*) e^{d x*}/d`` with ``x*`` the larger root of ``−x ln x = 1/d`` (``d > e``;
    at ``d = e`` the critical point ``R* = 1``)."""
    if not d >= math.e:
        raise ValueError(f"a jump needs d ≥ e, got d = {d!r}")
    with mpmath.workdps(30):
        f = lambda x: -x * mpmath.log(x) - 1 / mpmath.mpf(d)  # noqa: E731
        x = (
            mpmath.findroot(
                f,
                (mpmath.mpf(1) / mpmath.e, mpmath.mpf(1) - mpmath.mpf(10) ** -20),
                solver="anderson",
            )
            if d > math.e
            else 1 / mpmath.e
        )
        return float(-mpmath.log(x) * mpmath.exp(d * x) / d)


# --------------------------------------------------------------------------------------------
# simulation
# --------------------------------------------------------------------------------------------


def sample_degrees(degrees: Degrees, n: int, rng: np.random.Generator) -> np.ndarray:
    deg = check_degrees(degrees)
    ks = np.array(list(deg), dtype=np.int64)
    ps = np.array([deg[k] for k in ks])
    return rng.choice(ks, size=n, p=ps / ps.sum())


def bipartite_graph(degrees: Degrees, n_skills: int, R: float, *, seed: int, merge=True):
    """Skills draw their number of texts from Λ; each edge goes to a uniformly random text among
    ``round(R·n_skills)``. Returns ``(skill, text, n_texts)``: edge arrays (repeats merged) and
    the number of texts. ``merge=False`` keeps repeated edges, for algorithms they do not change
    (connectivity): the same graph otherwise, without the sort, the edges ordered by skill."""
    if n_skills < 1:
        raise ValueError(f"N_s must be an integer ≥ 1, got {n_skills!r}")
    R = check_ratio(R)
    rng = numpy_rng(seed, 11)
    n_texts = max(1, round(R * n_skills))
    k = sample_degrees(degrees, n_skills, rng)
    skill = np.repeat(np.arange(n_skills, dtype=np.int64), k)
    text = rng.integers(0, n_texts, size=skill.size, dtype=np.int64)
    return (_merge(skill, text, n_texts) if merge else (skill, text)) + (n_texts,)


def poisson_graph(d: float, n_skills: int, R: float, *, seed: int):
    """Texts draw ``Poisson(d)`` skills uniformly at random (repeats merged)."""
    R = check_ratio(R)
    rng = numpy_rng(seed, 12)
    n_texts = max(1, round(R * n_skills))
    k = rng.poisson(d, size=n_texts)
    text = np.repeat(np.arange(n_texts, dtype=np.int64), k)
    skill = rng.integers(0, n_skills, size=text.size, dtype=np.int64)
    return _merge(skill, text, n_texts, grouped=False) + (n_texts,)


def _merge(skill, text, n_texts, *, grouped=True):
    # the stable sort (timsort) exploits runs, and bipartite_graph's keys come grouped by skill
    # (``grouped``): several times faster than the default sort there; poisson_graph's keys come
    # in random order, where the default sort (introsort) is several times faster instead.
    # Sorted integers are the same whichever sort made them.
    key = np.sort(skill * n_texts + text, kind="stable" if grouped else "quicksort")
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if key.size else key
    return key // n_texts, key % n_texts


def peel(skill, text, n_skills: int, n_texts: int, *, blocked=None, device="cpu", _out=None):
    """The peeling learner, round by round: each round, every text whose unlearned skills are
    down to one teaches it, and the learned skills leave their texts.

    Each text keeps the number of its unlearned skills and the sum of their ids; a text whose
    count is 1 names its last skill by that sum. Only texts touched in a round are examined in
    the next, so the work is ``O(edges)`` overall. On the CPU the rounds run compiled (numba:
    one pass over the round's texts, then one over its skills' edges); on a GPU, vectorised in
    torch. Both learn the same skills in the same rounds. ``blocked`` (per text) adds skills
    that stay unlearned (the hierarchy's unlearned foundation skills). Returns ``(unlearned
    fraction, rounds)``."""
    dev = resolve_device(device)
    if dev.type == "cpu" and _PEEL_COMPILED is not None:
        learned, rounds = _peel_cpu(skill, text, n_skills, n_texts, blocked)
        if _out is not None:
            _out[:] = learned
        return 1.0 - float(learned.sum()) / n_skills, rounds
    return peel_torch(skill, text, n_skills, n_texts, blocked=blocked, device=dev, _out=_out)


def _peel_cpu(skill, text, n_skills: int, n_texts: int, blocked):
    s = np.ascontiguousarray(skill, dtype=np.int64)
    t = np.ascontiguousarray(text, dtype=np.int64)
    count = np.bincount(t, minlength=n_texts).astype(np.int64)
    # the texts' sums of skill ids: float64 sums of integers below 2^53 are exact
    ids = np.bincount(t, weights=s, minlength=n_texts).astype(np.int64)
    free = np.ones(n_texts, dtype=np.bool_)
    if blocked is not None:
        blk = np.asarray(blocked, dtype=np.int64)
        count = count + blk
        free = blk == 0
    order = np.argsort(s, kind="stable")
    t_by_skill = t[order]
    start = np.searchsorted(s[order], np.arange(n_skills + 1))
    learned = np.zeros(n_skills, dtype=np.bool_)
    rounds = _PEEL_COMPILED(t_by_skill, start, count, ids, free, learned)
    return learned, int(rounds)


def _peel_rounds(t_by_skill, start, count, ids, free, learned):
    """The rounds of :func:`peel` in place (``count``, ``ids``, ``learned``); returns their
    number. A round reads every frontier text before it changes any: the same rounds as the
    vectorised peeler."""
    n_texts = count.shape[0]
    frontier = np.empty(n_texts, dtype=np.int64)
    nxt = np.empty(n_texts, dtype=np.int64)
    mark = np.zeros(n_texts, dtype=np.bool_)
    new = np.empty(learned.shape[0], dtype=np.int64)
    size = 0
    for b in range(n_texts):
        if count[b] == 1 and free[b]:
            frontier[size] = b
            size += 1
    rounds = 0
    while size > 0:
        k = 0
        for i in range(size):  # the skills this round names, read before any update
            b = frontier[i]
            if count[b] == 1 and free[b]:
                a = ids[b]
                if not learned[a]:
                    learned[a] = True
                    new[k] = a
                    k += 1
        if k == 0:
            break
        rounds += 1
        m = 0
        for j in range(k):
            a = new[j]
            for e in range(start[a], start[a + 1]):
                b = t_by_skill[e]
                count[b] -= 1
                ids[b] -= a
                if not mark[b]:
                    mark[b] = True
                    nxt[m] = b
                    m += 1
        for i in range(m):
            mark[nxt[i]] = False
        frontier, nxt = nxt, frontier
        size = m
    return rounds


try:  # numba compiles the rounds; without it the torch peeler runs on the CPU too
    import numba

    _PEEL_COMPILED = numba.njit(cache=True)(_peel_rounds)
except ImportError:  # pragma: no cover - numba is a dependency
    _PEEL_COMPILED = None


def peel_torch(skill, text, n_skills, n_texts, *, blocked=None, device="cpu", _out=None):
    """:func:`peel` vectorised in torch (on the GPU when ``device`` is CUDA, and on the CPU
    without numba): each round's texts and skills as tensors."""
    dev = resolve_device(device)
    s = torch.as_tensor(skill, device=dev)
    t = torch.as_tensor(text, device=dev)
    if n_texts > 2 * t.numel():  # mostly empty texts (large R): number the used ones only
        used, t = torch.unique(t, return_inverse=True)
        n_texts = used.numel()
        if blocked is not None:
            blocked = torch.as_tensor(blocked, device=dev)[used]
    count = torch.bincount(t, minlength=n_texts)
    ids = torch.zeros(n_texts, dtype=torch.int64, device=dev).index_add_(0, t, s)
    free = torch.ones(n_texts, dtype=torch.bool, device=dev)
    if blocked is not None:
        blk = torch.as_tensor(blocked, device=dev)
        count = count + blk
        free = blk == 0  # a text holding a permanently unlearned skill never teaches
    order = torch.argsort(s)
    s_sorted, t_by_skill = s[order], t[order]
    start = torch.searchsorted(s_sorted, torch.arange(n_skills + 1, device=dev))
    learned = torch.zeros(n_skills, dtype=torch.bool, device=dev)
    frontier = torch.nonzero((count == 1) & free).flatten()
    rounds = 0
    while frontier.numel():
        frontier = frontier[(count[frontier] == 1) & free[frontier]]
        new = torch.unique(ids[frontier])
        new = new[~learned[new]]
        if new.numel() == 0:
            break
        rounds += 1
        learned[new] = True
        lo, hi = start[new], start[new + 1]
        lengths = hi - lo
        edge = torch.repeat_interleave(lo - torch.cumsum(lengths, 0) + lengths, lengths)
        edge = edge + torch.arange(edge.numel(), device=dev)
        touched_t = t_by_skill[edge]
        owners = torch.repeat_interleave(new, lengths)
        count.index_add_(0, touched_t, -torch.ones_like(touched_t))
        ids.index_add_(0, touched_t, -owners)
        frontier = torch.unique(touched_t)
    if _out is not None:
        _out[:] = learned.cpu().numpy()
    return 1.0 - float(learned.sum()) / n_skills, rounds


def peel_reference(skill, text, n_skills: int, n_texts: int, blocked=None) -> float:
    """A plain queue-based peeler (one text at a time): the reference in tests and benchmarks."""
    from collections import deque

    texts_of = [[] for _ in range(n_skills)]
    members = [[] for _ in range(n_texts)]
    for a, b in zip(skill.tolist(), text.tolist(), strict=True):
        texts_of[a].append(b)
        members[b].append(a)
    count = [len(m) for m in members]
    if blocked is not None:
        count = [c + int(x) for c, x in zip(count, blocked, strict=True)]
    learned = [False] * n_skills
    queue = deque(i for i, c in enumerate(count) if c == 1)
    while queue:
        b = queue.popleft()
        if count[b] != 1:
            continue
        rest = [a for a in members[b] if not learned[a]]
        if len(rest) != 1:
            continue
        a = rest[0]
        learned[a] = True
        for b2 in texts_of[a]:
            count[b2] -= 1
            if count[b2] == 1:
                queue.append(b2)
    return 1.0 - sum(learned) / n_skills


# --------------------------------------------------------------------------------------------
# hierarchy and several classes
# --------------------------------------------------------------------------------------------


def hierarchy_simulation(
    foundation: Degrees,
    R0: float,
    special: Degrees,
    R1: float,
    a: float,
    n_skills: int,
    *,
    seed: int,
    device="cpu",
) -> dict:
    """Foundation skills learned from their texts first; fine-tuning texts then hold specialised
    skills (``special``, ratio ``R1``) plus ``Poisson(a)`` foundation skills chosen uniformly, and
    an unlearned foundation skill blocks its text for good. Returns both unlearned fractions."""
    s0, t0, n0 = bipartite_graph(foundation, n_skills, R0, seed=seed)
    rng = numpy_rng(seed, 13)
    dev = resolve_device(device)
    learned0 = np.zeros(n_skills, dtype=bool)
    peel(s0, t0, n_skills, n0, device=dev, _out=learned0)
    s1, t1, n1 = bipartite_graph(special, n_skills, R1, seed=seed + 7919)
    k = rng.poisson(a, size=n1)
    picks = rng.integers(0, n_skills, size=int(k.sum()))
    owner = np.repeat(np.arange(n1), k)
    blocked = np.bincount(owner[~learned0[picks]], minlength=n1)
    frac, rounds = peel(s1, t1, n_skills, n1, blocked=blocked, device=dev)
    return {"foundation": 1 - learned0.mean(), "special": frac, "rounds": rounds}


def multiclass_simulation(classes, text_weights, mixing, R, n_skills, *, seed, device="cpu"):
    """Simulate the multi-class graph and peel it; returns the unlearned fraction per class."""
    rng = numpy_rng(seed, 14)
    v = np.asarray(text_weights, dtype=float)
    M = np.asarray(mixing, dtype=float)
    n_texts_cls = np.maximum(1, np.round(v * R * n_skills).astype(np.int64))
    text_off = np.concatenate([[0], np.cumsum(n_texts_cls)])
    skills, texts, cls_of_skill, base = [], [], [], 0
    for c, (deg, share) in enumerate(classes):
        n_c = max(1, round(share * n_skills))
        k = sample_degrees(deg, n_c, rng)
        s = np.repeat(np.arange(base, base + n_c), k)
        tcls = rng.choice(len(v), size=s.size, p=M[c] / M[c].sum())
        t = text_off[tcls] + rng.integers(0, n_texts_cls[tcls])
        skills.append(s)
        texts.append(t)
        cls_of_skill.append(np.full(n_c, c))
        base += n_c
    s = np.concatenate(skills)
    t = np.concatenate(texts)
    n_t = int(text_off[-1])
    s, t = _merge(s, t, n_t)
    learned = np.zeros(base, dtype=bool)
    peel(s, t, base, n_t, device=device, _out=learned)
    cls = np.concatenate(cls_of_skill)
    return [float(1 - learned[cls == c].mean()) for c in range(len(classes))]


# --------------------------------------------------------------------------------------------
# percolation on the skill association graph
# --------------------------------------------------------------------------------------------


def newman_ziff(skill, text, n_skills: int, n_texts: int, *, seed: int, susceptibility=False):
    """Site percolation on the skill association graph (skills adjacent when a text holds both)
    without forming its cliques: skills are occupied one by one in a seeded random order and
    joined, by union–find, to the texts they appear in (a text links all its occupied skills).
    Returns ``S[k]``, the largest component's share of all skills after ``k + 1`` occupations
    (Newman and Ziff 2001): the whole curve ``S(φ = (k + 1)/N_s)`` in one pass; with
    ``susceptibility`` also ``χ[k] = (Σ s² − s_max²)/N_s``, the mean size of the component of a
    skill outside the largest one, whose peak locates the transition."""
    order = numpy_rng(seed, 15).permutation(n_skills)
    o = np.argsort(skill, kind="stable")
    ts = np.ascontiguousarray(text[o], dtype=np.int64)
    start = np.searchsorted(skill[o], np.arange(n_skills + 1)).astype(np.int64)
    out, chi = _NZ(order.astype(np.int64), ts, start, n_skills, n_texts, bool(susceptibility))
    return (out, chi) if susceptibility else out


def _nz_sweep(order, ts, start, n_skills, n_texts, want_chi):
    """The Newman–Ziff loop on plain arrays (compiled by numba when it is installed)."""
    parent = np.arange(n_skills + n_texts)  # texts are nodes n_skills + b
    size = np.zeros(n_skills + n_texts, dtype=np.int64)
    size[:n_skills] = 1  # skills counted only
    out = np.empty(n_skills)
    chi = np.empty(n_skills if want_chi else 0)
    best = 0
    sumsq = 0
    for step in range(n_skills):
        s = order[step]
        sumsq += 1
        for e in range(start[s], start[s + 1]):
            ra = s
            while parent[ra] != ra:
                parent[ra] = parent[parent[ra]]
                ra = parent[ra]
            rb = n_skills + ts[e]
            while parent[rb] != rb:
                parent[rb] = parent[parent[rb]]
                rb = parent[rb]
            if ra != rb:
                if size[ra] < size[rb]:
                    ra, rb = rb, ra
                parent[rb] = ra
                sumsq += 2 * size[ra] * size[rb]
                size[ra] += size[rb]
        r = s
        while parent[r] != r:
            r = parent[r]
        if size[r] > best:
            best = size[r]
        out[step] = best / n_skills
        if want_chi:
            chi[step] = (sumsq - best * best) / n_skills
    return out, (chi if want_chi else None)


try:  # numba compiles the loop (about 100x faster); without it the same code runs in Python
    import numba

    _NZ = numba.njit(cache=True)(_nz_sweep)
except ImportError:  # pragma: no cover - numba is a dependency, but GPU hosts may lack it
    _NZ = _nz_sweep
