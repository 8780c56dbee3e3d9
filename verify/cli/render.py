"""Rendering for the command line: the two consoles, the verdicts' colours, progress bars, and
the tables and summaries each command prints. Nothing here decides or runs anything."""

from __future__ import annotations

import contextlib
import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import report as reports
from ..verdicts import Verdict

out = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 150)

VERDICT_STYLE = {
    Verdict.PASS: "green",
    Verdict.FAIL: "red",
    Verdict.INCONCLUSIVE: "yellow",
    Verdict.ERROR: "bold red",
}


def verdict(v: str) -> str:
    """``v`` in its colour (rich markup)."""
    style = VERDICT_STYLE[v]
    return f"[{style}]{v}[/{style}]"


# -- progress ----------------------------------------------------------------------------------


@contextlib.contextmanager
def bars():
    """Show every :mod:`numerics.progress` task reported inside the block as a bar on stderr
    (a run's theorems, a theorem's points, model training), indented by nesting; a task's bar
    goes when the task ends."""
    from numerics.progress import reporting

    prog = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # no bars (and no stray blank line) in a log
    )
    tasks: dict[str, int] = {}

    def handler(label, done, total):
        ended = total is not None and done >= total
        if ended and label not in tasks:  # already ended (or ended before it began)
            return
        if label not in tasks:
            tasks[label] = prog.add_task("  " * len(tasks) + label, total=total)
        prog.update(tasks[label], completed=done, total=total)
        if ended:
            prog.remove_task(tasks.pop(label))

    with prog, reporting(handler):
        yield


STEP_STYLE = {
    "proved": "green",
    "certified": "green",
    "checked": "cyan",
    "cited": "blue",
    "failed": "bold red",
    "open": "yellow",
}


def proof_step(i: int, st: dict) -> None:
    """One proof step: number, status in colour, method, statement, then what decided it."""
    style = STEP_STYLE[st["status"]]
    paper = f" (the paper's, {st['locator']})" if st.get("paper") else ""
    out.print(
        f"  {i}. [{style}]{st['status']}[/{style}] ({st['method']}){escape(paper)} "
        f"{escape(st['statement'])}"
    )
    out.print(f"      {escape(st['expr'])}")
    if st.get("uses"):
        out.print(f"      uses: {', '.join(st['uses'])}")
    certs = st.get("certificates") or []
    if certs:
        boxes = sum(c["boxes"] for c in certs)
        secs = sum(c["seconds"] for c in certs)
        out.print(f"      ball arithmetic: {len(certs)} box(es), {boxes} sub-boxes, {secs:.2f} s")
    if st.get("counterexample"):
        at = ", ".join(f"{k} = {v}" for k, v in st["counterexample"].items())
        out.print(f"      [red]false at {escape(at)}[/red]")
    elif st.get("note") and st["status"] in ("open", "failed"):
        out.print(f"      {escape(st['note'])}")


# -- list and show -----------------------------------------------------------------------------


def catalogue(cat) -> None:
    """The catalogue as one table per paper."""
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


def claim_extras(c) -> dict:
    """The claim's settings beyond its kind and expression (those it sets)."""
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


def _design_words(profile: str, d: dict) -> str:
    """``quick 12 (of a grid of 18, 8 break an assumption, 2 on its edge added)``."""
    notes = []
    if d.get("outside"):
        notes.append(f"{d['outside']} of a grid of {d['grid']} lie outside their domains")
    if d["rejected"]:
        notes.append(f"{d['rejected']} of a grid of {d['grid']} break an assumption")
    if d["edges"]:
        notes.append(f"{d['edges']} on an assumption's edge added")
    if d["capped"]:
        notes.append(f"{d['capped']} over the size cap")
    if d["thinned"]:
        notes.append(f"{d['thinned']} thinned out")
    return f"{profile} {len(d['points'])}" + (f" ({', '.join(notes)})" if notes else "")


