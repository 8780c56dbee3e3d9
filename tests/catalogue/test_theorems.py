"""The catalogue and the theorem model."""

import dataclasses
import textwrap

import pytest
import sympy as sp

import theorems
import verify
from theorems import Claim, FiniteSet, Interval, IntRange, LogUniform, ProofStep, Theorem

MARKOV_IDS = [
    "markov.state_count",
    "markov.transition_nonzeros",
    "markov.block_structure",
    "markov.unique_stationary",
    "markov.unique_stationary_greedy",
    "markov.convergence_rate",
    "markov.convergence_greedy",
    "markov.temperature_monotone",
    "markov.temperature_floor",
    "markov.temperature_floor_sharp",
]


def test_catalogue_holds_the_markov_family():
    ids = [t.id for t in theorems.all()]
    assert [i for i in ids if i in MARKOV_IDS] == MARKOV_IDS
    assert len(set(ids)) == len(ids)
    for t in theorems.all():
        assert t.claim.kind in theorems.CLAIM_KINDS
        assert isinstance(t.claim.expr, sp.Basic)
        for u in t.uses:
            theorems.get(u)  # every edge of the dependency graph resolves


def test_negative_controls_are_marked():
    assert {t.id for t in theorems.all() if t.expect == "fail"} >= {
        "markov.unique_stationary_greedy",
        "markov.convergence_greedy",
    }


def test_get_unknown_id_suggests_the_nearest():
    with pytest.raises(KeyError, match="did you mean markov.convergence_rate"):
        theorems.get("markov.convergence_rat")


def test_with_claim_returns_a_changed_copy():
    t = theorems.get("markov.state_count")
    u = t.with_claim(expr=t.claim.expr + 1)
    assert u.claim.expr == t.claim.expr + 1 and u.id == t.id
    assert t.claim.expr != u.claim.expr and t.hash != u.hash
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.id = "other"


def test_every_proof_step_is_proved_but_the_papers_findings():
    # "open" would mean "not proved" (allowed in general); this catalogue's own steps are all
    # provable, so a sympy upgrade that stops proving one shows up here. A step of a paper's own
    # argument may fail (a finding), and then decidedly: failed (False), never open (None). A
    # negative control (expect == "fail") may name the step its dropped hypothesis breaks (a
    # name ending in "_fails"): that step, and only that one, must fail, decidedly too. The
    # statuses are the ones a run reads (shipped); test_shipped_proofs decides each again from
    # scratch (sympy: proved, failed, open for True, False, None).
    from verify.proofs import proof_status

    findings, named_failures = 0, []
    for t in theorems.all():
        for step, row in zip(t.proof, proof_status(t), strict=True):
            if step.meant_to_fail(t.expect):
                assert row["status"] == "failed", (t.id, row)  # decided: never open
                named_failures.append(t.id)
                continue
            if step.method == "numeric":  # a lemma the engine checks when the theorem runs
                assert row["status"] == "open" and step.lemma.experiment, (t.id, row)
                continue
            if step.method != "sympy":  # ball arithmetic, a citation
                assert row["status"] in ("certified", "cited"), (t.id, row)
                continue
            if step.paper and row["status"] != "proved":
                assert row["status"] == "failed", (t.id, step.statement)
                findings += 1
            else:
                assert row["status"] == "proved", (t.id, step.statement)
    # markov.icl_sample_complexity (Prop. E.2 drops t_min), markov.icl_bound (Lemma F.17 claims
    # the windows of any sequence form a Markov chain) and markov.icl_rate_random_walk (Remark
    # C.1: t_min is never infinite in the experiments, but App. D's periodic walks have t_min = ∞)
    assert findings == 3
    # uat.pruning_perturbation_softplus: |σ(v)| ≤ |v| is false for softplus (σ(0) = log 2)
    assert named_failures == ["uat.pruning_perturbation_softplus"]


def test_a_false_proof_step_is_reported_false_and_the_check_errors():
    x = sp.Symbol("x", positive=True)
    step = ProofStep("wrong", "identity", (x + 1) ** 2, x**2 + 1 + x)
    assert step.check() is None or step.check() is False
    assert ProofStep("1 = 2", "identity", sp.Integer(1), sp.Integer(2)).check() is False
    t = theorems.get("markov.state_count")
    broken = t.replace(proof=(ProofStep("1 = 2", "identity", sp.Integer(1), sp.Integer(2)),))
    r = verify.check(broken)
    assert r.verdict == "error" and "proof step is false" in r.message


