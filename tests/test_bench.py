"""verify bench: rows against references timed in the same run, targets, and correctness."""

import json

import numpy as np

from verify import bench
from verify.cli import main


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
    big = bench.run_case(bench.operator_case(16, largest=True))
    assert big["target"] == bench.OPERATOR_TARGET
    assert big["bandwidth_target"] == bench.BANDWIDTH_TARGET


def test_unknown_benchmarks_and_sizes_are_refused_before_running(in_tmp, capsys):
    assert main(["bench", "markov-operatr", "--json", "b.json"]) == 2
    assert "unknown benchmark(s) markov-operatr" in capsys.readouterr().err
    assert main(["bench", "epsilon", "--max-exponent", "40"]) == 2
    assert not (in_tmp / "b.json").exists()


def test_small_markov_references_agree():
    rows = bench.run(["stationary-gth", "epsilon"], max_exponent=10)
    assert [r["correct"] for r in rows] == [True, True]
    assert rows[0]["certified_l1_error"] <= 1e-10


def test_a_fast_wrong_answer_meets_nothing():
    case = bench.Case(
        "wrong",
        ours=lambda: np.zeros(3),
        reference=lambda: np.ones(3),
        target=0.001,
        check=lambda a, b: {"correct": bool(np.array_equal(a, b))},
    )
    row = bench.run_case(case)
    assert row["ratio"] > 0.001 and row["correct"] is False and row["met"] is False


def test_median_time_counts_a_slow_first_call_as_a_round(monkeypatch):
    calls = []
    monkeypatch.setattr(bench, "SLOW_S", 0.0)
    t, out = bench.median_time(lambda: calls.append(1) or len(calls), rounds=2)
    assert len(calls) == 2 and out == 1 and t >= 0


def test_the_performance_page_shows_a_record():
    from verify.docs import performance_page

    rows = bench.run(["markov-operator", "scale"], max_exponent=16)
    rec = {"date": "2026-11-22", "machine": bench.machine(), "versions": {}, "rows": rows}
    page = performance_page([("cpu", rec)])
    assert "markov-operator 2^16" in page and "≥ 1.5×" in page and "of a numpy copy" in page
    assert "Scale: stationary" in page and "Scale: peeling" in page and "N\\_s=1e+04" in page
    assert "Fitted growth exponents" not in page  # one size per scale table: no fit
    fits = {r["name"]: r for r in rows if r["name"].endswith(", fit")}
    assert set(fits) == {f"scale: {e}, fit" for e in ("stationary", "peeling", "Newman-Ziff")}
    assert fits["scale: stationary, fit"]["largest_in_memory"] >= 2**26
    assert performance_page([]).count("No run is recorded yet") == 1
