"""The proof docs: pages, plots and the dependency graph generated from the registry (``theorems``)
and the latest report, and the Sphinx extension that shows them.

One idea per module: :mod:`~verify.docs.rst` (reStructuredText and LaTeX helpers),
:mod:`~verify.docs.pages` (theorem and paper pages, the catalogue's table),
:mod:`~verify.docs.plots` (evidence plots), :mod:`~verify.docs.figures` (a family's own figures,
registered with :func:`figure`; the Markov paper's in :mod:`~verify.docs.markov_figures`),
:mod:`~verify.docs.graph` (the dependency graph), :mod:`~verify.docs.performance` (the
calibration and performance pages), :mod:`~verify.docs.build` (:func:`generate` and
:func:`build`; ``verify docs`` and ``make docs`` call :func:`build`) and
:mod:`~verify.docs.sphinxext` (the directives; ``docs/conf.py`` loads it).
"""

from __future__ import annotations

from . import markov_figures  # noqa: F401  (registers the Markov paper's figures)
from .build import build, generate
from .figures import figure
from .pages import theorem_body, theorem_table
from .performance import calibration_page, performance_page, scale_figure

__all__ = [
    "build",
    "calibration_page",
    "figure",
    "generate",
    "performance_page",
    "scale_figure",
    "theorem_body",
    "theorem_table",
]
