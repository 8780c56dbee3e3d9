"""The resolution of a check, read off its own evidence: a claim changed by a little more than
the reported resolution is rejected by the same check (same seeds), one changed by much less is
not, and a check without one says why."""

import pytest
import sympy as sp
import synthetic

import theorems
from verify import check
from verify.resolution import describe

PAIRS = synthetic.true_and_false()
TIGHTEN = {"upper_bound": -1, "lower_bound": 1}


@pytest.mark.parametrize(
    "case",
    [
        "identity exact",
        "identity large-N",
        "upper bound deterministic",
        "upper bound Monte Carlo",
        "lower bound Monte Carlo",
        "threshold",
        "threshold located",
    ],
)
def test_a_change_past_the_resolution_is_rejected(case):
    thm = PAIRS[case][0]
    r = check(thm)
    assert r.verdict == "pass" and r.resolution is not None and r.resolution > 0
    sign = TIGHTEN.get(thm.claim.kind, 1)
    past = thm.with_claim(expr=thm.claim.expr * sp.Float(1 + sign * 1.2 * r.resolution, 30))
    assert check(past).verdict == "fail", (case, r.resolution)
    if thm.claim.kind in ("threshold", "upper_bound") and not r.evidence["points"][0]["worst"].get(
        "stderr"
    ):  # deterministic: well inside the resolution is not rejected
        inside = thm.with_claim(expr=thm.claim.expr * sp.Float(1 + sign * 0.3 * r.resolution, 30))
        assert check(inside).verdict != "fail", case


def test_checks_without_a_resolution_say_why():
    for tid, words in [
        ("uat.barron_rate", "existential"),
        ("markov.temperature_monotone", "direction"),
    ]:
        r = check(theorems.get(tid))
        assert r.resolution is None and words in r.resolution_note
        assert describe(r.kind, None, r.resolution_note).startswith("— (")


def test_a_bound_in_the_noise_gives_its_noise_level():
    # an upper bound far above a measured value that is itself within the noise of zero
    thm = synthetic.theorem(
        "syn.noise",
        "upper_bound",
        sp.Rational(1, 20),
        "bernoulli_rate",
        {sp.Symbol("p", real=True): synthetic.FiniteSet((0.0001,))},
    )
    r = check(thm)
    assert r.verdict == "pass" and r.resolution is None
    assert "can only reject a bound below about" in r.resolution_note
