"""Verification profiles: how many design levels per domain, how many points at most, and the
family-wise error rate α of the decisions (confidence 1 − α).

A pass needs every interval at confidence 1 − α (over a theorem's points) on the claim's side.
A refutation needs more: significance at ``α / RUN_SIZE`` (Holm over the theorem's points), so
that a whole run of up to :data:`RUN_SIZE` Monte-Carlo theorems refutes a true one with
probability at most α (Bonferroni over the theorems). A theorem's verdict does not depend on
which other theorems share its run.
"""

from __future__ import annotations

from dataclasses import dataclass

RUN_SIZE = 50
"""The number of Monte-Carlo theorems a run's family-wise refutation level covers (the catalogue
holds about twenty)."""


@dataclass(frozen=True)
class Profile:
    name: str
    levels: int
    max_points: int
    alpha: float

    @property
    def alpha_refute(self) -> float:
        """The family-wise level (over one theorem's points) at which a violation refutes."""
        return self.alpha / RUN_SIZE


PROFILES = {
    "quick": Profile("quick", levels=3, max_points=12, alpha=0.01),
    "standard": Profile("standard", levels=4, max_points=40, alpha=0.01),
    "thorough": Profile("thorough", levels=5, max_points=120, alpha=0.001),
}


def get_profile(name: str | Profile) -> Profile:
    """The profile called ``name`` (a :class:`Profile` is returned as it is)."""
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {name!r}") from None
