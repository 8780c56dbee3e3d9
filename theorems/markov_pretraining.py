"""The Markov paper (arXiv 2410.02724 v2): markov.kl_pretraining_bound (Thm E.5, Lemma E.4) and
markov.depth_bound (Cor. E.3, Lemma F.15), theorems of the ``markov`` family
(:mod:`theorems.markov` lists them with the rest)."""

from __future__ import annotations

from .core import Theorem


def theorems() -> list[Theorem]:
    return []
