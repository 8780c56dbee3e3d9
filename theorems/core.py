"""The objects a claim is written in: :class:`Theorem`, :class:`Claim` and :class:`ProofStep`
(the parameter domains are in :mod:`theorems.domains`).

Everything here is symbolic (sympy, mpmath): no numpy, torch or hypothesis. The verifier
(``verify``) reads these objects, draws points from the domains, asks an experiment for a
measurement and compares it with ``claim.expr``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .domains import Domain, IntRange
from .errors import AssumptionFails, OutsideDomain, TheoremDefinitionError
from .proofsteps import ProofStep

CLAIM_KINDS = (
    "identity",
    "upper_bound",
    "lower_bound",
    "rate",
    "threshold",
    "monotone",
    "probability",
)
EXPECTATIONS = ("pass", "fail")
SOURCE_KINDS = ("quotation", "reconstruction", "derived", "strengthening", "original")
PROFILES = ("quick", "standard", "thorough")


def per_profile(quick: Any, standard: Any, thorough: Any) -> dict[str, Any]:
    """A ``Theorem.fixed`` value that differs by profile (repetitions, sizes):
    ``fixed={"reps": per_profile(200, 2000, 20000)}``; the experiment reads ``params["reps"]``."""
    return {"quick": quick, "standard": standard, "thorough": thorough}


# --------------------------------------------------------------------------------------------
# Sources, claims, proof steps
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a statement comes from. ``kind`` is ``quotation`` (the paper's statement, restated),
    ``reconstruction`` (the paper's text was not available: the standard mathematics its abstract
    names), ``derived`` (a consequence the project derives from a paper's lemmas, which the
    ``locator`` names; the paper does not state it), ``strengthening`` (a sharper statement the
    project derives and proves) or
    ``original`` (the author's own result, from no paper: ``paper`` names the author or the
    work, ``locator`` where it is written up, or ``"-"``). ``cite`` is the paper's key in the
    docs' bibliography."""

    paper: str
    locator: str
    kind: str = "quotation"
    cite: str = ""  # a key of docs/refs.bib

    def __post_init__(self):
        if self.kind not in SOURCE_KINDS:
            raise TheoremDefinitionError(
                f"source kind must be one of {SOURCE_KINDS}, got {self.kind!r}"
            )

    def __str__(self):
        return f"{self.paper}, {self.locator} ({self.kind})"


