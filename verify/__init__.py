"""theoremlab's verifier (provided by the ``theoremlab`` distribution): joins a theorem to its
experiment, decides with stated confidence, and reports.

>>> import theorems, verify
>>> result = verify.check(theorems.get("markov.state_count"), profile="quick")
>>> result.verdict
'pass'

The names below load on first use, so that importing a light submodule (the pytest plugin,
``verify.strategies``) does not import torch.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "Budget": "verify.certifier",
    "Certificate": "verify.certifier",
    "CheckResult": "verify.engine",
    "certify": "verify.certifier",
    "check": "verify.engine",
    "design_points": "verify.design",
    "point_seed": "verify.design",
    "redecide": "verify.engine",
    "register": "verify.experiments",
    "resolve": "verify.experiments",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'verify' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
