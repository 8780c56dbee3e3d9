"""The experiments of the uat family: universal approximation (THEOREMS.md §4), computed in
:mod:`numerics.uat`."""

from __future__ import annotations

from . import uat

EXPERIMENTS = {
    "uat.attention_linear_form": uat.attention_linear_form,
    "uat.dynamic_form": uat.dynamic_form,
    "uat.barron": uat.barron,
    "uat.lora_optimal": uat.lora_optimal,
    "uat.lora_competitors": uat.lora_competitors,
    "uat.pruning_competitors": uat.pruning_competitors,
    "uat.pruning_perturbation": uat.pruning_perturbation,
}
"""The family's experiments by key (a theorem names one in ``experiment``); verify finds them
here through the family's name (:func:`verify.experiments.resolve`)."""
