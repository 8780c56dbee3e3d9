"""verify.certify (verify/certifier.py): sound decisions over boxes. True relations are
certified, false ones refuted with a counterexample that an independent 50-digit evaluation
confirms, tight ones never decided wrongly; spikes a grid misses, a global minimum among two
nearly equal local ones, integer boxes and four dimensions; a property test that nothing
certified is violated."""

import json
import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.certifier import Budget, certify
from verify.cli import main

x, y, z, w = sp.symbols("x y z w", real=True)
n = sp.Symbol("n", integer=True)
R = sp.Rational


def _value(expr, point, dps=50):
    """``expr`` at ``point`` in mpmath at ``dps`` digits: an evaluation independent of Arb."""
    with mpmath.workdps(dps):
        return sp.N(expr.subs(point), dps)


def _confirms(cert, relation):
    """The counterexample lies in the box and violates the relation at 50 digits."""
    for sym, v in cert.counterexample.items():
        lo, hi = cert.box[sym.name]
        assert lo <= float(v) <= hi
    g = relation.lhs - relation.rhs
    v = _value(g, cert.counterexample)
    if isinstance(relation, sp.Le | sp.Lt):
        return v > 0
    return v < 0


# (function, a true relation, a false one, a tight one (equality at a point of the box), box)
CASES = {
    "add/mul": (x * y + x <= 6 + R(1, 100), x * y + x <= 5, x * y + x <= 6, {x: (0, 2), y: (0, 2)}),
    "division": (
        1 / (1 + x**2) <= 1 + R(1, 10**6),
        1 / (1 + x**2) <= R(99, 100),
        1 / (1 + x**2) <= 1,
        {x: (-3, 3)},
    ),
    "integer power": (
        x**3 - x >= -R(385, 1000),
        x**3 - x >= -R(384, 1000),
        sp.Ge(x**4, 0, evaluate=False),
        {x: (-1, 1)},
    ),
    "real power": (
        x ** R(3, 2) <= 8 + R(1, 10**6),
        x ** R(3, 2) <= R(79, 10),
        x ** R(3, 2) <= 8,
        {x: (1, 4)},
    ),
    "sqrt": (
        sp.sqrt(x) <= (x + 1) / 2 + R(1, 10**6),
        sp.sqrt(x) <= x / 2,
        sp.sqrt(x) <= (x + 1) / 2,
        {x: (R(1, 10), 4)},
    ),
    "exp": (sp.exp(x) >= 1 + x, sp.exp(x) >= 1 + x + x**2, sp.exp(x) >= 1 + x, {x: (R(1, 100), 3)}),
    "log": (sp.log(1 + x) <= x, sp.log(1 + x) >= x, sp.log(1 + x) <= x, {x: (R(1, 10), 10)}),
    "abs": (
        sp.Abs(x - y) <= 2 + R(1, 100),
        sp.Abs(x - y) <= R(19, 10),
        sp.Abs(x - y) <= 2,
        {x: (-1, 1), y: (-1, 1)},
    ),
    "min/max": (
        sp.Max(x, y) - sp.Min(x, y) <= 2 + R(1, 100),
        sp.Max(x, y) - sp.Min(x, y) <= R(19, 10),
        sp.Max(x, y) - sp.Min(x, y) <= 2,
        {x: (0, 1), y: (-1, 1)},
    ),
    "gamma": (
        sp.gamma(x) >= R(88, 100),
        sp.gamma(x) >= R(89, 100),
        sp.gamma(x) <= 2,
        {x: (R(1, 2), 3)},
    ),
    "erf": (
        sp.erf(x) <= x * 2 / sp.sqrt(sp.pi) + R(1, 10**9),
        sp.erf(x) >= x,
        sp.erf(x) <= x * 2 / sp.sqrt(sp.pi),
        {x: (R(1, 10), 2)},
    ),
    "sin/cos": (
        sp.sin(x) ** 2 + sp.cos(x) ** 2 <= 1 + R(1, 10**12),
        sp.sin(x) <= R(99, 100),
        sp.sin(x) <= 1,
        {x: (0, 3)},
    ),
    "tanh/atan": (sp.tanh(x) <= x, sp.atan(x) >= x, sp.atan(x) <= x, {x: (R(1, 100), 5)}),
}
# where the tight point lies on the box's edge ("sqrt": equality at x = 1 inside; "log" at 0 off
# the box): the tight case for "exp"/"log"/"tanh/atan" uses a box that reaches the equality
TIGHT_BOX = {"exp": {x: (0, 3)}, "log": {x: (0, 10)}, "tanh/atan": {x: (0, 5)}}


