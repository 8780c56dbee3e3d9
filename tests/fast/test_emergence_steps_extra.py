"""The proof steps of emergence.hierarchy and emergence.multiclass: each is proved or certified,
each one's mutant fails, and the brackets they certify hold the claimed values (mpmath)."""

import mpmath
import pytest
import sympy as sp

import theorems
from theorems import emergence_steps_classes as S
from theorems.emergence_values import (
    HIERARCHY,
    MULTICLASS,
    mp_hierarchy,
    mp_multiclass,
    mp_unlearned,
)
from verify import proofs as P

IDS = ("emergence.hierarchy", "emergence.multiclass")
NAMES = {
    "emergence.hierarchy": [
        "fine_text",
        "floor",
        "learned_split",
        "learned_near_0",
        "learned_far",
        "foundation_bracket",
        "floor_value",
        "fine_bracket_a05",
        "fine_bracket_a1",
    ],
    "emergence.multiclass": [
        "class_text",
        "stability",
        "linear_bound",
        "learned_near_0",
        "learned_far",
        "unlearned_box",
        "unlearned_above",
    ],
}


def _theorem(tid):
    return theorems.get(tid)


@pytest.mark.parametrize("tid", IDS)
def test_every_step_is_proved_or_certified(tid):
    # the statuses as a run reads them (shipped; tests/catalogue/test_shipped_proofs.py decides
    # every shipped status again from scratch)
    t = _theorem(tid)
    rows = P.proof_status(t)
    assert [r["name"] for r in rows] == NAMES[tid]
    for r in rows:
        assert r["status"] in ("proved", "certified"), (r["name"], r["status"], r["note"])
        assert not r["closes"]
    assert not P.proof_closes(t, rows)


def test_the_certified_brackets_hold_the_claimed_values():
    with mpmath.workdps(30):
        lo, hi = S._FOUNDATION  # P₀ = p³ at R0 = 1
        assert lo < mpmath.cbrt(mp_unlearned(HIERARCHY["foundation"], 1.0)) < hi
        for a, (lo, hi) in S._FINE.items():  # P_fine(1, a) = p'³
            assert lo < mpmath.cbrt(mp_hierarchy(1.0, float(a))) < hi
        assert mp_hierarchy(1.5, 0.5) < 1e-30 and mp_hierarchy(1.5, 1.0) < 1e-30
        q0 = mpmath.sqrt(mp_multiclass(0, 0.9))  # P_class(0) = q₀², P_class(1) = q₁^(4/3)
        q1 = mp_multiclass(1, 0.9) ** mpmath.mpf(0.75)
        assert S._LO[0] < q0 < S._HI[0] and S._LO[1] < q1 < S._HI[1]
        assert mp_multiclass(0, 1.4) < 1e-30 and mp_multiclass(1, 1.4) < 1e-30


def test_the_steps_texts_match_the_configuration():
    # learned_far reads "Λ₁ = Λ₀ and R₁ = R0": the same map covers fine-tuning at P₀ = 0
    assert HIERARCHY["foundation"] == HIERARCHY["special"] and HIERARCHY["R1"] == 1.5
    assert [n for n, _ in MULTICLASS["classes"]] == ["x2", "x4"]
    # stability: the catalogue's shares give the entry 1.16/R
    step = next(s for s in _theorem("emergence.multiclass").proof if s.name == "stability")
    sym = {str(s): s for s in step.rhs.free_symbols}
    at = {
        "w_0": MULTICLASS["classes"][0][1],
        "v_0": MULTICLASS["text_weights"][0],
        "v_1": MULTICLASS["text_weights"][1],
        "M_00": MULTICLASS["mixing"][0][0],
        "M_01": MULTICLASS["mixing"][0][1],
    }
    value = step.rhs.subs({sym[k]: sp.Rational(str(v)) for k, v in at.items()})
    assert sp.simplify(value - sp.Rational(29, 25) / sym["R"]) == 0
