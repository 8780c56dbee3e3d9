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
