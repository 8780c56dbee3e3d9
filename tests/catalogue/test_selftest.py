"""verify selftest: the checks reject mutants of their claims (decided on the session's quick
run, as ``verify selftest`` decides them on its own baseline); a check too vague to reject
anything is caught. The whole catalogue's mutation analysis is ``make selftest``, which CI runs
as a gate."""

import pytest
import sympy as sp
import synthetic

import theorems
from numerics import Measurement
from theorems import Claim, IntRange, Source, Theorem
from verify import check
from verify.cli import main
from verify.selftest import TARGET, mutants, selftest

n = sp.Symbol("n", integer=True)


@pytest.mark.parametrize(
    "theorem_id",
    [
        "markov.state_count",
        "markov.temperature_monotone",
        "markov.convergence_rate",
        "markov.temperature_floor",
        "markov.icl_bound",
        "uat.lora_optimal",
        "emergence.poisson_threshold",
        "emergence.poisson_scaling",
    ],
)
def test_checks_reject_their_mutants(quick, theorem_id):
    r = selftest(theorems.get(theorem_id), baseline=quick.result(theorem_id))
    assert r.baseline.verdict == "pass" and r.mutants
    assert r.fraction >= TARGET and r.ok, r.survivors


def vague(params, *, seed, device="cpu"):
    """n² with an error bound so wide that no claim near it can be refuted."""
    k = int(params["n"])
    return Measurement(value=float(k * k), error_bound=1e6)


def test_a_check_that_cannot_reject_is_caught():
    t = Theorem(
        id="mine.vague",
        title="n² ≤ n² (measured with a useless error bound)",
        source=Source("test", "x", "reconstruction"),
        parameters={n: IntRange(1, 5)},
        assumptions=(n >= 1,),
        claim=Claim("upper_bound", n**2),
        experiment="test_selftest:vague",
    )
    r = selftest(t, device="cpu")
    assert r.baseline.verdict == "pass"
    assert r.mutants and r.fraction < TARGET and not r.ok and r.survivors


def test_mutants_are_false_by_construction_for_a_rate(quick):
    t = theorems.get("markov.icl_rate")
    labels = [label for label, _ in mutants(t, quick.result(t.id))]
    assert len(labels) == 3 and all(label.startswith("exponent") for label in labels[:2])
    assert labels[2].startswith("the other law")


def test_a_symbolic_rate_gets_shifted_and_other_form_mutants(quick):
    # emergence.poisson_scaling claims exp(−d·R) with d a parameter: the mutants shift the rate
    # by a constant (d + δ, both ways) and swap the law's form
    t = theorems.get("emergence.poisson_scaling")
    ms = mutants(t, quick.result(t.id))
    exprs = [m.claim.expr for _, m in ms]
    names = [{s.name for s in e.free_symbols} for e in exprs]
    assert len(ms) == 3 and all(
        e.has(sp.exp) and "d" in s for e, s in zip(exprs[:2], names[:2], strict=True)
    )
    assert any(isinstance(e, sp.Pow) and not e.has(sp.exp) for e in exprs)


def rare_errors(params, *, seed, device="cpu"):
    """A near-zero error rate as a binomial estimate: 2 errors in 20000 trials."""
    p = 2 / 20000
    return Measurement(value=p, stderr=(p * (1 - p) / 20000) ** 0.5)


def test_a_near_zero_bound_gets_a_decidable_mutant():
    # half of a measured 1e-4 lies inside its binomial noise (se 7e-5): the mutant goes past the
    # measured value by RESOLVE standard errors instead (a shift, as scaling cannot cross 0)
    t = Theorem(
        id="mine.rare",
        title="error ≤ 0.05",
        source=Source("test", "x", "reconstruction"),
        parameters={n: IntRange(1, 2)},
        assumptions=(),
        claim=Claim("upper_bound", sp.Rational(5, 100)),
        experiment="test_selftest:rare_errors",
    )
    r = selftest(t, device="cpu")
    assert r.baseline.verdict == "pass"
    label, verdict = r.mutants[0]
    assert label.startswith("expr -") and verdict == "fail" and r.fraction == 1


def test_cli_selftest(in_tmp, capsys):
    assert main(["selftest", "markov.state_count", "markov.unique_stationary_greedy"]) == 0
    out = capsys.readouterr().out
    assert "3/3" in out and "expected to fail" in out


def test_a_located_thresholds_bracket_mutants_lie_past_its_standard_errors():
    # brackets of width zero with standard errors (as the percolation crossing): a mutant just
    # outside the bracket must also be outside its noise, or it is not false by construction
    true, _ = synthetic.true_and_false()["threshold located"]
    r = check(true)
    assert r.verdict == "pass"
    found = mutants(true, r)
    assert any("outside the bracket" in label for label, _ in found)
    for label, m in found:
        assert check(m).verdict == "fail", label


def test_proof_step_mutants_fail_and_a_step_that_cannot_fail_is_caught(monkeypatch):
    r = selftest(theorems.get("markov.state_count"), device="cpu")
    assert r.steps and all(v == "failed" for _, v in r.steps) and r.ok
    # a mutation that leaves the step true (a check that could not tell) is a survivor
    import verify.selftest as S

    monkeypatch.setattr(S, "step_mutant", lambda step, t: step)
    bad = selftest(theorems.get("markov.state_count"), device="cpu")
    assert bad.steps and all(v in ("proved", "certified") for _, v in bad.steps)
    assert bad.steps_fraction == 0 and not bad.ok


def test_bounds_and_probabilities_get_two_kinds_of_mutant_each_rejected(capsys):
    """Scaled and shifted past the worst point (bounds, probability), and a raised level where
    enough violations were seen; ``verify selftest -v`` lists each with its claim and verdict."""
    prob = synthetic.theorem(
        "syn.prob3", "probability", sp.Rational(97, 100), "uniform_samples", level=0.95
    )
    r = selftest(prob, device="cpu")
    labels = [label for label, _ in r.mutants]
    assert any("×" in x for x in labels) and any(x.startswith("expr -") for x in labels)
    assert any(x.startswith("level 1 −") for x in labels)
    assert r.rejected == len(r.mutants) == 3, r.survivors
    assert len(r.claims) == 3 and any("level=0.99" in c for c in r.claims)
    bound = synthetic.true_and_false()["upper bound Monte Carlo"][0]
    r = selftest(bound, device="cpu")
    kinds = {("×" in x) for x, _ in r.mutants if "past the worst point" in x}
    assert kinds == {True, False} and r.rejected == len(r.mutants), r.survivors
    assert main(["selftest", "markov.state_count", "-v"]) == 0
    out = capsys.readouterr().out
    assert "markov.state_count: expr + 1: identity:" in out and "→ fail" in out
