"""Rate claims as a user writes them (issue 33, items 4 and 6): ``n`` is ``n**1``, and a rate
fitted through exact points is numerical evidence, never a certificate."""

import sympy as sp
import synthetic as syn

from verify import check
from verify.kinds.rate import rate_parameter


def test_a_linear_rate_is_written_n():
    assert rate_parameter(syn.n, syn.n) == ("power", 1)
    assert rate_parameter(3 * syn.n, syn.n) == ("power", 1)


def test_a_rate_fitted_through_exact_points_is_not_certified():
    # before: strength "certified", and n**(11/5) "refuted (certified)"
    t = syn.theorem("mine.linear", "rate", syn.n, "half_n", variable=syn.n, margin=0.05)
    r = check(t)
    assert r.verdict != "fail" and r.strength == "numerically consistent", (r.message, r.strength)
    assert r.worst["interval"][0] <= 1 <= r.worst["interval"][1]
    wrong = check(t.with_claim(expr=syn.n ** sp.Rational(11, 5)))
    assert wrong.verdict == "fail" and wrong.strength == "numerically consistent"
