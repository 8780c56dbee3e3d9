"""Staleness covers the code that ran: an experiment's source hash follows the project-local
modules its module imports, transitively (verify.sources), for plug-ins and built-in families."""

import json

import sympy as sp

import theorems
from theorems import registry
from verify import check, sources
from verify.cli import main
from verify.experiments import source_hash
from verify.report import Report

EXPERIMENT = (
    "from numerics import Measurement\n\n"
    "from .mid import triangle\n\n"
    "def unused():\n    from . import unrelated\n    return unrelated\n\n"
    "def experiment(params, *, seed, device='cpu'):\n"
    "    return Measurement(value=triangle(int(params['n'])), exact=True)\n"
)
MID = "from . import helper\n\ndef triangle(n):\n    return helper.half(n * (n + 1))\n"
HELPER = "SHIFT = 0\n\ndef half(m):\n    return m // 2 + SHIFT\n"


def _plugin(folder, name="mylab"):
    pkg = folder / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "experiments.py").write_text(EXPERIMENT)
    (pkg / "mid.py").write_text(MID)
    (pkg / "helper.py").write_text(HELPER)
    (pkg / "unrelated.py").write_text("X = 1\n")
    (pkg / "elsewhere.py").write_text("Y = 1\n")  # imported by nothing
    n = sp.Symbol("n", integer=True)
    return pkg, theorems.Theorem(
        id=f"{name}.tri",
        title="triangular numbers",
        source=theorems.Source("folklore", "-", "reconstruction"),
        parameters={n: theorems.IntRange(1, 20)},
        assumptions=(),
        claim=theorems.Claim("identity", n * (n + 1) / 2),
        experiment=f"{name}.experiments:experiment",
    )


def _stale(capsys, thm) -> bool:
    """What ``verify show --json`` says of the theorem's evidence in ./reports/latest.json."""
    assert main(["show", thm.id, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["evidence"]["stale"]


def test_an_edit_two_imports_away_marks_the_evidence_stale_and_an_unrelated_one_does_not(
    in_tmp, monkeypatch, capsys
):
    pkg, thm = _plugin(in_tmp)
    monkeypatch.syspath_prepend(str(in_tmp))
    monkeypatch.setattr(registry, "_cache", {**registry._catalogue(), thm.id: thm})
    rep = Report([in_tmp / "reports" / "latest.json"], profile="quick", device="cpu", seed=0)
    result = check(thm)
    assert result.verdict == "pass"
    rep.add(result)
    rep.close()
    assert not _stale(capsys, thm)
    (pkg / "elsewhere.py").write_text("Y = 2\n")  # no experiment imports it
    assert not _stale(capsys, thm)
    (pkg / "helper.py").write_text(HELPER.replace("SHIFT = 0", "SHIFT = 1"))  # two hops away
    assert _stale(capsys, thm)
    (pkg / "helper.py").write_text(HELPER)
    assert not _stale(capsys, thm)
    (pkg / "unrelated.py").write_text("X = 2\n")  # imported by a function the experiment never uses
    assert not _stale(capsys, thm)
    (pkg / "mid.py").write_text(MID + "\nfrom . import unrelated\n")  # now it is on the path
    assert _stale(capsys, thm)


def test_the_closure_follows_local_imports_only(tmp_path, monkeypatch):
    _plugin(tmp_path, "otherlab")
    monkeypatch.syspath_prepend(str(tmp_path))
    parts = sources.function_sources("otherlab.experiments", "experiment")
    assert set(parts) == {
        "otherlab.experiments:experiment",
        "otherlab.mid",
        "otherlab.helper",
        "otherlab",
    }  # numerics is another package: its version is the report's, not the hash's
    assert "def unused" not in parts["otherlab.experiments:experiment"]


def test_a_plain_module_plugin_follows_the_modules_beside_it(tmp_path, monkeypatch):
    (tmp_path / "solo_exp.py").write_text(
        "import solo_helper\n\ndef experiment(params, *, seed, device='cpu'):\n"
        "    return solo_helper.value()\n"
    )
    (tmp_path / "solo_helper.py").write_text("def value():\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = source_hash("solo_exp:experiment")
    (tmp_path / "solo_helper.py").write_text("def value():\n    return 2\n")
    assert source_hash("solo_exp:experiment") != before


def test_built_in_families_hash_the_modules_their_experiments_live_in():
    """The defect this fixes: icl's and the walks' experiments live outside the family module."""
    assert sources.family_target("numerics.icl_experiments", "icl.ood_length") == (
        "numerics.concepts",
        "ood_length",
    )
    walk = sources.family_target("numerics.markov_experiments", "markov.icl_rate_random_walk")
    assert walk == ("numerics.markov_icl_regimes", "icl_rate_random_walk")
    assert "numerics.markov_icl_regimes:icl_rate_random_walk" in sources.function_sources(*walk)
    # two experiments of one family module differ when their code differs
    assert source_hash("markov.state_count") != source_hash("markov.icl_deviations")
    for t in theorems.all():
        assert source_hash(t.experiment) is not None, t.id
