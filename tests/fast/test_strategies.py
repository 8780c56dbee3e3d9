"""verify.strategies: drawn points respect domains and assumptions; edges are reachable and are
what a failing property shrinks to."""

import math

import pytest
import sympy as sp
from hypothesis import find, given, settings
from hypothesis import strategies as st

import theorems
from theorems import Claim, IntRange, Source, Theorem
from theorems.domains import Interval, LogUniform
from verify.strategies import domain_values, edge_values, points


@pytest.mark.parametrize("theorem_id", [t.id for t in theorems.all()])
def test_points_satisfy_domains_and_assumptions(theorem_id):
    t = theorems.get(theorem_id)

    @settings(max_examples=15, deadline=None)
    @given(points(t))
    def prop(p):
        t.check_assumptions(p)  # raises on any broken domain or assumption

    prop()


def test_failures_shrink_to_the_smallest_integers():
    t = theorems.get("markov.state_count")
    # a property that fails for every point: the simplest failing point is the smallest one
    assert find(points(t), lambda p: True) == {"T": 2, "K": 1}
    # T ≥ 2 is an assumption: T = 1 is never drawn even though it is the domain's neighbour
    assert find(points(t), lambda p: p["K"] >= 3)["T"] == 2


def test_edges_of_real_domains():
    closed = Interval(0.0, 1.0)
    half_open = Interval(0.0, 1.0, closed=(False, True))
    assert edge_values(closed)[:2] == [0.0, 1.0]
    assert 0.0 not in edge_values(half_open) and 1.0 in edge_values(half_open)
    third = edge_values(closed)[2]
    assert third == pytest.approx(1 / 3) and (third * 1024) % 1 != 0  # no short binary fraction
    log = LogUniform(0.01, 100.0)
    assert edge_values(log)[:2] == [0.01, 100.0]
    assert find(domain_values(log), lambda v: v > 50) == 51.0  # the roundest failing value


@settings(max_examples=50)
@given(st.data())
def test_log_uniform_values_stay_inside(data):
    dom = LogUniform(1e-3, 7.0)
    v = data.draw(domain_values(dom))
    assert 1e-3 <= v <= 7.0 and math.isfinite(v)


def test_users_can_build_properties_on_points():
    n = sp.Symbol("n", integer=True)
    t = Theorem(
        id="mine.even",
        title="n ≥ 3",
        source=Source("test", "x", "reconstruction"),
        parameters={n: IntRange(1, 50)},
        assumptions=(n >= 3,),
        claim=Claim("identity", n),
        experiment="x:y",
    )
    assert find(points(t), lambda p: p["n"] % 2 == 0) == {"n": 4}


def test_coupled_assumptions_are_tried_at_their_edge():
    """d·p ≤ 1 rejects part of the grid; the design adds points on the boundary d·p = 1 (so d = 10
    is tried near p = 1/10, not only at the smallest p), and says what it did."""
    import synthetic

    from theorems import Interval
    from verify.design import design_summary

    d, p = sp.Symbol("d", integer=True), sp.Symbol("p", positive=True)
    thm = theorems.Theorem(
        id="syn.coupled",
        title="coupled",
        source=synthetic.SRC,
        parameters={d: theorems.IntRange(2, 10), p: Interval(0.005, 0.5)},
        assumptions=(d * p <= 1,),
        claim=theorems.Claim("identity", 1),
        experiment="synthetic:triangular",
    )
    s = design_summary(thm, "quick")
    assert s["rejected"] > 0 and s["edges"] > 0
    pts = s["points"]
    assert all(pt["d"] * pt["p"] <= 1 for pt in pts)
    at_ten = sorted(pt["p"] for pt in pts if pt["d"] == 10)
    assert at_ten and at_ten[-1] == pytest.approx(0.1, rel=1e-5)  # on the edge
    strict = thm.replace(assumptions=(d * p < 1,))
    edge = [pt for pt in design_summary(strict, "quick")["points"] if pt["d"] == 10]
    assert edge and all(pt["d"] * pt["p"] < 1 for pt in edge)
    assert max(pt["p"] for pt in edge) == pytest.approx(0.1, rel=1e-5)
