"""The claim kinds (verify.kinds): one object per kind, each deciding, mutating and resolving."""

import pytest

from theorems import CLAIM_KINDS
from verify.kinds import KINDS, kind


def test_every_claim_kind_a_theorem_can_name_has_one_object():
    assert set(KINDS) == set(CLAIM_KINDS)
    assert all(KINDS[k].name == k for k in KINDS)


def test_an_unknown_kind_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown claim kind 'between'"):
        kind("between")


@pytest.mark.parametrize(
    "name, relation", [("identity", "="), ("upper_bound", "≤"), ("lower_bound", "≥")]
)
def test_relations_read_as_written(name, relation):
    assert kind(name).relation == relation


def test_scattered_size_estimates_widen_their_standard_errors():
    import numpy as np

    from verify.kinds.threshold import scatter_scale

    se = np.full((3, 2), 0.001)
    agree = np.array([[0.1665, 0.1665], [0.1668, 0.1668], [0.1666, 0.1666]])
    apart = np.array([[0.1663, 0.1663], [0.1647, 0.1647], [0.1705, 0.1705]])
    assert scatter_scale(agree, se) == 1.0
    assert scatter_scale(apart, se) > 2.5  # χ²/dof of about 8.7 over two degrees of freedom
    assert scatter_scale(apart[:1], se[:1]) == 1.0


def _decisions():
    """One decision of every kind (and both identity forms) on small synthetic measurements."""
    import numpy as np
    import sympy as sp

    from numerics import Measurement
    from theorems import Claim
    from verify.kinds import bounds, identity, monotone, probability, rate, threshold

    n = sp.Symbol("n")
    x = np.array([10.0, 20, 40, 80, 160, 320])
    y = 2 * x**-0.5
    mc = Measurement(value=y, stderr=0.01 * y, series={"n": x})
    upper = Claim("upper_bound", 3 * n**-0.5, variable=n)
    yield "upper_bound", upper, bounds.bound(mc, 3 * x**-0.5, upper, 0.01)
    one = Claim("identity", 1)
    det = Measurement(value=1.0, error_bound=1e-12)
    yield "identity", one, identity.identity(det, [1.0], one, 0.01)
    exact = Measurement(value=np.array([3.0, 4.0]), exact=True)
    yield "identity", one, identity.identity(exact, [3.0, 4.0], one, 0.01)
    limit = Claim("identity", 0.5, limit="n", tolerance=0.01)
    yield "identity", limit, identity.limit_identity(mc, 0.5 + 0 * x, limit, 0.01, x)
    power = Claim("rate", n**-0.5, variable=n)
    yield "rate", power, rate.rate(mc, power.expr, power, 0.01, x)
    thr = Claim("threshold", 1, variable=n)
    br = Measurement(value=np.array([[0.9, 1.1], [0.97, 1.02]]), series={"n": [1e3, 1e4]})
    yield "threshold", thr, threshold.threshold(br, [1.0], thr, 0.01, [1e3, 1e4])
    mono = Claim("monotone", n, variable=n, direction="decreasing")
    yield "monotone", mono, monotone.monotone(mc, mono, 0.01, x)
    prob = Claim("probability", 1, level=0.9)
    s = Measurement(value=0.0, samples=np.linspace(0, 0.95, 50))
    yield "probability", prob, probability.probability(s, np.ones(50), prob, 0.01)


@pytest.mark.parametrize("name, claim, d", list(_decisions()))
def test_evidence_is_typed_and_survives_a_report(name, claim, d):
    import json

    from verify.kinds.evidence import Evidence

    ev = d.evidence
    assert isinstance(ev, Evidence)
    # the kind reads back the type it decided on (a large-N identity its own)
    record = json.loads(json.dumps({"params": {}, "seed": 0, "margin": d.margin, **ev.to_json()}))
    back = kind(name).evidence_of(claim, record)
    assert type(back) is type(ev)
    assert back == ev


def test_a_bound_names_its_variable_in_the_report():
    import sympy as sp

    from theorems import Claim
    from verify.kinds.evidence import Comparison

    ev = Comparison(measured=1.0, claimed=2.0, error_bound=0.0, variable="n", at=40.0)
    assert ev.to_json() == {"measured": 1.0, "claimed": 2.0, "error_bound": 0.0, "n": 40.0}
    n = sp.Symbol("n")
    assert Comparison.from_json(ev.to_json(), Claim("upper_bound", n, variable=n)) == ev


def test_evidence_missing_a_field_is_refused_by_name():
    from verify.kinds.evidence import RateEvidence

    with pytest.raises(ValueError, match="RateEvidence needs 'fitted'"):
        RateEvidence.from_json({"form": "power"})