@dataclass(frozen=True)
class Claim:
    """What is claimed of the measured quantity.

    Parameters
    ----------
    kind
        One of ``identity, upper_bound, lower_bound, rate, threshold, monotone, probability``.
    expr
        The sympy expression the measurement is compared with. Its free symbols are theorem
        parameters, the series variable, or inputs the experiment measures (such as ε).
    variable
        The series variable: the sweep a rate is fitted over, the parameter a monotone claim is
        about, the size a large-N identity is extrapolated in. Bounds may also carry one (the
        bound is then checked at every element of the series).
    limit
        For a large-N identity: the name of the size variable (``gap = a + b·N^(-1/2)``, ``a = 0``).
    existential
        For bounds: "some object achieves the bound"; a miss is inconclusive, never a refutation.
    margin
        For rates: the half-width of the equivalence band the fitted exponent (or decay rate) must
        lie in; a fraction of the claimed value when ``relative_margin`` is true.
    level
        For probability claims: the claimed probability ``1 − δ`` of ``measured ≤ expr``.

        ``margin``, ``level`` and ``tolerance`` are numbers or sympy expressions of the theorem's
        parameters (``level=1 - delta``), evaluated at each point (:meth:`at`).
    direction
        For monotone claims: ``increasing`` (non-decreasing) or ``decreasing`` (non-increasing).
    tolerance
        For identities checked with Monte-Carlo noise or by extrapolation: the equivalence margin
        (absolute) the interval must lie within to pass.
    measured
        Plain-words description of the measured quantity.
    """

    kind: str
    expr: sp.Expr
    variable: sp.Symbol | None = None
    limit: str | None = None
    existential: bool = False
    margin: float | None = None
    level: float | None = None
    direction: str = "increasing"
    tolerance: float | None = None
    measured: str = ""
    relative_margin: bool = False

    def __post_init__(self):
        if self.kind not in CLAIM_KINDS:
            raise TheoremDefinitionError(
                f"claim kind must be one of {CLAIM_KINDS}, got {self.kind!r}"
            )
        object.__setattr__(self, "expr", sp.sympify(self.expr))
        for name in LEVEL_FIELDS:
            object.__setattr__(self, name, _level_value(name, getattr(self, name)))
        if self.kind == "probability":
            if self.level is None:
                raise TheoremDefinitionError("a probability claim needs a level in (0, 1)")
            if isinstance(self.level, float) and not 0 < self.level < 1:
                raise TheoremDefinitionError(
                    f"a probability claim needs a level in (0, 1), got {self.level}"
                )
        if self.kind in ("rate", "monotone", "threshold") and self.variable is None:
            raise TheoremDefinitionError(f"a {self.kind} claim needs a series variable")
        if self.direction not in ("increasing", "decreasing"):
            raise TheoremDefinitionError("direction must be 'increasing' or 'decreasing'")
        if self.existential and self.kind not in ("upper_bound", "lower_bound"):
            raise TheoremDefinitionError("only bounds can be existential")
        if self.limit is not None and self.kind != "identity":
            raise TheoremDefinitionError("limit= applies to identities only")

    @property
    def level_symbols(self) -> set[sp.Symbol]:
        """The parameters that ``margin``, ``level`` or ``tolerance`` depend on."""
        return {
            sym
            for name in LEVEL_FIELDS
            if isinstance(getattr(self, name), sp.Basic)
            for sym in getattr(self, name).free_symbols
        }

    def at(self, point: Mapping[str, Any]) -> Claim:
        """This claim with ``margin``, ``level`` and ``tolerance`` evaluated at ``point`` (parameter
        name → value) as floats; itself when they are numbers already. A level outside (0, 1) at
        the point, or a value that is not a finite real there, is a ``ValueError`` naming both."""
        if not self.level_symbols:
            return self
        changes = {}
        for name in LEVEL_FIELDS:
            v = getattr(self, name)
            if not isinstance(v, sp.Basic):
                continue
            subs = {sym: point[sym.name] for sym in v.free_symbols if sym.name in point}
            missing = sorted(str(sym) for sym in v.free_symbols if sym.name not in point)
            if missing:
                raise ValueError(f"the claim's {name} {v} needs {', '.join(missing)} at the point")
            val = sp.sympify(v.subs(subs))
            num = complex(val.evalf()) if val.is_number else None
            if num is None or num.imag != 0 or not math.isfinite(num.real):
                raise ValueError(f"the claim's {name} {v} is {val} at {dict(subs)}, not a real")
            if name == "level" and not 0 < num.real < 1:
                raise ValueError(
                    f"the claim's level {v} is {num.real:.6g} at {dict(subs)}: outside (0, 1)"
                )
            changes[name] = float(num.real)
        return dataclasses.replace(self, **changes)


LEVEL_FIELDS = ("margin", "level", "tolerance")
"""Claim fields that may be expressions of the parameters, evaluated at each point."""


