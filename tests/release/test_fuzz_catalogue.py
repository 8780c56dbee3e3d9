"""Counterexample searches over the whole catalogue, and one whose threshold search runs long."""

import pytest
import sympy as sp

import theorems
from verify.fuzz import fuzz


def test_a_threshold_moved_by_five_percent_is_found(tmp_path):
    t = theorems.get("emergence.poisson_threshold")
    res = fuzz(
        t.with_claim(expr=t.claim.expr * sp.Rational(105, 100)), examples=5, database=tmp_path
    )
    assert res.found and res.result.verdict == "fail"


@pytest.mark.parametrize(
    "theorem_id", [t.id for t in theorems.all() if t.expect == "pass" and t.parameters]
)
def test_no_counterexample_in_the_true_catalogue(theorem_id, tmp_path):
    res = fuzz(theorems.get(theorem_id), examples=5, database=tmp_path, device="cpu")
    assert not res.found, (res.point, res.result.verdict, res.result.worst, res.command)
