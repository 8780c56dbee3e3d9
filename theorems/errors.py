"""The errors of definitions and of parameter values."""


class TheoremDefinitionError(ValueError):
    """A theorem, claim, domain or proof step was defined inconsistently."""


class OutsideDomain(ValueError):
    """A parameter value outside its domain (``T must be an integer ≥ 2, got 1.5``)."""


class AssumptionFails(ValueError):
    """Parameter values, each in its domain, at which an assumption of the theorem fails."""
