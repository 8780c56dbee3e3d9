"""markov.icl_tmin_regime, markov.icl_rate_random_walk and markov.icl_random_walk_frequentist:
the chains and risks against independent computations (exact path enumeration, sympy's exact
chains, a numpy reference of the compiled walk), the checks passing true claims and rejecting
false ones, and bad input refused with a clear error."""

import itertools
import math

import numpy as np
import pytest
import sympy as sp

import theorems
from numerics import chains
from numerics import markov_icl_regimes as mr
from numerics.device import numpy_rng
from theorems import FiniteSet
from theorems import markov_icl_extra as extra
from verify import check

TMIN = "markov.icl_tmin_regime"
RATE = "markov.icl_rate_random_walk"
MODEL = "markov.icl_random_walk_frequentist"
RATIO = "markov.icl_rate_random_walk_model"


# -- exact expectations by enumerating every path ---------------------------------------------
def exact_risks(P: np.ndarray, N: int) -> tuple[float, float]:
    """E R_icl and E TV(P(x_N, ·), P̂_N(x_N, ·)) of the counting estimator from N states started
    in π, by summing over all d^N paths (small d and N only)."""
    d = len(P)
    pi = chains.gth(P)
    stat = cur = 0.0
    for path in itertools.product(range(d), repeat=N):
        w = pi[path[0]] * np.prod([P[a, b] for a, b in itertools.pairwise(path)])
        if w == 0:
            continue
        counts = np.zeros((d, d))
        for a, b in itertools.pairwise(path):
            counts[a, b] += 1
        seen = counts.sum(axis=1, keepdims=True)
        est = np.where(seen > 0, counts / np.maximum(seen, 1), 1 / d)
        tv = 0.5 * np.abs(P - est).sum(axis=1)
        stat += w * float(pi @ tv)
        cur += w * float(tv[path[-1]])
    return stat, cur


@pytest.mark.parametrize("P", [mr.reflecting_walk(3), mr.cycle_walk(3), mr.base_chain(2)])
def test_the_risks_agree_with_exact_path_enumeration(P):
    N, reps = 6, 20000
    stat, cur = exact_risks(P, N)
    x = mr.trajectories(P, N, reps, numpy_rng(3))
    r = mr.counting_risks(P, x, [N])
    for got, want in ((r["stationary"][0], stat), (r["current"][0], cur)):
        m, s = mr.mean_se(got)
        assert abs(m - want) < 4.5 * s, (m, s, want)
    fresh = mr.current_risk_fresh(P, [N], reps, numpy_rng(4))[0]
    m, s = mr.mean_se(fresh)
    assert abs(m - cur) < 4.5 * s, (m, s, cur)


def test_the_finding_holds_in_exact_arithmetic_at_n_10():
    """Base chain 2: the lazy λ = ½ chain mixes more slowly (larger t_min) but its exact
    expected risk at N = 10 is lower, so the risk is not increasing in t_min (no Monte Carlo)."""
    P0 = mr.base_chain(2)
    lazy = mr.lazy_chain(P0, 0.5)
    assert mr.chain_t_min(lazy) > 3 * mr.chain_t_min(P0)
    assert exact_risks(lazy, 10)[0] < exact_risks(P0, 10)[0] - 0.01


def test_the_compiled_walk_is_the_numpy_reference_on_the_same_stream():
    for P in (mr.clique_rim(6), mr.reflecting_walk(4), mr.base_chain(0)):
        Ns = [1, 2, 7, 40, 1500]  # 1500 > CHUNK: the walk continues across calls
        a = mr.current_risk_fresh(P, Ns, 64, numpy_rng(9))
        b = mr.current_risk_fresh(P, Ns, 64, numpy_rng(9), kernel=mr._advance_numpy)
        np.testing.assert_array_equal(a, b)


