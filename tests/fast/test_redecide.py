"""verify.redecide: a changed claim decided on the measurements a result holds gives what a
fresh check gives; a variant that measures something else is measured, and says so."""

import json

import pytest
import sympy as sp
import synthetic

from theorems import FiniteSet
from verify import check, redecide

PAIRS = synthetic.true_and_false()


def _same(a, b) -> dict:
    """The fields of two results that differ, timings and messages about re-measuring aside."""
    skip = {"seconds", "message"}
    ja, jb = a.to_json(), b.to_json()
    for j in (ja, jb):
        for p in j["evidence"]["points"]:
            p.pop("seconds")
    return {k: (ja[k], jb[k]) for k in ja if k not in skip and ja[k] != jb[k]}


@pytest.mark.parametrize("label", sorted(PAIRS))
def test_a_variant_redecided_equals_its_fresh_check(label):
    true, false = PAIRS[label]
    base = check(true, seed=3)
    again = redecide(false, base)
    fresh = check(false, seed=3)
    assert again.verdict == "fail" and fresh.verdict == "fail", label
    assert not _same(again, fresh), json.dumps(_same(again, fresh), default=str)[:2000]
    assert again.message == fresh.message
    # and the unchanged claim redecided is the baseline itself
    assert not _same(redecide(true, base), base)


def test_the_measurements_stay_out_of_reports():
    true, _ = PAIRS["identity exact"]
    r = check(true)
    assert r.measured is not None and "measured" not in r.to_json()
    json.dumps(r.to_json())


def test_a_variant_that_changes_what_is_measured_is_measured_and_says_why():
    true, false = PAIRS["upper bound Monte Carlo"]
    base = check(true)
    p = sp.Symbol("p", real=True)
    other = false.replace(parameters={p: FiniteSet((0.25,))})
    r = redecide(other, base)
    assert r.message.startswith("measured again (another parameter domain")
    assert r.verdict == check(other).verdict
    fixed = false.replace(fixed={"unused": 1})  # passed to the experiment: it may matter
    assert redecide(fixed, base).message.startswith("measured again (other experiment arguments")
    # a result read back from a report holds no measurements
    bare = check(true)
    bare.measured = None
    assert redecide(false, bare).message.startswith("measured again (the result holds no")


def test_given_points_are_redecided_at_those_points():
    true, false = PAIRS["identity exact"]
    n = next(iter(true.parameters))
    base = check(true, points=[{n.name: 7}, {n.name: 9}], seed=5)
    again = redecide(false, base)
    assert again.points == 2 and again.verdict == "fail"
    assert not _same(again, check(false, points=[{n.name: 7}, {n.name: 9}], seed=5))
