"""The decision engine: for every claim kind a true claim passes and a false one fails; noise
alone does not refute; NaN and exceptions are errors."""

import numpy as np
import pytest
import sympy as sp
import synthetic

import theorems
from numerics import Measurement
from theorems import Claim, FiniteSet, Theorem
from verify import check, decide, design_points, point_seed
from verify.kinds import rate as kind_rate
from verify.kinds import threshold as kind_threshold
from verify.kinds.rate import rate_form
from verify.kinds.stats import vuong

PAIRS = synthetic.true_and_false()


@pytest.mark.parametrize("case", sorted(PAIRS))
def test_true_claim_passes_and_false_claim_fails(case):
    true, false = PAIRS[case]
    good = check(true, device="cpu")
    assert good.verdict == "pass", (good.message, good.worst)
    bad = check(false, device="cpu")
    assert bad.verdict == "fail", (bad.message, bad.worst)
    assert bad.counterexample is not None
    assert bad.counterexample["command"].startswith(f"verify check {false.id} --at ")


def test_strengths_follow_the_evidence():
    assert check(PAIRS["identity exact"][0]).strength == "certified"
    assert check(PAIRS["identity float"][0]).strength == "numerically consistent"
    assert check(PAIRS["identity Monte Carlo"][0]).strength == "statistical"
    assert check(theorems.get("markov.state_count")).strength == "proved"


def test_existential_miss_is_inconclusive_not_fail():
    _, false = PAIRS["upper bound deterministic"]
    r = check(false.with_claim(existential=True))
    assert r.verdict == "inconclusive"
    assert "existence" in r.message


def test_nan_and_exceptions_are_errors():
    r = check(synthetic.theorem("syn.nan", "identity", 1, "nan_value"))
    assert r.verdict == "error" and "NaN" in r.message
    r = check(synthetic.theorem("syn.raise", "identity", 1, "raises"))
    assert r.verdict == "error" and "diverged" in r.message
    assert not r.as_expected
    # a negative control that errors is not "refuted"
    r = check(synthetic.theorem("syn.raise2", "identity", 1, "raises", expect="fail"))
    assert r.verdict == "error" and not r.as_expected


def test_unknown_experiment_is_an_error():
    r = check(synthetic.theorem("syn.missing", "identity", 1, "does_not_exist"))
    assert r.verdict == "error" and "no 'does_not_exist'" in r.message


def test_noise_alone_does_not_refute_at_the_stated_confidence():
    # A true claim whose bound equals the true value (the hardest case for a test's size), at 10
    # replicate points per run, 200 runs. Without Holm's correction about 10 % of runs would
    # fail; with it at most α = 1 % (P(more than 8 of 200) < 1e-3 at that rate).
    rep = sp.Symbol("rep", integer=True)
    thm = synthetic.theorem(
        "syn.boundary",
        "upper_bound",
        sp.Rational(3, 10),
        "bernoulli_rate",
        {rep: FiniteSet(tuple(range(10)))},
        fixed={"p": 0.3},
    )
    assert len(design_points(thm, "quick")) == 10
    verdicts = [check(thm, seed=run).verdict for run in range(200)]
    assert verdicts.count("fail") <= 8
    assert verdicts.count("error") == 0


def test_holm_step_down():
    assert decide.holm([0.001, 0.04, 0.03], 0.05) == [0]
    assert decide.holm([0.001, 0.02, 0.024], 0.05) == [0, 1, 2]
    assert decide.holm([0.2, 0.5], 0.05) == []


def test_design_points_respect_assumptions_and_caps():
    thm = theorems.get("markov.unique_stationary_greedy")
    pts = design_points(thm, "quick")
    assert pts and all(p["top_k"] < p["T"] and p["T"] ** p["K"] <= 1024 for p in pts)
    assert len(pts) <= 12
    big = design_points(theorems.get("markov.state_count"), "standard")
    assert max(p["T"] ** p["K"] for p in big) > 4096


def test_point_seed_is_stable_and_distinct():
    a = point_seed(0, {"T": 2, "K": 3})
    assert a == point_seed(0, {"K": 3, "T": 2})
    assert a != point_seed(1, {"T": 2, "K": 3}) != point_seed(0, {"T": 3, "K": 3})


def test_given_points_are_validated():
    with pytest.raises(ValueError, match="T must be an integer ≥ 2 and ≤ 64, got 1"):
        check(theorems.get("markov.state_count"), points=[{"T": 1, "K": 2}])


