"""Seed sweeps and end-to-end runs too long for `make test`: the Markov theorems whose quick
checks train or pass many models pass at seeds 0..4, and their false variants fail end to end."""

import numpy as np
import pytest

import theorems
from numerics import markov_icl_regimes as mr
from verify import check

RATE = "markov.icl_rate_random_walk"
MODEL = "markov.icl_random_walk_frequentist"
KL, DEPTH = "markov.kl_pretraining_bound", "markov.depth_bound"
ID = "markov.icl_dimension"


@pytest.mark.parametrize("seed", range(5))
def test_the_counting_rate_passes_at_every_seed(seed):
    r = check(theorems.get(RATE), profile="quick", seed=seed)
    assert r.verdict == "pass", r.message


@pytest.mark.parametrize("seed", range(5))
def test_the_comparison_passes_at_every_seed(seed):
    r = check(theorems.get(MODEL), profile="quick", seed=seed)
    assert r.verdict == "pass", r.message


def test_the_model_on_the_reflecting_walk_keeps_a_floor_on_the_end_states():
    """The quick model's prediction from an end state of the reflecting walk (a certain move)
    stops improving: it puts at most about 0.93 on the certain successor, its risk there is
    about the same at N = 128 and 1024, far above the counting estimator's (exact after one
    visit), and its curve is no power law while the counting estimator's is N^(−1/2)."""
    m = mr.icl_random_walk_frequentist(
        {"walk": "reflecting", "d": 3, "reps": 512, "pretrain_steps": 2000, "icl_models": (3,)},
        seed=0,
    )
    ends = np.array(m.raw["model_by_state"]["0"])
    i, j = list(mr.MODEL_NS).index(128), len(mr.MODEL_NS) - 1
    assert ends[j] > 0.9 * ends[i] and ends[j] > 0.05
    assert max(m.raw["counting_by_state"]["0"][i:]) == 0.0
    assert max(m.raw["model_top_probability_on_certain_moves"][i:]) < 0.95
    fit, counting = m.raw["power_fit_model"], m.raw["power_fit_counting"]
    assert fit["chi2_dof"] > 20 and fit["exponent"] > -0.4
    assert abs(counting["exponent"] + 0.5) < 0.1


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("theorem_id", [KL, DEPTH])
def test_true_claims_pass_at_seeds_0_to_4(theorem_id, seed):
    r = check(theorems.get(theorem_id), device="cpu", seed=seed)
    assert r.verdict == "pass", (r.verdict, r.message, r.worst)
    assert r.points == 12


def test_reversed_claim_fails_end_to_end():
    t = theorems.get(ID)
    assert check(t, device="cpu").verdict == "pass"
    assert check(t.with_claim(kind="lower_bound"), device="cpu").verdict == "fail"
