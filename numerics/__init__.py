"""theoremlab's simulations: numpy, scipy and torch, plain numbers and arrays in and out (provided
by the ``theoremlab`` distribution). No sympy here: the verifier converts symbolic values first."""

from .device import resolve_device, torch_generator
from .measurement import Measurement

__all__ = ["Measurement", "resolve_device", "torch_generator"]
