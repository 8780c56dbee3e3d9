"""Reports: ``reports/latest.json`` after every ``verify run`` (schema ``theoremlab.report/1``),
written atomically after each theorem so an interrupted run leaves a valid file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree as ET

from numerics.files import atomic_write

from .verdicts import Verdict

SCHEMA = "theoremlab.report/1"
LATEST = Path("reports") / "latest.json"
RESULT_FIELDS = (
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
    "resolution",
    "resolution_note",
    "evidence",
)


def fmt(x, digits: int = 3) -> str:
    """A report value for people: ``—`` for None, floats to ``digits`` significant digits."""
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:.{digits}g}"
    return str(x)


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def versions() -> dict:
    out = {"python": platform.python_version()}
    for dist in ("theoremlab", "sympy", "mpmath", "numpy", "scipy", "torch", "hypothesis"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def check_writable(path: Path) -> None:
    """Raise ``ValueError`` unless a file can be written at ``path``: it is not a folder, and its
    folder exists and is writable or can be created (its nearest existing ancestor is a writable
    folder). Nothing is created."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"cannot write {path}: it is a folder")
    parent = path.parent
    while not parent.exists():
        if parent.is_symlink():  # a dangling link
            raise ValueError(f"cannot write {path}: {parent} is a broken link")
        parent = parent.parent
    if not parent.is_dir():
        raise ValueError(f"cannot write {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"cannot write {path}: the folder {parent} is not writable")


def atomic_write_json(path: Path, data: dict) -> None:
    """Write JSON to ``path`` atomically (:func:`atomic_write`)."""
    text = json.dumps(data, indent=1, allow_nan=False) + "\n"
    atomic_write(path, lambda fh: fh.write(text.encode()))


class Report:
    """A run's report, rewritten to every target path after each result. Nothing is written
    before the first result: the last complete report stays until this run has something to
    replace it with."""

    def __init__(self, targets: list[Path], *, profile: str, device: str, seed: int):
        self.targets = [Path(t) for t in targets]
        self.t0 = time.time()
        self.data = {
            "schema": SCHEMA,
            "commit": git_commit(),
            "profile": profile,
            "device": device,
            "seed": seed,
            "versions": versions(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.t0)),
            "seconds": 0.0,
            "complete": False,
            "results": [],
        }

    def add(self, result) -> None:
        row = result.to_json()
        extra = {"message": row["message"], "device": row["device"], "commit": self.data["commit"]}
        self.data["results"].append({k: row[k] for k in RESULT_FIELDS} | extra)
        self.flush()

    def close(self) -> None:
        self.data["complete"] = True
        self.flush()

    def flush(self) -> None:
        self.data["seconds"] = round(time.time() - self.t0, 3)
        for t in self.targets:
            atomic_write_json(t, self.data)


def load(path: Path = LATEST) -> dict | None:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    return data if data.get("schema") == SCHEMA else None


def evidence_for(theorem, report: dict | None) -> tuple[dict | None, bool]:
    """The latest result for ``theorem`` and whether it is stale (hash differs from the code)."""
    if not report:
        return None, False
    for row in report.get("results", []):
        if row.get("id") == theorem.id:
            return row, row.get("theorem_hash") != theorem.hash
    return None, False


def write_junit(path: Path, results, *, strict: bool) -> None:
    suite = ET.Element("testsuite", name="theoremlab", tests=str(len(results)))
    failures = 0
    for r in results:
        case = ET.SubElement(
            suite, "testcase", classname=r.id.rsplit(".", 1)[0], name=r.id, time=f"{r.seconds:.3f}"
        )
        if r.verdict == Verdict.ERROR:
            ET.SubElement(case, "error", message=r.message or "error")
            failures += 1
        elif not r.as_expected and not (r.verdict == Verdict.INCONCLUSIVE and not strict):
            el = ET.SubElement(case, "failure", message=f"verdict {r.verdict}, expected {r.expect}")
            if r.counterexample:
                el.text = json.dumps(r.counterexample)
            failures += 1
    suite.set("failures", str(failures))
    atomic_write(
        path, lambda fh: ET.ElementTree(suite).write(fh, encoding="utf-8", xml_declaration=True)
    )
