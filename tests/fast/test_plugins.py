"""Plug-ins: each entry point loads in isolation. A broken one (raising at registration, a
duplicate id, a non-theorem) is left out and reported once, with its package named; the
built-in catalogue and the other plug-ins keep working."""

import sympy as sp
import synthetic

import theorems
from theorems import registry
from verify.cli import main


class FakeEntryPoint:
    def __init__(self, name, load, package):
        self.name, self.value, self._load = name, f"{package}:catalogue", load
        self.dist = type("D", (), {"name": package})()

    def load(self):
        return self._load


def _good():
    n = sp.Symbol("n", integer=True)
    return [synthetic.theorem("mine.good", "identity", n * (n + 1) / 2, "triangular")]


def _raises():
    raise theorems.TheoremDefinitionError("mine.bad: an assumption folded to False")


STATE_COUNT = theorems.get("markov.state_count")


def _duplicate():
    return [STATE_COUNT]


def _asks_for_the_catalogue():
    return [theorems.get("markov.state_count")]


def test_a_broken_plugin_is_left_out_and_named(monkeypatch, capsys):
    eps = [
        FakeEntryPoint("good", _good, "goodpkg"),
        FakeEntryPoint("bad", _raises, "badpkg"),
        FakeEntryPoint("dup", _duplicate, "duppkg"),
        FakeEntryPoint("junk", lambda: [1], "junkpkg"),
        FakeEntryPoint("loop", _asks_for_the_catalogue, "looppkg"),
    ]
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    theorems.refresh()
    builtin = len(theorems.all())
    monkeypatch.setattr(registry, "entry_points", lambda group: eps)
    theorems.refresh()
    try:
        ids = {t.id for t in theorems.all()}
        assert "mine.good" in ids and "markov.state_count" in ids and len(ids) == builtin + 1
        bad = dict(theorems.broken())
        assert any("badpkg" in k and "folded to False" in v for k, v in bad.items())
        assert any("duppkg" in k and "defined twice" in v for k, v in bad.items())
        assert any("junkpkg" in k and "not a Theorem" in v for k, v in bad.items())
        assert any("looppkg" in k and "while it was being collected" in v for k, v in bad.items())
        assert main(["list"]) == 0
        err = capsys.readouterr().err
        assert err.count("entry point bad ") == 1 and "left out" in err
    finally:
        monkeypatch.undo()
        theorems.refresh()
