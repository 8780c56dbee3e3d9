import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]  # in-process pytest sessions (tests/fast/test_pytest_plugin.py)

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.register_profile("thorough", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty folder (reports/ is written relative to the working directory)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pytest_collection_modifyitems(config, items):
    """The tier is the folder: a test under tests/slow or tests/release is marked ``slow``
    (``-m 'not slow'`` still selects by marker)."""
    for item in items:
        if {"slow", "release"} & set(item.path.parts[-3:-1]):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def extra(monkeypatch):
    """Add theorems to the catalogue for one test (``extra(t1, t2, ...)``)."""
    from theorems import registry

    def add(*thms):
        cat = dict(registry._catalogue())
        cat.update((t.id, t) for t in thms)
        monkeypatch.setattr(registry, "_cache", cat)

    yield add
    registry.refresh()
