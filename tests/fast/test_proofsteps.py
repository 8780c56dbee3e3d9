"""Proof steps with a method and a status: sympy, interval (ball arithmetic over the theorem's
domain or a stated box), numeric (a lemma checked by the engine) and cited; uses and closes
make a proof a graph whose closure decides `proved`; a failed paper step is a finding, a failed
own step an error; statuses are cached by the step's hash; mutants of steps fail."""

import dataclasses

import pytest
import sympy as sp
import synthetic

import theorems
from theorems import FiniteSet, Interval, IntRange, ProofStep, TheoremDefinitionError
from verify import check
from verify import proofs as P
from verify.cli import main

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True)
R = sp.Rational
PAIRS = synthetic.true_and_false()


def _with_proof(*steps, params=None, **kw):
    """A true synthetic theorem (n(n+1)/2 over n ∈ 1..50, exact) with these proof steps."""
    t = synthetic.theorem(
        "syn.steps", "identity", n * (n + 1) / 2, "triangular", params or {n: IntRange(1, 50)}
    )
    return dataclasses.replace(t, proof=tuple(steps), **kw)


def _rows(t, **kw):
    return P.proof_status(t, cache=False, **kw)


def test_each_method_gives_its_status():
    t = _with_proof(
        ProofStep("sum", "identity", sp.summation(n, (n, 1, n)), n * (n + 1) / 2, name="sum"),
        ProofStep.interval("n ≤ n²", n <= n**2, name="sq"),  # over the domain n ∈ 1..50
        ProofStep.interval("log(1+x) ≤ x", sp.log(1 + x) <= x, box={x: (R(1, 10), 10)}),
        ProofStep.cited("Hoeffding", "hoeffding1963", "Thm 2", name="hoeffding"),
        ProofStep.numeric("the mean is 1/2", PAIRS["identity Monte Carlo"][0], name="lemma"),
    )
    rows = _rows(t)
    assert [r["status"] for r in rows] == ["proved", "certified", "certified", "cited", "open"]
    assert [r["method"] for r in rows] == ["sympy", "interval", "interval", "cited", "numeric"]
    assert rows[1]["certificates"] and rows[1]["certificates"][0]["status"] == "certified"
    assert "measured when the theorem runs" in rows[4]["note"]
    ran = _rows(t, numeric=lambda lemma: check(lemma, device="cpu").verdict)
    assert ran[4]["status"] == "checked"
    false_lemma = PAIRS["identity Monte Carlo"][1]
    t2 = _with_proof(ProofStep.numeric("a false lemma", false_lemma))
    assert _rows(t2, numeric=lambda lm: check(lm, device="cpu").verdict)[0]["status"] == "failed"


def test_interval_steps_fail_with_a_counterexample_and_honour_the_domain():
    t = _with_proof(ProofStep.interval("n² ≤ 100", n**2 <= 100))  # false for n ≥ 11
    (row,) = _rows(t)
    assert row["status"] == "failed" and 11 <= int(row["counterexample"]["n"]) <= 50
    # the theorem's symbol need not be declared an integer: the IntRange domain makes it one
    m = sp.Symbol("m")
    t = _with_proof(
        ProofStep.interval("2^m ≥ m² for m ≥ 4", 2**m >= m**2),
        params={m: IntRange(4, 40)},
    )
    assert _rows(t)[0]["status"] == "certified"  # the reals in (2, 4) are not in the domain
    # a finite set of values is taken value by value
    t = _with_proof(ProofStep.interval("x³ ≤ 8", x**3 <= 8), params={x: FiniteSet((1, 2))})
    (row,) = _rows(t)
    assert row["status"] == "certified" and len(row["certificates"]) == 2
    # false only on an open end of the domain: that is no counterexample
    t = _with_proof(
        ProofStep.interval("x < 1 on (0, 1)", x < 1), params={x: Interval(0, 1, (True, False))}
    )
    assert _rows(t)[0]["status"] == "open"
    # a symbol with no range anywhere: open, with the reason
    y = sp.Symbol("y", real=True)
    (row,) = _rows(_with_proof(ProofStep.interval("y ≤ 1", y <= 1)))
    assert row["status"] == "open" and "give the step a box" in row["note"]


def test_closure_of_the_closing_step_decides_proved():
    tight = ProofStep.interval("e^x ≥ 1 + x (tight at 0)", sp.exp(x) >= 1 + x, box={x: (-1, 1)})
    a = ProofStep("a", "identity", (x + 1) ** 2, x**2 + 2 * x + 1, name="a")
    b = ProofStep.cited("b", "paulin2015", "Thm 3.4", name="b")
    closes = ProofStep("c", "identity", 1, 1, name="c", uses=("a", "b"), closes=True)
    rows = _rows(_with_proof(a, b, closes, tight))
    assert P.proof_closes(_with_proof(a, b, closes, tight), rows)  # the tight step is not used
    uses_open = ProofStep("c", "identity", 1, 1, name="c", uses=("a", "t"), closes=True)
    t = _with_proof(a, tight.with_(name="t"), uses_open)
    assert _rows(t)[1]["status"] == "open"
    assert not P.proof_closes(t, _rows(t))
    assert not P.proof_closes(_with_proof(a, b), _rows(_with_proof(a, b)))  # nothing closes


def test_strength_is_proved_only_when_the_argument_closes():
    a = ProofStep("sum", "identity", sp.summation(n, (n, 1, n)), n * (n + 1) / 2, closes=True)
    assert check(_with_proof(a)).strength == "proved"
    assert check(_with_proof(a.with_(closes=False))).strength == "certified"
    assert check(theorems.get("markov.state_count")).strength == "proved"  # proved_by_steps


