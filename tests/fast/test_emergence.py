"""Skill emergence: numerics against published values and independent references; the verifier
rejects false variants of the family's claims."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

import theorems
from numerics import emergence as em
from numerics import emergence_experiments as ee
from numerics.skill_codes import SkillSetCode
from theorems import emergence_values as tv
from verify import check, redecide
from verify.design import plain_args


def degrees(name):
    return plain_args({"d": tv.DISTRIBUTIONS[name]})["d"]


@pytest.mark.parametrize(
    "dist, published, digits",
    [
        ({2: 1.0}, 0.5, 6),  # CRDSA
        ({3: 1.0}, 0.818469, 6),  # 2-core of random 3-uniform hypergraphs
        ({2: 0.5, 3: 0.28, 8: 0.22}, 0.938, 3),  # Liva 2011, optimised IRSA (G* ≈ 0.938)
    ],
)
def test_threshold_solver_reproduces_published_values(dist, published, digits):
    # "to the digits published": within one unit of the last digit (rounded or truncated)
    assert abs(em.threshold_G(dist) - published) < 10.0**-digits
    assert abs(em.threshold({3: 1.0}) - 1.221793) < 1e-6


mixtures = st.dictionaries(st.integers(2, 8), st.integers(1, 10), min_size=1, max_size=3).map(
    lambda w: {k: v / sum(w.values()) for k, v in w.items()}
)


@given(mixtures)
def test_threshold_agrees_with_an_independent_high_precision_solve(dist):
    name = "_hyp"
    x = sp.Symbol("x")
    tv.DISTRIBUTIONS[name] = sum(sp.nsimplify(p) * x**k for k, p in dist.items())
    tv._coeffs.cache_clear()
    tv.mp_threshold.cache_clear()
    try:
        assert em.threshold(dist) == pytest.approx(float(tv.mp_threshold(name)), abs=1e-6)
    finally:
        del tv.DISTRIBUTIONS[name]
        tv._coeffs.cache_clear()
        tv.mp_threshold.cache_clear()


def test_degree_one_skills_have_no_threshold():
    assert em.threshold({1: 0.2, 3: 0.8}) == math.inf
    assert em.unlearned_fraction({1: 0.2, 3: 0.8}, 50.0) == pytest.approx(0.04 / 50, rel=0.1)


@given(
    st.sampled_from(["x3", "irsa", "floor"]),
    st.floats(0.5, 2.5),
    st.integers(0, 10**6),
    st.booleans(),
)
def test_vectorised_peeling_equals_the_queue_peeler(name, R, seed, block):
    s, t, nt = em.bipartite_graph(degrees(name), 3000, R, seed=seed)
    blocked = np.random.default_rng(seed).poisson(0.3, nt) if block else None
    assert em.peel(s, t, 3000, nt, blocked=blocked)[0] == em.peel_reference(s, t, 3000, nt, blocked)
    # the compiled CPU rounds and torch's learn the same skills in the same rounds
    ours, theirs = np.zeros(3000, dtype=bool), np.zeros(3000, dtype=bool)
    assert em.peel(s, t, 3000, nt, blocked=blocked, _out=ours) == em.peel_torch(
        s, t, 3000, nt, blocked=blocked, _out=theirs
    )
    assert (ours == theirs).all()


@given(st.floats(0.8, 2.0), st.integers(0, 10**6))
def test_compiled_and_torch_peelers_agree_on_poisson_graphs(R, seed):
    s, t, nt = em.poisson_graph(3.0, 4000, R, seed=seed)
    assert em.peel(s, t, 4000, nt) == em.peel_torch(s, t, 4000, nt)


def test_density_evolution_fixed_point_and_public_names():
    pl, p, q = em.density_evolution({3: 1.0}, 1.0)
    assert q == pytest.approx(p**2, rel=1e-12)  # q = λ(p) = p²
    assert p == pytest.approx(-math.expm1(-3 * q / 1.0), rel=1e-12)
    assert em.unlearned_fraction({3: 1.0}, 1.0) == pytest.approx(pl)
    assert em.unlearned_fraction({3: 1.0}, 1.3) == 0.0
    assert float(tv.mp_unlearned("x3", 1.0)) == pytest.approx(pl, abs=1e-10)


CONTINUOUS = {2: 0.7, 5: 0.2, 12: 0.1}  # R* = 2Λ₂ = 1.4: a continuous transition


def test_density_evolution_converges_at_a_continuous_threshold():
    # Just below R* = 2Λ₂ the fixed point is tiny and the plain iteration contracts at rate
    # 2Λ₂/R → 1: it used to stop at max_iter and return 8.5e-11 for the true 2.80e-12.
    below = em.unlearned_fraction(CONTINUOUS, 1.4 * (1 - 1e-6))
    assert below == pytest.approx(2.80e-12, rel=2e-3)
    # and the fixed point is one: q = λ(1 − exp(−Λ'(1) q / R))
    pl, p, q = em.density_evolution(CONTINUOUS, 1.4 * (1 - 1e-6))
    lam = em.edge_gf(CONTINUOUS, p)
    assert lam == pytest.approx(q, rel=1e-9)
    # just above it every skill is learned (it used to return 5.7e-11)
    assert em.unlearned_fraction(CONTINUOUS, 1.4 * (1 + 1e-6)) == 0.0
    # at R* itself the root 0 is a tangency (f(q) − q ≈ −c q²): resolved to float64 in q, so
    # P_L ≈ Λ₂ q² sits at the rounding floor
    assert em.unlearned_fraction(CONTINUOUS, 1.4) == pytest.approx(0.0, abs=1e-30)


@pytest.mark.parametrize("R", [0.5, 0.8, 0.9, 1.2])
def test_density_evolution_agrees_with_mpmath(R):
    # far from the threshold the mpmath iteration converges; both solve the same equation
    assert em.unlearned_fraction({3: 1.0}, R) == pytest.approx(
        float(tv.mp_unlearned("x3", R)), rel=1e-12, abs=1e-300
    )


def test_the_poisson_recursion_converges_and_numbers_are_typed():
    x = em.poisson_evolution(3.0, 1.0)
    assert x == pytest.approx(math.exp(-3.0 * math.exp(-3.0 * x)), rel=1e-13)
    assert em.unlearned_fraction({3: 1.0}, np.int64(1)) == em.unlearned_fraction({3: 1.0}, 1.0)
    assert em.unlearned_fraction({3: 1.0}, np.float32(0.5)) > 0
    with pytest.raises(ValueError, match="R .* must be a real number > 0, got True"):
        em.unlearned_fraction({3: 1.0}, True)
    with pytest.raises(ValueError, match="d must be a real number > 0"):
        em.poisson_evolution(True, 1.0)


def test_mpmath_density_evolution_raises_instead_of_an_unconverged_value():
    with pytest.raises(ArithmeticError, match="did not converge"):
        tv.mp_unlearned("x3", 1.0, max_iter=10)


@pytest.mark.parametrize("phi", [0.1, 0.2, 0.5, 0.9])
def test_newman_ziff_equals_connected_components(phi):
    n = 4000
    s, t, nt = em.bipartite_graph({3: 1.0}, n, 1.0, seed=5)
    curve = em.newman_ziff(s, t, n, nt, seed=9)
    k = int(phi * n)
    occupied = np.zeros(n, dtype=bool)
    occupied[em.numpy_rng(9, 15).permutation(n)[:k]] = True
    keep = occupied[s]
    rows, cols = s[keep], n + t[keep]
    g = csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n + nt, n + nt))
    _, labels = connected_components(g, directed=False)
    sizes = np.bincount(labels[:n][occupied])
    assert curve[k - 1] == sizes.max() / n


def test_poisson_threshold_critical_point():
    assert em.poisson_threshold(math.e) == pytest.approx(1.0)
    assert em.poisson_threshold(4.0) == pytest.approx(float(tv.mp_poisson_threshold(4.0)), rel=1e-9)
    with pytest.raises(ValueError, match="d ≥ e"):
        em.poisson_threshold(2.0)


@given(st.integers(1, 10**6), st.floats(0.3, 15.0), st.integers(0, 10**6))
def test_skill_set_code_round_trips(n, d, seed):
    code = SkillSetCode(n, d)
    rng = np.random.default_rng(seed)
    for _ in range(5):
        s = code.sample(rng)
        bits = code.encode(s)
        assert code.decode(bits) == sorted(int(v) for v in s)
        assert len(bits) == code.lengths[len(s)] + code.index_bits[len(s)]


@given(st.integers(10, 10**5), st.floats(0.3, 12.0))
def test_mean_code_length_between_entropy_and_entropy_plus_two(n, d):
    code = SkillSetCode(n, d)
    mean, h = code.mean_length(np.random.default_rng(0)), code.entropy_bits()
    assert h <= mean < h + 2


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: em.threshold({3: 0.5}), "sum to 1"),
        (lambda: em.threshold({-1: 1.0}), "integers ≥ 0"),
        (lambda: em.unlearned_fraction({3: 1.0}, 0.0), "R .* must be a real number > 0"),
        (lambda: em.bipartite_graph({3: 1.0}, 0, 1.0, seed=0), "N_s must be"),
        (lambda: SkillSetCode(10, -1.0), "d must be"),
    ],
)
def test_bad_input_names_the_assumption(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- the verifier rejects false variants ---------------------------------------------------------


def test_threshold_moved_by_five_percent_fails():
    t = theorems.get("emergence.threshold")
    r = check(t.with_claim(expr=t.claim.expr * sp.Rational(105, 100)), points=[{"dist": "x3"}])
    assert r.verdict == "fail"


def test_percolation_threshold_moved_by_five_percent_fails_and_true_one_passes_at_a_point():
    t = theorems.get("emergence.percolation_threshold")
    point = [{"dist": "x3", "R": 1.0}]
    r = check(t, points=point)
    assert r.verdict == "pass"
    for f in (sp.Rational(105, 100), sp.Rational(95, 100)):  # on the same measurements
        assert redecide(t.with_claim(expr=t.claim.expr * f), r).verdict == "fail", f


def test_unmerged_edges_give_the_same_percolation_curve():
    merged = em.bipartite_graph({2: 0.5, 5: 0.5}, 3000, 0.3, seed=4)
    raw = em.bipartite_graph({2: 0.5, 5: 0.5}, 3000, 0.3, seed=4, merge=False)
    assert raw[0].size > merged[0].size  # repeats were drawn, and kept
    a = em.newman_ziff(merged[0], merged[1], 3000, merged[2], seed=1)
    b = em.newman_ziff(raw[0], raw[1], 3000, raw[2], seed=1)
    assert np.array_equal(a, b)


def test_step_fit_locates_a_noisy_crossing():
    grid = np.linspace(0.0, 1.0, 1001)
    f = grid - 0.4
    f[100] = 0.3  # a noise spike that crosses zero far from the step
    assert ee._step_fit(f, grid) == pytest.approx(0.4, abs=1e-3)
    assert ee._step_fit(np.full(11, 1.0), np.linspace(0, 1, 11)) == 0.0  # all above: the start


def test_percolation_crossing_standard_error_is_honest():
    """The crossing's bootstrap standard error against its spread over independent seeds."""
    params = {"Lambda": {"x3": {3: 1.0}}, "dist": "x3", "R": 1.0, "reps": 30, "sizes": [2000]}
    runs = [ee.percolation_brackets(params, seed=s) for s in range(12)]
    at = np.array([m.value[0, 0] for m in runs])
    se = np.sqrt(np.mean([m.stderr[0, 0] ** 2 for m in runs]))
    assert 1 / 2 < at.std(ddof=1) / se < 2
    assert abs(at.mean() - 1 / 6) < 4 * se  # and it sits at φ_c = 1/6 (a small shift allowed)