def show(t, rec: dict) -> None:
    """``verify show``: the theorem ``t`` from its record (:func:`verify.cli.show_record`)."""
    c = rec["claim"]
    out.print(f"[bold]{t.id}[/bold]: {escape(t.title)}")
    out.print(f"source: {escape(str(t.source))}")
    role = "finding" if t.finding else "negative control"
    out.print(f"claim ({c['kind']}{f', expect fail: {role}' if t.expect == 'fail' else ''}):")
    out.print(f"  measured {c['relation']} {escape(c['expr'])}")
    if c["measured"]:
        out.print(f"  measured: {escape(c['measured'])}")
    extras = claim_extras(t.claim)
    if extras:
        out.print("  " + ", ".join(f"{k} = {v}" for k, v in extras.items()))
    out.print("parameters:")
    for p in rec["parameters"]:
        out.print(f"  {p['name']}: {p['domain']}")
    if rec["assumptions"]:
        out.print("assumptions: " + ", ".join(rec["assumptions"]))
    out.print("design points: " + "; ".join(_design_words(n, d) for n, d in rec["design"].items()))
    if t.fixed:
        out.print("fixed: " + escape(", ".join(f"{k} = {v}" for k, v in t.fixed.items())))
    if t.uses:
        out.print("uses: " + ", ".join(t.uses))
    if rec["proof"]:
        out.print("proof steps:")
        for i, st in enumerate(rec["proof"], 1):
            proof_step(i, st)
    out.print(f"experiment: {t.experiment}    hash: {t.hash}")
    if t.finding:
        out.print(f"finding: {escape(t.finding)}")
    if t.notes:
        out.print(f"notes: {escape(t.notes)}")
    _evidence(t, rec["evidence"])


def _evidence(t, row: dict | None) -> None:
    if row is None:
        out.print("evidence: none yet (run `verify run " + t.id + "`)")
        return
    style = VERDICT_STYLE.get(row["verdict"], "")
    out.print(
        f"evidence: [{style}]{row['verdict']}[/{style}] ({row['strength']}), "
        f"{row['points']} points, confidence {row['confidence']}, tightness "
        f"{reports.fmt(row['tightness'])}"
    )
    from ..resolution import describe

    res = describe(t.claim.kind, row.get("resolution"), row.get("resolution_note", ""))
    out.print(f"  run: {escape(reports.provenance(row))}")
    if row.get("message"):
        out.print(f"  reason: {escape(row['message'])}")
    out.print(f"  resolution: {escape(res)}")
    if row.get("worst"):
        out.print(f"  worst point: {escape(json.dumps(row['worst']))}")
    if row.get("counterexample"):
        out.print(f"  counterexample: {escape(row['counterexample'].get('command', ''))}")
    if row["stale"]:
        out.print(
            "[yellow]  warning: stale evidence: the theorem or its experiment's code changed "
            "since this result (a hash differs)[/yellow]"
        )


# -- run, check, fuzz --------------------------------------------------------------------------


def verdicts(results, own=None) -> None:
    """The verdicts of a run as a table, then the inconclusive and unexpected ones, and a
    summary line naming the run's own report (``own``) and the merged one."""
    table = Table(title="theoremlab verdicts")
    # a column for the reason when some verdict needs one (inconclusive, unexpected, error)
    explain = any(r.verdict == "inconclusive" or not r.as_expected for r in results)
    cols = ["id", "kind", "expect", "verdict", "strength", "points", "worst margin", "tightness"]
    for col in [*cols, "seconds", *(["reason"] if explain else [])]:
        table.add_column(
            col,
            justify="right" if col in ("points", "seconds") else "left",
            no_wrap=col == "id",
        )
    for r in results:
        shown = verdict(r.verdict) + ("" if r.as_expected else " ≠ expected")
        margin = r.worst.get("margin") if r.worst else None
        reason = r.message if r.verdict == "inconclusive" or not r.as_expected else ""
        table.add_row(
            r.id,
            r.kind,
            r.expect,
            shown,
            r.strength or "—",
            str(r.points),
            reports.fmt(margin),
            reports.fmt(r.tightness),
            f"{r.seconds:.2f}",
            *([escape(reason) or "—"] if explain else []),
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
        f"{total:.1f}s; report: {own or reports.LATEST}"
        + (f" (merged into {reports.LATEST})" if own else "")
    )


def worst(r) -> None:
    """The worst point's facts (its parameters and seed aside), then the result's message."""
    for k, v in (r.worst or {}).items():
        if k not in ("params", "seed"):
            out.print(f"  {k}: {v}")
    if r.message:
        out.print(f"  {r.message}")


