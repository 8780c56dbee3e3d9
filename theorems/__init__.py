"""theoremlab's claims: theorems written once in sympy (provided by the ``theoremlab``
distribution).

>>> import theorems
>>> thm = theorems.get("markov.state_count")
>>> thm.claim.kind
'identity'
"""

from .core import CLAIM_KINDS, Claim, Source, Theorem, per_profile
from .domains import Domain, FiniteSet, Interval, IntRange, LogUniform
from .errors import TheoremDefinitionError
from .proofsteps import METHODS, STEP_STATUSES, ProofStep
from .registry import ENTRY_POINT_GROUP, all, broken, get, refresh

__all__ = [
    "CLAIM_KINDS",
    "ENTRY_POINT_GROUP",
    "Claim",
    "Domain",
    "FiniteSet",
    "IntRange",
    "Interval",
    "LogUniform",
    "METHODS",
    "ProofStep",
    "STEP_STATUSES",
    "Source",
    "Theorem",
    "TheoremDefinitionError",
    "all",
    "broken",
    "get",
    "per_profile",
    "refresh",
]
