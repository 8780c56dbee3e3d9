"""The Markov paper (arXiv 2410.02724 v2): markov.icl_tmin_regime and markov.icl_rate_random_walk
(Thm 4.3's t_min regime, Fig. 6 b-c; App. D's chains outside the theory), theorems of the
``markov`` family (:mod:`theorems.markov` lists them with the rest)."""

from __future__ import annotations

from .core import Theorem


def theorems() -> list[Theorem]:
    return []
