"""The Markov-chain family end to end: true claims pass at the quick profile, negative controls
are refuted, and false variants of each claim (built from the check's own measurements) fail,
decided on the session's quick run (``quick``: the verdict a fresh check gives, not measured
again)."""

import pytest
import sympy as sp
from test_theorems import MARKOV_IDS

import theorems
from verify import check, redecide

SECTION3 = set(MARKOV_IDS)  # the ten Section-3 ids


@pytest.mark.parametrize("theorem_id", [t.id for t in theorems.all() if t.family == "markov"])
def test_verdict_matches_expectation(quick, theorem_id):
    r = quick.result(theorem_id)
    assert r.as_expected, (r.verdict, r.message, r.worst)
    # Section 3's claims sweep (T, K, τ, B); Section 4's are about fixed tables or chains
    section3 = theorem_id in SECTION3
    assert r.points >= (6 if section3 else 1)


@pytest.mark.parametrize(
    "theorem_id",
    [
        "markov.state_count",
        "markov.transition_nonzeros",
        "markov.unique_stationary",
        "markov.block_structure",
    ],
)
def test_identity_off_by_one_fails(quick, theorem_id):
    t = theorems.get(theorem_id)
    assert quick.redecide(t.with_claim(expr=t.claim.expr + 1)).verdict == "fail"


def test_nonzero_count_with_the_wrong_power_fails(quick):
    t = theorems.get("markov.transition_nonzeros")
    T, K = t.param("T"), t.param("K")
    assert quick.redecide(t.with_claim(expr=T ** (K + 1))).verdict == "fail"


def test_upper_bound_halved_below_the_measurement_fails(quick):
    t = theorems.get("markov.convergence_rate")
    r = quick.result(t.id)
    scale = sp.nsimplify(r.tightness / 2, rational=True)
    bad = quick.redecide(t.with_claim(expr=t.claim.expr * scale))
    assert bad.verdict == "fail"
    assert bad.counterexample["measured"] > bad.counterexample["claimed"]


@pytest.mark.parametrize(
    "theorem_id", ["markov.temperature_floor", "markov.temperature_floor_sharp"]
)
def test_lower_bound_raised_above_the_measurement_fails(quick, theorem_id):
    t = theorems.get(theorem_id)
    r = quick.result(theorem_id)
    factor = sp.nsimplify(2 * max(r.tightness, 1.0), rational=True)
    assert quick.redecide(t.with_claim(expr=t.claim.expr * factor)).verdict == "fail"


def test_floor_with_a_smaller_exponent_fails(quick):
    # (T e^{B/τ})^{-K/2} is larger than the true ε at most points: a false floor
    t = theorems.get("markov.temperature_floor_sharp")
    T, K, B, tau = (t.param(n) for n in ("T", "K", "B", "tau"))
    assert quick.redecide(t.with_claim(expr=(T * sp.exp(B / tau)) ** (-K / 2))).verdict == "fail"


def test_monotonicity_reversed_fails(quick):
    t = theorems.get("markov.temperature_monotone")
    assert quick.redecide(t.with_claim(direction="decreasing")).verdict == "fail"


def test_sample_complexity_count_and_a_narrower_range_is_refuted(quick):
    t = theorems.get("markov.sample_complexity")
    r = quick.result(t.id)
    assert r.verdict == "pass" and r.strength in ("certified", "proved")
    assert quick.redecide(t.with_claim(expr=t.claim.expr - 1)).verdict == "fail"


def test_icl_rate_with_another_exponent_fails():
    t = theorems.get("markov.icl_rate")
    N = t.claim.variable
    base = check(t, points=[{"d": 5}])
    assert redecide(t.with_claim(expr=N**-1), base).verdict == "fail"
    assert redecide(t.with_claim(expr=N ** sp.Rational(-1, 4)), base).verdict == "fail"


def test_counting_estimator_approximation_error_matches_the_closed_form():
    import math

    from numerics.markov_experiments import LLM_TABLE, approximation_error

    for T, r, N in LLM_TABLE.values():
        B = 2 * math.sqrt(math.log(T) + 2 * T * math.sqrt(r))
        closed = 2 * B * math.sqrt(math.log(2 / 0.05) / N)  # Prop 4.1 with zero empirical risk
        assert approximation_error(T, r, N) == pytest.approx(closed, rel=1e-9)


def test_pretraining_bound_shrunk_below_the_observed_quantile_fails(quick):
    t = theorems.get("markov.pretraining_bound")
    r = quick.result(t.id)
    assert r.verdict == "pass" and r.tightness < 1
    scale = sp.nsimplify(r.tightness / 2, rational=True)
    bad = quick.redecide(t.with_claim(expr=t.claim.expr * scale))
    assert bad.verdict == "fail" and bad.counterexample["violations"] > 0.05 * 300


