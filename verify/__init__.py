"""theoremlab's verifier (provided by the ``theoremlab`` distribution): joins a theorem to its
experiment, decides with stated confidence, and reports.

>>> import theorems, verify
>>> result = verify.check(theorems.get("markov.state_count"), profile="quick")
>>> result.verdict
'pass'
"""

from .engine import CheckResult, check, design_points, point_seed
from .experiments import register, resolve

__all__ = ["CheckResult", "check", "design_points", "point_seed", "register", "resolve"]
