"""Proof steps: each theorem's steps checked by sympy and given a status.

sympy alone (no numpy, scipy or torch): ``verify show`` reports the steps without loading the
numerics.
"""

from __future__ import annotations

from functools import lru_cache

from theorems import Theorem


@lru_cache(maxsize=512)
def _check_step(step) -> tuple[bool | None, str]:
    try:
        return step.check(), ""
    except Exception as exc:  # sympy gave up: not proved, never false
        return None, f"{type(exc).__name__}: {exc}"


def proof_status(theorem: Theorem) -> list[dict]:
    """One row per proof step: its statement, kind, text, ``proved`` (True, False when sympy
    found the step false, None when it proved nothing) and sympy's note when it gave up."""
    out = []
    for step in theorem.proof:
        ok, note = _check_step(step)
        out.append(
            {
                "statement": step.statement,
                "kind": step.kind,
                "expr": step.text(),
                "proved": ok,
                "note": note,
            }
        )
    return out
