"""The pre-trained models a profile uses: found (shipped with the package or cached) or built.

``verify checkpoints [--profile P]`` runs :func:`ensure`; the Makefile calls it before ``make
verify`` and ``make test``. The quick profile's in-context checkpoints ship in
``numerics/checkpoints/`` (package data), so a fresh clone trains nothing; the standard and
thorough ones are trained on first use (deterministically, with progress) and cached.
``--rebuild`` trains from scratch whatever is shipped or cached; ``--ship`` also writes the result
into the package folder (what a maintainer commits when the model's configuration changes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import theorems

from .profiles import get_profile

THEOREM = "markov.icl_rate_model"


@dataclass(frozen=True)
class Checkpoint:
    """One pre-trained model a profile needs: its state count, training steps, and where it is
    (``shipped``, ``cached``, ``trained`` now, or ``missing``)."""

    d: int
    steps: int
    where: str
    path: Path | None


def needed(profile: str) -> list[tuple[int, int]]:
    """``(d, pretrain_steps)`` of every in-context model ``profile`` uses: markov.icl_rate_model's
    state counts and ``growth_d`` models, and the ``icl_models`` (state counts) any theorem lists
    in its ``fixed`` settings beside its ``pretrain_steps``; each pair once, in that order."""
    get_profile(profile)
    t = theorems.get(THEOREM)
    fixed = t.fixed_for(profile)
    steps = int(fixed["pretrain_steps"])
    ds = [int(v) for v in t.parameters[t.param("d")].values]
    ds += [int(v) for v in fixed.get("growth_d", ())]
    out = [(d, steps) for d in ds]
    for other in theorems.all():
        fx = other.fixed_for(profile)
        if "icl_models" in fx:
            out += [(int(d), int(fx["pretrain_steps"])) for d in fx["icl_models"]]
    return list(dict.fromkeys(out))


def status(profile: str, device: str = "cpu") -> list[Checkpoint]:
    """Where each checkpoint of ``profile`` is, without training anything."""
    from numerics import lm

    out = []
    for d, steps in needed(profile):
        _, path, where = lm.find_icl(d, steps, device)
        out.append(Checkpoint(d, steps, where, path))
    return out


def ensure(
    profile: str,
    device: str = "cpu",
    *,
    rebuild: bool = False,
    ship: bool = False,
    on_item: Callable[[int, int, str], None] | None = None,
) -> list[Checkpoint]:
    """Find or build every checkpoint of ``profile``. ``rebuild`` trains even when one exists
    (stored in the cache); ``ship`` copies the result into the package's ``checkpoints/``.
    ``on_item(d, steps, state)`` is told before each one (``shipped``, ``cached`` or
    ``training``)."""
    from numerics import lm

    if ship and str(device) != "cpu":
        raise ValueError("only CPU-trained checkpoints ship: pass --device cpu")
    out = []
    for d, steps in needed(profile):
        config = lm.icl_config(d, steps, device)
        path, where = (None, "missing") if rebuild else lm.find_icl(d, steps, device)[1:]
        if on_item:
            on_item(d, steps, where if path is not None else "training")
        model = None
        if path is None:
            model = lm.pretrain_icl(config, device)
            path, where = lm.store("icl", config, model), "trained"
        if ship and path.parent != lm.SHIPPED:
            if model is None:
                model = lm.load(path, lm.empty_icl_model(config))
            path = lm.store("icl", config, model, root=lm.SHIPPED)
            where = "shipped"
        out.append(Checkpoint(d, steps, where, path))
    return out
