"""The experiment registry: a theorem names its experiment by a key here, or by a
``"module:function"`` path (third-party experiments)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

REGISTRY: dict[str, str] = {
    "markov.state_count": "numerics.markov_experiments:state_count",
    "markov.transition_nonzeros": "numerics.markov_experiments:transition_nonzeros",
    "markov.block_structure": "numerics.markov_experiments:block_structure",
    "markov.closed_classes": "numerics.markov_experiments:closed_class_count",
    "markov.convergence": "numerics.markov_experiments:convergence",
    "markov.spread": "numerics.markov_experiments:spread",
    "markov.epsilon": "numerics.markov_experiments:epsilon",
    "markov.epsilon_vs_temperature": "numerics.markov_experiments:epsilon_vs_temperature",
    "markov.models_in_figure_range": "numerics.markov_experiments:models_in_figure_range",
    "markov.icl_counting_rate": "numerics.markov_experiments:icl_counting_rate",
    "markov.toy_stationary": "numerics.markov_toy:toy_stationary",
    "markov.icl_deviations": "numerics.markov_experiments:icl_deviations",
    "markov.toy_mixing": "numerics.markov_toy:toy_mixing",
    "markov.pretraining_deviations": "numerics.markov_experiments:pretraining_deviations",
    "markov.icl_model_rate": "numerics.markov_icl:icl_model_rate",
    "emergence.unlearned_vs_size": "numerics.emergence_experiments:unlearned_vs_size",
    "emergence.threshold_brackets": "numerics.emergence_experiments:threshold_brackets",
    "emergence.stability": "numerics.emergence_experiments:stability",
    "emergence.floor_rate": "numerics.emergence_experiments:floor_rate",
    "emergence.poisson_fixed_point": "numerics.emergence_experiments:poisson_fixed_point",
    "emergence.percolation_vs_size": "numerics.emergence_experiments:percolation_vs_size",
    "emergence.percolation_brackets": "numerics.emergence_experiments:percolation_brackets",
    "emergence.hierarchy_vs_size": "numerics.emergence_experiments:hierarchy_vs_size",
    "emergence.multiclass_vs_size": "numerics.emergence_experiments:multiclass_vs_size",
    "emergence.compression": "numerics.emergence_experiments:compression",
    "icl.exponential_convergence": "numerics.concepts:exponential_convergence",
    "icl.attention_concentration": "numerics.concepts:attention_concentration",
    "icl.ood_length": "numerics.concepts:ood_length",
    "icl.ood_skew": "numerics.concepts:ood_skew",
    "icl.ood_recombine": "numerics.concepts:ood_recombine",
    "uat.attention_linear_form": "numerics.uat:attention_linear_form",
    "uat.dynamic_form": "numerics.uat:dynamic_form",
    "uat.barron": "numerics.uat:barron",
    "uat.lora_optimal": "numerics.uat:lora_optimal",
    "uat.lora_competitors": "numerics.uat:lora_competitors",
    "uat.pruning_competitors": "numerics.uat:pruning_competitors",
    "uat.pruning_perturbation": "numerics.uat:pruning_perturbation",
}


def register(key: str, target: str | Callable) -> None:
    """Add an experiment under ``key`` (a ``"module:function"`` path or the function itself)."""
    if isinstance(target, str) and ":" not in target:
        raise ValueError(f"an experiment target is 'module:function', got {target!r}")
    REGISTRY[key] = target


def resolve(key: str) -> Callable:
    """The experiment function for a registry key or a ``"module:function"`` path."""
    target = REGISTRY.get(key, key)
    if callable(target):
        return target
    if ":" not in target:
        raise LookupError(
            f"unknown experiment {key!r}: not in the registry ({', '.join(sorted(REGISTRY))}) "
            "and not a 'module:function' path"
        )
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LookupError(f"experiment {key!r}: cannot import {module_name!r} ({exc})") from exc
    try:
        fn = getattr(module, attr)
    except AttributeError:
        raise LookupError(f"experiment {key!r}: {module_name!r} has no {attr!r}") from None
    if not callable(fn):
        raise LookupError(f"experiment {key!r}: {target!r} is not callable")
    return fn
