"""verify selftest: the checks reject mutants of their claims; a check too vague to reject
anything is caught."""

import pytest
import sympy as sp

import theorems
from numerics import Measurement
from theorems import Claim, IntRange, Source, Theorem
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
    ],
)
def test_checks_reject_their_mutants(theorem_id):
    r = selftest(theorems.get(theorem_id), device="cpu")
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


def test_mutants_are_false_by_construction_for_a_rate():
    t = theorems.get("markov.icl_rate")
    labels = [label for label, _ in mutants(t, selftest(t, device="cpu").baseline)]
    assert len(labels) == 2 and all(label.startswith("exponent") for label in labels)


def test_cli_selftest(in_tmp, capsys):
    assert main(["selftest", "markov.state_count", "markov.unique_stationary_greedy"]) == 0
    out = capsys.readouterr().out
    assert "2/2" in out and "negative control" in out


# Known gaps (see the session notes): a mutant "half the worst measured value" is inside the
# binomial noise when the measured OOD error is ~1e-4, so it stays inconclusive.
UNDECIDABLE_MUTANTS = {"icl.ood_skew", "icl.ood_recombine"}


@pytest.mark.slow
@pytest.mark.parametrize(
    "theorem_id",
    [
        pytest.param(
            t.id,
            marks=pytest.mark.xfail(
                strict=True, reason="a near-zero bound's mutant is undecidable"
            ),
        )
        if t.id in UNDECIDABLE_MUTANTS
        else t.id
        for t in theorems.all()
    ],
)
def test_the_whole_catalogue_meets_the_target(theorem_id):
    r = selftest(theorems.get(theorem_id), device="cpu")
    assert r.ok, (r.baseline.verdict, r.survivors)