def test_unseen_rows_are_uniform_at_the_first_states():
    # a 3-cycle never repeats a state in one step: at N = 1 and 2 the current row is unseen,
    # its estimate is uniform, and TV((0, ½, ½), (⅓, ⅓, ⅓)) = ⅓ on every trajectory
    r = mr.current_risk_fresh(mr.cycle_walk(3), [1, 2], 100, numpy_rng(0))
    np.testing.assert_allclose(r, 1 / 3)


# -- the chains against sympy's exact ones ---------------------------------------------------
@pytest.mark.parametrize(
    ("walk", "exact", "sizes"),
    [
        ("reflecting", extra.reflecting, extra.WALK_D),
        ("cycle", extra.cycle, extra.WALK_D),
        ("clique", extra.clique, extra.CLIQUE_D),
    ],
)
def test_the_numeric_chains_are_the_exact_ones(walk, exact, sizes):
    for d in sizes:
        P = mr.walk_chain(walk, d)
        np.testing.assert_allclose(P, np.array(exact(d), dtype=float), atol=1e-15)
        chains.check_stochastic(P)


def test_periods_stationary_laws_and_t_min():
    for d in extra.WALK_D:
        np.testing.assert_allclose(
            chains.gth(mr.reflecting_walk(d)), np.array(extra.reflecting_pi(d), float)[0]
        )
        assert mr.period(mr.reflecting_walk(d)) == 2
        assert mr.period(mr.cycle_walk(d)) == (2 if d % 2 == 0 else 1)
        assert mr.chain_t_min(mr.reflecting_walk(d)) == math.inf
    for d in extra.CLIQUE_D:
        assert mr.period(mr.clique_rim(d)) == 1
        np.testing.assert_allclose(chains.gth(mr.clique_rim(d)), np.full(d, 1 / d))
    assert 4 <= mr.chain_t_min(mr.cycle_walk(3)) < math.inf


def test_lazy_chains_keep_pi_and_respect_the_eigenvalue_floor():
    for c in (0, 1, 2):
        P0 = mr.base_chain(c)
        for lam in extra.LAZY:
            P = mr.lazy_chain(P0, lam)
            np.testing.assert_allclose(chains.gth(P), chains.gth(P0), atol=1e-12)
            assert mr.eigen_floor(P) <= mr.chain_t_min(P)
        assert mr.chain_t_min(mr.lazy_chain(P0, 0.0)) == chains.t_min(P0)
    # base chain 1 (μ₂ ≈ −0.72): laziness first speeds mixing (step lazy_mode)
    P1 = mr.base_chain(1)
    assert np.linalg.eigvals(P1).real.min() < -0.7
    assert mr.chain_t_min(mr.lazy_chain(P1, 0.5)) < mr.chain_t_min(P1)


def test_figure_data_is_seeded():
    a = mr.tmin_figure_data((0.0, 0.9), (0,), seed=1, reps=50)
    b = mr.tmin_figure_data((0.0, 0.9), (0,), seed=1, reps=50)
    assert a == b
    assert [r["lambda"] for r in a["chains"][0]] == [0.0, 0.9]


# -- the checks ------------------------------------------------------------------------------
def only(theorem_id, **values):
    """The theorem restricted to the given parameter values."""
    t = theorems.get(theorem_id)
    params = {
        s: (FiniteSet(tuple(values[s.name])) if s.name in values else dom)
        for s, dom in t.parameters.items()
    }
    return t.replace(parameters=params)


def test_the_tmin_claim_is_refuted_both_ways():
    t = theorems.get(TMIN)
    assert t.expect == "fail" and t.finding
    r = check(t, profile="quick", seed=0)
    assert r.verdict == "fail" and r.as_expected
    assert check(t.with_claim(direction="decreasing"), profile="quick", seed=0).verdict == "fail"


@pytest.mark.parametrize("seed", range(5))
def test_a_true_monotone_claim_passes_and_its_reversal_fails(seed):
    # on base chain 0 the risk does rise with t_min: the check passes it at every seed, and
    # rejects the reversed claim, so its refutation of the full claim is not for want of power
    t = only(TMIN, chain=(0,)).replace(expect="pass", finding="")
    assert check(t, profile="quick", seed=seed).verdict == "pass"
    assert check(t.with_claim(direction="decreasing"), profile="quick", seed=seed).verdict == "fail"


