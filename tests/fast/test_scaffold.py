"""``verify new ID --kind KIND``: a skeleton package per claim kind that passes as generated,
with its entry point; bad input is refused with nothing written."""

import importlib
import sys
import tomllib

import pytest

from verify import check
from verify.cli import main
from verify.scaffold import KINDS, new_package


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_s_skeleton_passes_as_generated(kind, tmp_path, monkeypatch):
    tid = f"mine{KINDS.index(kind)}.claim"
    files = new_package(tid, kind, tmp_path / "pkg")
    module = tid.split(".")[0] + "_theorems"
    assert [f.name for f in files] == ["pyproject.toml", f"{module}.py"]
    meta = tomllib.loads(files[0].read_text())
    assert meta["project"]["entry-points"]["theoremlab.theorems"] == {
        tid.split(".")[0]: f"{module}:catalogue"
    }
    text = files[1].read_text()
    assert "TODO" in text
    compile(text, str(files[1]), "exec")
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    mod = importlib.import_module(module)
    try:
        (thm,) = mod.catalogue()
        assert thm.id == tid and thm.claim.kind == kind
        r = check(thm)
        assert r.verdict == "pass", (kind, r.verdict, r.message)
    finally:
        sys.modules.pop(module, None)


def test_bad_input_is_refused_and_nothing_is_overwritten(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "Mine.x", "--kind", "identity"]) == 2
    assert "family.name" in capsys.readouterr().err
    assert main(["new", "mine.x", "--kind", "identiy"]) == 2
    assert "must be one of" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
    assert main(["new", "mine.x", "--kind", "rate"]) == 0
    assert "pip install -e mine-theorems" in capsys.readouterr().out
    before = (tmp_path / "mine-theorems" / "mine_theorems.py").read_text()
    assert main(["new", "mine.y", "--kind", "identity"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "mine-theorems" / "mine_theorems.py").read_text() == before