def test_rate_form_reader():
    n, c = sp.symbols("n c")
    assert rate_form(3 * n ** sp.Rational(-1, 2), n) == ("power", -0.5)
    assert rate_form(sp.exp(-2 * n), n) == ("exp", 2.0)
    assert rate_form(sp.exp(-c * n), n) == ("exp", None)
    with pytest.raises(ValueError, match="rate claim"):
        rate_form(sp.log(n), n)


def test_claims_that_refer_to_unknown_symbols_are_errors():
    q = sp.Symbol("q")
    r = check(synthetic.theorem("syn.unknown", "identity", q, "triangular"))
    assert r.verdict == "error" and "'q'" in r.message


def test_theorem_definition_errors_are_clear():
    tau = sp.Symbol("tau", positive=True)

    def thm(domain, assumptions):
        return Theorem(
            "x.y",
            "t",
            synthetic.SRC,
            {tau: domain},
            assumptions,
            Claim("identity", 1),
            experiment="synthetic:triangular",
        )

    # an assumption that folds to True holds by the symbol's declaration ...
    assert thm(FiniteSet((1.0,)), (tau > 0,)).assumptions == ()
    # ... which the domain must respect; one that folds to False is refused
    with pytest.raises(theorems.TheoremDefinitionError, match="declared positive .* holds -1"):
        thm(FiniteSet((-1.0, 1.0)), (tau > 0,))
    with pytest.raises(theorems.TheoremDefinitionError, match="folded to False"):
        thm(FiniteSet((1.0,)), (tau < 0,))
    assert thm(theorems.Interval(0, 1, (False, True)), ()).parameters  # (0, 1] is positive
    with pytest.raises(theorems.TheoremDefinitionError, match="declared positive"):
        thm(theorems.Interval(0, 1), ())
    with pytest.raises(theorems.TheoremDefinitionError, match="series variable"):
        Claim("rate", sp.Symbol("n") ** -1)


def test_rate_needs_the_claimed_law_to_fit_better_when_both_terms_matter():
    import numpy as np

    from numerics import Measurement
    from theorems import Claim

    t = np.linspace(10, 100, 40)
    rel = 0.01
    c, x = sp.Symbol("c"), sp.Symbol("t")
    claim = Claim("rate", sp.exp(-c * x), variable=x)

    def decision(y):
        return kind_rate.rate(Measurement(value=y, stderr=rel * y), claim.expr, claim, 0.01, t)

    # mostly a power law with a little exponential: both terms significant, and the exponential
    # term alone would pass the encompassing test; the power law fits better, so no pass
    mixed = decision(t**-3.0 * np.exp(-0.01 * t))
    assert mixed.evidence.p_claimed_term < 0.01 and mixed.evidence.p_alternative_term < 0.01
    assert mixed.evidence.chi2_alternative_law < mixed.evidence.chi2_claimed_law
    assert not mixed.ok
    # ... and significantly better (Vuong): a violation, so the claim fails
    assert mixed.evidence.p_alternative_law_fits_better < 0.01 and mixed.p_fail < 0.01
    # mostly exponential with a little power: the exponential fits better and passes
    good = decision(np.exp(-0.05 * t) * t**-0.3)
    assert good.evidence.chi2_claimed_law < good.evidence.chi2_alternative_law and good.ok
    assert good.evidence.p_alternative_law_fits_better > 0.5 and good.p_fail > 0.01


def test_vuong_is_two_sided_in_effect_and_silent_when_the_laws_tie():
    import numpy as np

    t = np.linspace(10, 100, 40)
    y = np.log(np.exp(-0.05 * t) * t**-0.3)
    sy = np.full_like(t, 0.01)
    ones = np.ones_like(t)
    X_exp, X_pow = np.column_stack([ones, -t]), np.column_stack([ones, np.log(t)])
    # the exponential fits this better: "power better than exp" is rejected, the reverse not
    assert vuong(X_exp, X_pow, y, sy) > 0.99
    assert vuong(X_pow, X_exp, y, sy) < 0.01
    # the same design twice: no evidence either way
    assert vuong(X_exp, X_exp, y, sy) == 0.5


