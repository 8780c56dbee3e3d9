"""The ``verify`` command line (also ``python -m verify``): ``list``, ``show``, ``run``,
``check``, ``docs``, ``fuzz`` (counterexample search), ``selftest`` (mutation analysis),
``checkpoints`` (the pre-trained models a profile uses) and ``bench``.

``list``, ``show`` and ``--help`` import neither torch nor numba nor scipy: the engine and the
numerics load when an experiment runs.

Exit codes: 0 when every verdict matches its theorem's expectation (a negative control must be
refuted); inconclusive verdicts are listed and, with ``--strict``, exit 1 too; 1 otherwise; 2 for
usage errors (unknown id, bad ``--at`` value, broken assumption). ``fuzz`` exits 1 when its
outcome contradicts the expectation; ``selftest`` when a check rejects fewer than 90 % of its
mutants or a true theorem fails.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import theorems

from . import report as reports
from .profiles import PROFILES

out = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 150)

VERDICT_STYLE = {"pass": "green", "fail": "red", "inconclusive": "yellow", "error": "bold red"}


class UsageError(Exception):
    """Bad input from the user: exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        err.print(f"verify: error: {message}")
        raise SystemExit(2)


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="verify", description="Check theorems about LLMs against simulations.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("list", help="the catalogue, grouped by paper")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("show", help="statement, assumptions, proof steps, last evidence")
    s.add_argument("id")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("checkpoints", help="find or build the pre-trained models a profile uses")
    s.add_argument("--profile", choices=list(PROFILES), default="quick")
    s.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    s.add_argument(
        "--rebuild", action="store_true", help="train from scratch even if one is shipped or cached"
    )
    s.add_argument(
        "--ship",
        action="store_true",
        help="also write them into the package (numerics/checkpoints/, for maintainers)",
    )

    s = sub.add_parser("run", help="check theorems over a profile's parameter points")
    s.add_argument("patterns", nargs="*", metavar="ID|GLOB")
    _common(s)
    s.add_argument("--strict", action="store_true", help="inconclusive verdicts exit 1 too")
    s.add_argument("--json", type=Path, metavar="PATH", help="also write the report here")
    s.add_argument("--junit", type=Path, metavar="PATH", help="write a JUnit XML report")
    where = s.add_mutually_exclusive_group()
    where.add_argument(
        "--jobs",
        type=_positive_int,
        default=1,
        metavar="N",
        help="measure the points in N local processes (same results as one)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="measure the points on a Dask distributed cluster (tcp://host:8786; dask extra)",
    )

    s = sub.add_parser(
        "docs", help="build the Sphinx site (runs the quick profile first if no report)"
    )
    s.add_argument("--source", type=Path, default=Path("docs"), help="Sphinx sources (docs)")
    s.add_argument("--out", type=Path, default=Path("docs/_build/html"), help="output folder")

    s = sub.add_parser("check", help="one point: reproduces a counterexample")
    s.add_argument("id")
    s.add_argument("--at", required=True, metavar="NAME=VALUE,...")
    _common(s)

    s = sub.add_parser("selftest", help="mutation analysis: do the checks reject false claims?")
    s.add_argument("patterns", nargs="*", metavar="ID|GLOB")
    _common(s)

    s = sub.add_parser(
        "calibrate", help="Monte-Carlo theorems at many seeds: verdict rates, standard errors"
    )
    s.add_argument("patterns", nargs="*", metavar="ID|GLOB")
    _common(s)
    s.add_argument("--seeds", type=_positive_int, default=20, help="seeds 0..N-1 (default 20)")
    s.add_argument("--json", type=Path, metavar="PATH", help="write the table as JSON")

    s = sub.add_parser("bench", help="time our implementations against references")
    s.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="benchmarks (default: all, thorough-run only on a GPU; `scale` = every scale-* table)",
    )
    s.add_argument("--json", type=Path, metavar="PATH", help="write the rows as JSON")
    s.add_argument(
        "--max-exponent",
        type=int,
        default=None,
        metavar="E",
        help="cap the state (and skill) counts at 2^E (default: operator 2^22, the scale "
        "tables 2^26 states and 10^7 skills)",
    )

    s = sub.add_parser("fuzz", help="search the parameter domains for a counterexample")
    s.add_argument("id")
    s.add_argument("--examples", type=int, default=50, help="points to try (default 50)")
    _common(s)
    return p


