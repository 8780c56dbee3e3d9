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