@pytest.mark.parametrize("name", sorted(CASES))
def test_true_relations_are_certified(name):
    true, _, _, box = CASES[name]
    cert = certify(true, box)
    assert cert.status == "certified", (name, cert.summary())
    assert cert.boxes >= 1 and cert.seconds < 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_false_relations_are_refuted_with_a_confirmed_counterexample(name):
    _, false, _, box = CASES[name]
    cert = certify(false, box)
    assert cert.status == "refuted", (name, cert.summary())
    assert _confirms(cert, false)
    assert cert.value[0] > 0  # the ball of lhs − rhs (≤ form) excludes equality


@pytest.mark.parametrize("name", sorted(CASES))
def test_tight_relations_are_never_refuted(name):
    _, _, tight, box = CASES[name]
    cert = certify(tight, TIGHT_BOX.get(name, box), budget=Budget(boxes=20_000, seconds=10))
    assert cert.status != "refuted", (name, cert.summary())
    if cert.status == "inconclusive":
        assert cert.left and cert.left_count >= len(cert.left) and cert.reason


def test_equality_at_the_edge_is_decided_exactly():
    # x·y ≤ 4 is tight at the corners: the monotone faces are points, evaluated exactly
    assert certify(x * y <= 4, {x: (-2, 2), y: (-2, 2)}).certified
    # x·y < 4 fails only there, where x·y = 4 exactly: refuted by exact arithmetic, not balls
    cert = certify(x * y < 4, {x: (-2, 2), y: (-2, 2)})
    assert cert.status == "refuted" and cert.value == (0.0, 0.0)
    assert abs(cert.counterexample[x] * cert.counterexample[y]) == 4
    # a rational that is no binary number (1/10) at the box's edge: exact too
    assert certify(x <= R(1, 10), {x: (0, R(1, 10))}).certified
    assert certify(x < R(1, 10), {x: (0, R(1, 10))}).status == "refuted"


def test_a_spike_that_a_grid_misses_is_found():
    c = R(313705, 10**6)  # halfway between two of the grid's points
    f = x * (1 - x) + 2 * sp.exp(-((10**6 * (x - c)) ** 2))
    grid = np.linspace(0, 1, 100_001)
    on_grid = grid * (1 - grid) + 2 * np.exp(-((1e6 * (grid - float(c))) ** 2))
    assert on_grid.max() < 0.5  # a grid of 10^5 points sees no violation
    cert = certify(f <= R(1, 2), {x: (0, 1)})
    assert cert.status == "refuted" and _confirms(cert, f <= R(1, 2))
    # and with the spike too small to matter, the bound is certified
    small = x * (1 - x) + R(1, 10**6) * sp.exp(-((10**6 * (x - c)) ** 2))
    assert certify(small <= R(1, 4) + R(1, 10**5), {x: (0, 1)}).certified


def test_the_global_minimum_among_two_nearly_equal_local_ones():
    # G(p) = −ln(1 − p)/Λ'(p) for Λ(x) = 0.54x² + 0.22x³ + 0.24x¹²: local minima 0.9188819 at
    # p ≈ 0.136 and 0.9188586 (the global one) at p ≈ 0.948, 2.3·10⁻⁵ apart
    p = sp.Symbol("p", real=True)
    G = -sp.log(1 - p) / (2 * R(54, 100) * p + 3 * R(22, 100) * p**2 + 12 * R(24, 100) * p**11)
    dG = sp.lambdify(p, sp.diff(G, p), "mpmath")
    with mpmath.workdps(40):
        roots = [mpmath.findroot(dG, s).real for s in (0.1355, 0.9479)]
        lows = [_value(G, {p: sp.Float(r, 40)}) for r in roots]
    assert lows[1] < lows[0] < lows[1] + R(3, 10**5)
    box = {p: (R(1, 100), R(99, 100))}
    below = sp.Rational(str(sp.N(lows[1] - R(1, 10**6), 20)))
    between = sp.Rational(str(sp.N((lows[0] + lows[1]) / 2, 20)))
    assert certify(G >= below, box).certified
    cert = certify(G >= between, box)  # true at the first minimum, false at the second
    assert cert.status == "refuted" and _confirms(cert, G >= between)
    assert abs(float(cert.counterexample[p]) - 0.9479) < 0.01


