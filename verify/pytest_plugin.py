"""pytest plugin (entry point ``pytest11``): theorems as test items.

``pytest --theorems [GLOB] [--theorem-profile quick] [--theorem-seed 0]`` collects every
registered theorem whose id matches ``GLOB`` (all of them without one) as a test item (with no
paths given, nothing else: ``pytest --theorems 'mine.*' tests/`` adds the tests there) that
passes when its verdict matches its expectation (a negative control must be refuted) and, on
failure, shows the verdict, the worst point and the command that replays the counterexample. The
items are ordinary test items: ``--junitxml``, ``-k`` and ``-x`` work as usual.

Without ``--theorems`` the plugin does nothing, and loading it imports neither torch nor the
catalogue.
"""

from __future__ import annotations

import fnmatch

import pytest

PROFILES = ("quick", "standard", "thorough")


def pytest_addoption(parser):
    group = parser.getgroup("theoremlab", "theoremlab: theorems as tests")
    group.addoption(
        "--theorems",
        nargs="?",
        const="*",
        default=None,
        metavar="GLOB",
        help="collect the theorems whose id matches GLOB (default: every theorem) as tests",
    )
    group.addoption(
        "--theorem-profile",
        default="quick",
        choices=PROFILES,
        help="verification profile for --theorems (default: quick)",
    )
    group.addoption("--theorem-seed", type=int, default=0, help="seed for --theorems runs")
    group.addoption("--theorem-device", default="cpu", help="auto, cpu or cuda for --theorems runs")


class TheoremMismatch(Exception):
    """A theorem's verdict differs from its expectation."""


class TheoremItem(pytest.Item):
    def __init__(self, *, theorem_id: str, **kw):
        super().__init__(**kw)
        self.theorem_id = theorem_id

    def runtest(self):
        import theorems
        from verify.engine import check

        opt = self.config.getoption
        t = theorems.get(self.theorem_id)
        r = check(
            t,
            profile=opt("theorem_profile"),
            seed=opt("theorem_seed"),
            device=opt("theorem_device"),
        )
        for key, value in (
            ("verdict", r.verdict),
            ("expect", t.expect),
            ("strength", r.strength),
            ("points", r.points),
        ):
            self.user_properties.append((key, value))
        if not r.as_expected:
            lines = [
                f"{t.id}: verdict {r.verdict}, expected {t.expect}"
                + (f" ({r.strength})" if r.strength else "")
            ]
            if r.message:
                lines.append(f"  {r.message}")
            if r.worst:
                lines += [f"  {k}: {v}" for k, v in r.worst.items() if k != "seed"]
            if r.counterexample and r.counterexample.get("command"):
                lines.append(f"  replay: {r.counterexample['command']}")
            raise TheoremMismatch("\n".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, TheoremMismatch):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"theorem {self.theorem_id}"


class TheoremCatalogue(pytest.Collector):
    """The registered theorems matching ``--theorems``."""

    def collect(self):
        import theorems

        pattern = self.config.getoption("theorems")
        for t in theorems.all():
            if fnmatch.fnmatchcase(t.id, pattern):
                yield TheoremItem.from_parent(self, name=t.id, theorem_id=t.id)


def _theorems_only(config) -> bool:
    """``--theorems`` with no paths on the command line: only the theorems are collected (not
    the test files under the current folder, which may be another project's suite)."""
    return (
        config.getoption("theorems") is not None
        and config.args_source != pytest.Config.ArgsSource.ARGS
    )


def pytest_ignore_collect(collection_path, config):
    if _theorems_only(config):
        return True
    return None


def pytest_report_collectionfinish(config, start_path, items):
    pattern = config.getoption("theorems")
    if pattern is None:
        return None
    n = sum(isinstance(i, TheoremItem) for i in items)
    if _theorems_only(config):
        return (
            f"theoremlab: {n} theorem items matching {pattern!r}, and no test files "
            "(no paths given)"
        )
    return f"theoremlab: {n} theorem items matching {pattern!r}, {len(items) - n} other test items"


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselect, so they apply to these items too
def pytest_collection_modifyitems(session, config, items):
    pattern = config.getoption("theorems")
    if pattern is None:
        return
    found = list(TheoremCatalogue.from_parent(session, name="theorems").collect())
    if not found:
        raise pytest.UsageError(f"--theorems {pattern!r} matches no registered theorem")
    items.extend(found)
