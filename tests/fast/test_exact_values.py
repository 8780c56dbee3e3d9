"""Parameter values are exact where a theorem's domains and assumptions decide them (issue 33,
items 1 and 2): decimals and fractions are the rationals they spell, a design with no point is
a definition error, and a value outside its domain is told apart from a broken assumption."""

import pytest
import sympy as sp
import synthetic as syn

import theorems
from theorems import FiniteSet, Interval, IntRange
from theorems.errors import AssumptionFails, OutsideDomain
from verify import check
from verify.cli import main
from verify.design import design_points, design_summary

alpha = sp.Symbol("alpha", positive=True)


def product_bound(params=None, assumptions=()):
    """Σ_{k ≤ n} k = n(n + 1)/2 (the experiment reads n alone), with a second parameter."""
    t = syn.theorem("mine.sum", "identity", syn.n * (syn.n + 1) / 2, "triangular", params)
    return t.replace(assumptions=tuple(assumptions))


def test_rationals_in_a_finite_set_are_design_points():
    t = product_bound(
        {syn.n: FiniteSet((2, 3)), alpha: FiniteSet((sp.Rational(1, 10), sp.Rational(1, 3)))}
    )
    pts = design_points(t, "quick")
    assert len(pts) == 4
    assert check(t).verdict == "pass"


def test_boundary_points_of_an_assumption_are_kept():
    # 10 · 0.1 = 1 and 5 · 0.2 = 1 exactly, though not in binary floating point
    params = {syn.n: FiniteSet((5, 10, 3)), alpha: FiniteSet((0.1, 0.2, 0.5))}
    t = product_bound(params, [sp.Le(syn.n * alpha, 1)])
    kept = {(p["n"], p["alpha"]) for p in design_points(t, "quick")}
    assert kept == {(5, 0.1), (5, 0.2), (10, 0.1), (3, 0.1), (3, 0.2)}
    d = design_summary(t, "quick")
    assert d["rejected"] == 4 and d["outside"] == 0
    t.check_assumptions({"n": 10, "alpha": 0.1})
    with pytest.raises(AssumptionFails, match="does not hold"):
        t.check_assumptions({"n": 10, "alpha": 0.2})


def test_a_value_outside_its_domain_is_not_called_a_broken_assumption():
    t = product_bound(
        {syn.n: IntRange(1, 5), alpha: Interval(0, 1, (False, True))}, [sp.Le(syn.n * alpha, 1)]
    )
    with pytest.raises(OutsideDomain, match="alpha must be a real number in"):
        t.check_assumptions({"n": 2, "alpha": 1.5})
    with pytest.raises(AssumptionFails):
        t.check_assumptions({"n": 4, "alpha": 0.5})


def test_decimals_and_fractions_on_the_command_line(in_tmp, capsys, extra):
    rational = product_bound(
        {syn.n: FiniteSet((2, 10)), alpha: FiniteSet((sp.Rational(1, 10), sp.Rational(3, 20)))},
        [sp.Le(syn.n * alpha, 1)],
    ).replace(id="mine.rational")
    real = product_bound(
        {syn.n: IntRange(1, 20), alpha: Interval(0, 1, (False, True))}, [sp.Le(syn.n * alpha, 1)]
    )
    extra(rational, real.replace(id="mine.real"))
    for at in ("n=10,alpha=0.1", "n=10,alpha=1/10", "n=2,alpha=0.15", "n=2,alpha=3/20"):
        assert main(["check", "mine.rational", "--at", at]) == 0, (at, capsys.readouterr())
    for at in ("n=10,alpha=0.1", "n=10,alpha=1/10", "n=5,alpha=2/10"):
        assert main(["check", "mine.real", "--at", at]) == 0, (at, capsys.readouterr())
    capsys.readouterr()
    assert main(["check", "mine.rational", "--at", "n=2,alpha=0.2"]) == 2
    assert "alpha must be one of 1/10, 3/20, got 0.2" in capsys.readouterr().err


def test_a_theorem_with_no_design_point_is_a_definition_error(in_tmp, capsys, extra):
    t = product_bound({syn.n: FiniteSet((1, 2, 3))}, [sp.Gt(syn.n, 10)]).replace(id="mine.none")
    extra(t)
    with pytest.raises(theorems.TheoremDefinitionError, match="no design point"):
        check(t)
    code = main(["run", "mine.none"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "no design point at the quick profile" in err
    assert "3 breaking an assumption" in err and "n must be a real number > 10, got 1" in err
    assert not (in_tmp / "reports").exists()  # nothing ran, nothing written
    assert main(["show", "mine.none"]) == 0
    assert "3 of a grid of 3 break an assumption" in capsys.readouterr().out
