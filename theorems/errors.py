"""The one error a definition raises."""


class TheoremDefinitionError(ValueError):
    """A theorem, claim, domain or proof step was defined inconsistently."""