def fuzzed(t, res, *, seed: int, profile: str) -> None:
    """``verify fuzz``: no counterexample, or the shrunk one with its replay command."""
    if not res.found:
        style = "green" if res.as_expected else "red"
        out.print(
            f"{t.id}: [{style}]no counterexample[/{style}] in {res.examples} points "
            f"(seed {seed}, profile {profile}; expected {t.expect})"
        )
        return
    r = res.result
    style = VERDICT_STYLE[r.verdict]
    out.print(
        f"{t.id}: [{style}]counterexample[/{style}] ({r.verdict}, {r.strength or '—'}) after "
        f"{res.examples} points, shrunk to {res.point}"
    )
    worst(r)
    if res.confirmations:
        fails = sum(v == "fail" for v in res.confirmations)
        seen = ", ".join(str(v) for v in res.confirmations)  # the words, not Verdict reprs
        out.print(f"  fresh seeds: {fails} of {len(res.confirmations)} fail ({seen})")
    out.print(f"  replay: {res.command}")


# -- bench, selftest, calibrate ----------------------------------------------------------------


def bench_row(row: dict) -> None:
    """One benchmark row as it arrives (on stderr)."""
    if "skipped" in row:
        err.print(f"{row['name']}: skipped ({row['skipped']})")
        return
    ratio = f"{row['ratio']:.2f}x" if row.get("ratio") else "—"
    err.print(f"{row['name']}: ours {row['ours_s']:.4g}s, ratio {ratio}")


def bench_table(rows: list[dict]) -> None:
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


def selftest(results, target: float, *, verbose: bool = False) -> None:
    """The mutation analysis as a table (``verbose``: then every mutant, its claim and its
    verdict), and a summary naming the theorems below target."""
    table = Table(title=f"mutation analysis (target: ≥ {target:.0%} of mutants rejected)")
    for col in ("id", "baseline", "mutants", "rejected", "step mutants failed", "survivors"):
        table.add_column(col)
    for r in results:
        steps = f"{sum(v == 'failed' for _, v in r.steps)}/{len(r.steps)}" if r.steps else "—"
        step_survivors = [f"step {label} ({v})" for label, v in r.steps if v != "failed"]
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
            steps,
            escape("; ".join(r.survivors + step_survivors)) or "—",
        )
    out.print(table)
    if verbose:
        for r in results:
            for (label, v), claim in zip(r.mutants, r.claims, strict=True):
                style = "green" if v == "fail" else "red"
                out.print(
                    f"{r.theorem_id}: {escape(label)}: {escape(claim)} → [{style}]{v}[/{style}]"
                )
            for label, v in r.steps:
                style = "green" if v == "failed" else "red"
                out.print(f"{r.theorem_id}: step {escape(label)} mutated → [{style}]{v}[/{style}]")
    bad = [r.theorem_id for r in results if not r.ok]
    total = sum(len(r.mutants) for r in results)
    steps = [v for r in results for _, v in r.steps]
    out.print(
        f"{len(results)} theorems, {total} mutants, "
        f"{sum(r.rejected for r in results)} rejected; {len(steps)} proof-step mutants, "
        f"{sum(v == 'failed' for v in steps)} failed; below target or failing: "
        f"{', '.join(bad) or 'none'}"
    )


def calibration(run, profile: str, seeds: int, se_factor: float) -> None:
    """The calibration run as a table per theorem, and its summary."""
    table = Table(title=f"calibration: {profile} profile, seeds 0..{seeds - 1}")
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
        f"standard error, median [10 %, 90 %] over the elements; within a factor {se_factor}."
    )


def certificate(cert) -> None:
    """A certificate: its status in colour, the counterexample or the boxes left."""
    style = {"certified": "green", "refuted": "red", "inconclusive": "yellow"}[cert.status]
    out.print(f"{escape(cert.relation)}: [{style}]{escape(cert.summary())}[/{style}]")
    if cert.counterexample is not None:
        for k, v in cert.counterexample.items():
            out.print(f"  {k} = {v}" + ("" if v.is_Integer else f"  (≈ {float(v):.17g})"))
    for b in cert.left:
        out.print(
            "  left: " + ", ".join(f"{k} ∈ [{lo:.12g}, {hi:.12g}]" for k, (lo, hi) in b.items())
        )
    if cert.left_count > len(cert.left):
        out.print(f"  … {cert.left_count - len(cert.left)} more boxes left")