def test_the_counting_rate_passes_and_a_moved_exponent_fails():
    t = only(RATE, walk=("cycle",), d=(4,))
    N = t.claim.variable
    assert check(t, profile="quick", seed=0).verdict == "pass"
    for a in (sp.Rational(-3, 4), sp.Rational(-1, 4)):
        assert check(t.with_claim(expr=N**a), profile="quick", seed=0).verdict == "fail"


def test_predict_at_is_the_models_forward_pass_at_those_positions():
    import torch

    from numerics.lm import icl_model

    model = icl_model(3, 2000)
    x = mr.trajectories(mr.cycle_walk(3), 300, 6, numpy_rng(5))
    xt = torch.as_tensor(x, dtype=torch.long)
    pos = np.array([0, 1, 31, 255, 299])
    with torch.no_grad():
        want = model(xt).softmax(dim=-1)[:, pos]
        got = mr.predict_at(model, xt, pos)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-5)
    with pytest.raises(ValueError, match="positions must lie in 0..299"):
        mr.predict_at(model, xt, [300])


def test_power_fit_recovers_an_exact_law_and_flags_a_floor():
    Ns = mr.MODEL_NS
    exact = mr.power_fit(Ns, 2 * Ns**-0.5, 0.01 * Ns**-0.5)
    assert abs(exact["exponent"] + 0.5) < 1e-12 and exact["chi2_dof"] < 1e-20
    floored = 0.03 + Ns**-0.5
    assert mr.power_fit(Ns, floored, 0.001 * floored)["chi2_dof"] > 100


def test_the_comparison_passes_and_a_moved_or_flipped_bound_fails():
    """The check passes 'counting − model ≤ 0' at every N and rejects the bound moved to −0.05
    (below the 3-cycle's differences, about −0.01) and the bound flipped (counting ≥ model)."""
    t = theorems.get(MODEL)
    assert t.expect == "pass" and t.claim.kind == "upper_bound"
    assert check(t, profile="quick", seed=0).verdict == "pass"
    moved = t.with_claim(expr=sp.Rational(-1, 20))
    assert check(moved, profile="quick", seed=0).verdict == "fail"
    assert check(t.with_claim(kind="lower_bound"), profile="quick", seed=0).verdict == "fail"


def test_the_measured_difference_is_the_two_curves_and_covers_the_papers_range():
    m = mr.icl_random_walk_frequentist(
        {"walk": "cycle", "d": 3, "reps": 64, "pretrain_steps": 2000, "icl_models": (3,)}, seed=1
    )
    np.testing.assert_allclose(
        m.value, np.array(m.raw["counting"]) - np.array(m.raw["model"]), atol=1e-12
    )
    assert list(m.series["N_icl"]) == list(mr.MODEL_NS)
    assert mr.MODEL_NS[0] == 32 and mr.MODEL_NS[-1] == 1024 and len(mr.MODEL_NS) == 16
    assert all(v is None for v in m.raw["model_top_probability_on_certain_moves"])


def test_the_ratio_of_paired_means_and_its_error_match_a_direct_computation():
    """The delta-method error of mean(b)/mean(a) against the spread of the ratio over many
    independent paired samples (b = 0.3 a + noise, so the pairing matters)."""
    from numerics import montecarlo

    rng = np.random.default_rng(5)
    ratios, errors = [], []
    for _ in range(400):
        a = rng.exponential(1.0, 500)
        b = 0.3 * a + rng.normal(0.0, 0.05, 500)
        r, se = montecarlo.ratio_of_means(a, b)
        ratios.append(r)
        errors.append(se)
    assert abs(np.mean(ratios) - 0.3) < 0.002
    assert abs(np.std(ratios) / np.mean(errors) - 1) < 0.15
    with pytest.raises(ValueError, match="positive mean"):
        montecarlo.ratio_of_means(np.zeros(4), np.ones(4))


