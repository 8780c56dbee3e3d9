"""The example plug-in (examples/mixing-theorems, issue 20): a researcher's package with four
theorems of their own (a Doeblin bound, Hoeffding's inequality, an m^(-1/2) rate, a negative
control) is installed, run, collected by pytest alone, and gets its own docs site, all from a
folder outside the clone."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "mixing-theorems"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The example installed into a folder of its own (the project's environment is left as it
    is: the catalogue the other tests see does not change), and a working folder elsewhere."""
    base = tmp_path_factory.mktemp("plugin")
    src = base / "src"
    shutil.copytree(EXAMPLE, src)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    pip += ["--no-deps", "--no-build-isolation", "--target", str(base / "site"), str(src)]
    subprocess.run(pip, check=True, timeout=300)
    work = base / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(base / "site")}
    return work, env


def sh(installed, *cmd, timeout=600):
    work, env = installed
    return subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_plugin_lists_and_runs_with_the_verdicts_expected(installed):
    r = sh(installed, str(BIN / "verify"), "list")
    assert r.returncode == 0 and r.stdout.count("mix.") == 4, r.stdout + r.stderr
    r = sh(installed, str(BIN / "verify"), "run", "mix.*", "--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 theorems, 4 as expected" in r.stdout.replace("\n", " ")


def test_its_pytest_items_are_collected_alone(installed):
    r = sh(
        installed,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--theorems",
        "mix.*",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 passed" in r.stdout and "no test files" in r.stdout


def test_its_own_docs_site_builds(installed):
    r = sh(installed, str(BIN / "verify"), "docs", "--only", "mix.*", "--out", "site")
    assert r.returncode == 0, r.stdout + r.stderr
    work = installed[0]
    index = (work / "site" / "index.html").read_text()
    assert "mix.doeblin" in index and "markov.state_count" not in index
    page = (work / "site" / "_generated" / "theorems" / "mix.hoeffding.html").read_text()
    assert "own result, not taken from a paper" in page and "not available" not in page
    assert (work / "site" / "_static" / "theoremlab.css").exists()
