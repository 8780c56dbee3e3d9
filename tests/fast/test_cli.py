"""The command line: exit codes, reports, errors that name the broken assumption."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import sympy as sp
import synthetic

import theorems
from verify.cli import main
from verify.report import SCHEMA, load


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_markov_with_negative_controls_exits_0_and_writes_the_report(in_tmp, capsys):
    code, out, err = run(
        capsys,
        "run",
        "markov.state_count",
        "markov.unique_stationary*",
        "--json",
        "copy.json",
        "--junit",
        "junit.xml",
        "--device",
        "cpu",
    )
    assert code == 0, out + err
    assert "markov.unique_stationary_greedy" in out and "fail" in out
    report = load(in_tmp / "reports" / "latest.json")
    copy = json.loads((in_tmp / "copy.json").read_text())  # this run's own report
    assert report.pop("merged") == 0 and report == copy  # nothing earlier to merge
    assert report["schema"] == SCHEMA and report["complete"] is True
    assert set(report) >= {
        "schema",
        "commit",
        "profile",
        "device",
        "seed",
        "versions",
        "started",
        "seconds",
        "results",
    }
    assert [r["id"] for r in report["results"]] == [
        "markov.state_count",
        "markov.unique_stationary",
        "markov.unique_stationary_greedy",
    ]
    row = report["results"][2]
    assert set(row) >= {
        "id",
        "kind",
        "expect",
        "verdict",
        "strength",
        "source",
        "theorem_hash",
        "seconds",
        "points",
        "seeds",
        "confidence",
        "worst",
        "tightness",
        "counterexample",
        "evidence",
    }
    assert row["expect"] == "fail" and row["verdict"] == "fail"
    assert row["counterexample"]["command"].startswith(
        "verify check markov.unique_stationary_greedy"
    )
    assert row["theorem_hash"] == theorems.get(row["id"]).hash
    suite = ET.parse(in_tmp / "junit.xml").getroot()
    assert suite.get("tests") == "3" and suite.get("failures") == "0"


def test_a_counterexample_replays_with_verify_check(in_tmp, capsys):
    run(capsys, "run", "markov.convergence_greedy", "--device", "cpu")
    row = load()["results"][0]
    argv = row["counterexample"]["command"].split()[1:]
    argv[3] = argv[3].strip("'")
    code, out, _ = run(capsys, *argv)
    assert code == 0 and ": fail" in out  # the negative control is refuted at that point


def test_unexpected_verdict_exits_1(in_tmp, capsys, extra):
    true, false = synthetic.true_and_false()["identity exact"]
    extra(false.replace(id="syn.false"))
    code, out, _ = run(capsys, "run", "syn.false")
    assert code == 1
    assert "replay: verify check syn.false --at" in out


def test_inconclusive_is_listed_and_fails_only_with_strict(in_tmp, capsys, extra):
    _, false = synthetic.true_and_false()["upper bound deterministic"]
    extra(false.with_claim(existential=True).replace(id="syn.maybe"))
    code, out, _ = run(capsys, "run", "syn.maybe")
    assert code == 0 and "inconclusive" in out
    code, out, _ = run(capsys, "run", "syn.maybe", "--strict")
    assert code == 1


def test_interrupted_run_leaves_a_valid_report(in_tmp, capsys, extra, monkeypatch):
    import synthetic as syn

    def interrupt(params, *, seed, device="cpu"):
        raise KeyboardInterrupt

    monkeypatch.setattr(syn, "interrupt", interrupt, raising=False)
    first = syn.true_and_false()["identity exact"][0].replace(id="syn.a")
    second = syn.theorem("syn.b", "identity", 1, "interrupt")
    extra(first, second)
    code, _, _ = run(capsys, "run", "syn.a", "syn.b")
    assert code == 130
    report = load()
    assert report["complete"] is False
    assert [r["id"] for r in report["results"]] == ["syn.a"]


def test_unknown_id_exits_2_with_a_suggestion(in_tmp, capsys):
    code, _, err = run(capsys, "show", "markov.state_cout")
    assert code == 2 and "did you mean markov.state_count" in err
    code, _, err = run(capsys, "run", "markov.nothing*")
    assert code == 2 and "no theorem id matches" in err


@pytest.mark.parametrize(
    "at, message",
    [
        ("T=1,K=2", "T must be an integer ≥ 2 and ≤ 64, got 1"),  # its domain, named first
        ("T=2,K=0", "K must be an integer ≥ 1"),
        ("T=2.5,K=2", "T must be an integer, got 2.5"),
        ("T=2,K=two", "K: cannot read 'two'"),
        ("T=2", "missing parameter K"),
        ("T=2,K=2,Z=1", "has no parameter 'Z'"),
        ("T 2", "NAME=VALUE"),
    ],
)
def test_check_rejects_bad_points(capsys, at, message):
    code, _, err = run(capsys, "check", "markov.state_count", "--at", at)
    assert code == 2
    assert message in err.replace("\n", " ")


@pytest.mark.parametrize("tau", ["0", "-1"])
def test_check_rejects_nonpositive_temperature(capsys, tau):
    code, _, err = run(
        capsys, "check", "markov.temperature_floor", "--at", f"T=2,K=2,tau={tau},B=1"
    )
    assert (
        code == 2 and "tau must be a real number in [0.1, 10.0] (log scale)" in err
    )  # its domain, first


def test_check_one_point(capsys):
    code, out, _ = run(capsys, "check", "markov.state_count", "--at", "T=3,K=4", "--seed", "5")
    assert code == 0 and "pass" in out and "120" in out


def test_list_and_show(capsys, in_tmp):
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert code == 0 and {r["id"] for r in rows} >= {
        "markov.state_count",
        "markov.convergence_rate",
    }
    code, out, _ = run(capsys, "show", "markov.state_count")
    assert code == 0 and "proved" in out and "evidence: none yet" in out
    run(capsys, "run", "markov.state_count")
    code, out, _ = run(capsys, "show", "markov.state_count")
    assert "evidence: pass (proved)" in out and "stale" not in out
    code, out, _ = run(capsys, "show", "icl.exponential_convergence")
    assert code == 0 and "expect fail: finding" in out and "finding: On this" in out


def test_show_flags_stale_evidence(capsys, in_tmp, extra):
    run(capsys, "run", "markov.state_count")
    thm = theorems.get("markov.state_count")
    extra(thm.with_claim(expr=thm.claim.expr + sp.Integer(0) * sp.Symbol("T") + 1))
    code, out, _ = run(capsys, "show", "markov.state_count")
    assert "stale evidence" in out


def test_python_dash_m_verify_usage_error_exits_2():
    proc = subprocess.run(
        [sys.executable, "-m", "verify", "check", "markov.state_count", "--at", "T=1,K=1"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "T must be an integer ≥ 2 and ≤ 64, got 1" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "verify", "frobnicate"], capture_output=True, text=True
    )
    assert proc.returncode == 2


def test_show_says_how_many_points_each_profile_tries(capsys):
    code, out, _ = run(capsys, "show", "markov.unique_stationary_greedy")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("design points:"))
    assert "quick 12 (9 of a grid of 54 break an assumption" in line and "thorough" in out
