"""Experiments of the Markov paper's theorems in :mod:`theorems.markov_pretraining` (merged into
:data:`numerics.markov_experiments.EXPERIMENTS`)."""

from __future__ import annotations

EXPERIMENTS: dict = {}