@pytest.mark.parametrize(
    "domain, inside, outside",
    [
        (IntRange(2, 64), [2, 64, 10], [1, 65, 2.5, True]),
        (Interval(0.0, 1.0, (False, True)), [0.5, 1.0], [0.0, 1.5, float("nan")]),
        (LogUniform(0.1, 10.0), [0.1, 3.3], [0.0, -1.0, 11.0]),
        (FiniteSet(("random", "model")), ["model"], ["other"]),
    ],
)
def test_domains(domain, inside, outside):
    assert all(domain.contains(v) for v in inside)
    assert not any(domain.contains(v) for v in outside)
    design = domain.design(4)
    assert design and all(domain.contains(v) for v in design)


def test_entry_point_plugins_and_module_function_experiments(tmp_path, monkeypatch):
    pkg = tmp_path / "site"
    pkg.mkdir()
    (pkg / "my_theorems.py").write_text(
        textwrap.dedent("""
        import sympy as sp
        from numerics import Measurement
        from theorems import Claim, IntRange, Source, Theorem

        n = sp.Symbol("n", integer=True)

        def squares(params, *, seed, device="cpu"):
            k = params["n"]
            return Measurement(value=sum(2 * i + 1 for i in range(k)), exact=True)

        def catalogue():
            return [Theorem(
                id="mine.odd_sum", title="1 + 3 + ... + (2n - 1) = n^2",
                source=Source("folklore", "Nicomachus", "reconstruction"),
                parameters={n: IntRange(1, 100)}, assumptions=(n >= 1,),
                claim=Claim("identity", n**2), experiment="my_theorems:squares",
            )]
    """)
    )
    dist = pkg / "my_theorems-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: my-theorems\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[theoremlab.theorems]\nmine = my_theorems:catalogue\n")
    monkeypatch.syspath_prepend(str(pkg))
    theorems.refresh()
    try:
        t = theorems.get("mine.odd_sum")
        assert verify.check(t).verdict == "pass"
        assert verify.check(t.with_claim(expr=t.claim.expr + 1)).verdict == "fail"
    finally:
        monkeypatch.undo()
        theorems.refresh()
    with pytest.raises(KeyError):
        theorems.get("mine.odd_sum")


def test_duplicate_ids_are_rejected(monkeypatch):
    from theorems import registry

    t = theorems.get("markov.state_count")
    monkeypatch.setattr(registry, "BUILTIN_FAMILIES", ("theorems.markov", "theorems.markov"))
    registry.refresh()
    with pytest.raises(theorems.TheoremDefinitionError, match="defined twice"):
        theorems.all()
    monkeypatch.undo()
    registry.refresh()
    assert theorems.get(t.id) == t


def test_claim_validation():
    with pytest.raises(theorems.TheoremDefinitionError):
        Claim("equality", 1)
    with pytest.raises(theorems.TheoremDefinitionError):
        Claim("probability", 1, level=1.5)
    with pytest.raises(theorems.TheoremDefinitionError):
        Claim("identity", 1, existential=True)
    with pytest.raises(theorems.TheoremDefinitionError):
        Theorem("a b", "t", theorems.Source("p", "l"), {}, (), Claim("identity", 1), experiment="x")
    src, claim = theorems.Source("p", "l"), Claim("identity", 1)
    with pytest.raises(theorems.TheoremDefinitionError, match="finding"):
        Theorem("a.b", "t", src, {}, (), claim, experiment="x", finding="it fails")
    found = Theorem("a.b", "t", src, {}, (), claim, experiment="x", expect="fail", finding="no")
    assert found.finding == "no"


def test_findings_are_paper_claims_that_fail_and_say_so_in_docs_and_show():
    from verify import docs

    findings = [t for t in theorems.all() if t.finding]
    assert [t.id for t in findings] == [
        "markov.icl_tmin_regime",
        "markov.icl_rate_random_walk_model",
        "icl.exponential_convergence",
    ]
    for t in findings:
        body = docs.theorem_body(t, None, False, None)
        assert "Finding" in body and "Negative control" not in body


def test_every_field_a_theorem_is_written_with_is_documented():
    """The reference page (docs/reference.rst) is generated from these docstrings: each field
    of Theorem, Claim, Source, Measurement, ProofStep and the domains is described there."""
    import dataclasses
    import inspect
    import re

    from numerics import Measurement

    def documented(cls):
        doc = inspect.getdoc(cls) or ""
        names = set(re.findall(r"``(\w+)``", doc))
        section = re.search(r"Parameters\n-+\n(.*?)(\n\S[^\n]*\n-+\n|\Z)", doc, re.S)
        for line in (section.group(1) if section else "").splitlines():
            if line and not line[0].isspace():
                names |= {x.strip() for x in line.split(",")}
        return names

    classes = [theorems.Theorem, theorems.Claim, theorems.Source, theorems.ProofStep, Measurement]
    classes += [theorems.IntRange, theorems.Interval, theorems.LogUniform, theorems.FiniteSet]
    for cls in classes:
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in documented(cls)]
        assert not missing, (cls.__name__, missing)
