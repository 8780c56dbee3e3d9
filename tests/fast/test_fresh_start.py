"""A fresh clone's first minutes: shipped checkpoints, a CLI that starts without torch, and the
rough edges a new user hits (bad points, bad output paths, report permissions, stale hashes)."""

import dataclasses
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import theorems
from verify import checkpoints
from verify.cli import main
from verify.report import load

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the CLI starts light ----------------------------------------------------------------------


def test_listing_and_showing_import_neither_torch_nor_numba_nor_scipy():
    code = (
        "import sys, verify.cli as c\n"
        "assert c.main(['list']) == 0\n"
        "assert c.main(['list', '--json']) == 0\n"
        "assert c.main(['show', 'markov.state_count']) == 0\n"
        "assert c.main(['show', 'uat.barron_rate', '--json']) == 0\n"
        "heavy = [m for m in ('torch', 'numba', 'scipy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_python_dash_m_verify_cli_runs_its_main():
    proc = subprocess.run(
        [sys.executable, "-m", "verify.cli", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert any(r["id"] == "markov.state_count" for r in json.loads(proc.stdout))


def test_show_json_has_the_statement_proof_and_evidence(capsys, in_tmp):
    code, out, _ = run(capsys, "show", "markov.state_count", "--json")
    rec = json.loads(out)
    assert code == 0 and rec["id"] == "markov.state_count" and rec["evidence"] is None
    assert rec["claim"]["kind"] == "identity" and "T**K" in rec["claim"]["expr"]
    assert [p["name"] for p in rec["parameters"]] == ["T", "K"]
    assert rec["assumptions"] and all(s["proved"] for s in rec["proof"])
    assert rec["hash"] == theorems.get("markov.state_count").hash
    run(capsys, "run", "markov.state_count")
    rec = json.loads(run(capsys, "show", "markov.state_count", "--json")[1])
    assert rec["evidence"]["verdict"] == "pass" and rec["evidence"]["stale"] is False


# -- bad points ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "NaN"])
@pytest.mark.parametrize("name", ["tau", "B", "T"])
def test_non_finite_values_exit_2_naming_the_parameter(capsys, bad, name):
    point = {"T": "2", "K": "3", "tau": "0.5", "B": "2", "source": "random"}
    point[name] = bad
    at = ",".join(f"{k}={v}" for k, v in point.items())
    code, _, err = run(capsys, "check", "markov.convergence_rate", "--at", at)
    assert code == 2, err
    assert f"{name} must be" in err and "Traceback" not in err


def test_a_name_given_twice_exits_2(capsys):
    code, _, err = run(capsys, "check", "markov.state_count", "--at", "T=2,K=3,T=4")
    assert code == 2 and "T twice" in err


# -- outputs -------------------------------------------------------------------------------------


def _previous_report(in_tmp, capsys):
    assert run(capsys, "run", "markov.state_count")[0] == 0
    return (in_tmp / "reports" / "latest.json").read_text()


@pytest.mark.parametrize("option", ["--json", "--junit"])
def test_an_unwritable_output_exits_2_before_running_and_keeps_the_last_report(
    in_tmp, capsys, option
):
    before = _previous_report(in_tmp, capsys)
    (in_tmp / "afile").write_text("not a folder")
    code, _, err = run(capsys, "run", "markov.state_count", option, "afile/x.out")
    assert code == 2 and "afile is not a folder" in err
    (in_tmp / "adir").mkdir()
    code, _, err = run(capsys, "run", "markov.state_count", option, "adir")
    assert code == 2 and "is a folder" in err
    if os.geteuid() != 0:  # root writes anywhere
        ro = in_tmp / "ro"
        ro.mkdir(mode=0o500)
        code, _, err = run(capsys, "run", "markov.state_count", option, "ro/x.out")
        assert code == 2 and "not writable" in err
    assert (in_tmp / "reports" / "latest.json").read_text() == before
    assert not list(in_tmp.rglob("*.tmp"))


def test_a_run_writes_no_stub_before_its_first_result(in_tmp, capsys, monkeypatch):
    before = _previous_report(in_tmp, capsys)
    import verify.engine

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(verify.engine, "check", interrupted)
    assert run(capsys, "run", "markov.state_count")[0] == 130
    assert (in_tmp / "reports" / "latest.json").read_text() == before


def test_reports_take_the_umasks_permissions(in_tmp, capsys):
    old = os.umask(0o022)
    try:
        run(capsys, "run", "markov.state_count", "--json", "out/copy.json", "--junit", "j.xml")
    finally:
        os.umask(old)
    for path in ("reports/latest.json", "out/copy.json", "j.xml"):
        assert stat.S_IMODE((in_tmp / path).stat().st_mode) == 0o644, path
    assert load(in_tmp / "out" / "copy.json")["complete"] is True


# -- the hash covers what determines the evidence ------------------------------------------------


def test_the_hash_covers_the_proof_and_every_evidence_field_but_not_the_prose():
    t = theorems.get("markov.state_count")
    assert t.replace(proof=tuple(t.proof)).hash == t.hash  # the same steps
    step = t.proof[0]
    edited = dataclasses.replace(step, rhs=step.rhs + 1)
    assert t.replace(proof=(edited, *t.proof[1:])).hash != t.hash  # a step's statement edited
    assert t.replace(proof=t.proof[1:]).hash != t.hash  # a step removed
    assert t.replace(fixed={"extra": 1}).hash != t.hash
    assert t.with_claim(margin=0.3).hash != t.hash
    assert t.with_claim(expr=t.claim.expr + 1).hash != t.hash
    for prose in ({"title": "x"}, {"notes": "y"}, {"uses": ("markov.convergence",)}):
        assert t.replace(**prose).hash == t.hash, prose
    assert t.with_claim(measured="in other words").hash == t.hash
    x = sp.Symbol("x")
    assert t.replace(budget=x).hash != t.replace(budget=2 * x).hash


# -- shipped checkpoints -------------------------------------------------------------------------


def test_the_quick_checkpoints_ship_with_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))  # an empty cache: nothing trained here
    found = checkpoints.status("quick")
    assert found and all(c.where == "shipped" for c in found), found
    for c in found:
        assert c.path.parent.name == "checkpoints" and c.path.parent.parent.name == "numerics"
        meta = json.loads(c.path.with_suffix(".json").read_text())
        assert meta["d"] == c.d and meta["steps"] == c.steps and meta["device"] == "cpu"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "checkpoints/*.pt" in pyproject  # package data: installed with the package


def test_verify_checkpoints_finds_them_without_training(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))
    from numerics import lm

    def no_training(*args, **kwargs):
        raise AssertionError("trained although a checkpoint ships")

    monkeypatch.setattr(lm, "pretrain_icl", no_training)
    code, out, err = run(capsys, "checkpoints", "--profile", "quick")
    assert code == 0 and "shipped" in out and not list(tmp_path.rglob("*.pt"))
    model = lm.icl_model(3, checkpoints.needed("quick")[0][1], "cpu")
    assert not model.training


