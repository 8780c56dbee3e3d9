"""The ``verify`` commands: each reads its parsed arguments, calls the engine (or selftest,
fuzz, calibrate, perf, docs), prints through :mod:`verify.cli.render` and returns the exit code."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import theorems
from numerics.progress import task as progress_task

from .. import report as reports
from . import render
from .args import UsageError, device, get, parse_at, parse_relation, select
from .render import err, out


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
    render.catalogue(cat)
    return 0


def show_record(t) -> dict:
    """Everything ``verify show`` prints, as plain JSON-ready data."""
    import sympy as sp

    from ..design import design_summary
    from ..kinds import kind  # here: scipy's statistics load only when a theorem is shown
    from ..profiles import PROFILES as PROFILE_NAMES
    from ..proofs import proof_status

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
            "relation": kind(c.kind).relation,
            "expr": sp.sstr(c.expr),
            "latex": sp.latex(c.expr),
            "measured": c.measured,
            **{k: plain(v) for k, v in render.claim_extras(c).items()},
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
        "design": {name: design_summary(t, name) for name in PROFILE_NAMES},
        "experiment": t.experiment,
        "hash": t.hash,
        "finding": t.finding,
        "notes": t.notes,
        "evidence": None if row is None else {**row, "stale": stale},
    }


def cmd_show(args) -> int:
    t = get(args.id)
    rec = show_record(t)
    if args.json:
        print(json.dumps(rec, indent=1, allow_nan=False))
        return 0
    render.show(t, rec)
    return 0


def cmd_checkpoints(args) -> int:
    from .. import checkpoints

    dev = device(args.device)

    def item(d, steps, state):
        err.print(f"d={d}, {steps} pre-training steps: {state}")

    try:
        with render.bars():
            found = checkpoints.ensure(
                args.profile, dev, rebuild=args.rebuild, ship=args.ship, on_item=item
            )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for c in found:
        out.print(f"d={c.d}, {c.steps} steps: {c.where} {c.path}")
    return 0


def cmd_proofs(args) -> int:
    """``verify proofs``: how many sympy and interval steps of the catalogue have a shipped
    status; ``--ship`` decides them all from scratch and writes the package's file."""
    from .. import proofs

    chosen = theorems.all()
    if args.ship:
        t0 = time.perf_counter()
        from ..parallel import decide_proofs

        with render.bars(), progress_task("theorems", len(chosen)) as update:
            statuses = decide_proofs(chosen, on_done=update)
        proofs.write_shipped(statuses)
        out.print(
            f"{len(statuses)} step statuses decided in {time.perf_counter() - t0:.0f}s, "
            f"written to {proofs.SHIPPED}"
        )
        return 0
    have = proofs.shipped()
    steps = [
        proofs.step_hash(s, t) for t in chosen for s in t.proof if s.method in ("sympy", "interval")
    ]
    missing = sum(h not in have for h in set(steps))
    out.print(
        f"{len(set(steps))} sympy and interval steps, {len(set(steps)) - missing} with a shipped "
        f"status, {missing} without (decided on first use and cached; `verify proofs --ship` "
        "re-makes the shipped file)"
    )
    return 0


def cmd_docs(args) -> int:
    # a pattern that matches nothing is a usage error, before anything runs
    chosen = select([args.only]) if args.only else []
    if not args.only and not (args.source / "conf.py").exists():
        raise UsageError(
            f"no Sphinx sources at {args.source}/ (run from the project root, pass --source, "
            "or build a site of your own theorems with --only GLOB)"
        )
    try:
        from ..docs import build
    except ImportError as exc:  # the [docs] extra is missing
        raise UsageError(
            f"the docs need the [docs] extra ({exc.name} is missing): "
            "pip install 'theoremlab[docs]'"
        ) from None
    report = reports.load(reports.LATEST)
    if args.only:
        have = {r["id"] for r in (report or {}).get("results", [])}
        missing = [t.id for t in chosen if t.id not in have]
        if missing:
            err.print(f"no evidence yet for {len(missing)} of them: running the quick profile")
            run_theorems(missing, profile="quick")
    elif report is None:
        err.print("no report at reports/latest.json: running the quick profile first")
        run_theorems([], profile="quick")
    with render.bars():
        status = build(args.out, srcdir=args.source, report_path=reports.LATEST, only=args.only)
    if status == 0:
        err.print(f"docs built: {args.out / 'index.html'}")
    return 0 if status == 0 else 1