def _common(s):
    s.add_argument("--profile", choices=list(PROFILES), default="quick")
    s.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    s.add_argument("--seed", type=int, default=0)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        commands = {
            "list": cmd_list,
            "show": cmd_show,
            "run": cmd_run,
            "check": cmd_check,
            "docs": cmd_docs,
            "fuzz": cmd_fuzz,
            "selftest": cmd_selftest,
            "bench": cmd_bench,
            "checkpoints": cmd_checkpoints,
            "calibrate": cmd_calibrate,
        }
        return commands[args.command](args)
    except UsageError as exc:
        err.print(f"verify: error: {exc}")
        return 2
    except KeyboardInterrupt:
        err.print("verify: interrupted")
        return 130


def _get(theorem_id: str):
    try:
        return theorems.get(theorem_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def _select(patterns: list[str]):
    catalogue = theorems.all()
    if not patterns:
        return catalogue
    chosen = []
    for pat in patterns:
        hits = [t for t in catalogue if fnmatch.fnmatchcase(t.id, pat)]
        if not hits:
            if any(ch in pat for ch in "*?["):
                raise UsageError(f"no theorem id matches {pat!r}")
            _get(pat)  # raises with a suggestion
        chosen += [t for t in hits if t not in chosen]
    return chosen


# --------------------------------------------------------------------------------------------


def cmd_list(args) -> int:
    cat = theorems.all()
    if args.json:
        rows = [
            {
                "id": t.id,
                "title": t.title,
                "kind": t.claim.kind,
                "expect": t.expect,
                "paper": t.source.paper,
                "locator": t.source.locator,
                "source_kind": t.source.kind,
                "uses": list(t.uses),
                "hash": t.hash,
            }
            for t in cat
        ]
        print(json.dumps(rows, indent=1))
        return 0
    by_paper: dict[str, list] = {}
    for t in cat:
        by_paper.setdefault(t.source.paper, []).append(t)
    for paper, items in by_paper.items():
        table = Table(title=paper, title_justify="left", show_lines=False)
        table.add_column("id", no_wrap=True)
        for col in ("kind", "expect", "title"):
            table.add_column(col)
        for t in items:
            table.add_row(t.id, t.claim.kind, t.expect, t.title)
        out.print(table)
    return 0


def _claim_extras(c) -> dict:
    extras = {
        k: v
        for k, v in (
            ("variable", c.variable),
            ("limit", c.limit),
            ("margin", c.margin),
            ("level", c.level),
            ("tolerance", c.tolerance),
        )
        if v is not None
    }
    if c.kind == "monotone":
        extras["direction"] = c.direction
    if c.existential:
        extras["existential"] = True
    return extras


_REL = {"identity": "=", "upper_bound": "≤", "lower_bound": "≥", "probability": "≤"}


def show_record(t) -> dict:
    """Everything ``verify show`` prints, as plain JSON-ready data."""
    import sympy as sp

    from .proofs import proof_status

    c = t.claim
    row, stale = reports.evidence_for(t, reports.load())
    plain = lambda v: v if isinstance(v, int | float | str | bool) or v is None else str(v)  # noqa: E731
    return {
        "id": t.id,
        "title": t.title,
        "source": {
            "paper": t.source.paper,
            "locator": t.source.locator,
            "kind": t.source.kind,
            "cite": t.source.cite,
        },
        "expect": t.expect,
        "claim": {
            "kind": c.kind,
            "relation": _REL.get(c.kind, "~"),
            "expr": sp.sstr(c.expr),
            "latex": sp.latex(c.expr),
            "measured": c.measured,
            **{k: plain(v) for k, v in _claim_extras(c).items()},
        },
        "parameters": [
            {"name": sym.name, "domain": dom.describe()} for sym, dom in t.parameters.items()
        ],
        "assumptions": [sp.sstr(a) for a in t.assumptions],
        "fixed": {
            k: plain(v) if not isinstance(v, dict) else {p: plain(u) for p, u in v.items()}
            for k, v in t.fixed.items()
        },
        "uses": list(t.uses),
        "proof": proof_status(t),
        "experiment": t.experiment,
        "hash": t.hash,
        "finding": t.finding,
        "notes": t.notes,
        "evidence": None if row is None else {**row, "stale": stale},
    }


def cmd_show(args) -> int:
    t = _get(args.id)
    rec = show_record(t)
    if args.json:
        print(json.dumps(rec, indent=1, allow_nan=False))
        return 0
    c = rec["claim"]
    out.print(f"[bold]{t.id}[/bold]: {escape(t.title)}")
    out.print(f"source: {escape(str(t.source))}")
    role = "finding" if t.finding else "negative control"
    out.print(f"claim ({c['kind']}{f', expect fail: {role}' if t.expect == 'fail' else ''}):")
    out.print(f"  measured {c['relation']} {escape(c['expr'])}")
    if c["measured"]:
        out.print(f"  measured: {escape(c['measured'])}")
    extras = _claim_extras(t.claim)
    if extras:
        out.print("  " + ", ".join(f"{k} = {v}" for k, v in extras.items()))
    out.print("parameters:")
    for p in rec["parameters"]:
        out.print(f"  {p['name']}: {p['domain']}")
    if rec["assumptions"]:
        out.print("assumptions: " + ", ".join(rec["assumptions"]))
    if t.fixed:
        out.print("fixed: " + escape(", ".join(f"{k} = {v}" for k, v in t.fixed.items())))
    if t.uses:
        out.print("uses: " + ", ".join(t.uses))
    if rec["proof"]:
        out.print("proof steps:")
        mark = {True: "[green]proved[/green]", False: "[red]FALSE[/red]", None: "not proved"}
        for s in rec["proof"]:
            out.print(f"  \\[{mark[s['proved']]}] {escape(s['statement'])}")
            out.print(f"      {escape(s['expr'])}")
    out.print(f"experiment: {t.experiment}    hash: {t.hash}")
    if t.finding:
        out.print(f"finding: {escape(t.finding)}")
    if t.notes:
        out.print(f"notes: {escape(t.notes)}")
    row = rec["evidence"]
    if row is None:
        out.print("evidence: none yet (run `verify run " + t.id + "`)")
    else:
        style = VERDICT_STYLE.get(row["verdict"], "")
        out.print(
            f"evidence: [{style}]{row['verdict']}[/{style}] ({row['strength']}), "
            f"{row['points']} points, confidence {row['confidence']}, tightness "
            f"{reports.fmt(row['tightness'])}"
        )
        from .resolution import describe

        res = describe(t.claim.kind, row.get("resolution"), row.get("resolution_note", ""))
        out.print(f"  resolution: {escape(res)}")
        if row.get("worst"):
            out.print(f"  worst point: {escape(json.dumps(row['worst']))}")
        if row.get("counterexample"):
            out.print(f"  counterexample: {escape(row['counterexample'].get('command', ''))}")
        if row["stale"]:
            out.print(
                "[yellow]  warning: stale evidence: the theorem changed since this report "
                "(hash differs)[/yellow]"
            )
    return 0


def cmd_checkpoints(args) -> int:
    from . import checkpoints

    device = _device(args.device)

    def item(d, steps, state):
        err.print(f"d={d}, {steps} pre-training steps: {state}")

    try:
        with _progress() as prog, _training_bars(prog):
            found = checkpoints.ensure(
                args.profile, device, rebuild=args.rebuild, ship=args.ship, on_item=item
            )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for c in found:
        out.print(f"d={c.d}, {c.steps} steps: {c.where} {c.path}")
    return 0


def _progress():
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@contextlib.contextmanager
def _training_bars(prog):
    """Show the numerics' long work (model training) as bars under ``prog``."""
    from numerics.progress import reporting

    tasks = {}

    def handler(label, done, total):
        if label not in tasks:
            tasks[label] = prog.add_task(f"    {label}", total=total)
        prog.update(tasks[label], completed=done, total=total)
        if done >= total:
            prog.remove_task(tasks.pop(label))

    with reporting(handler):
        yield


def cmd_docs(args) -> int:
    if not (args.source / "conf.py").exists():
        raise UsageError(
            f"no Sphinx sources at {args.source}/ (run from the project root, or pass --source)"
        )
    try:
        from .docs import build
    except ImportError as exc:  # the [docs] extra is missing
        raise UsageError(
            f"the docs need the [docs] extra ({exc.name} is missing): "
            "pip install 'theoremlab[docs]'"
        ) from None
    if reports.load(reports.LATEST) is None:
        err.print("no report at reports/latest.json: running the quick profile first")
        cmd_run(_parser().parse_args(["run", "--profile", "quick"]))
    status = build(args.out, srcdir=args.source, report_path=reports.LATEST)
    if status == 0:
        err.print(f"docs built: {args.out / 'index.html'}")
    return 0 if status == 0 else 1


def cmd_run(args) -> int:
    chosen = _select(args.patterns)
    targets = [reports.LATEST] + ([args.json] if args.json else [])
    for path in targets + ([args.junit] if args.junit else []):
        try:  # every output checked before anything runs: a bad path writes nothing
            reports.check_writable(path)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    device = _device(args.device)
    from .engine import check
    from .parallel import executor

    results = []
    with contextlib.ExitStack() as stack:
        try:  # before the report: an unreachable scheduler leaves nothing on disk
            ex = stack.enter_context(executor(args.jobs, args.scheduler))
        except RuntimeError as exc:
            raise UsageError(str(exc)) from None
        rep = reports.Report(targets, profile=args.profile, device=device, seed=args.seed)
        prog = stack.enter_context(_progress())
        stack.enter_context(_training_bars(prog))
        overall = prog.add_task("theorems", total=len(chosen))
        for t in chosen:
            task = prog.add_task(f"  {t.id}", total=None)

            def tick(done, total, task=task):
                prog.update(task, completed=done, total=total)

            r = check(
                t, profile=args.profile, seed=args.seed, device=device, progress=tick, executor=ex
            )
            prog.remove_task(task)
            prog.advance(overall)
            results.append(r)
            rep.add(r)
            style = VERDICT_STYLE[r.verdict]
            err.print(f"{t.id}: [{style}]{r.verdict}[/{style}] ({r.seconds:.1f}s)")
    rep.close()
    if args.junit:
        reports.write_junit(args.junit, results, strict=args.strict)
    _table(results)
    return _exit_code(results, args.strict)


def _device(choice: str) -> str:
    from numerics.device import resolve_device

    try:
        return str(resolve_device(choice))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _table(results) -> None:
    table = Table(title="theoremlab verdicts")
    for col in (
        "id",
        "kind",
        "expect",
        "verdict",
        "strength",
        "points",
        "worst margin",
        "tightness",
        "seconds",
    ):
        table.add_column(
            col, justify="right" if col in ("points", "seconds") else "left", no_wrap=col == "id"
        )
    for r in results:
        style = VERDICT_STYLE[r.verdict]
        verdict = f"[{style}]{r.verdict}[/{style}]" + ("" if r.as_expected else " ≠ expected")
        margin = r.worst.get("margin") if r.worst else None
        table.add_row(
            r.id,
            r.kind,
            r.expect,
            verdict,
            r.strength or "—",
            str(r.points),
            reports.fmt(margin),
            reports.fmt(r.tightness),
            f"{r.seconds:.2f}",
        )
    out.print(table)
    unexpected = [r for r in results if not r.as_expected and r.verdict != "inconclusive"]
    inconclusive = [r for r in results if r.verdict == "inconclusive"]
    for r in inconclusive:
        out.print(f"[yellow]inconclusive[/yellow]: {r.id}: {r.message}")
    for r in unexpected:
        out.print(f"[red]{r.verdict}[/red] (expected {r.expect}): {r.id}: {r.message}")
        if r.counterexample:
            out.print(f"  replay: {r.counterexample['command']}")
    total = sum(r.seconds for r in results)
    out.print(
        f"{len(results)} theorems, {len(results) - len(unexpected) - len(inconclusive)} as "
        f"expected, {len(inconclusive)} inconclusive, {len(unexpected)} unexpected; "
        f"{total:.1f}s; report: {reports.LATEST}"
    )


def _exit_code(results, strict: bool) -> int:
    for r in results:
        if r.verdict == "inconclusive":
            if strict:
                return 1
            continue
        if not r.as_expected:
            return 1
    return 0


def parse_at(theorem, text: str) -> dict:
    """``T=3,K=2,tau=0.5`` → values typed by each parameter's domain; errors name the problem."""
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise UsageError(f"--at expects NAME=VALUE pairs separated by commas, got {part!r}")
        name, _, raw = part.partition("=")
        name = name.strip()
        try:
            sym = theorem.param(name)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
        if name in values:
            raise UsageError(f"--at gives {name} twice ({values[name]!r} and {raw.strip()!r})")
        try:
            values[name] = theorem.parameters[sym].parse(raw.strip())
        except ValueError:
            raise UsageError(f"{name}: cannot read {raw.strip()!r} as a number") from None
    try:
        theorem.check_assumptions(values)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return values


def cmd_check(args) -> int:
    from .engine import check

    t = _get(args.id)
    point = parse_at(t, args.at)
    device = _device(args.device)
    with _progress() as prog, _training_bars(prog):
        r = check(t, profile=args.profile, seed=args.seed, device=device, points=[point])
    style = VERDICT_STYLE[r.verdict]
    out.print(
        f"{t.id} at {point} (seed {args.seed}): [{style}]{r.verdict}[/{style}] "
        f"(expected {t.expect}; {r.strength or '—'})"
    )
    if r.worst:
        for k, v in r.worst.items():
            if k not in ("params", "seed"):
                out.print(f"  {k}: {v}")
    if r.message:
        out.print(f"  {r.message}")
    if r.verdict == "error":
        return 1
    return 0 if r.as_expected else 1


def cmd_fuzz(args) -> int:
    from .fuzz import fuzz

    t = _get(args.id)
    if args.examples < 1:
        raise UsageError(f"--examples must be ≥ 1, got {args.examples}")
    device = _device(args.device)
    with _progress() as prog, _training_bars(prog):
        task = prog.add_task(f"fuzzing {t.id}", total=args.examples)
        try:
            res = fuzz(
                t,
                examples=args.examples,
                seed=args.seed,
                profile=args.profile,
                device=device,
                progress=lambda done, total: prog.update(task, completed=done, total=total),
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if not res.found:
        style = "green" if res.as_expected else "red"
        out.print(
            f"{t.id}: [{style}]no counterexample[/{style}] in {res.examples} points "
            f"(seed {args.seed}, profile {args.profile}; expected {t.expect})"
        )
        return 0 if res.as_expected else 1
    r = res.result
    style = VERDICT_STYLE[r.verdict]
    out.print(
        f"{t.id}: [{style}]counterexample[/{style}] ({r.verdict}, {r.strength or '—'}) after "
        f"{res.examples} points, shrunk to {res.point}"
    )
    for k, v in (r.worst or {}).items():
        if k not in ("params", "seed"):
            out.print(f"  {k}: {v}")
    if r.message:
        out.print(f"  {r.message}")
    if res.confirmations:
        fails = sum(v == "fail" for v in res.confirmations)
        out.print(f"  fresh seeds: {fails} of {len(res.confirmations)} fail ({res.confirmations})")
    out.print(f"  replay: {res.command}")
    return 0 if res.as_expected else 1


def cmd_bench(args) -> int:
    from . import bench

    names = args.names or bench.default_names()
    try:  # before running anything
        bench.validate(names, args.max_exponent)
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    def shown(row):
        if "skipped" in row:
            err.print(f"{row['name']}: skipped ({row['skipped']})")
            return
        ratio = f"{row['ratio']:.2f}x" if row.get("ratio") else "—"
        err.print(f"{row['name']}: ours {row['ours_s']:.4g}s, ratio {ratio}")

    with _progress() as prog:
        prog.add_task("benchmarks", total=None)
        rows = bench.run(names, max_exponent=args.max_exponent, on_row=shown)
    table = Table(title="benchmarks (reference time / ours; same process, same run)")
    for col in ("name", "ours", "reference", "ratio", "target", "bandwidth", "met"):
        table.add_column(col, justify="left" if col == "name" else "right")
    for r in rows:
        bw = r.get("bandwidth_fraction")
        bw_s = f"{bw:.0%} of copy" if bw is not None else ""
        if r.get("bandwidth_target") is not None:
            bw_s += f" (≥ {r['bandwidth_target']:.0%})"
        met = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "—"}[r.get("met")]
        table.add_row(
            r["name"],
            f"{r['ours_s']:.4g}s" if r.get("ours_s") is not None else "skipped",
            f"{r['reference_s']:.4g}s" if r.get("reference_s") is not None else "—",
            f"{r['ratio']:.2f}x" if r.get("ratio") is not None else "—",
            f"≥ {r['target']:g}x" if r.get("target") is not None else "—",
            bw_s,
            met,
        )
    out.print(table)
    if args.json:
        reports.atomic_write_json(
            args.json,
            {
                "date": time.strftime("%Y-%m-%d"),
                "machine": bench.machine(),
                "versions": reports.versions(),
                "rows": rows,
            },
        )
    return 1 if any(r.get("met") is False or r.get("correct") is False for r in rows) else 0


def cmd_selftest(args) -> int:
    from .selftest import TARGET, selftest

    chosen = _select(args.patterns)
    device = _device(args.device)
    results = []
    with _progress() as prog, _training_bars(prog):
        task = prog.add_task("selftest", total=len(chosen))
        for t in chosen:
            results.append(selftest(t, profile=args.profile, seed=args.seed, device=device))
            prog.advance(task)
    table = Table(title=f"mutation analysis (target: ≥ {TARGET:.0%} of mutants rejected)")
    for col in ("id", "baseline", "mutants", "rejected", "survivors"):
        table.add_column(col)
    for r in results:
        base = r.baseline.verdict + ("" if r.baseline.as_expected else " ≠ expected")
        if not r.mutants:
            rejected = "— (expected to fail)" if r.baseline.expect == "fail" else "—"
        else:
            rejected = f"{r.rejected}/{len(r.mutants)}"
            if r.existential:
                rejected += " (existential: misses are inconclusive by design)"
        style = "green" if r.ok else "red"
        table.add_row(
            r.theorem_id,
            base,
            str(len(r.mutants)),
            f"[{style}]{escape(rejected)}[/{style}]",
            escape("; ".join(r.survivors)) or "—",
        )
    out.print(table)
    bad = [r.theorem_id for r in results if not r.ok]
    total = sum(len(r.mutants) for r in results)
    out.print(
        f"{len(results)} theorems, {total} mutants, "
        f"{sum(r.rejected for r in results)} rejected; below target or failing: "
        f"{', '.join(bad) or 'none'}"
    )
    return 1 if bad else 0


def cmd_calibrate(args) -> int:
    from .calibrate import SE_FACTOR, calibrate

    chosen = _select(args.patterns)
    if args.json:
        try:
            reports.check_writable(args.json)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if args.seeds < 2:
        raise UsageError(f"--seeds must be ≥ 2, got {args.seeds}")
    device = _device(args.device)
    with _progress() as prog, _training_bars(prog):
        overall = prog.add_task("theorems", total=len(chosen))

        def on_theorem(t):
            prog.advance(overall)
            task = prog.add_task(f"  {t.id}", total=args.seeds)
            return lambda done, total: prog.update(task, completed=done, total=total)

        run = calibrate(
            chosen, args.seeds, profile=args.profile, device=device, on_theorem=on_theorem
        )
    table = Table(title=f"calibration: {args.profile} profile, seeds 0..{args.seeds - 1}")
    for col in ("id", "expect", "pass", "fail", "inconclusive", "unexpected", "SE ratio"):
        table.add_column(col, justify="left" if col in ("id", "expect") else "right")
    for t in run.theorems:
        bad = "red" if t.unexpected else "green"
        if t.se_ratio is None:
            se = "— (seed unused)" if t.se_note else "—"
        else:
            lo, hi = t.se_ratio_range
            se = f"{t.se_ratio:.2f} [{lo:.2f}, {hi:.2f}]"
            if not t.se_ok:
                se = f"[red]{se}[/red]"
        table.add_row(
            t.id,
            t.expect,
            str(t.count("pass")),
            str(t.count("fail")),
            str(t.count("inconclusive")),
            f"[{bad}]{t.unexpected}[/{bad}]",
            se,
        )
    out.print(table)
    n = len(run.seeds)
    out.print(
        f"{len(run.theorems)} Monte-Carlo theorems at {n} seeds ({len(run.deterministic)} "
        f"deterministic left out): runs with a true theorem refuted "
        f"{run.runs_with_a_false_fail}/{n}, with any unexpected verdict "
        f"{run.runs_with_an_unexpected_verdict}/{n}. SE ratio: spread over the seeds / reported "
        f"standard error, median [10 %, 90 %] over the elements; within a factor {SE_FACTOR}."
    )
    if args.json:
        from .bench import machine

        rec = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine() | {"device": device},
            "versions": reports.versions(),
            "commit": reports.git_commit(),
            **run.to_json(),
        }
        reports.atomic_write_json(args.json, rec)
    return 0 if run.ok else 1


if __name__ == "__main__":  # pragma: no cover  (python -m verify.cli)
    sys.exit(main())