def test_standard_checkpoints_are_not_shipped_and_would_train(tmp_path, monkeypatch):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))
    assert all(c.where == "missing" for c in checkpoints.status("standard"))


def test_ship_refuses_a_gpu_trained_checkpoint():
    with pytest.raises(ValueError, match="only CPU-trained"):
        checkpoints.ensure("quick", "cuda", ship=True)


# -- reports merge across runs -----------------------------------------------------------------


def test_runs_merge_into_latest_and_each_keeps_its_own_report(in_tmp, capsys):
    """A run of a few theorems does not erase the others' evidence: latest.json keeps the latest
    result per id, each row with its run's profile, seed, commit and date; every run also has
    its own report under reports/runs/."""
    assert run(capsys, "run", "markov.state_count", "--seed", "3")[0] == 0
    code, out, _ = run(capsys, "run", "markov.transition_nonzeros", "--json", "copy.json")
    assert code == 0 and "merged into reports/latest.json" in out.replace("\n", "")
    latest = load(in_tmp / "reports" / "latest.json")
    rows = {r["id"]: r for r in latest["results"]}
    assert set(rows) == {"markov.state_count", "markov.transition_nonzeros"}
    assert (
        rows["markov.state_count"]["seed"] == 3 and rows["markov.transition_nonzeros"]["seed"] == 0
    )
    assert all(r["profile"] == "quick" and r["date"] and r["commit"] for r in rows.values())
    assert latest["merged"] == 1 and latest["seed"] == 0  # the top level: the newest run
    own = sorted((in_tmp / "reports" / "runs").glob("*.json"))
    assert len(own) == 2
    assert [[r["id"] for r in load(p)["results"]] for p in own] in (
        [["markov.state_count"], ["markov.transition_nonzeros"]],
        [["markov.transition_nonzeros"], ["markov.state_count"]],
    )
    assert [r["id"] for r in load(in_tmp / "copy.json")["results"]] == [
        "markov.transition_nonzeros"
    ]
    # a re-run replaces the theorem's row in place, and show names the run it came from
    assert run(capsys, "run", "markov.state_count")[0] == 0
    latest = load(in_tmp / "reports" / "latest.json")
    assert [r["id"] for r in latest["results"]] == [
        "markov.state_count",
        "markov.transition_nonzeros",
    ]
    assert latest["results"][0]["seed"] == 0
    code, out, _ = run(capsys, "show", "markov.transition_nonzeros")
    assert "run: quick profile, seed 0, commit" in out


