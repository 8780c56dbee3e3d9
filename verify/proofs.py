"""Proof steps checked and given a status, by their method (:mod:`theorems.proofsteps`).

- sympy steps: ``proved``, ``failed`` or ``open``;
- interval steps: :func:`verify.certify` over the step's box, or over the theorem's parameter
  domain (a finite set of numbers is taken value by value): ``certified``, ``failed`` (with the
  counterexample) or ``open`` (inconclusive, or a counterexample only on an open end of the
  domain, which is no counterexample);
- numeric steps: their lemma checked by the engine (``checked``, ``failed``, ``open``) when a
  check runs them (``numeric=``); elsewhere ``open``, with a note;
- cited steps: ``cited``.

No numpy, scipy or torch here: ``verify show`` and the docs report the steps without the
numerics. sympy and interval statuses are cached by the step's hash and the deciding code's
(in memory, and on disk under :func:`numerics.files.cache_root`), so a second look costs
nothing. The catalogue's statuses also ship with the package (:data:`SHIPPED`, written by
``verify proofs --ship``, like the quick profile's checkpoints), so that a fresh clone's first
run does not decide them again; a shipped status is used only under the same step hash, which
covers the step, its domain and the deciding code, and the catalogue tier's tests decide every
shipped status again from scratch and compare.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import sympy as sp

from numerics.files import atomic_write, cache_root
from theorems import Theorem
from theorems.core import _canon
from theorems.domains import FiniteSet, Interval, IntRange, LogUniform
from theorems.proofsteps import ESTABLISHED, ProofStep

CACHE_VERSION = 1
_memory: dict[str, dict] = {}
SHIPPED = Path(__file__).resolve().parent / "data" / "proof-statuses.json.gz"
"""The catalogue's sympy and interval statuses by step hash (package data)."""


SHIPPED_SCHEMA = "theoremlab.proof-statuses/1"


