"""Reports (schema ``theoremlab.report/1``): every ``verify run`` writes its own report under
``reports/runs/`` and merges its results into ``reports/latest.json``, which keeps the latest
result of every theorem ever checked there (by id, each row with its own commit, profile, seed
and date). Both are written atomically after each theorem, so an interrupted run leaves valid
files."""

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

from .experiments import source_hash
from .verdicts import Verdict

SCHEMA = "theoremlab.report/1"
LATEST = Path("reports") / "latest.json"
RUNS = Path("reports") / "runs"
ROW_CONTEXT = ("commit", "profile", "seed", "date")
"""What each result row of a merged report says of the run it came from."""
RESULT_FIELDS = (
    "id",
    "kind",
    "expect",
    "verdict",
    "strength",
    "source",
    "theorem_hash",
    "experiment_hash",
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
        text = f"{x:.{digits}g}"
        return "0" if text in ("-0", "0") else text  # a negative value rounding to 0 is 0
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
    """A run's report, rewritten to every target path after each result, and merged into
    ``merge_into`` (the latest result per theorem over all runs, :func:`merged`). Nothing is
    written before the first result: the last complete report stays until this run has
    something to replace it with."""

    def __init__(
        self,
        targets: list[Path],
        *,
        profile: str,
        device: str,
        seed: int,
        merge_into: Path | None = None,
    ):
        self.targets = [Path(t) for t in targets]
        self.merge_into = None if merge_into is None else Path(merge_into)
        self.t0 = time.time()
        self.data = {
            "schema": SCHEMA,
            "commit": git_commit(),
            "profile": profile,
            "device": device,
            "seed": seed,
            "versions": versions(),
            "started": _stamp(self.t0),
            "seconds": 0.0,
            "complete": False,
            "results": [],
        }

    def add(self, result) -> None:
        row = result.to_json()
        extra = {
            "message": row["message"],
            "device": row["device"],
            "commit": self.data["commit"],
            "profile": self.data["profile"],
            "seed": self.data["seed"],
            "date": _stamp(time.time()),
        }
        self.data["results"].append({k: row[k] for k in RESULT_FIELDS} | extra)
        self.flush()

    def close(self) -> None:
        self.data["complete"] = True
        self.flush()

    def flush(self) -> None:
        self.data["seconds"] = round(time.time() - self.t0, 3)
        for t in self.targets:
            atomic_write_json(t, self.data)
        if self.merge_into is not None:  # read again each time: another run may have written
            atomic_write_json(self.merge_into, merged(load(self.merge_into), self.data))


def run_path(profile: str, seed: int, when: float | None = None, folder: Path = RUNS) -> Path:
    """Where a run's own report goes: ``reports/runs/<date>-<profile>-seed<seed>-<pid>.json``."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(time.time() if when is None else when))
    base = Path(folder) / f"{stamp}-{profile}-seed{seed}-{os.getpid()}"
    path, k = base.with_suffix(".json"), 1
    while path.exists():  # two runs of one process within a second
        k += 1
        path = base.with_name(f"{base.name}-{k}.json")
    return path


def _stamp(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t))


def rows_with_context(report: dict) -> list[dict]:
    """A report's rows, each with the commit, profile, seed and date of the run that made it
    (rows of older reports, which carry them only at the top, get them from there)."""
    top = {
        "commit": report.get("commit"),
        "profile": report.get("profile"),
        "seed": report.get("seed"),
        "date": report.get("started"),
    }
    return [{k: row.get(k, top[k]) for k in ROW_CONTEXT} | row for row in report.get("results", [])]


def merged(previous: dict | None, run: dict) -> dict:
    """``run``'s report with the rows of ``previous`` (an earlier merged report) for every
    theorem this run has not (yet) checked: the latest result per theorem id, in the earlier
    order with this run's new ids after. The top level describes ``run``; ``"merged"`` counts
    the rows kept from earlier runs."""
    mine = {row["id"]: row for row in rows_with_context(run)}
    rows, seen = [], set()
    for row in rows_with_context(previous or {}):
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        rows.append(mine.get(row["id"], row))
    rows += [row for tid, row in mine.items() if tid not in seen]
    kept = sum(1 for row in rows if row["id"] not in mine)
    return {**run, "results": rows, "merged": kept}


def provenance(row: dict) -> str:
    """Where a result came from, for people: ``quick profile, seed 0, commit 1a2b3c4d5e,
    2026-12-03T11:40:02+0000``."""
    commit = str(row.get("commit") or "unknown")[:10]
    return (
        f"{row.get('profile') or '?'} profile, seed {row.get('seed', '?')}, commit {commit}, "
        f"{row.get('date') or 'date unknown'}"
    )


def load(path: Path = LATEST) -> dict | None:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    return data if data.get("schema") == SCHEMA else None


def evidence_for(theorem, report: dict | None) -> tuple[dict | None, bool]:
    """The latest result for ``theorem`` (with the commit, profile, seed and date of its run)
    and whether it is stale: the theorem's hash differs from the code's, or its experiment's
    source changed since (:func:`verify.experiments.source_hash`; rows that predate the
    experiment hash are judged by the theorem's hash alone)."""
    if not report:
        return None, False
    for row in rows_with_context(report):
        if row.get("id") == theorem.id:
            if row.get("theorem_hash") != theorem.hash:
                return row, True
            made = row.get("experiment_hash")
            return row, made is not None and made != source_hash(theorem.experiment)
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
