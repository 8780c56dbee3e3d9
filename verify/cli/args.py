"""Argument parsing: the ``verify`` parser, and reading theorem ids, patterns, points (``--at``)
and devices off the command line. A bad input raises :class:`UsageError` (exit code 2)."""

from __future__ import annotations

import argparse
import fnmatch
import sys
from pathlib import Path

import theorems

from ..profiles import PROFILES
from .render import err


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


def _docs_parser(sub) -> None:
    """``verify docs``: the project's site, or (``--only``) a site of some theorems."""
    s = sub.add_parser(
        "docs", help="build the Sphinx site (runs the quick profile first if no report)"
    )
    s.add_argument("--source", type=Path, default=Path("docs"), help="Sphinx sources (docs)")
    s.add_argument("--out", type=Path, default=Path("docs/_build/html"), help="output folder")
    s.add_argument(
        "--only",
        metavar="GLOB",
        default="",
        help="a site of just the theorems matching GLOB (your own package's), from any folder",
    )


def _new_parser(sub) -> None:
    """``verify new``: a plug-in skeleton (:mod:`verify.scaffold`)."""
    s = sub.add_parser("new", help="write a ready-to-edit plug-in package with one theorem")
    s.add_argument("id", metavar="ID", help="family.name, for example mine.doeblin")
    s.add_argument("--kind", required=True, help="the claim kind: identity, upper_bound, …")
    s.add_argument(
        "--package", type=Path, metavar="DIR", help="where to write it (./FAMILY-theorems)"
    )


