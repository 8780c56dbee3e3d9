"""The pytest plugin: theorems as test items, inert without --theorems, light to load. The
sessions run in this process (pytester; the plugin is loaded from its entry point as in a
new process), so that the catalogue is built once."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# pytester forgets the modules a session imports, and an extension module (numpy's, torch's)
# cannot be imported twice in a process: what a session imports is imported here first
import numba  # noqa: F401
import pytest
import scipy.stats  # noqa: F401
import torch  # noqa: F401

import verify.engine  # noqa: F401
from theorems import registry

TESTS = Path(__file__).resolve().parents[1]


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def pytest_run(pytester):
    """``pytest_run(*args)``: a pytest session in pytester's folder, in this process; the
    catalogue as it was afterwards (a conftest there may add to it)."""

    registry.all()  # built once, here; the session reads it
    kept = registry._cache

    def run(*args):
        try:
            r = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", *args)
        finally:
            registry._cache = kept
        return Ran(int(r.ret), "\n".join(r.outlines), "\n".join(r.errlines))

    return run


def test_loading_the_plugin_imports_neither_torch_nor_the_catalogue():
    code = (
        "import sys, verify.pytest_plugin; "
        "bad = [m for m in ('torch', 'theorems', 'numerics', 'sympy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_theorems_become_test_items_and_junit_records_them(pytester, pytest_run):
    tmp_path = pytester.path
    r = pytest_run("--theorems", "markov.unique_stationary*", "--junitxml=j.xml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 passed" in r.stdout  # the negative control passes by being refuted
    junit = (tmp_path / "j.xml").read_text()
    assert 'name="markov.unique_stationary"' in junit
    assert 'name="markov.unique_stationary_greedy"' in junit


def test_inert_without_the_option(pytester, pytest_run):
    (pytester.path / "test_x.py").write_text("def test_x():\n    pass\n")
    r = pytest_run()
    assert r.returncode == 0 and "1 passed" in r.stdout


def test_a_false_theorem_fails_with_its_counterexample(pytester, pytest_run):
    tmp_path = pytester.path
    # a conftest adds a false theorem to the catalogue: Σ k = n² is wrong for n ≥ 2
    (tmp_path / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(TESTS)!r})\n"
        "import sympy as sp\n"
        "from theorems import registry\n"
        "import synthetic\n"
        "cat = dict(registry._catalogue())\n"
        "t = synthetic.theorem('mine.wrong_sum', 'identity', synthetic.n**2, 'triangular')\n"
        "cat[t.id] = t\n"
        "registry._cache = cat\n"
    )
    r = pytest_run("--theorems", "mine.*", "--junitxml=j.xml")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "mine.wrong_sum: verdict fail, expected pass" in r.stdout
    assert "replay: verify check mine.wrong_sum --at n=" in r.stdout
    assert "failure" in (tmp_path / "j.xml").read_text()


def test_a_glob_matching_nothing_is_a_usage_error(pytest_run):
    r = pytest_run("--theorems", "nothing.*")
    assert r.returncode == 4 and "matches no registered theorem" in r.stderr


def test_with_no_paths_only_the_theorems_are_collected(pytester, pytest_run):
    """From a folder holding other tests (a clone, a broken module), ``--theorems`` alone runs
    the theorems and nothing else, and the header says so; with paths, both."""
    tmp_path = pytester.path
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_other.py").write_text("def test_other():\n    pass\n")
    (tmp_path / "sub" / "test_broken.py").write_text("raise SystemExit('not collectable')\n")
    r = pytest_run("--theorems", "markov.state_count")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout and "no test files (no paths given)" in r.stdout
    r = pytest_run("--theorems", "markov.state_count", "sub/test_other.py")
    assert r.returncode == 0 and "2 passed" in r.stdout
    assert "1 theorem items matching 'markov.state_count', 1 other test items" in r.stdout
