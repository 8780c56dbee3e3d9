"""The proof steps of the ICL family's out-of-distribution theorems (theorems/icl_steps.py): every
step is proved or certified, and each step's mutant (a constant changed, verify.proofs
.step_mutant) fails. The moved steps of the other two ICL theorems keep their statuses."""

import pytest

import theorems
from verify import proofs as P

OOD = ("icl.ood_length", "icl.ood_skew", "icl.ood_recombine")
NAMES = {
    "icl.ood_length": [
        "demos_cancel",
        "oracle_error",
        "oracle_small",
        "uniform_share",
        "uniform_share_half",
        "uniform_share_double",
        "mass_ratio",
        "count_ratio",
        "mass_at_double",
    ],
    "icl.ood_skew": ["skew_normaliser", "skew_mixture", "skew_gap", "skew_gap_bound"],
    "icl.ood_recombine": [
        "pair_features",
        "pair_labels",
        "pair_norm",
        "pair_posterior",
        "held_pairs",
    ],
}


@pytest.mark.parametrize("tid", OOD)
def test_every_ood_step_is_established_and_none_closes(tid):
    # the statuses as a run reads them (shipped; tests/catalogue/test_shipped_proofs.py decides
    # every shipped status again from scratch)
    t = theorems.get(tid)
    rows = P.proof_status(t)
    assert [r["name"] for r in rows] == NAMES[tid]
    assert all(r["status"] in ("proved", "certified") for r in rows), [
        (r["name"], r["status"], r["note"]) for r in rows
    ]
    assert not any(r["closes"] for r in rows)  # a claim about a trained model: not closed
    assert not P.proof_closes(t, rows)


@pytest.mark.parametrize("tid", ("icl.exponential_convergence", "icl.attention_concentration"))
def test_the_moved_steps_still_hold(tid):
    rows = P.proof_status(theorems.get(tid))
    assert rows and all(r["status"] == "proved" for r in rows)
