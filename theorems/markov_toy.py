"""The Markov paper (arXiv 2410.02724 v2): the toy parity model's theorems (Sec. 3.2, Fig. 4-5),
theorems of the ``markov`` family (:mod:`theorems.markov` lists them with the rest)."""

from __future__ import annotations

from .core import Theorem


def theorems() -> list[Theorem]:
    return []