@functools.lru_cache(maxsize=1)
def shipped() -> dict[str, dict]:
    """The shipped statuses by step hash (empty when the file is missing or unreadable)."""
    try:
        with gzip.open(SHIPPED, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data.get("statuses", {}) if data.get("schema") == SHIPPED_SCHEMA else {}


def ship_one(theorem: Theorem) -> dict[str, dict]:
    """Every sympy and interval step of ``theorem`` decided from scratch, by step hash."""
    return {
        step_hash(step, theorem): decide(step, theorem)
        for step in theorem.proof
        if step.method in ("sympy", "interval")
    }


def write_shipped(statuses: dict[str, dict], path: Path = SHIPPED) -> None:
    """Write ``statuses`` to ``path`` (gzip'd JSON, byte-for-byte the same for the same
    statuses) and forget the ones read before."""
    body = json.dumps({"schema": SHIPPED_SCHEMA, "statuses": statuses}, sort_keys=True, indent=0)

    def write(fh):
        with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
            gz.write(body.encode())

    atomic_write(path, write)
    shipped.cache_clear()


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """A hash of the code that decides a step (this module, the steps' module, the certifier):
    a change there makes every cached status stale."""
    import theorems.proofsteps

    from . import certifier

    h = hashlib.sha256()
    for mod in (theorems.proofsteps, certifier, sys.modules[__name__]):
        h.update(Path(mod.__file__).read_bytes())
    return h.hexdigest()[:12]


def proof_status(
    theorem: Theorem, *, numeric: Callable[[Theorem], str] | None = None, cache: bool = True
) -> list[dict]:
    """One row per proof step: ``statement``, ``method``, ``status``, ``uses``, ``name``,
    ``kind``, ``expr`` (text), ``latex``, ``paper``, ``locator``, ``reference``, ``closes``,
    ``note``, ``certificates`` (interval) and ``counterexample`` (a failed interval step), and
    ``proved`` (True when established or checked, False when failed, None when open).
    ``numeric(lemma) -> verdict`` runs numeric steps' lemmas (the engine passes one)."""
    rows = []
    for i, step in enumerate(theorem.proof):
        row = _describe(step, i)
        row |= _status(step, theorem, numeric, cache)
        row["proved"] = {"failed": False, "open": None}.get(row["status"], True)
        rows.append(row)
    return rows


def proof_closes(theorem: Theorem, rows: list[dict]) -> bool:
    """Whether the steps establish the theorem: a step marked ``closes`` (or, for a theorem
    ``proved_by_steps``, every step), with every step it uses, transitively, proved, certified
    or cited."""
    if not rows:
        return False
    by_name = {r["name"]: r for r in rows}
    closing = [r for r in rows if r["closes"]] or (rows if theorem.proved_by_steps else [])
    seen: set[int] = set()
    todo = list(closing)
    while todo:
        r = todo.pop()
        if id(r) in seen:
            continue
        seen.add(id(r))
        if r["status"] not in ESTABLISHED:
            return False
        todo += [by_name[u] for u in r["uses"] if u in by_name]
    return bool(closing)


def findings(rows: list[dict]) -> list[dict]:
    """The failed steps of the paper's own argument."""
    return [r for r in rows if r["paper"] and r["status"] == "failed"]


def _describe(step: ProofStep, i: int) -> dict:
    return {
        "name": step.name or f"step{i + 1}",
        "statement": step.statement,
        "method": step.method,
        "kind": step.kind,
        "expr": step.text(),
        "latex": step.latex(),
        "uses": list(step.uses),
        "closes": step.closes,
        "paper": step.paper,
        "locator": step.locator,
        "reference": step.reference,
    }


def _status(step: ProofStep, theorem: Theorem, numeric, cache: bool) -> dict:
    if step.method == "cited":
        return {"status": "cited", "note": ""}
    if step.method == "numeric":
        if numeric is None:
            return {"status": "open", "note": "a numeric lemma: measured when the theorem runs"}
        verdict = numeric(step.lemma)
        status = {"pass": "checked", "fail": "failed"}.get(str(verdict), "open")
        return {"status": status, "note": f"lemma {step.lemma.id}: {verdict}"}
    key = step_hash(step, theorem)
    if cache and key in _memory:
        return dict(_memory[key])
    if cache and key in shipped():
        _memory[key] = shipped()[key]
        return dict(_memory[key])
    path = cache_root() / "proofs" / f"{key}.json"
    if cache and path.exists():
        try:
            out = json.loads(path.read_text())
            _memory[key] = out
            return dict(out)
        except (OSError, ValueError):
            pass
    out = decide(step, theorem)
    if cache:
        _memory[key] = out
        try:
            atomic_write(path, lambda fh: fh.write(json.dumps(out, sort_keys=True).encode()))
        except OSError:  # a read-only checkout: the memory cache still serves
            pass
    return dict(out)


def decide(step: ProofStep, theorem: Theorem) -> dict:
    """A sympy or interval step's status decided from scratch (no cache)."""
    return _sympy(step) if step.method == "sympy" else _interval(step, theorem)


def step_hash(step: ProofStep, theorem: Theorem) -> str:
    """What decides a step's status: the step, and the domain it is certified over."""
    domain = _canon(theorem.parameters) if step.method == "interval" and step.box is None else ""
    text = f"{CACHE_VERSION}|{_code_fingerprint()}|{step.method}|{_canon(step)}|{domain}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _sympy(step: ProofStep) -> dict:
    try:
        ok = step.check()
    except Exception as exc:  # sympy gave up: not proved, never false
        return {"status": "open", "note": f"{type(exc).__name__}: {exc}"}
    status = {True: "proved", False: "failed"}.get(ok, "open")
    return {"status": status, "note": "" if ok is not None else "sympy could not decide it"}


def boxes_of(step: ProofStep, theorem: Theorem) -> tuple[list[dict], dict]:
    """The boxes ``step`` is certified over, and the open ends ``{symbol: (lo open, hi open)}``
    of the theorem's domain (a counterexample there lies outside it). ``ValueError`` when a
    symbol has no finite range. A parameter with an integer domain ranges over the integers
    (:func:`relation_of` declares it so)."""
    free = step.relation.free_symbols
    given = {s.name: r for s, r in (step.box or ())}
    by_name = {s.name: (s, d) for s, d in theorem.parameters.items()}
    choices, open_ends = [], {}
    for sym in sorted(free, key=lambda s: s.name):
        if sym.name in given:
            choices.append([(sym, given[sym.name])])
            continue
        if sym.name not in by_name:
            raise ValueError(f"{sym} is not a parameter of {theorem.id}: give the step a box")
        dom = by_name[sym.name][1]
        if isinstance(dom, FiniteSet):
            vals = list(dom.values)
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
                raise ValueError(f"{sym} ranges over {dom.describe()}: give the step a box")
            choices.append([(sym, (v, v)) for v in vals])
            continue
        if not isinstance(dom, Interval | IntRange | LogUniform):
            raise ValueError(f"{sym}'s domain {dom!r} has no box: give the step one")
        if isinstance(dom, IntRange):
            sym = sp.Symbol(sym.name, integer=True)
        if not (abs(dom.lo) < float("inf") and abs(dom.hi) < float("inf")):
            raise ValueError(f"{sym} ranges over {dom.describe()}, unbounded: give the step a box")
        if isinstance(dom, Interval) and dom.closed != (True, True):
            open_ends[sym.name] = (not dom.closed[0], not dom.closed[1])
        choices.append([(sym, (dom.lo, dom.hi))])
    return [dict(c) for c in itertools.product(*choices)], open_ends


def relation_of(step: ProofStep, theorem: Theorem):
    """The step's relation with each parameter of an integer domain declared an integer."""
    ints = {s.name for s, d in theorem.parameters.items() if isinstance(d, IntRange)}
    given = {s.name for s, _ in (step.box or ())}
    subs = {
        s: sp.Symbol(s.name, integer=True)
        for s in step.relation.free_symbols
        if s.name in ints and s.name not in given and not s.is_integer
    }
    return step.relation.xreplace(subs) if subs else step.relation


def _interval(step: ProofStep, theorem: Theorem) -> dict:
    from .certifier import certify

    try:
        boxes, open_ends = boxes_of(step, theorem)
    except ValueError as exc:
        return {"status": "open", "note": str(exc), "certificates": []}
    relation = relation_of(step, theorem)
    certs, status, note, cex = [], "certified", "", None
    for box in boxes:
        c = certify(relation, box)
        certs.append(c.to_json())
        if c.status == "refuted":
            on_open = [
                k
                for k, v in c.counterexample.items()
                if k.name in open_ends
                and (
                    (open_ends[k.name][0] and float(v) == c.box[k.name][0])
                    or (open_ends[k.name][1] and float(v) == c.box[k.name][1])
                )
            ]
            if on_open:
                status, note = (
                    "open",
                    f"false only on an open end ({on_open[0]}): not in the domain",
                )
                continue
            status, cex = "failed", {str(k): str(v) for k, v in c.counterexample.items()}
            note = c.summary()
            break
        if c.status == "inconclusive":
            status, note = "open", c.summary()
    if status == "certified":
        total = sum(c["boxes"] for c in certs)
        note = f"certified over {len(certs)} box(es), {total} sub-boxes"
    out = {"status": status, "note": note, "certificates": certs}
    if cex is not None:
        out["counterexample"] = cex
    return out


def step_mutant(step: ProofStep, theorem: Theorem) -> ProofStep | None:
    """A variant of a sympy or interval step with a constant changed so that it is false by
    construction (``None`` for cited and numeric steps): an identity's right side + 1, a sign
    claim's expression negated and shifted by −1, an inequality shifted past its value at the
    box's centre (where it is then violated)."""
    if step.method == "sympy":
        if step.kind in ("identity", "limit"):
            return step.with_(rhs=step.rhs + 1)
        return step.with_(lhs=-step.lhs - 1)
    if step.method != "interval":
        return None
    try:
        boxes, _ = boxes_of(step, theorem)
    except ValueError:
        return None
    rel = relation_of(step, theorem)
    le = isinstance(rel, sp.Le | sp.Lt)
    g = (rel.lhs - rel.rhs) if le else (rel.rhs - rel.lhs)  # the relation reads g ≤ 0
    free = {s.name: s for s in rel.free_symbols}
    centre = {
        free[s.name]: (sp.Rational(lo) + sp.Rational(hi)) / 2 for s, (lo, hi) in boxes[0].items()
    }
    for s in centre:
        if s.is_integer:
            centre[s] = sp.floor(centre[s])
    gc = sp.N(g.xreplace(centre), 30)
    if not gc.is_real:
        return None
    gc = sp.Rational(str(gc))
    shift = -gc + (1 + abs(gc)) / 10  # g + shift = (1 + |g(c)|)/10 > 0 at the centre
    lhs, rhs = (rel.lhs + shift, rel.rhs) if le else (rel.lhs, rel.rhs + shift)
    return step.with_(relation=type(rel)(lhs, rhs, evaluate=False))


__all__ = [
    "SHIPPED",
    "boxes_of",
    "decide",
    "relation_of",
    "findings",
    "proof_closes",
    "proof_status",
    "ship_one",
    "shipped",
    "step_hash",
    "step_mutant",
    "write_shipped",
]
