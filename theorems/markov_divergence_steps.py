"""Proof steps of the Markov family's divergence lemmas (Zekri et al., arXiv 2410.02724 v2,
App. F): Lemma F.6 (the total variation bounded through the Hellinger distance, with the Jensen
step written out) and Lemma F.19 (a row-selection matrix does not increase the ℓ₁ norm), used by
:mod:`theorems.markov_steps`. Symbols carry sign assumptions so that sympy decides the steps."""

from __future__ import annotations

import sympy as sp

from .proofsteps import ProofStep

_a = sp.Symbol("a", nonnegative=True)  # as theorems.markov_steps' _a (sympy identifies them)


def _paper(statement: str, kind: str, lhs, rhs=0, **kw) -> ProofStep:
    """A sympy step of the paper's own argument (``locator`` says where)."""
    return ProofStep(statement, kind, lhs, rhs, paper=True, **kw)


def _jensen_steps() -> tuple:
    """Jensen's inequality for the logarithm, from the tangent line: log y ≤ log m + y/m − 1,
    averaged over Q with m = E_Q Y (any number of outcomes)."""
    t = sp.Symbol("t", positive=True)
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, nonnegative=True)
    q, y = sp.IndexedBase("q", positive=True), sp.IndexedBase("y", positive=True)
    m = sp.Symbol("m", positive=True)
    return (
        ProofStep(
            "h(t) = t − 1 − log t is convex on t > 0 (h″(t) = 1/t² > 0) with h′(1) = 0, so h ≥ "
            "h(1) = 0: log t ≤ t − 1 for every t > 0, and at t = y/m, log y ≤ log m + y/m − 1",
            "positive",
            sp.Derivative(t - 1 - sp.log(t), (t, 2)),
            name="log_below_tangent",
        ),
        ProofStep(
            "Averaging y_i/m − 1 with weights q_i (n outcomes, symbolic n) is linear: "
            "Σ_i q_i (y_i/m − 1) = (Σ_i q_i y_i)/m − Σ_i q_i, which is 1 − 1 = 0 for a "
            "probability vector q and m = Σ_i q_i y_i. With the tangent step: E_Q log Y ≤ "
            "log E_Q Y (Jensen for the logarithm); with Y = √(P/Q), E_Q Y = Σ√(PQ), so "
            "−2 log Σ√(PQ) ≤ E_Q log(Q/P) ≤ E_Q|log(P/Q)|",
            "identity",
            sp.Sum(q[i] * (y[i] / m - 1), (i, 0, n - 1)),
            sp.Sum(q[i] * y[i], (i, 0, n - 1)) / m - sp.Sum(q[i], (i, 0, n - 1)),
            name="jensen",
            uses=("log_below_tangent",),
        ),
    )


def hellinger_steps() -> tuple:
    """Lemma F.6: d_TV ≤ H, H² = 2(1 − Σ√(PQ)) ≤ −2 log Σ√(PQ) ≤ ∫|log(P/Q)| Q ≤ 2B."""
    x = sp.Symbol("x", positive=True)
    pa, pb = 1 / (1 + sp.Symbol("a", positive=True)), 1 / (1 + sp.Symbol("b", positive=True))
    return (
        ProofStep.cited(
            "d_TV(P, Q)² ≤ H(P, Q)²(1 − H(P, Q)²/4) ≤ H(P, Q)², with H² = Σ(√P − √Q)² "
            "(Lemma F.6, Eq. 14)",
            reference="tsybakov2009",
            locator="Lemma 2.3",
            name="tv_hellinger",
        ),
        _paper(
            "Lemma F.6, proof: H(P, Q)² = 2(1 − Σ√(PQ)) for probability vectors (two outcomes, "
            "P = (1/(1 + a), a/(1 + a)), Q likewise with b)",
            "identity",
            (sp.sqrt(pa) - sp.sqrt(pb)) ** 2 + (sp.sqrt(1 - pa) - sp.sqrt(1 - pb)) ** 2,
            2 * (1 - sp.sqrt(pa * pb) - sp.sqrt((1 - pa) * (1 - pb))),
            name="hellinger",
            locator="Lemma F.6, proof",
        ),
        *_jensen_steps(),
        _paper(
            "… ≤ −2 log Σ√(PQ), by 1 − x ≤ −log x on (0, 1] (x = Σ√(PQ)): g(x) = x − 1 − log x "
            "has g(1) = 0, g′(x) = 1 − 1/x ≤ 0 there (x = 1/(1 + a)). Jensen (step jensen) then "
            "gives d_TV² ≤ E_Q|log(P/Q)| ≤ B; the paper drops the ½ of log √(P/Q) and has 2B: "
            "c₂ = √(2M)",
            "nonnegative",
            sp.Subs(-sp.Derivative(x - 1 - sp.log(x), x), x, 1 / (1 + _a)),
            name="log_tangent",
            uses=("hellinger", "jensen"),
            locator="Lemma F.6, proof (1 − x ≤ −log x)",
        ),
    )


def selection_steps() -> tuple:
    """Lemma F.19 (‖Mu‖₁ ≤ ‖u‖₁ for M selecting d distinct coordinates of u ∈ R^T), and its use
    with Lemma F.8 in Lemma F.20."""
    T, d = sp.symbols("T d", integer=True, positive=True)
    k, l = sp.symbols("k l", integer=True, nonnegative=True)
    u = sp.IndexedBase("u", real=True)
    return (
        _paper(
            "Lemma F.19 at symbolic d ≤ T: the rows of M are distinct unit vectors, so Mu lists "
            "d distinct coordinates of u; ordering the coordinates so that they come first "
            "(‖·‖₁ does not change), ‖u‖₁ − ‖Mu‖₁ = Σ_{l<T}|u_l| − Σ_{k<d}|u_k| = "
            "Σ_{d≤l<T}|u_l|",
            "identity",
            sp.Sum(sp.Abs(u[l]), (l, 0, T - 1)) - sp.Sum(sp.Abs(u[k]), (k, 0, d - 1)),
            sp.Sum(sp.Abs(u[l]), (l, d, T - 1)),
            name="selection_gap",
            locator="Lemma F.19, proof",
        ),
        _paper(
            "… a sum of terms |u_l| ≥ 0, so ‖Mu‖₁ ≤ ‖u‖₁; with Lemma F.8 "
            "(markov.pretraining_bound's column step) this is Lemma F.20: "
            "‖M W_U S_n^{(L)}‖₁/(nτ) ≤ ‖W_Uᵀ‖_{2,1}/τ ≤ B_U/τ",
            "nonnegative",
            sp.Abs(u[l]),
            name="selection_l1",
            uses=("selection_gap", "markov.pretraining_bound"),
            locator="Lemmas F.19–F.20",
        ),
    )