def test_a_failed_paper_step_is_a_finding_and_a_failed_own_step_an_error():
    wrong = ProofStep("N* from Thm 4.3", "identity", 4 * x, 5 * x)
    r = check(_with_proof(wrong))
    assert r.verdict == "error" and "proof step is false" in r.message
    paper = wrong.with_(paper=True, locator="Prop E.2")
    t = _with_proof(paper)
    r = check(t)
    assert r.verdict == "pass"
    (row,) = r.evidence["proof"]
    assert row["status"] == "failed" and row["paper"]
    assert P.findings(r.evidence["proof"]) == [row]


def test_statuses_are_cached_by_the_step_hash(monkeypatch, tmp_path):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))
    monkeypatch.setattr(P, "_memory", {})
    step = ProofStep.interval("log(1+x) ≤ x", sp.log(1 + x) <= x, box={x: (R(1, 10), 10)})
    t = _with_proof(step)
    first = P.proof_status(t)
    assert list((tmp_path / "proofs").glob("*.json"))
    import verify.certifier as C

    monkeypatch.setattr(C, "certify", lambda *a, **k: pytest.fail("not cached"))
    monkeypatch.setattr(P, "_memory", {})  # the disk cache alone
    assert P.proof_status(t) == first
    changed = step.with_(relation=sp.log(1 + x) <= x + 1)
    assert P.step_hash(changed, t) != P.step_hash(step, t)


@pytest.mark.parametrize(
    "step",
    [
        ProofStep("id", "identity", (x + 1) ** 2, x**2 + 2 * x + 1),
        ProofStep("lim", "limit", sp.sin(x) / x, 1, var=x, point=0),
        ProofStep("pos", "positive", sp.exp(x)),
        ProofStep.interval("ineq", sp.log(1 + x) <= x, box={x: (R(1, 10), 10)}),
        ProofStep.interval("int", 2**n >= n**2, box={n: (5, 40)}),
        ProofStep.interval("ge", sp.exp(x) >= 1 + x, box={x: (R(1, 10), 3)}),
    ],
)
def test_a_mutated_step_fails(step):
    t = _with_proof(step)
    assert _rows(t)[0]["status"] in ("proved", "certified")
    mutant = P.step_mutant(step, t)
    (row,) = _rows(_with_proof(mutant))
    assert row["status"] == "failed", (mutant, row)


def test_definition_errors_name_the_problem():
    with pytest.raises(TheoremDefinitionError, match="method must be one of"):
        ProofStep("s", method="magic")
    with pytest.raises(TheoremDefinitionError, match="folded to True"):
        ProofStep.interval("s", sp.Le(1, 2))
    with pytest.raises(TheoremDefinitionError, match="inequality"):
        ProofStep.interval("s", sp.Eq(x, 1, evaluate=False))
    with pytest.raises(TheoremDefinitionError, match="needs a reference"):
        ProofStep.cited("s", "")
    with pytest.raises(TheoremDefinitionError, match="needs a locator"):
        ProofStep("s", "identity", 1, 1, paper=True)
    with pytest.raises(TheoremDefinitionError, match="neither an earlier step"):
        _with_proof(ProofStep("s", "identity", 1, 1, uses=("nowhere",)))
    with pytest.raises(TheoremDefinitionError, match="two proof steps are named"):
        _with_proof(ProofStep("s", "identity", 1, 1, name="a"), ProofStep("t", name="a"))
    with pytest.raises(TheoremDefinitionError, match="lemma must be a Theorem"):
        _with_proof(ProofStep.numeric("s", "not a theorem"))


def test_show_prints_each_step_with_its_status(capsys):
    assert main(["show", "markov.state_count"]) == 0
    text = capsys.readouterr().out
    assert "1. proved (sympy)" in text


def test_finite_sums_at_symbolic_sizes_are_compared_in_one_normal_form():
    """Distributivity and the order of summation (finite sums) prove identities at symbolic
    sizes; a wrong index, a shared index or a changed bound is never proved."""
    m = sp.Symbol("m", integer=True, positive=True)
    i, j, k, l = sp.symbols("i j k l", integer=True, nonnegative=True)
    A, X = sp.IndexedBase("A"), sp.IndexedBase("X")
    lhs = sp.Sum(A[i, k] * sp.Sum(X[k, l], (l, 0, m - 1)), (k, 0, n - 1))
    swapped = sp.Sum(sp.Sum(X[k, l] * A[i, k], (k, 0, n - 1)), (l, 0, m - 1))
    split = sp.Sum(A[i, k], (k, 0, n - 1)) * sp.Sum(X[j, l], (l, 0, m - 1))
    both = sp.Sum(A[i, k] * X[j, l], (l, 0, m - 1), (k, 0, n - 1))
    square = sp.Sum(A[i, k], (k, 0, n - 1)) ** 2
    one = sp.Sum(A[i, k], (k, 0, n - 1))

    def status(a, b):
        return _rows(_with_proof(ProofStep("s", "identity", a, b)))[0]["status"]

    assert status(lhs, swapped) == "proved"
    assert status(split, both) == "proved"
    wrong = sp.Sum(sp.Sum(X[l, k] * A[i, k], (k, 0, n - 1)), (l, 0, m - 1))
    assert status(lhs, wrong) == "failed"  # a wrong index
    assert status(lhs, swapped + 1) == "failed"
    assert status(one * one, sp.Sum(A[i, k] ** 2, (k, 0, n - 1))) != "proved"  # shared k
    assert status(square, sp.Sum(A[i, k] ** 2, (k, 0, n - 1))) != "proved"
    assert status(lhs, lhs.subs(m, m + 1)) == "failed"  # a changed bound
