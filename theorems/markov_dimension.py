"""The Markov paper (arXiv 2410.02724 v2): markov.icl_dimension (Fig. 7, App. E.1.2: the in-context
risk's constant in d), theorems of the ``markov`` family (:mod:`theorems.markov` lists them with
the rest)."""

from __future__ import annotations

from .core import Theorem


def theorems() -> list[Theorem]:
    return []