def test_a_report_of_the_older_form_merges_with_its_context():
    from verify.report import merged

    old = {
        "schema": "theoremlab.report/1",
        "commit": "abc",
        "profile": "standard",
        "seed": 7,
        "started": "2026-11-30T10:00:00+0000",
        "results": [{"id": "a", "verdict": "pass"}, {"id": "b", "verdict": "fail"}],
    }
    new = {
        "schema": "theoremlab.report/1",
        "commit": "def",
        "profile": "quick",
        "seed": 0,
        "started": "2026-12-03T10:00:00+0000",
        "results": [
            {
                "id": "b",
                "verdict": "pass",
                "commit": "def",
                "profile": "quick",
                "seed": 0,
                "date": "2026-12-03T10:00:05+0000",
            }
        ],
    }
    m = merged(old, new)
    assert [(r["id"], r["verdict"], r["profile"], r["seed"]) for r in m["results"]] == [
        ("a", "pass", "standard", 7),
        ("b", "pass", "quick", 0),
    ]
    assert m["results"][0]["date"] == "2026-11-30T10:00:00+0000" and m["merged"] == 1


def test_editing_the_experiment_code_marks_its_evidence_stale(in_tmp, monkeypatch):
    """The experiment's source (and the module-level helpers it uses) is part of what marks
    evidence stale; an unrelated function of the same module is not."""
    from verify import check
    from verify.experiments import source_hash
    from verify.report import Report, evidence_for

    src = in_tmp / "mine_exp.py"
    code = (
        "from numerics import Measurement\n\n"
        "SCALE = 1\n\n"
        "def helper(n):\n    return SCALE * n * (n + 1) // 2\n\n"
        "def unrelated():\n    return 0\n\n"
        "def experiment(params, *, seed, device='cpu'):\n"
        "    return Measurement(value=helper(int(params['n'])), exact=True)\n"
    )
    src.write_text(code)
    monkeypatch.syspath_prepend(str(in_tmp))
    n = sp.Symbol("n", integer=True)
    thm = theorems.Theorem(
        id="mine.tri",
        title="triangular numbers",
        source=theorems.Source("folklore", "-", "reconstruction"),
        parameters={n: theorems.IntRange(1, 20)},
        assumptions=(),
        claim=theorems.Claim("identity", n * (n + 1) / 2),
        experiment="mine_exp:experiment",
    )
    rep = Report([in_tmp / "r.json"], profile="quick", device="cpu", seed=0)
    rep.add(check(thm))
    report = load(in_tmp / "r.json")
    assert report["results"][0]["experiment_hash"] == source_hash(thm.experiment)
    assert evidence_for(thm, report)[1] is False
    src.write_text(code.replace("return 0", "return 1"))  # not used by the experiment
    assert evidence_for(thm, report)[1] is False
    src.write_text(code.replace("SCALE = 1", "SCALE = 2"))  # used, through the helper
    assert evidence_for(thm, report)[1] is True
    assert source_hash("emergence.threshold_brackets") is not None  # a family key: its module