@pytest.mark.parametrize(
    "theorem_id, point",
    [
        ("emergence.density_evolution", {"dist": "x3", "R": 0.9}),
        ("emergence.percolation", {"dist": "x3", "R": 1.0, "phi": 0.4}),
        ("emergence.hierarchy", {"R0": 1.0, "a": 1.0}),
        ("emergence.multiclass", {"cls": 0, "R": 0.9}),
    ],
)
def test_large_n_identity_off_by_five_points_fails(theorem_id, point):
    t = theorems.get(theorem_id)
    assert (
        check(t.with_claim(expr=t.claim.expr + sp.Rational(5, 100)), points=[point]).verdict
        == "fail"
    )


def test_code_claimed_to_beat_the_entropy_fails():
    t = theorems.get("emergence.compression")
    assert (
        check(t.with_claim(expr=sp.Symbol("H", real=True)), points=[{"Ns": 1000, "d": 3.0}]).verdict
        == "fail"
    )


def test_rates_with_the_wrong_exponent_fail():
    t = theorems.get("emergence.scaling_floor")
    R = t.claim.variable
    assert check(t.with_claim(expr=R**-2), points=[{"dist": "floor"}]).verdict == "fail"
    assert check(t.with_claim(expr=sp.exp(-R)), points=[{"dist": "floor"}]).verdict == "fail"
    p = theorems.get("emergence.poisson_scaling")
    d = p.param("d")
    assert (
        check(
            p.with_claim(expr=sp.exp(-d * p.claim.variable * sp.Rational(11, 10))),
            points=[{"d": 2.0}],
        ).verdict
        == "fail"
    )


def test_stability_bound_above_the_threshold_fails():
    t = theorems.get("emergence.stability_bound")
    assert check(t.with_claim(expr=2 * t.claim.expr), points=[{"dist": "irsa"}]).verdict == "fail"