def parser() -> argparse.ArgumentParser:
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

    s = sub.add_parser("proofs", help="the catalogue's proof-step statuses (shipped or cached)")
    s.add_argument(
        "--ship",
        action="store_true",
        help="decide every sympy and interval step from scratch and write the statuses into "
        "the package (verify/data/, for maintainers)",
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
        default=None,
        metavar="N",
        help="worker processes, same results as one (default: one per core when the "
        "experiments come from several modules; else none, or their points spread)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="measure the points on a Dask distributed cluster (tcp://host:8786; dask extra)",
    )

    _docs_parser(sub)

    s = sub.add_parser("check", help="one point: reproduces a counterexample")
    s.add_argument("id")
    s.add_argument("--at", required=True, metavar="NAME=VALUE,...")
    _common(s)

    s = sub.add_parser("selftest", help="mutation analysis: do the checks reject false claims?")
    s.add_argument("patterns", nargs="*", metavar="ID|GLOB")
    s.add_argument(
        "-v", "--verbose", action="store_true", help="list every mutant, its claim and verdict"
    )
    _common(s)

    s = sub.add_parser(
        "calibrate", help="Monte-Carlo theorems at many seeds: verdict rates, standard errors"
    )
    s.add_argument("patterns", nargs="*", metavar="ID|GLOB")
    _common(s)
    s.add_argument("--seeds", type=_positive_int, default=20, help="seeds 0..N-1 (default 20)")
    s.add_argument("--json", type=Path, metavar="PATH", help="write the table as JSON")

    _new_parser(sub)

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

    _certify_parser(sub)

    s = sub.add_parser("fuzz", help="search the parameter domains for a counterexample")
    s.add_argument("id")
    s.add_argument("--examples", type=int, default=50, help="points to try (default 50)")
    _common(s)
    return p


def _certify_parser(sub):
    s = sub.add_parser(
        "certify",
        help="decide an inequality over a whole box in ball arithmetic (exit 0 certified, "
        "1 refuted, 3 inconclusive)",
    )
    s.add_argument("relation", help='a sympy inequality, e.g. "log(1 + x) <= x"')
    s.add_argument("--box", required=True, metavar="NAME=LO:HI,...", help="each symbol's range")
    s.add_argument(
        "--integer", default="", metavar="NAME,...", help="symbols that range over the integers"
    )
    s.add_argument("--seconds", type=float, default=30.0, help="time budget (default 30)")
    s.add_argument(
        "--boxes", type=_positive_int, default=200_000, help="box budget (default 200000)"
    )
    s.add_argument("--json", type=Path, metavar="PATH", help="also write the certificate here")


def _common(s):
    s.add_argument("--profile", choices=list(PROFILES), default="quick")
    s.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    s.add_argument("--seed", type=int, default=0)


def get(theorem_id: str):
    """The theorem of ``theorem_id``; an unknown id is a usage error (with a suggestion)."""
    try:
        return theorems.get(theorem_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def select(patterns: list[str]):
    """The theorems whose ids match any of ``patterns`` (ids or globs), in catalogue order per
    pattern; every theorem when there is none."""
    catalogue = theorems.all()
    if not patterns:
        return catalogue
    chosen = []
    for pat in patterns:
        hits = [t for t in catalogue if fnmatch.fnmatchcase(t.id, pat)]
        if not hits:
            if any(ch in pat for ch in "*?["):
                raise UsageError(f"no theorem id matches {pat!r}")
            get(pat)  # raises with a suggestion
        chosen += [t for t in hits if t not in chosen]
    return chosen


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


def device(choice: str) -> str:
    """The device ``choice`` (auto, cpu, cuda) stands for here; an unavailable one is a usage
    error."""
    from numerics.device import resolve_device

    try:
        return str(resolve_device(choice))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _check_relation_text(text: str) -> None:
    """Refuse what Python's tokenizer would misread or report badly: an operator split by a
    space (``< =`` is not ``<=``) and unbalanced parentheses, each with its column (from 1)."""
    import re

    split = re.search(r"[<>=!]\s+=", text)
    if split:
        op = text[split.start()] + "="
        raise UsageError(
            f"cannot read the relation {text!r} at column {split.start() + 1}: "
            f"{split.group()!r} is not an operator (write {op!r})"
        )
    depth = 0
    for col, ch in enumerate(text, start=1):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise UsageError(f"cannot read the relation {text!r} at column {col}: unmatched ')'")
    if depth > 0:
        raise UsageError(f"cannot read the relation {text!r}: {depth} '(' never closed")


def parse_relation(text: str, box: str, integer: str):
    """``(relation, {symbol: (lo, hi)})`` from ``verify certify``'s arguments: decimals are read
    as the rationals they spell, every symbol is real (an integer when named in ``integer``)."""
    import sympy as sp
    from sympy.parsing.sympy_parser import (
        parse_expr,
        rationalize,
        standard_transformations,
    )

    ints = {n.strip() for n in integer.split(",") if n.strip()}
    ranges: dict[str, tuple] = {}
    for item in (b.strip() for b in box.split(",")):
        name, eq, rng = item.partition("=")
        lo, colon, hi = rng.partition(":")
        if not (eq and colon and name.strip()):
            raise UsageError(f"--box takes NAME=LO:HI items separated by commas, got {item!r}")
        if name.strip() in ranges:
            raise UsageError(f"--box names {name.strip()} twice")
        ranges[name.strip()] = (lo.strip(), hi.strip())
    unknown = sorted(ints - set(ranges))
    if unknown:
        raise UsageError(f"--integer names {', '.join(unknown)}, which --box does not")
    symbols = {
        n: sp.Symbol(n, integer=True) if n in ints else sp.Symbol(n, real=True) for n in ranges
    }
    _check_relation_text(text)
    try:
        rel = parse_expr(
            text,
            local_dict=dict(symbols),
            transformations=(*standard_transformations, rationalize),
            evaluate=False,
        )
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise UsageError(f"cannot read the relation {text!r}{where}: {exc.msg}") from None
    except Exception as exc:  # tokenize.TokenError, sympy's own: bad input all the same
        raise UsageError(f"cannot read the relation {text!r}: {exc}") from None
    extra = sorted(s.name for s in getattr(rel, "free_symbols", ()) if s.name not in ranges)
    if extra:
        raise UsageError(f"--box gives no range for {', '.join(extra)}")
    return rel, {symbols[n]: r for n, r in ranges.items()}
