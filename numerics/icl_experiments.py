"""The experiments of the icl family: in-context learning with multi-concept words (Bu et al.;
THEOREMS.md §3), simulated in :mod:`numerics.concepts`."""

from __future__ import annotations

from . import concepts

EXPERIMENTS = {
    "icl.exponential_convergence": concepts.exponential_convergence,
    "icl.attention_concentration": concepts.attention_concentration,
    "icl.ood_length": concepts.ood_length,
    "icl.ood_skew": concepts.ood_skew,
    "icl.ood_recombine": concepts.ood_recombine,
}
"""The family's experiments by key (a theorem names one in ``experiment``); verify finds them
here through the family's name (:func:`verify.experiments.resolve`)."""
