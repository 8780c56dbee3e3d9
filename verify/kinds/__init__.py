"""The claim kinds, one module each: a kind decides a point, builds its own mutants for
``verify selftest``, says its resolution and how its relation reads (:class:`base.Kind`).

Adding a kind: a module here with a :class:`~verify.kinds.base.Kind` subclass, its entry in
:data:`KINDS`, and its name in ``theorems.core.CLAIM_KINDS`` (the vocabulary a theorem is written
in)."""

from __future__ import annotations

from .base import Kind, PointDecision
from .bounds import Bound
from .identity import Identity
from .monotone import Monotone
from .probability import Probability
from .rate import Rate
from .threshold import Threshold

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Identity(),
        Bound("upper_bound"),
        Bound("lower_bound"),
        Rate(),
        Threshold(),
        Monotone(),
        Probability(),
    )
}


def kind(name: str) -> Kind:
    """The kind called ``name``; an unknown name raises ``ValueError``."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown claim kind {name!r}") from None


__all__ = ["KINDS", "Kind", "PointDecision", "kind"]
