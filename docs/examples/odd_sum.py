"""A theorem of your own: the sum of the first n odd numbers is n², checked by counting."""

import sympy as sp

from numerics import Measurement
from theorems import Claim, IntRange, ProofStep, Source, Theorem

n = sp.Symbol("n", integer=True)
k = sp.Symbol("k", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)


def odd_sum(params, *, seed, device="cpu"):
    """Add the first n odd numbers one by one (exact integers)."""
    total = sum(2 * i + 1 for i in range(params["n"]))
    return Measurement(value=total, exact=True)


def catalogue():
    return [
        Theorem(
            id="example.odd_sum",
            title="1 + 3 + … + (2n − 1) = n²",
            source=Source("folklore", "Nicomachus, Introduction to Arithmetic", "reconstruction"),
            parameters={n: IntRange(1, 1000)},
            assumptions=(n >= 1,),
            claim=Claim("identity", n**2, measured="the sum, added term by term"),
            proof=(
                ProofStep(
                    "Σ_{k=1}^{m} (2k − 1) = m²",
                    "identity",
                    sp.summation(2 * k - 1, (k, 1, m)),
                    m**2,
                ),
            ),
            proved_by_steps=True,
            experiment="odd_sum:odd_sum",
        )
    ]