def _level_value(name: str, v: Any) -> Any:
    """A claim's margin, level or tolerance: ``None``, a float, or a sympy expression with free
    symbols (a number written in sympy becomes a float)."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise TheoremDefinitionError(f"the claim's {name} must be a number or an expression")
    if isinstance(v, int | float):
        return v
    try:
        e = sp.sympify(v)
    except (sp.SympifyError, TypeError):
        raise TheoremDefinitionError(
            f"the claim's {name} must be a number or a sympy expression, got {v!r}"
        ) from None
    if not isinstance(e, sp.Expr):
        raise TheoremDefinitionError(f"the claim's {name} must be an expression, got {e}")
    if e.is_number:
        val = complex(e.evalf())
        if val.imag != 0 or not math.isfinite(val.real):
            raise TheoremDefinitionError(f"the claim's {name} {e} is not a finite real")
        return float(val.real)
    return e


# --------------------------------------------------------------------------------------------
# Theorems
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Theorem:
    """One claim of one kind, with what is needed to check it.

    Parameters
    ----------
    id, title
        A stable dotted id (``markov.state_count``) and a one-line title.
    source
        :class:`Source`: paper, locator, quotation / reconstruction / derived / strengthening /
        original.
    parameters
        ``{Symbol: Domain}``: what the claim quantifies over. The verifier draws points here.
    assumptions
        sympy relations the parameters must satisfy (``T >= 2``); points breaking one are not drawn,
        and a user asking for one gets an error naming it.
    claim
        The :class:`Claim`.
    proof
        :class:`ProofStep` objects sympy checks.
    experiment
        A key in verify's experiment registry, or ``"module:function"``.
    expect
        ``pass``, or ``fail`` for a negative control (a hypothesis dropped: it must be refuted)
        or a finding.
    finding
        With ``expect="fail"`` on a paper's own claim: what the numerics show instead (a claim the
        project's data does not bear out, e.g. on a reconstruction of a data model). Empty for a
        negative control.
    uses
        Ids of theorems this one builds on (edges of the dependency graph).
    notes
        Free text: what the numerics can and cannot show.
    fixed
        Constant experiment settings, each either a value or ``{profile: value}`` (a mapping
        whose keys are profile names).
    budget, caps
        ``budget`` is a sympy expression of the parameters measuring a point's size (``T**K``);
        ``caps`` maps each profile to the largest budget drawn there.
    levels
        ``{profile: levels}`` overriding how many design values each domain contributes.
    proved_by_steps
        True when the proof steps together establish the claim, so a passing check whose steps all
        hold is reported with strength ``proved``.
    """

    id: str
    title: str
    source: Source
    parameters: Mapping[sp.Symbol, Domain]
    assumptions: tuple
    claim: Claim
    proof: tuple = ()
    experiment: str = ""
    expect: str = "pass"
    uses: tuple = ()
    notes: str = ""
    fixed: Mapping[str, Any] = field(default_factory=dict)
    budget: sp.Expr | None = None
    caps: Mapping[str, float] = field(default_factory=dict)
    levels: Mapping[str, int] = field(default_factory=dict)
    proved_by_steps: bool = False
    finding: str = ""

    def __post_init__(self):
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        if not self.id or " " in self.id:
            raise TheoremDefinitionError(
                f"theorem id must be a non-empty dotted name, got {self.id!r}"
            )
        if self.expect not in EXPECTATIONS:
            raise TheoremDefinitionError(f"{self.id}: expect must be 'pass' or 'fail'")
        if self.finding and self.expect != "fail":
            raise TheoremDefinitionError(
                f"{self.id}: a finding describes a claim the numerics refute (expect='fail')"
            )
        if not isinstance(self.claim, Claim):
            raise TheoremDefinitionError(f"{self.id}: claim must be a Claim")
        params = dict(self.parameters)
        for sym, dom in params.items():
            if not isinstance(sym, sp.Symbol) or not isinstance(dom, Domain):
                raise TheoremDefinitionError(f"{self.id}: parameters map sympy Symbols to Domains")
        set_("parameters", params)
        set_("assumptions", tuple(sp.sympify(a) for a in self.assumptions))
        for a in self.assumptions:
            if a is sp.false:
                raise TheoremDefinitionError(
                    f"{self.id}: an assumption folded to False when it was written (sympy "
                    "evaluated it from the symbols' own assumptions): no point satisfies it"
                )
        # one that folded to True (tau > 0 for a positive tau) holds by the symbol's declaration,
        # which the domain must then respect
        set_("assumptions", tuple(a for a in self.assumptions if a is not sp.true))
        for sym, dom in params.items():
            _check_declared(self.id, sym, dom)
        names = {sym.name for sym in params}
        stray = sorted(str(sym) for sym in self.claim.level_symbols if sym.name not in names)
        if stray:
            raise TheoremDefinitionError(
                f"{self.id}: the claim's level, margin or tolerance depends on "
                f"{', '.join(stray)}: only parameters can be put in at each point"
            )
        set_("proof", tuple(self.proof))
        set_("uses", tuple(self.uses))
        set_("fixed", dict(self.fixed))
        set_("caps", dict(self.caps))
        set_("levels", dict(self.levels))
        if self.budget is not None:
            set_("budget", sp.sympify(self.budget))
        if not self.experiment:
            raise TheoremDefinitionError(f"{self.id}: an experiment key is required")
        for step in self.proof:
            if not isinstance(step, ProofStep):
                raise TheoremDefinitionError(f"{self.id}: proof holds ProofStep objects")
        _check_proof_graph(self)

    # -- convenience ------------------------------------------------------------------------
    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def param(self, name: str) -> sp.Symbol:
        for sym in self.parameters:
            if sym.name == name:
                return sym
        raise KeyError(f"{self.id} has no parameter {name!r}; it has {self.param_names()}")

    def param_names(self) -> list[str]:
        return [s.name for s in self.parameters]

    def with_claim(self, expr=None, **changes) -> Theorem:
        """A copy whose claim has another expression (and optionally other claim fields):
        ``thm.with_claim(expr=thm.claim.expr / 2)``. The id is kept; the hash changes."""
        if expr is not None:
            changes["expr"] = sp.sympify(expr)
        return dataclasses.replace(self, claim=dataclasses.replace(self.claim, **changes))

    def replace(self, **changes) -> Theorem:
        return dataclasses.replace(self, **changes)

    def fixed_for(self, profile: str) -> dict:
        out = {}
        for key, value in self.fixed.items():
            if isinstance(value, Mapping) and value and set(value) <= set(PROFILES):
                if profile not in value:
                    raise TheoremDefinitionError(
                        f"{self.id}: fixed[{key!r}] has no {profile!r} value"
                    )
                value = value[profile]
            out[key] = value
        return out

    def check_assumptions(self, values: Mapping[str, Any]) -> None:
        """Raise ``ValueError`` naming the first domain or assumption ``values`` breaks: an
        :class:`~theorems.errors.OutsideDomain` (``T must be an integer ≥ 2, got 1.5``), then
        an :class:`~theorems.errors.AssumptionFails`. Assumptions are decided at the exact
        values the numbers spell (:meth:`Domain.exact`: ``0.1`` is ``1/10``)."""
        unknown = set(values) - set(self.param_names())
        if unknown:
            raise ValueError(
                f"{self.id}: unknown parameter(s) {sorted(unknown)}; it takes {self.param_names()}"
            )
        for sym, dom in self.parameters.items():
            if sym.name not in values:
                raise ValueError(f"{self.id}: missing parameter {sym.name} ({dom.describe()})")
            v = values[sym.name]
            if isinstance(v, float) and not math.isfinite(v):
                raise ValueError(f"{sym.name} must be a finite number ({dom.describe()}), got {v}")
            if isinstance(dom, IntRange) and not IntRange(-(10**18), 10**18).contains(
                values[sym.name]
            ):
                raise OutsideDomain(f"{sym.name} must be an integer, got {values[sym.name]!r}")
        for sym, dom in self.parameters.items():
            try:
                dom.validate(sym.name, values[sym.name])
            except ValueError as exc:
                raise OutsideDomain(str(exc)) from None
        # decided at exact values: 0.1 is 1/10, so that n·α ≤ 1 holds at (10, 0.1)
        exact = {sym: dom.exact(values[sym.name]) for sym, dom in self.parameters.items()}
        near = None
        for a in self.assumptions:
            holds = a.subs(exact)
            if holds not in (sp.true, sp.false, True, False):  # not decided exactly
                near = near or {sym: sympy_value(values[sym.name]) for sym in self.parameters}
                holds = a.subs(near)
            if holds is not sp.true and holds is not True:
                raise AssumptionFails(_broken(a, self.parameters, values))

    def budget_at(self, values: Mapping[str, Any]) -> float:
        """The size of the point ``values`` (``budget`` evaluated there; 0 without a budget)."""
        if self.budget is None:
            return 0.0
        subs = {s: values[s.name] for s in self.budget.free_symbols if s.name in values}
        return float(self.budget.subs(subs))

    def satisfies(self, values: Mapping[str, Any]) -> bool:
        try:
            self.check_assumptions(values)
        except ValueError:
            return False
        return True

    def canonical(self) -> str:
        """A canonical text of everything that determines the evidence (used for the hash):
        every dataclass field, the proof steps included, except the presentation-only ones
        (:data:`PRESENTATION_FIELDS`), so that a new field is hashed unless it is declared
        presentation-only."""
        return "\n".join(
            f"{f.name}={_canon(getattr(self, f.name))}"
            for f in dataclasses.fields(self)
            if f.name not in PRESENTATION_FIELDS
        )

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()[:16]

    def __eq__(self, other):
        return isinstance(other, Theorem) and self.canonical() == other.canonical()

    def __hash__(self):
        return hash(self.canonical())

    def __repr__(self):
        return f"Theorem({self.id!r}, {self.claim.kind}, expect={self.expect!r})"


_DECLARED = {  # a symbol's declared property → what every value of its domain must satisfy
    "positive": lambda v: v > 0,
    "nonnegative": lambda v: v >= 0,
    "negative": lambda v: v < 0,
    "nonpositive": lambda v: v <= 0,
    "integer": lambda v: float(v).is_integer(),
}


def _check_declared(tid: str, sym: sp.Symbol, dom: Domain) -> None:
    """A symbol declared positive (integer, …) ranges over a domain whose every value is: the
    domain's ends (or its values) are checked, so that a declaration sympy relies on when it
    folds an assumption holds at every point drawn."""
    from .domains import FiniteSet, Interval

    if isinstance(dom, FiniteSet):
        values = [v for v in dom.values if isinstance(v, int | float) and not isinstance(v, bool)]
        ends = [(v, True) for v in values]
    elif isinstance(dom, Interval):
        ends = [(dom.lo, dom.closed[0]), (dom.hi, dom.closed[1])]
    elif hasattr(dom, "lo") and hasattr(dom, "hi"):
        ends = [(dom.lo, True), (dom.hi, True)]
    else:
        return
    for prop, holds in _DECLARED.items():
        if not sym.assumptions0.get(prop):
            continue
        for v, closed in ends:
            if prop == "integer" and isinstance(dom, Interval):
                raise TheoremDefinitionError(
                    f"{tid}: {sym} is declared an integer but ranges over {dom.describe()}"
                )
            ok = holds(v) or (not closed and prop in ("positive", "negative") and v == 0)
            if math.isfinite(float(v)) and not ok:
                raise TheoremDefinitionError(
                    f"{tid}: {sym} is declared {prop} but its domain {dom.describe()} holds {v}"
                )


def _check_proof_graph(t: Theorem) -> None:
    """Step names are unique; ``uses`` name earlier steps or (dotted) theorem ids; a numeric
    step's lemma is a Theorem."""
    names: set[str] = set()
    for step in t.proof:
        if step.method == "numeric" and not isinstance(step.lemma, Theorem):
            raise TheoremDefinitionError(f"{t.id}: a numeric step's lemma must be a Theorem")
        for u in step.uses:
            if u not in names and "." not in u:
                raise TheoremDefinitionError(
                    f"{t.id}: step {step.name or step.statement!r} uses {u!r}, which is neither "
                    "an earlier step's name nor a theorem id"
                )
        if step.name:
            if step.name in names:
                raise TheoremDefinitionError(f"{t.id}: two proof steps are named {step.name!r}")
            names.add(step.name)


