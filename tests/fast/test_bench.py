"""verify bench: rows against references timed in the same run, targets, and correctness."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from verify.cli import main
from verify.perf import cases, registry, scale, timing


def test_cli_bench_writes_rows_with_name_ratio_target(in_tmp, capsys):
    code = main(["bench", "markov-operator", "--max-exponent", "12", "--json", "b.json"])
    rows = json.loads((in_tmp / "b.json").read_text())["rows"]
    assert code == 0 and [r["name"] for r in rows] == [
        "markov-operator 2^10",
        "markov-operator 2^12",
    ]
    for r in rows:
        assert {"name", "ratio", "target"} <= set(r) and r["ratio"] > 0 and r["correct"]
        assert r["copy_s"] > 0 and r["bandwidth_fraction"] > 0
    # the 1.5x target applies from 2^16 up, the bandwidth target at the largest size ≥ 2^22
    assert all(r["target"] is None and r["bandwidth_target"] is None for r in rows)
    big = cases.run_case(cases.operator_case(16, largest=True))
    assert big["target"] == cases.OPERATOR_TARGET
    assert big["bandwidth_target"] == cases.BANDWIDTH_TARGET


def test_unknown_benchmarks_and_sizes_are_refused_before_running(in_tmp, capsys):
    assert main(["bench", "markov-operatr", "--json", "b.json"]) == 2
    assert "unknown benchmark(s) markov-operatr" in capsys.readouterr().err
    assert main(["bench", "epsilon", "--max-exponent", "40"]) == 2
    assert not (in_tmp / "b.json").exists()


def test_small_markov_references_agree():
    rows = registry.run(["stationary-gth", "epsilon"], max_exponent=10)
    assert [r["correct"] for r in rows] == [True, True]
    assert rows[0]["certified_l1_error"] <= 1e-10


def test_a_fast_wrong_answer_meets_nothing():
    case = cases.Case(
        "wrong",
        ours=lambda: np.zeros(3),
        reference=lambda: np.ones(3),
        target=0.001,
        check=lambda a, b: {"correct": bool(np.array_equal(a, b))},
    )
    row = cases.run_case(case)
    assert row["ratio"] > 0.001 and row["correct"] is False and row["met"] is False


def test_median_time_counts_a_slow_first_call_as_a_round(monkeypatch):
    calls = []
    monkeypatch.setattr(timing, "SLOW_S", 0.0)
    t, out = timing.median_time(lambda: calls.append(1) or len(calls), rounds=2)
    assert len(calls) == 2 and out == 1 and t >= 0


def test_scale_names_a_group_and_runs_each_table_once(monkeypatch):
    calls = []
    for name in scale.EXPERIMENTS:
        monkeypatch.setitem(
            registry.BENCHMARKS, name, lambda c, name=name: calls.append(name) or []
        )
    registry.run(["scale-uat", "scale"], max_exponent=12)
    assert calls == ["scale-uat", "scale-markov", "scale-emergence", "scale-icl"]
    with pytest.raises(ValueError, match="known: .*scale-icl.*scale"):
        registry.validate(["scales"], None)


def test_a_wrong_scale_answer_is_exit_1(in_tmp, monkeypatch, capsys):
    row = scale.row("x", 4, "4", 0.1, 8, correct=False)
    monkeypatch.setitem(registry.BENCHMARKS, "scale-uat", lambda c: [row])
    assert main(["bench", "scale-uat"]) == 1
    row["correct"] = True
    assert main(["bench", "scale-uat"]) == 0


def test_the_fit_extrapolates_memory_with_the_bytes_exponent():
    quadratic = [scale.row("q", n, str(n), 1e-3 * n, 8 * n * n) for n in (100, 200, 400)]
    f = scale.fit("q", quadratic, "rows", counted="a matrix")
    assert f["bytes_exponent"] == pytest.approx(2.0) and f["time_exponent"] == pytest.approx(1.0)
    assert f["largest_in_memory"] == pytest.approx((scale.MEMORY_BYTES / 8) ** 0.5)
    # a measured peak above the count is what must fit
    quadratic[-1]["peak_rss"] = 4 * 8 * 400 * 400
    f = scale.fit("q", quadratic, "rows", counted="a matrix")
    assert f["largest_in_memory"] == pytest.approx((scale.MEMORY_BYTES / 32) ** 0.5)


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="Linux's VmHWM")
def test_the_measured_peak_sees_an_allocation_that_is_gone_by_the_end():
    def spike():
        a = np.ones(2**25)  # 256 MiB, freed before returning
        return float(a[-1])

    out, secs, mem = timing.measured(spike)
    assert out == 1.0 and secs > 0 and mem["peak_rss"] >= 2**28 * 0.95
    _, _, idle = timing.measured(lambda: None)
    assert idle["peak_rss"] < 2**26


def test_a_profile_run_is_correct_only_when_every_outcome_is_expected(monkeypatch):
    from synthetic import true_and_false

    import theorems

    true, false = true_and_false()["identity exact"]
    false = dataclasses.replace(false, id="syn.triangular_off_by_one")  # expected to pass
    monkeypatch.setattr(theorems, "all", lambda: [true])
    row = registry.profile_run_row("quick")
    assert row["correct"] and row["name"] == "quick run" and set(row["per_theorem_s"]) == {true.id}
    monkeypatch.setattr(theorems, "all", lambda: [true, false])
    assert registry.profile_run_row("quick")["unexpected"] == [false.id]
    # the thorough budget is judged on an H100 only
    row = registry.profile_run_row("thorough")
    assert row["budget_s"] == 480 and row["met"] is None and "H100" in row["note"]
    monkeypatch.setattr(registry, "machine", lambda: {"gpu": "NVIDIA H100 80GB HBM3"})
    monkeypatch.setattr(theorems, "all", lambda: [true])
    assert registry.profile_run_row("thorough")["met"] is True
    monkeypatch.setattr(registry, "THOROUGH_BUDGET_S", 0.0)
    assert registry.profile_run_row("thorough")["met"] is False


def test_the_thorough_run_is_in_the_default_list_only_on_a_gpu(monkeypatch):
    import torch

    assert (
        "thorough-run" not in registry.default_names() and "quick-run" in registry.default_names()
    )
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert "thorough-run" in registry.default_names()