def test_toy_claims_reject_false_variants(quick):
    st = theorems.get("markov.toy_parity_stationary")
    assert quick.redecide(st.with_claim(expr=sp.Rational(101, 100))).verdict == "fail"
    mx = theorems.get("markov.toy_parity_mixing")
    ratio = min(p["worst"]["measured"] for p in quick.result(mx.id).evidence["points"])
    assert quick.redecide(mx.with_claim(expr=sp.Integer(int(2 * ratio)))).verdict == "fail"


def test_mixing_time_matches_brute_force():
    import numpy as np

    from numerics.markov_stationary import gth
    from numerics.markov_toy import mixing_time

    P = np.array([[0.9, 0.1, 0.0], [0.0, 0.8, 0.2], [0.3, 0.0, 0.7]])
    pi = gth(P)
    M, t = P.copy(), 1
    while 0.5 * np.abs(M - pi).sum(axis=1).max() > 0.25:
        M, t = M @ P, t + 1
    assert mixing_time(P) == t
    assert (
        mixing_time(np.array([[0.0, 1.0], [1.0, 0.0]]) * (1 - 1e-12) + 5e-13, t_max=2**20) == 2**20
    )


def test_icl_bound_shrunk_below_the_observed_quantile_fails(quick):
    t = theorems.get("markov.icl_bound")
    r = quick.result(t.id)
    assert r.verdict == "pass"
    scale = sp.nsimplify(r.tightness / 2, rational=True)
    assert quick.redecide(t.with_claim(expr=t.claim.expr * scale)).verdict == "fail"


def test_t_min_equals_a_fine_grid_over_epsilon():
    import numpy as np

    from numerics.markov_experiments import t_min
    from numerics.markov_toy import mixing_time

    P = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.25, 0.25, 0.5]])
    grid = min(
        mixing_time(P, e / 2) * ((2 - e) / (1 - e)) ** 2 for e in np.linspace(0.001, 0.99, 2000)
    )
    exact = t_min(P)
    assert exact <= grid + 1e-12 and grid <= exact * 1.01


def test_icl_rate_model_rejects_other_laws():
    t = theorems.get("markov.icl_rate_model")
    N = t.claim.variable
    base = check(t, points=[{"d": 3}])
    assert redecide(t.with_claim(expr=N**-1), base).verdict == "fail"
    assert redecide(t.with_claim(expr=N ** sp.Rational(-1, 5)), base).verdict == "fail"


def test_pretraining_bound_on_contexts_from_one_chain():
    t = theorems.get("markov.pretraining_bound")
    point = {"T": 2, "K": 2, "N": 100, "B_U": 1.0}
    r = check(t, profile="standard", points=[point])
    assert r.verdict == "pass", (r.message, r.worst)
    ev = r.evidence["points"][0]
    assert ev["raw"]["contexts"] == "chain" and ev["raw"]["t_min"] >= 4
    assert ev["inputs"]["Gamma"] == pytest.approx(ev["raw"]["t_min"] ** 0.5)
    assert "F.18" in ev["raw"]["locator"]
    iid = check(t, points=[point]).evidence["points"][0]
    assert iid["inputs"]["Gamma"] == 1.0 and "Theorem 4.2" in iid["raw"]["locator"]


def test_prop_e2_drops_t_min_and_the_corrected_statement_holds(quick):
    """Prop. E.2's derivation of N* from Theorem 4.3 fails (the factor t_min ≥ 4 is dropped):
    a finding on the landing page; the corrected N* is proved, checked, and its mutant refuted."""
    from verify.docs.pages import findings_list
    from verify.proofs import proof_status
    from verify.selftest import selftest

    t = theorems.get("markov.icl_sample_complexity")
    status = {r["name"]: r["status"] for r in proof_status(t, cache=False)}
    assert status == {"paper_N": "failed", "corrected_N": "proved", "quarter": "certified"}
    assert "markov.icl_sample_complexity" in findings_list(theorems.all())
    r = selftest(t, baseline=quick.result(t.id))
    assert r.baseline.verdict == "pass"  # the corrected claim; a failed paper step is a finding
    assert r.mutants and r.rejected == len(r.mutants), r.survivors
    for p in r.baseline.evidence["points"]:
        raw = p["raw"]
        assert raw["corrected_N"] >= 4 * raw["paper_N"] - 4 and raw["t_min"] >= 4
        assert raw["share_within_at_paper_N"] >= 0.95  # loose: the paper's N* suffices here too