def test_integer_boxes():
    assert certify(2**n >= n**2, {n: (4, 60)}).certified  # equality at n = 4 is exact there
    cert = certify(2**n >= n**2, {n: (2, 60)})
    assert cert.status == "refuted" and cert.counterexample == {n: 3}
    assert certify(sp.factorial(n) >= 2**n, {n: (4, 100)}).certified
    cert = certify((-1) ** n * n <= n - 1, {n: (1, 30)})
    assert cert.status == "refuted" and int(cert.counterexample[n]) % 2 == 0
    # the real bound 2.5 holds no integer beyond 2
    assert certify(n**2 <= 4, {n: (-2.5, 2.5)}).certified
    with pytest.raises(ValueError, match="integer and"):
        certify(n <= 1, {n: (R(1, 3), R(2, 3))})


def test_four_dimensional_boxes():
    box = {s: (R(1, 2), 2) for s in (x, y, z, w)}
    amgm = (x + y + z + w) / 4 - (x * y * z * w) ** R(1, 4) >= -R(1, 100)
    cert = certify(amgm, box)
    assert cert.certified and cert.seconds < 30
    cert = certify(x * y + z * w <= R(79, 10), {s: (0, 2) for s in (x, y, z, w)})
    assert cert.status == "refuted" and _confirms(cert, x * y + z * w <= R(79, 10))


def test_the_budget_is_kept_and_reported():
    hard = sp.exp(x) >= 1 + x  # tight at 0
    cert = certify(hard, {x: (-1, 1)}, budget=Budget(boxes=50, seconds=10))
    assert cert.status == "inconclusive" and cert.boxes <= 51
    assert "budget" in cert.reason or "split" in cert.reason
    assert cert.left and all(-1 <= b["x"][0] <= b["x"][1] <= 1 for b in cert.left)
    out = cert.to_json()
    assert out["status"] == "inconclusive" and out["left_count"] == cert.left_count
    json.dumps(out)


def test_undefined_somewhere_is_inconclusive_never_certified():
    # log is undefined for x ≤ 0: nothing about that part of the box can be certified
    cert = certify(sp.log(x) <= 10, {x: (-1, 1)}, budget=2_000)
    assert cert.status == "inconclusive"


@pytest.mark.parametrize(
    "relation, box, message",
    [
        (sp.Eq(x, 1), {x: (0, 1)}, "inequalities"),
        (sp.Le(1, 2), {}, "evaluated to True"),
        (x <= y, {x: (0, 1)}, "no range for y"),
        (x <= 1, {x: (2, 1)}, "empty"),
        (x <= 1, {x: (0, math.inf)}, "finite"),
        (x <= 1, {x: (0, sp.sqrt(2))}, "rational or float"),
        (x <= 1, {x: 1}, r"\(lo, hi\)"),
        (sp.Function("f")(x) <= 1, {x: (0, 1)}, "cannot enclose f"),
        (sp.Piecewise((x, x > 0), (0, True)) <= 1, {x: (0, 1)}, "cannot enclose Piecewise"),
    ],
)
def test_bad_input_is_refused_by_name(relation, box, message):
    with pytest.raises(ValueError, match=message):
        certify(relation, box)


def test_budget_is_validated():
    with pytest.raises(ValueError, match="budget boxes"):
        Budget(boxes=0)
    with pytest.raises(ValueError, match="budget must be"):
        certify(x <= 1, {x: (0, 1)}, budget="lots")


def test_box_keys_may_be_names_and_extra_symbols_change_nothing():
    cert = certify(x <= 1, {"x": (0, 1), "y": (5, 6)})
    assert cert.certified and cert.box == {"x": (0.0, 1.0), "y": (5.0, 6.0)}


# -- the property: nothing certified is violated, nothing refuted is true -------------------

