"""Each established proof step of the reconstructed families (icl.ood_*, emergence.hierarchy and
emergence.multiclass), changed so that it is false by construction, fails when decided from
scratch (the catalogue-wide version of this is `make selftest`'s step mutants, a CI gate)."""

import dataclasses

import pytest

import theorems
from verify import proofs as P

OOD = ("icl.ood_length", "icl.ood_skew", "icl.ood_recombine")
CLASSES = ("emergence.hierarchy", "emergence.multiclass")


def _cases():
    for tid in OOD + CLASSES:
        for step in theorems.get(tid).proof:
            if step.method in ("sympy", "interval"):
                yield pytest.param(tid, step.name, id=f"{tid}:{step.name}")


@pytest.mark.parametrize(("tid", "name"), list(_cases()))
def test_each_step_mutant_fails(tid, name):
    t = theorems.get(tid)
    (step,) = [s for s in t.proof if s.name == name]
    mutant = P.step_mutant(step, t)
    assert mutant is not None
    alone = dataclasses.replace(t, proof=(mutant.with_(uses=()),))  # decided on its own
    (row,) = P.proof_status(alone, cache=False)
    assert row["status"] == "failed", (mutant, row)