def cmd_run(args) -> int:
    return run_theorems(
        args.patterns,
        profile=args.profile,
        device_choice=args.device,
        seed=args.seed,
        strict=args.strict,
        json_path=args.json,
        junit=args.junit,
        jobs=args.jobs,
        scheduler=args.scheduler,
    )


def run_theorems(
    patterns: list[str],
    *,
    profile: str = "quick",
    device_choice: str = "auto",
    seed: int = 0,
    strict: bool = False,
    json_path: Path | None = None,
    junit: Path | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    collect: list | None = None,
) -> int:
    """``verify run``: check the theorems matching ``patterns`` (all when empty), write the
    report (and the JSON copy and JUnit file when asked), print the verdicts; the exit code.
    ``jobs``: worker processes (by default one per core when the theorems' experiments come from
    several modules, else none; :mod:`verify.parallel` says how the work is spread, with the
    same results as one). ``collect``, a list, receives each
    :class:`~verify.engine.CheckResult` with its measurements (for
    :func:`verify.engine.redecide`: the test suite's catalogue tier), in the theorems' order."""
    chosen = select(patterns)
    own = reports.run_path(getattr(profile, "name", profile), seed)
    targets = [own] + ([json_path] if json_path else [])
    for path in [reports.LATEST, *targets] + ([junit] if junit else []):
        try:  # every output checked before anything runs: a bad path writes nothing
            reports.check_writable(path)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    from ..engine import check, no_design_point
    from ..parallel import Lanes, cores, executor, group_key, portable, schedule_hints, worth_lanes

    # catalogue theorems from several experiment modules: whole theorems in worker processes
    # (lanes), one per core unless told (by default only when their recorded times outweigh the
    # workers' start), started first (they build the catalogue meanwhile); else, when jobs are
    # asked for, a theorem's points spread over them (or over a Dask cluster), and by default
    # all in this process
    movable = [t for t in chosen if portable(t)]
    several = len(movable) > 1 and (
        len({t.id.split(".")[0] for t in movable}) > 1 or len({group_key(t) for t in movable}) > 1
    )
    hints = schedule_hints(getattr(profile, "name", profile))  # read once: worth it, and order
    if jobs is None:
        jobs = cores() if several and worth_lanes(movable, hints) else 1
    lanes = scheduler is None and jobs > 1 and several

    results: list = [None] * len(chosen)
    with contextlib.ExitStack() as stack:
        try:  # before the report: an unreachable scheduler leaves nothing on disk
            pool = stack.enter_context(Lanes(jobs) if lanes else executor(jobs, scheduler))
        except RuntimeError as exc:
            raise UsageError(str(exc)) from None
        dev = device(device_choice)
        from ..profiles import get_profile

        prof = get_profile(profile)  # once, here: the checks below are handed the object
        for t in chosen:  # a theorem with no design point is a definition error: nothing runs
            why = no_design_point(t, prof)
            if why:
                raise UsageError(why)
        rep = reports.Report(
            targets, profile=prof.name, device=dev, seed=seed, merge_into=reports.LATEST
        )
        stack.enter_context(render.bars())
        update = stack.enter_context(progress_task("theorems", len(chosen)))
        if lanes:
            finished = pool.check(
                chosen, profile=prof, seed=seed, device=dev, keep=collect is not None, hints=hints
            )
        else:
            finished = (
                (k, check(t, profile=prof, seed=seed, device=dev, executor=pool))
                for k, t in enumerate(chosen)
            )
        written = 0  # the report holds the theorems in catalogue order, as they complete
        for done, (k, r) in enumerate(finished, start=1):
            if collect is None:  # a long run keeps no measurements in memory
                r.measured = None
            results[k] = r
            update(done)
            err.print(f"{chosen[k].id}: {render.verdict(r.verdict)} ({r.seconds:.1f}s)")
            while written < len(results) and results[written] is not None:
                rep.add(results[written])
                written += 1
    rep.close()
    if collect is not None:
        collect.extend(results)
    if junit:
        reports.write_junit(junit, results, strict=strict)
    render.verdicts(results, own)
    return _exit_code(results, strict)


def _exit_code(results, strict: bool) -> int:
    for r in results:
        if r.verdict == "inconclusive":
            if strict:
                return 1
            continue
        if not r.as_expected:
            return 1
    return 0


