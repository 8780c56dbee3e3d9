"""Verification profiles: how many design levels per domain, how many points at most, and the
family-wise error rate α of the decisions (confidence 1 − α)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    levels: int
    max_points: int
    alpha: float


PROFILES = {
    "quick": Profile("quick", levels=3, max_points=12, alpha=0.01),
    "standard": Profile("standard", levels=4, max_points=40, alpha=0.01),
    "thorough": Profile("thorough", levels=5, max_points=120, alpha=0.001),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {name!r}") from None
