"""reStructuredText and LaTeX helpers of the proof docs: escaping, slugs, the ``:math:`` role, a
claim as one LaTeX formula, and the small formatters the pages share."""

from __future__ import annotations

import re

import sympy as sp

from theorems import Theorem

from .. import report as reports
from ..kinds import kind

GENERATED = "_generated"  # the generated sources, under the Sphinx source folder
LATEX_NAMES = {"eps": r"\varepsilon", "top_k": "k"}


def latex(expr) -> str:
    """sympy's LaTeX with the project's symbol names (``eps`` → ε)."""
    expr = sp.sympify(expr)
    names = {s: LATEX_NAMES[s.name] for s in expr.free_symbols if s.name in LATEX_NAMES}
    return sp.latex(expr, symbol_names=names)


def rst_escape(text: str) -> str:
    """Escape reStructuredText inline markup characters in plain text."""
    return re.sub(r"([\\*`|_])", r"\\\1", str(text))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def math_role(latex: str) -> str:
    return f":math:`{latex}`"


def claim_latex(thm: Theorem) -> str:
    """The claim as one LaTeX formula: ``\\text{measured} \\leq …`` and the like (written by
    the claim's kind, :meth:`verify.kinds.base.Kind.claim_latex`)."""
    c = thm.claim
    var = latex(c.variable) if c.variable is not None else ""
    return kind(c.kind).claim_latex(c, latex(c.expr), var)


def fmt4(x) -> str:
    """A number to 4 significant digits, as the reports show it."""
    return reports.fmt(x, 4)


def short_params(params: dict) -> str:
    """``{"n": 3, "k": 2}`` → ``"n = 3, k = 2"``."""
    return ", ".join(f"{k} = {v}" for k, v in params.items())