def cmd_check(args) -> int:
    from ..engine import check

    t = get(args.id)
    point = parse_at(t, args.at)
    dev = device(args.device)
    with render.bars():
        r = check(t, profile=args.profile, seed=args.seed, device=dev, points=[point])
    out.print(
        f"{t.id} at {point} (seed {args.seed}): {render.verdict(r.verdict)} "
        f"(expected {t.expect}; {r.strength or '—'})"
    )
    render.worst(r)
    if r.verdict == "error":
        return 1
    return 0 if r.as_expected else 1


def cmd_fuzz(args) -> int:
    from ..fuzz import fuzz

    t = get(args.id)
    if args.examples < 1:
        raise UsageError(f"--examples must be ≥ 1, got {args.examples}")
    dev = device(args.device)
    with render.bars():
        try:
            res = fuzz(t, examples=args.examples, seed=args.seed, profile=args.profile, device=dev)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    render.fuzzed(t, res, seed=args.seed, profile=args.profile)
    return 0 if res.as_expected else 1


def cmd_bench(args) -> int:
    from .. import perf

    names = args.names or perf.default_names()
    try:  # before running anything
        perf.validate(names, args.max_exponent)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with render.bars(), progress_task("benchmarks", None):
        rows = perf.run(names, max_exponent=args.max_exponent, on_row=render.bench_row)
    render.bench_table(rows)
    if args.json:
        perf.write_record(args.json, rows)
    return 1 if perf.failed(rows) else 0


def cmd_selftest(args) -> int:
    from ..selftest import TARGET, selftest

    chosen = select(args.patterns)
    dev = device(args.device)
    results = []
    with render.bars(), progress_task("selftest", len(chosen)) as update:
        for k, t in enumerate(chosen):
            results.append(selftest(t, profile=args.profile, seed=args.seed, device=dev))
            update(k + 1)
    render.selftest(results, TARGET, verbose=args.verbose)
    return 1 if any(not r.ok for r in results) else 0


def cmd_calibrate(args) -> int:
    from ..calibrate import SE_FACTOR, calibrate

    chosen = select(args.patterns)
    if args.json:
        try:
            reports.check_writable(args.json)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if args.seeds < 2:
        raise UsageError(f"--seeds must be ≥ 2, got {args.seeds}")
    dev = device(args.device)
    with render.bars():
        run = calibrate(chosen, args.seeds, profile=args.profile, device=dev)
    render.calibration(run, args.profile, args.seeds, SE_FACTOR)
    if args.json:
        from ..perf.record import machine

        rec = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine() | {"device": dev},
            "versions": reports.versions(),
            "commit": reports.git_commit(),
            **run.to_json(),
        }
        reports.atomic_write_json(args.json, rec)
    return 0 if run.ok else 1


CERTIFY_EXIT = {"certified": 0, "refuted": 1, "inconclusive": 3}


def cmd_certify(args) -> int:
    from ..certifier import Budget, certify

    rel, box = parse_relation(args.relation, args.box, args.integer)
    if args.json:
        try:
            reports.check_writable(args.json)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    try:
        budget = Budget(boxes=args.boxes, seconds=args.seconds)
        with render.bars(), progress_task("certifying", None):
            cert = certify(rel, box, budget=budget)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    render.certificate(cert)
    if args.json:
        reports.atomic_write_json(args.json, cert.to_json())
    return CERTIFY_EXIT[cert.status]


def cmd_new(args) -> int:
    from ..scaffold import new_package

    try:
        files = new_package(args.id, args.kind, args.package)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    folder = files[0].parent
    family = args.id.split(".")[0]
    out.print(f"wrote {', '.join(str(f) for f in files)}")
    out.print(
        f"next: pip install -e {folder}; verify run '{family}.*' (it passes as generated); "
        f"then replace the TODOs in {files[1].name} with your theorem and experiment"
    )
    return 0


COMMANDS = {
    "new": cmd_new,
    "certify": cmd_certify,
    "list": cmd_list,
    "show": cmd_show,
    "run": cmd_run,
    "check": cmd_check,
    "docs": cmd_docs,
    "fuzz": cmd_fuzz,
    "selftest": cmd_selftest,
    "bench": cmd_bench,
    "checkpoints": cmd_checkpoints,
    "proofs": cmd_proofs,
    "calibrate": cmd_calibrate,
}
