"""Proof steps: one fact each, with the method that establishes it.

- ``method="sympy"`` (the default): ``kind`` is ``identity`` (``lhs − rhs`` simplifies to 0),
  ``limit`` (``lhs → rhs`` as ``var → point``), ``nonnegative`` or ``positive`` (the sign of
  ``lhs`` follows from the symbols' assumptions). Status ``proved``, ``failed`` (sympy finds it
  false) or ``open`` (sympy cannot decide; never read as false).
- ``method="interval"`` (:meth:`ProofStep.interval`): an inequality ``relation`` decided by
  ball arithmetic (``verify.certify``) at every point of ``box``, by default the theorem's
  parameter domain. Status ``certified``, ``failed`` (with the counterexample) or ``open``.
- ``method="numeric"`` (:meth:`ProofStep.numeric`): a lemma with its own measured quantity, a
  small :class:`~theorems.Theorem` decided by the same engine as a claim. Status ``checked``,
  ``failed`` or ``open``.
- ``method="cited"`` (:meth:`ProofStep.cited`): an external theorem, named by its bibtex key and
  locator. Status ``cited``.

A step may be named (``name``) and name the steps or theorems it uses (``uses``), so that a
proof is a graph; ``closes=True`` marks a step that closes the argument (the theorem is then
``proved`` when it and everything it uses are proved, certified or cited). ``paper=True`` (with a
``locator``) marks a step of the paper's own argument: such a step that fails is a finding. A
negative control (``expect="fail"``) may name the step its dropped hypothesis breaks with a name
ending in ``_fails``: that step is meant to fail, and its failure is no defect of the encoding.

sympy alone here: checking a step is :mod:`verify.proofs`' business.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from .errors import TheoremDefinitionError

PROOF_KINDS = ("identity", "limit", "nonnegative", "positive")
METHODS = ("sympy", "interval", "numeric", "cited")
STEP_STATUSES = ("proved", "certified", "checked", "cited", "failed", "open")
ESTABLISHED = frozenset({"proved", "certified", "cited"})
"""Statuses that count towards a theorem being ``proved`` (a numeric ``checked`` does not)."""


@dataclass(frozen=True)
class ProofStep:
    """One fact of a proof, with the method that establishes it (see the module's text).

    Parameters
    ----------
    statement
        The fact in words, as the page shows it.
    kind
        For ``method="sympy"``: ``identity``, ``limit``, ``nonnegative`` or ``positive``.
    lhs, rhs
        For sympy steps: the two sides (``lhs − rhs`` simplifies to 0; ``lhs → rhs``; the sign
        of ``lhs``).
    var, point
        For a limit: ``lhs → rhs`` as ``var → point``.
    method
        ``sympy``, ``interval``, ``numeric`` or ``cited`` (the classmethods build the last three).
    relation
        For ``interval``: a sympy ``<=``, ``<``, ``>=`` or ``>`` decided by ball arithmetic.
    box
        For ``interval``: ``{symbol: (lo, hi)}`` to decide it over (``None``: the theorem's
        parameter domain).
    lemma
        For ``numeric``: the :class:`~theorems.Theorem` whose check establishes the step.
    reference
        For ``cited``: the bibtex key of the external theorem.
    locator
        Where it stands in the source (a cited theorem's, or a ``paper=True`` step's).
    name
        The step's name, for other steps' ``uses``.
    uses
        Names of earlier steps, or dotted ids of theorems, this step rests on.
    closes
        This step closes the argument: the theorem is ``proved`` when it and everything it uses
        are proved, certified or cited.
    paper
        A step of the paper's own argument (with a ``locator``): if it fails, that is a finding.
    """

    statement: str
    kind: str = "identity"
    lhs: Any = 0
    rhs: Any = 0
    var: sp.Symbol | None = None
    point: Any = None
    method: str = "sympy"
    relation: Any = None  # interval: a sympy <=, <, >=, >
    box: Any = None  # interval: ((symbol, (lo, hi)), ...); None: the theorem's domain
    lemma: Any = None  # numeric: a theorems.Theorem
    reference: str = ""  # cited: a bibtex key
    locator: str = ""  # where in the paper (cited, or a paper=True step)
    name: str = ""
    uses: tuple = ()
    closes: bool = False
    paper: bool = False

    def __post_init__(self):
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731
        where = f"proof step {self.name or self.statement!r}"
        if self.method not in METHODS:
            raise TheoremDefinitionError(f"{where}: method must be one of {METHODS}")
        if self.method == "sympy":
            if self.kind not in PROOF_KINDS:
                raise TheoremDefinitionError(f"proof step kind must be one of {PROOF_KINDS}")
            set_("lhs", sp.sympify(self.lhs))
            set_("rhs", sp.sympify(self.rhs))
            if self.kind == "limit" and (self.var is None or self.point is None):
                raise TheoremDefinitionError("a limit step needs var and point")
        elif self.method == "interval":
            _check_relation(where, self.relation)
            if self.box is not None:
                set_("box", _box_tuple(where, self.box))
        elif self.method == "numeric" and self.lemma is None:
            raise TheoremDefinitionError(f"{where}: a numeric step needs a lemma (a Theorem)")
        elif self.method == "cited" and not self.reference:
            raise TheoremDefinitionError(f"{where}: a cited step needs a reference (bibtex key)")
        if self.paper and not self.locator:
            raise TheoremDefinitionError(f"{where}: a step of the paper's argument needs a locator")
        if isinstance(self.uses, str):
            set_("uses", (self.uses,))
        set_("uses", tuple(self.uses))

    # -- constructors for the other methods ---------------------------------------------------
    @classmethod
    def interval(cls, statement: str, relation, box: Mapping | None = None, **kw) -> ProofStep:
        """A step that ball arithmetic certifies over ``box`` (default: the theorem's domain)."""
        return cls(
            statement, kind="inequality", method="interval", relation=relation, box=box, **kw
        )

    @classmethod
    def numeric(cls, statement: str, lemma, **kw) -> ProofStep:
        """A lemma with its own measurement, decided by the engine like a claim."""
        return cls(statement, kind="lemma", method="numeric", lemma=lemma, **kw)

    @classmethod
    def cited(cls, statement: str, reference: str, locator: str = "", **kw) -> ProofStep:
        """An external result, named by ``reference`` (a bibtex key) and ``locator``."""
        return cls(
            statement, kind="cited", method="cited", reference=reference, locator=locator, **kw
        )

    @property
    def box_dict(self) -> dict | None:
        return None if self.box is None else dict(self.box)

    # -- the sympy method ---------------------------------------------------------------------
    def check(self) -> bool | None:
        """sympy's answer for a sympy step: True (proved), False (false), None (undecided)."""
        if self.method != "sympy":
            raise TypeError(f"check() decides sympy steps; this one is {self.method}")
        if self.kind == "identity":
            return _is_zero(self.lhs - self.rhs)
        if self.kind == "limit":
            value = sp.limit(self.lhs, self.var, self.point)
            return _is_zero(value - self.rhs)
        expr = sp.simplify(self.lhs)
        return expr.is_nonnegative if self.kind == "nonnegative" else expr.is_positive

    def meant_to_fail(self, expect: str) -> bool:
        """The step a negative control (``expect="fail"``) names as the one its dropped
        hypothesis breaks (a name ending in ``_fails``): its failure is no defect."""
        return expect == "fail" and self.name.endswith("_fails")

    def with_(self, **changes) -> ProofStep:
        """A copy with ``changes`` (a mutant, a renamed step)."""
        return replace(self, **changes)

    # -- presentation -------------------------------------------------------------------------
    def latex(self) -> str:
        if self.method == "interval":
            return sp.latex(self.relation)
        if self.method in ("numeric", "cited"):
            return ""
        if self.kind == "identity":
            return f"{sp.latex(self.lhs)} = {sp.latex(self.rhs)}"
        if self.kind == "limit":
            return (
                rf"\lim_{{{sp.latex(self.var)} \to {sp.latex(self.point)}}} "
                f"{sp.latex(self.lhs)} = {sp.latex(self.rhs)}"
            )
        rel = r"\geq" if self.kind == "nonnegative" else ">"
        return f"{sp.latex(self.lhs)} {rel} 0"

    def text(self) -> str:
        if self.method == "interval":
            where = (
                ""
                if self.box is None
                else " on " + ", ".join(f"{s} ∈ [{lo}, {hi}]" for s, (lo, hi) in self.box)
            )
            return f"{self.relation}{where}"
        if self.method == "numeric":
            return f"lemma {self.lemma.id}: {self.lemma.title}"
        if self.method == "cited":
            return f"{self.reference}" + (f", {self.locator}" if self.locator else "")
        if self.kind == "identity":
            return f"{self.lhs} = {self.rhs}"
        if self.kind == "limit":
            return f"lim_{{{self.var} → {self.point}}} {self.lhs} = {self.rhs}"
        return f"{self.lhs} {'≥' if self.kind == 'nonnegative' else '>'} 0"


def _check_relation(where: str, relation) -> None:
    if isinstance(relation, sp.logic.boolalg.BooleanAtom):
        raise TheoremDefinitionError(
            f"{where}: the relation folded to {relation} when it was written; build it with "
            "sympy.Le(a, b, evaluate=False)"
        )
    ok = isinstance(relation, sp.core.relational.Rel) and not isinstance(relation, sp.Eq | sp.Ne)
    if not ok:
        raise TheoremDefinitionError(
            f"{where}: an interval step states an inequality (<=, <, >=, >), got {relation!r}"
        )


def _box_tuple(where: str, box) -> tuple:
    items = box.items() if isinstance(box, Mapping) else box
    out = []
    for sym, rng in items:
        if isinstance(sym, str):
            sym = sp.Symbol(sym)
        try:
            lo, hi = rng
        except (TypeError, ValueError):
            raise TheoremDefinitionError(f"{where}: box ranges are (lo, hi), got {rng!r}") from None
        out.append((sym, (sp.sympify(lo), sp.sympify(hi))))
    return tuple(sorted(out, key=lambda kv: kv[0].name))


def _flat_sums(expr: sp.Expr) -> sp.Expr:
    """``expr`` with its finite sums in one normal form, by rewritings valid for finite sums
    only: a sum of a sum is one sum over both indices; a factor free of a sum's indices moves
    inside it, and so does a product of sums whose indices are distinct and free elsewhere
    (distributivity); the limits of a sum are listed by index name when no bound mentions an
    index (Fubini for finite sums). Two sums with the same summand then compare equal."""
    if not expr.args or isinstance(expr, (sp.Indexed, sp.Symbol)):
        return expr
    if isinstance(expr, sp.Sum):
        body, limits = _flat_sums(expr.function), list(expr.limits)
        if isinstance(body, sp.Sum) and not {m[0] for m in body.limits} & {m[0] for m in limits}:
            body, limits = body.function, list(body.limits) + limits
        indices = {lim[0] for lim in limits}
        if not any(b.free_symbols & indices for lim in limits for b in lim[1:]):
            limits.sort(key=lambda lim: lim[0].name)
        return sp.Sum(body, *limits)
    args = [_flat_sums(a) for a in expr.args]
    if not isinstance(expr, sp.Mul):
        return expr.func(*args)
    sums = [a for a in args if isinstance(a, sp.Sum)]
    rest = [a for a in args if not isinstance(a, sp.Sum)]
    if not sums:
        return expr.func(*args)
    limits, seen, body = [], set(), sp.Mul(*rest)
    for s in sums:
        indices = {lim[0] for lim in s.limits}
        others = sp.Mul(*rest).free_symbols | seen
        if indices & others or any(indices & o.free_symbols for o in sums if o is not s):
            return expr.func(*args)  # an index clash: leave the product as it is
        seen |= indices
        limits += list(s.limits)
        body *= s.function
    return _flat_sums(sp.Sum(body, *limits))


def _canonical_indices(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each sum's indices renamed ``_s0, _s1, …`` (assumptions kept), innermost
    sums first, each the first such name that occurs nowhere in the summand or the bounds: two
    sums that differ only in their indices' names become one expression, and no renaming
    captures a symbol."""
    if not expr.args or isinstance(expr, (sp.Indexed, sp.Symbol)):
        return expr
    if not isinstance(expr, sp.Sum):
        return expr.func(*(_canonical_indices(a) for a in expr.args))
    body, limits = _canonical_indices(expr.function), expr.limits
    names = {s.name for s in body.atoms(sp.Symbol)}
    names |= {s.name for lim in limits for b in lim[1:] for s in b.free_symbols}
    renamed, n = {}, 0
    for var, *_ in limits:
        while f"_s{n}" in names:
            n += 1
        renamed[var] = sp.Symbol(f"_s{n}", **var.assumptions0)
        names.add(f"_s{n}")
    new_limits = [tuple(part.xreplace(renamed) for part in lim) for lim in limits]
    return sp.Sum(body.xreplace(renamed), *new_limits)


def _sums_cancel(expr: sp.Expr) -> bool:
    """Whether ``expr`` simplifies to 0 once its finite sums are in the normal form."""
    flat = _canonical_indices(_flat_sums(expr))
    for form in (flat, sp.expand(flat)):
        try:
            if sp.simplify(form) == 0:
                return True
        except (StopIteration, TypeError, ValueError):  # sympy's sum_simplify gives up
            continue
    return False


def _is_zero(expr: sp.Expr) -> bool | None:
    if expr.has(sp.Sum) and _sums_cancel(expr):
        return True
    expr = expr.doit()  # unevaluated integrals, sums and limits first (cheaper than simplify's)
    expr = sp.simplify(expr)
    if isinstance(expr, sp.Piecewise):
        expr = sp.piecewise_fold(expr)
    if expr == 0:
        return True
    if expr.is_number:
        # A closed number: decide by evaluation, which is definite for a nonzero value.
        return False if expr.is_zero is False else None
    # Powers of positive bases: split and recombine them (sympy only does so when the bases'
    # assumptions make it valid), then try again.
    expr = sp.simplify(sp.powsimp(sp.expand_power_base(expr)))
    if expr == 0:
        return True
    zero = expr.equals(0)
    if zero:
        return True
    return False if _nonzero_somewhere(expr) else None


_CANDIDATES = (sp.Integer(3), sp.Integer(2), sp.Integer(5), sp.Rational(7, 5), sp.Rational(1, 3))


def _nonzero_somewhere(expr: sp.Expr) -> bool:
    """Whether ``expr`` is nonzero at some point allowed by its symbols' assumptions (each
    symbol given a small number that has every property the symbol is declared with), decided
    by sympy's exact evaluation there: then it is not identically zero."""
    at = {}
    labels = {e.base.label for e in expr.atoms(sp.Indexed)}
    for sym in expr.free_symbols:
        if isinstance(sym, sp.Indexed) or sym in labels:
            continue  # a symbolic matrix's entries stay indeterminates
        want = {k: v for k, v in sym.assumptions0.items() if v is not None}
        fits = [c for c in _CANDIDATES if all(getattr(c, f"is_{k}") == v for k, v in want.items())]
        if not fits:
            return False
        at[sym] = fits[0]
    try:
        value = sp.simplify(expr.xreplace(at))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return False
    if not value.is_number:
        # left: entries of symbolic matrices (Indexed, free indeterminates); a polynomial in
        # them that does not expand to 0 is nonzero for some choice of the entries
        value = sp.expand(value.doit())
        if value.is_number:
            return value.is_zero is False
        entries = value.atoms(sp.Indexed)
        labels = {e.base.label for e in entries}
        if not entries or value.free_symbols - entries - labels:
            return False
        if not value.is_polynomial(*entries):
            return False
        return value != 0
    return value.is_zero is False
