"""Mutation analysis of the checks: can each check reject claims that are false by construction?

For a theorem expected to pass, its check is run once; from that run's own measurements we build
variants of the claim that cannot hold (a constant scaled past the worst measured point, an
exponent moved outside the fitted interval plus the band, the inequality flipped where the bound
is not tight, a threshold moved outside the largest size's bracket or by ±5 %, monotonicity
reversed, an identity shifted) and decide each on the same measurements
(:func:`verify.engine.redecide`: the verdict the same check gives, since the variant measures the
same thing; a variant that would measure something else is measured). A variant that passes or stays
inconclusive *survives*. Target: every check rejects at least 90 % of its mutants, and no true
theorem fails.

Proof steps get mutants too (:func:`verify.proofs.step_mutant`: a constant changed so that the
step is false by construction); each must come back ``failed`` from its own method (sympy or
ball arithmetic), at the same 90 %.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from theorems import Theorem

from .engine import CheckResult, check, redecide
from .kinds import kind
from .proofs import proof_status, step_mutant

TARGET = 0.9


@dataclass
class SelftestResult:
    theorem_id: str
    baseline: CheckResult
    mutants: list[tuple[str, str]] = field(default_factory=list)  # (label, verdict)
    claims: list[str] = field(default_factory=list)  # each mutant's changed claim, in words
    steps: list[tuple[str, str]] = field(default_factory=list)  # (step, mutant's status)

    @property
    def rejected(self) -> int:
        return sum(v == "fail" for _, v in self.mutants)

    @property
    def survivors(self) -> list[str]:
        return [f"{label} ({v})" for label, v in self.mutants if v != "fail"]

    @property
    def fraction(self) -> float | None:
        return self.rejected / len(self.mutants) if self.mutants else None

    @property
    def steps_fraction(self) -> float | None:
        """The share of proof-step mutants that failed."""
        return sum(v == "failed" for _, v in self.steps) / len(self.steps) if self.steps else None

    existential: bool = False  # a miss is inconclusive by design: mutants cannot be rejected

    @property
    def ok(self) -> bool:
        if not self.baseline.as_expected:
            return False
        if self.steps_fraction is not None and self.steps_fraction < TARGET:
            return False
        return self.existential or self.fraction is None or self.fraction >= TARGET


def mutants(t: Theorem, r: CheckResult) -> list[tuple[str, Theorem]]:
    """Variants of ``t``'s claim that are false given the measurements of ``r`` (built by the
    claim's kind: :meth:`verify.kinds.base.Kind.mutants`)."""
    return kind(t.claim.kind).mutants(t, r)


def selftest(
    t: Theorem,
    *,
    profile: str = "quick",
    seed: int = 0,
    device: str = "cpu",
    baseline: CheckResult | None = None,
):
    """Run ``t``'s check (or take ``baseline``, a check of ``t`` that holds its measurements),
    then decide each of its mutants on those measurements; negative controls (expected to
    fail) are only checked for their expected verdict."""
    base = baseline if baseline is not None else check(t, profile=profile, seed=seed, device=device)
    res = SelftestResult(t.id, base, existential=bool(t.claim.existential))
    res.steps = step_mutants(t)
    if t.expect != "pass" or base.verdict != "pass":
        return res
    for label, m in mutants(t, base):  # decided on the baseline's measurements
        res.mutants.append((label, redecide(m, base).verdict))
        res.claims.append(claim_words(m))
    return res


def claim_words(t: Theorem) -> str:
    """A claim in one line: ``upper_bound: expr`` with the fields that distinguish it."""
    import sympy as sp

    c = t.claim
    extra = [
        f"{k}={v}" for k in ("level", "margin", "tolerance") if (v := getattr(c, k)) is not None
    ]
    if c.kind == "monotone":
        extra.append(c.direction)
    return f"{c.kind}: {sp.sstr(c.expr)}" + (f" ({', '.join(extra)})" if extra else "")


def step_mutants(t: Theorem) -> list[tuple[str, str]]:
    """``(step, status)`` of each mutated sympy or interval step of ``t`` that was established
    (a step already open or failed has no false-by-construction variant to test)."""
    out = []
    for step, row in zip(t.proof, proof_status(t), strict=True):
        if row["status"] not in ("proved", "certified"):
            continue
        m = step_mutant(step, t)
        if m is None:
            continue
        alone = dataclasses.replace(t, proof=(m.with_(uses=(), name=""),))
        out.append((step.name or step.statement, proof_status(alone)[0]["status"]))
    return out
