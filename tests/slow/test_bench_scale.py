"""verify bench's scale tables and whole benchmark cases at small sizes (tens of seconds each):
the performance page from a record, the ICL, UAT and transformer-chain tables, the certifier's
row."""

import pytest

from verify.perf import registry, scale


def test_the_performance_page_shows_a_record(tmp_path):
    from verify.docs import performance_page, scale_figure

    rows = registry.run(["markov-operator", "scale-markov", "scale-emergence"], max_exponent=16)
    rec = {"date": "2026-11-22", "machine": registry.machine(), "versions": {}, "rows": rows}
    assert scale_figure(rec, tmp_path / "p.png") and (tmp_path / "p.png").stat().st_size > 0
    page = performance_page([("cpu", rec)], {"cpu": "p.png"}.get)
    assert "markov-operator 2^16" in page and "≥ 1.5×" in page and "of a numpy copy" in page
    assert "Scale: stationary" in page and "Scale: peeling" in page and "N\\_s=1e+04" in page
    assert "Scale: transformer chain" in page and "K=14 (32766 states)" in page
    assert "plots/p.png" in page and "peak memory (measured)" in page
    # below 2^16 only the transformer chain has two sizes to fit (K = 11, 14)
    assert page.count("Fitted growth exponents in the size") == 1
    fits = {r["name"]: r for r in rows if r["name"].endswith(", fit")}
    assert set(fits) == {
        f"scale: {e}, fit" for e in ("stationary", "transformer chain", "peeling", "Newman-Ziff")
    }
    assert fits["scale: stationary, fit"]["largest_in_memory"] >= 2**26
    assert all(r["correct"] for r in rows if "certified_l1_error" in r)
    assert performance_page([]).count("No run is recorded yet") == 1
    assert not scale_figure({"rows": rows[:1]}, tmp_path / "none.png")  # no scale table


def test_icl_uat_and_transformer_chain_tables_at_small_sizes():
    rows = scale.icl_rows(Ls=(8, 32), steps=2, device="cpu")
    r8, r32, f = rows
    assert f["name"] == "scale: concept ICL training, fit" and f["largest_in_memory"] > 32
    prompt_bytes = 32768 * (8 * 24 * 4 + 24 * 4 + 4 + 8 + 8 * 8)  # demos, query, y, task, concepts
    assert prompt_bytes < r8["bytes_held"] < r32["bytes_held"]
    assert r8["seconds_per_step"] == pytest.approx(r8["train_step_s"] + r8["evaluation_s"])
    rows = scale.uat_rows(kron_sides=(8, 16, 32), widths=(10, 20), sides=(32, 64))
    by = {r["name"]: r for r in rows}
    assert all(r["correct"] for r in rows if "correct" in r)
    kron = by["scale: attention as a linear map, fit"]
    assert kron["bytes_exponent"] == pytest.approx(2, abs=0.1)
    assert by["scale: LoRA truncated SVD, fit"]["bytes_exponent"] == pytest.approx(2)
    assert by["scale: Barron fit m=20"]["squared_error"] > 0
    rows = scale.lm_chain_rows(Ks=(3, 5), device="cpu")
    assert [r["size"] for r in rows[:2]] == [14, 62] and all(r["correct"] for r in rows[:2])
    assert scale.lm_chain_rows(Ks=()) == []


def test_certify_row_reports_time_per_relation_and_is_correct():
    from verify.perf.cases import certify_case, certify_suite, run_case

    case = certify_case()
    case.rounds = 1
    row = run_case(case)
    assert row["correct"] and row["met"] is True
    assert set(row["per_relation"]) == {name for name, *_ in certify_suite()}
    assert row["ours_per_relation_s"] == row["ours_s"] / row["relations"]