_leaf = st.sampled_from([x, y, sp.Integer(1), sp.Integer(2), R(1, 3)])


def _combine(children):
    unary = st.sampled_from([sp.exp, sp.sin, sp.cos, sp.atan, sp.tanh, lambda e: e**2])
    binary = st.sampled_from([sp.Add, sp.Mul, lambda a, b: a - b])
    return st.one_of(
        st.builds(lambda f, a: f(a), unary, children),
        st.builds(lambda f, a, b: f(a, b), binary, children, children),
    )


EXPRS = st.recursive(_leaf, _combine, max_leaves=6)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(EXPRS, st.integers(-3, 3), st.integers(1, 6), st.data())
def test_nothing_certified_is_violated_and_nothing_refuted_holds(expr, lo, width, data):
    box = {x: (lo, lo + width), y: (R(lo, 2), R(lo + width, 2))}
    # the level: the expression at the box's centre plus a drawn offset, so that all three
    # answers occur
    centre = {x: R(2 * lo + width, 2), y: R(2 * lo + width, 4)}
    level = sp.Rational(str(sp.N(_value(expr, centre), 15))) + R(data.draw(st.integers(-4, 20)), 4)
    rel = sp.Le(expr, level, evaluate=False)
    cert = certify(rel, box, budget=Budget(boxes=3_000, seconds=3))
    if cert.status == "certified":
        for _ in range(20):
            pt = {
                s: R(data.draw(st.integers(0, 1000)), 1000) * (hi - lo_) + lo_
                for s, (lo_, hi) in ((s, tuple(map(sp.Rational, box[s]))) for s in (x, y))
            }
            assert _value(expr, pt) <= level, (rel, pt)
    elif cert.status == "refuted":
        assert _confirms(cert, rel)


# -- the command line ----------------------------------------------------------------------


def test_cli_exit_codes_and_json(tmp_path, capsys):
    assert main(["certify", "log(1 + x) <= x", "--box", "x=0.1:10"]) == 0
    assert "certified" in capsys.readouterr().out
    path = tmp_path / "c.json"
    assert main(["certify", "log(1 + x) >= x", "--box", "x=0.1:10", "--json", str(path)]) == 1
    text = capsys.readouterr().out
    assert "refuted" in text and "x = " in text
    rec = json.loads(path.read_text())
    assert rec["status"] == "refuted" and "x" in rec["counterexample"]
    assert main(["certify", "exp(x) >= 1 + x", "--box", "x=-1:1", "--boxes", "500"]) == 3
    assert "inconclusive" in capsys.readouterr().out
    assert main(["certify", "2**n >= n**2", "--box", "n=5:60", "--integer", "n"]) == 0


def test_cli_decimals_are_the_rationals_they_spell(capsys):
    # 0.1 read as 1/10, not the float 0.1000000000000000055…: x ≤ 0.1 is tight at the box's top
    assert main(["certify", "x <= 0.1", "--box", "x=0:0.1"]) == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["x <= 1", "--box", "x=0"], "NAME=LO:HI"),
        (["x <= 1", "--box", "x=0:1,x=0:2"], "twice"),
        (["x <= y", "--box", "x=0:1"], "no range for y"),
        (["x <= 1", "--box", "x=1:0"], "empty"),
        (["x <= 1", "--box", "x=0:1", "--integer", "k"], "--integer names k"),
        (["x <=", "--box", "x=0:1"], "cannot read"),
        (["foo(x) <= 1", "--box", "x=0:1"], "cannot enclose foo"),
        # issue 33: a typo was a traceback and exit 1 (refuted); `< =` was read as `<=`
        (["log(1+x) <= x)", "--box", "x=0.1:10"], "at column 14: unmatched ')'"),
        (["log(1+x <= x", "--box", "x=0.1:10"], "1 '(' never closed"),
        (["log(1+x) < = x", "--box", "x=0.1:10"], "at column 10: '< =' is not an operator"),
        (["x <= 1 +* 2", "--box", "x=0:1"], "cannot read the relation"),
    ],
)
def test_cli_bad_input_exits_2_and_names_it(args, message, capsys, tmp_path):
    out = tmp_path / "never.json"
    assert main(["certify", *args, "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2  # one message (rich may wrap it)
    assert not out.exists()