PRESENTATION_FIELDS = frozenset({"title", "source", "notes", "finding", "uses"})
"""Theorem fields that change what a page says, not what is checked: not hashed."""
CLAIM_PRESENTATION_FIELDS = frozenset({"measured"})
"""Claim fields that only describe (the measured quantity in words): not hashed."""


def _canon(v) -> str:
    """A deterministic text of a field's value: sympy by ``srepr``, mappings sorted, dataclasses
    (claims, proof steps, domains) field by field."""
    if isinstance(v, sp.Basic):
        return sp.srepr(v)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        skip = CLAIM_PRESENTATION_FIELDS if isinstance(v, Claim) else frozenset()
        inner = ", ".join(
            f"{f.name}={_canon(getattr(v, f.name))}"
            for f in dataclasses.fields(v)
            if f.name not in skip
        )
        return f"{type(v).__name__}({inner})"
    if isinstance(v, Mapping):
        return "{" + ", ".join(sorted(f"{_canon(k)}: {_canon(u)}" for k, u in v.items())) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_canon(u) for u in v) + "]"
    return repr(v)


_REL_WORDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "!=": "≠", "==": "="}


def _broken(a, parameters: Mapping[sp.Symbol, Domain], values: Mapping[str, Any]) -> str:
    """The message for a broken assumption: ``T must be an integer ≥ 2, got 1`` where the
    assumption bounds one parameter by a number, else the assumption and the values it saw."""
    if isinstance(a, sp.core.relational.Relational):
        lhs, rhs, op = a.lhs, a.rhs, a.rel_op
        if rhs.is_Symbol and lhs.is_number:
            lhs, rhs = rhs, lhs
            op = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(op, op)
        if lhs.is_Symbol and rhs.is_number and lhs in parameters:
            what = "an integer" if isinstance(parameters[lhs], IntRange) else "a real number"
            return f"{lhs.name} must be {what} {_REL_WORDS[op]} {rhs}, got {values[lhs.name]!r}"
    shown = ", ".join(
        f"{s.name} = {values[s.name]!r}"
        for s in sorted(a.free_symbols, key=str)
        if s.name in values
    )
    return f"assumption {a} does not hold at {shown}"


def sympy_value(v, *, exact: bool = False):
    """A parameter's plain value as a sympy value: booleans as ``true``/``false``, integers as
    ``Integer``, names as symbols; floats as 30-digit ``Float``s, or as the simplest nearby exact
    number with ``exact=True`` (``nsimplify``: a design value ``0.1`` is ``1/10``), for claimed
    values compared exactly. The one conversion from plain values to sympy."""
    if isinstance(v, bool):
        return sp.true if v else sp.false
    if isinstance(v, int):
        return sp.Integer(v)
    if isinstance(v, float):
        return sp.nsimplify(v) if exact else sp.Float(v, 30)
    if isinstance(v, str):
        return sp.Symbol(v)
    return sp.sympify(v)


__all__: Sequence[str] = (
    "CLAIM_KINDS",
    "Claim",
    "ProofStep",
    "Source",
    "Theorem",
)