def test_the_model_rate_is_a_finding_and_the_check_passes_a_true_level():
    """The reflecting walk's floor fails the pre-registered level 1/4 (the finding); the same
    measurement passes a level above both measured ratios (about 0.31 and 0.23), and a level
    below the cycle's fails there too: the check can say both."""
    t = theorems.get(RATIO)
    assert t.expect == "fail" and t.finding and t.claim.expr == sp.Rational(1, 4)
    r = check(t, profile="quick", seed=0)
    assert r.verdict == "fail", r.message
    points = {p["params"]["walk"]: p["raw"] for p in r.evidence["points"]}
    assert points["reflecting"]["implied_exponent"] > -0.4
    assert check(t.with_claim(expr=sp.Rational(1, 2)), profile="quick", seed=0).verdict == "pass"
    assert check(t.with_claim(expr=sp.Rational(1, 10)), profile="quick", seed=0).verdict == "fail"


# -- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mr.walk_chain("spiral", 3), "walk must be one of"),
        (lambda: mr.clique_rim(7), "d = 3k"),
        (lambda: mr.clique_rim(3), "d ≥ 6"),
        (lambda: mr.reflecting_walk(2), "d ≥ 3"),
        (lambda: mr.lazy_chain(mr.base_chain(0), 1.0), "laziness"),
        (lambda: mr.base_chain(-1), "integer ≥ 0"),
        (lambda: mr.counting_risks(mr.cycle_walk(3), np.zeros((2, 5), np.int8), [9]), "Ns"),
        (lambda: mr.current_risk_fresh(mr.cycle_walk(3), [0], 2, numpy_rng(0)), "≥ 1"),
        (
            lambda: mr.icl_random_walk_frequentist(
                {"walk": "cycle", "d": 4, "reps": 8, "pretrain_steps": 2000, "icl_models": (3,)},
                seed=0,
            ),
            "no in-context model for d = 4",
        ),
        (
            lambda: mr.icl_random_walk_frequentist(
                {"walk": "cycle", "d": 3, "reps": 1, "pretrain_steps": 2000, "icl_models": (3,)},
                seed=0,
            ),
            "reps ≥ 2",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_points_outside_the_families_are_refused():
    t = theorems.get(RATE)
    with pytest.raises(ValueError, match="does not hold"):
        t.check_assumptions({"walk": "clique", "d": 4})
    with pytest.raises(ValueError, match="does not hold"):
        t.check_assumptions({"walk": "cycle", "d": 9})
    t.check_assumptions({"walk": "clique", "d": 9})


# -- the docs' figure ------------------------------------------------------------------------
def test_the_figure_is_registered_and_reads_its_levels_from_the_theorem(monkeypatch, tmp_path):
    from verify.docs import figures, markov_figures

    fig = figures.FIGURES["icl-tmin-regime.png"]
    assert fig.cite == theorems.get(TMIN).source.cite and fig in figures.figures_of(fig.cite)
    assert markov_figures.tmin_levels() == (extra.LAZY, (0, 1, 2), 10)
    t = theorems.get(TMIN)
    moved = t.replace(fixed={**t.fixed, "lazy": (0.0, 0.8)})
    get = theorems.get
    monkeypatch.setattr(theorems, "get", lambda i: moved if i == TMIN else get(i))
    assert markov_figures.tmin_levels()[0] == (0.0, 0.8)
    seen, data = {}, mr.tmin_figure_data

    def small(lams, chains, *, seed, reps):
        seen.update(lams=lams, chains=chains, seed=seed)
        return data(lams, chains[:1], seed=seed, reps=20)

    monkeypatch.setattr(mr, "tmin_figure_data", small)
    fig.draw(tmp_path / "f.png")
    assert (tmp_path / "f.png").stat().st_size > 1000
    assert seen == {"lams": (0.0, 0.8), "chains": (0, 1, 2), "seed": 0}
