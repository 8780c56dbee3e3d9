"""Small traps of a second trial of one's own theorems (issue 33, item 9): suggestions for a
misspelled id are the ids meant, a negative zero prints as 0, verdicts print as words."""

import theorems
from theorems.registry import unknown_id_message
from verify import report
from verify.cli import render
from verify.fuzz import FuzzResult


def test_a_misspelled_id_suggests_only_the_close_ones():
    ids = [t.id for t in theorems.all()]
    assert unknown_id_message("markov.state_cont", ids).endswith("did you mean markov.state_count?")
    msg = unknown_id_message("markov.convergence", ids)
    assert "markov.convergence_rate" in msg and "sample_complexity" not in msg
    assert "did you mean" not in unknown_id_message("mine.hoefding", ids)


def test_a_negative_zero_prints_as_zero():
    assert report.fmt(-0.0) == "0" and report.fmt(-0.0, 4) == "0"
    assert report.fmt(-0.5) == "-0.5"


def test_fuzz_confirmations_print_as_words(capsys):
    t = theorems.get("markov.unique_stationary_greedy")
    from verify.engine import failed
    from verify.verdicts import Verdict

    res = FuzzResult(t.id, t.expect, 3, True)
    res.point, res.result, res.seed = {"T": 2}, failed(t, "quick", "cpu", "x"), 0
    res.confirmations = [Verdict.FAIL, Verdict.PASS]
    render.fuzzed(t, res, seed=0, profile="quick")
    out = capsys.readouterr().out
    assert "fresh seeds: 1 of 2 fail (fail, pass)" in out and "Verdict" not in out