def test_a_threshold_rests_on_the_large_sizes():
    # a finite-size shift at the smallest size does not block a pass; the claim moved outside
    # the largest bracket fails; contained only at the largest size is inconclusive
    exact = {sp.Symbol("exact"): FiniteSet((True,))}
    thm = synthetic.theorem(
        "syn.thr", "threshold", 1, "shifted_brackets", exact, variable=synthetic.N
    )
    assert check(thm).verdict == "pass"
    assert check(thm.with_claim(expr=sp.Float(1.0 + 1e-3))).verdict == "fail"
    assert check(thm.with_claim(expr=sp.Float(0.995))).verdict == "fail"
    assert check(thm.with_claim(expr=sp.Float(1.021))).verdict == "fail"  # the smallest only

    from numerics import Measurement

    def decided(brackets):
        meas = Measurement(value=np.array(brackets), series={"N": [1e3, 1e4, 1e5, 1e6]})
        return kind_threshold.threshold(meas, [1.0], thm.claim, 0.01, meas.series["N"])

    # contained by the largest bracket only (the others do not move: no shift to allow for):
    # neither refuted nor enough for a pass
    d = decided([[1.02, 1.04], [1.02, 1.04], [1.02, 1.04], [0.99, 1.005]])
    assert d.p_fail == 1.0 and not d.ok
    # brackets drifting towards the claim from above: the shift still to come (a decay at least
    # like N^(-1/2)) is allowed for, at the largest size too, but no further
    drifting = [[1.1, 1.2], [1.05, 1.1], [1.02, 1.04], [1.006, 1.014]]
    d = decided(drifting)
    left = (1.03 - 1.01) / (10**0.5 - 1)
    assert d.evidence.extended[-1] == pytest.approx([1.006 - left, 1.014])
    assert d.p_fail == 1.0 and d.ok
    meas = Measurement(value=np.array(drifting), series={"N": [1e3, 1e4, 1e5, 1e6]})
    below = kind_threshold.threshold(meas, [1.006 - 1.5 * left], thm.claim, 0.01, meas.series["N"])
    assert below.p_fail == 0.0
    # by the larger half, narrowing: a pass; by the larger half, widening: not
    assert decided([[1.1, 1.2], [1.05, 1.1], [0.98, 1.02], [0.99, 1.005]]).ok
    assert not decided([[1.1, 1.2], [1.05, 1.1], [0.99, 1.005], [0.98, 1.02]]).ok


def test_levels_margins_and_tolerances_can_be_expressions_of_the_parameters():
    """``level=1 - delta`` with δ a parameter is evaluated at each point (issue 20)."""
    delta = sp.Symbol("delta")
    params = {delta: FiniteSet((0.1, 0.2))}
    # P(U ≤ 1 − δ/2) = 1 − δ/2 ≥ 1 − δ: true at every point; with 1 − 2δ it is false
    true = synthetic.theorem(
        "syn.plevel", "probability", 1 - delta / 2, "uniform_samples", params, level=1 - delta
    )
    assert true.claim.level_symbols == {delta}
    assert true.claim.at({"delta": 0.2}).level == pytest.approx(0.8)
    assert check(true).verdict == "pass"
    assert check(true.with_claim(expr=1 - 2 * delta)).verdict == "fail"
    # a level outside (0, 1) at a point is an error naming it, not a sympy TypeError
    bad = true.replace(parameters={delta: FiniteSet((1.5,))})
    r = check(bad)
    assert r.verdict == "error" and "outside (0, 1)" in r.message and "1.5" in r.message
    with pytest.raises(theorems.TheoremDefinitionError, match="depends on q"):
        synthetic.theorem(
            "syn.q", "probability", 1, "uniform_samples", params, level=1 - sp.Symbol("q")
        )
    with pytest.raises(theorems.TheoremDefinitionError, match="level in .0, 1., got 1.5"):
        Claim("probability", 1, level=1.5)
    assert Claim("probability", 1, level=sp.Rational(9, 10)).level == 0.9  # a number: a float


def _noisy_half(params, *, seed, device="cpu"):
    """A Monte-Carlo estimate 0.5 with standard error 0.05 (no noise: the hint's arithmetic)."""
    return Measurement(value=0.5, stderr=0.05)


def test_an_inconclusive_check_says_how_many_repetitions_would_decide_it(capsys):
    from verify.cli import render
    from verify.kinds.stats import normal_quantile

    c = sp.Symbol("c")
    thm = Theorem(
        id="syn.hint",
        title="hint",
        source=synthetic.SRC,
        parameters={c: FiniteSet((0.55,))},
        assumptions=(),
        claim=Claim("upper_bound", c),
        experiment="test_engine:_noisy_half",
    )
    r = check(thm)  # one standard error below the claim: neither a pass nor a violation
    assert r.verdict == "inconclusive"
    z = normal_quantile(1 - 0.01 / 2)
    assert f"about {(z * 0.05 / 0.05) ** 2:.3g}× the repetitions at c=0.55" in r.message
    on_edge = check(thm.replace(parameters={c: FiniteSet((0.5,))}))
    assert on_edge.verdict == "inconclusive" and "will not decide it" in on_edge.message
    render.verdicts([r])
    out = capsys.readouterr().out
    assert "reason" in out and "repetitions" in out  # the reason is in the run table
