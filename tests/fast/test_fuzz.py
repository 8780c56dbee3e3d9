"""verify fuzz: finds and shrinks counterexamples to claims false by construction, replays them
from its database, and finds none for true theorems within its budget."""

import sympy as sp

import theorems
from verify import check
from verify.cli import main
from verify.fuzz import fuzz


def test_state_count_off_by_one_is_found_and_shrunk(tmp_path):
    t = theorems.get("markov.state_count")
    wrong = t.with_claim(expr=t.claim.expr + 1)
    res = fuzz(wrong, examples=20, database=tmp_path)
    assert res.found and not res.as_expected
    assert res.point == {"T": 2, "K": 1}  # the simplest point: smallest integers
    assert res.result.worst["measured"] != res.result.worst["claimed"]
    # the reported command replays it
    assert check(wrong, seed=res.seed, points=[res.point]).verdict == "fail"
    assert res.command == "verify check markov.state_count --at T=2,K=1 --seed 0"
    # the database replays it first next time
    again = fuzz(wrong, examples=20, database=tmp_path)
    assert again.found and again.point == res.point and again.examples <= res.examples


def test_an_upper_bound_halved_at_the_worst_point_is_found(tmp_path):
    t = theorems.get("markov.convergence_rate")
    r = check(t, device="cpu")
    worst = r.worst["params"]
    half = t.with_claim(expr=t.claim.expr * sp.nsimplify(r.tightness / 2, rational=True))
    assert check(half, points=[worst], device="cpu").verdict == "fail"
    res = fuzz(half, examples=40, database=tmp_path)
    assert res.found and res.result.verdict == "fail"


def test_no_counterexample_for_true_theorems_and_one_for_a_negative_control(tmp_path):
    for tid in ("markov.state_count", "markov.temperature_floor", "uat.lora_optimal"):
        res = fuzz(theorems.get(tid), examples=12, database=tmp_path)
        assert not res.found and res.as_expected, (tid, res.point)
    control = fuzz(theorems.get("markov.unique_stationary_greedy"), examples=12, database=tmp_path)
    assert control.found and control.as_expected


def test_cli_prints_the_counterexample_and_replay(in_tmp, capsys):
    code = main(["fuzz", "markov.unique_stationary_greedy", "--examples", "10", "--device", "cpu"])
    out = capsys.readouterr().out
    assert code == 0 and "counterexample" in out and "replay: verify check" in out
    assert main(["fuzz", "markov.state_count", "--examples", "0"]) == 2


def test_a_found_example_is_kept_and_tried_first_next_time(tmp_path):
    # issue 33: with @seed outermost, Hypothesis kept nothing in .hypothesis/fuzz/ID/
    t = theorems.get("markov.unique_stationary_greedy")
    first = fuzz(t, examples=10, database=tmp_path)
    assert first.found and (tmp_path / t.id).is_dir() and any((tmp_path / t.id).rglob("*"))
    again = fuzz(t, examples=10, database=tmp_path)
    assert again.found and again.point == first.point
    assert again.examples < first.examples  # replayed from the database, not searched again
