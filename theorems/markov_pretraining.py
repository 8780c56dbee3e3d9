"""The Markov paper (arXiv 2410.02724 v2): markov.kl_pretraining_bound (Thm E.5, Lemma E.4) and
markov.depth_bound (Cor. E.3, Lemma F.15), theorems of the ``markov`` family
(:mod:`theorems.markov` lists them with the rest).

Theorem E.5 is Theorem 4.2 with the KL risk of Eq. (8): Lemma E.4 (``|log(P/Q)| ≤ B`` gives
``d_KL(P‖Q) ≤ B``) takes the place of Lemma F.6 (``d_TV ≤ √(2B)``), so the bounded-difference
constant is ``c₂ = B`` and ``B̄ = √2 ‖Γ‖ max{log T + 2B_U/τ, log(1/c₀)}``, linear in the max (no
square root), as the proof gives. Corollary E.3 is Theorem 4.2 for a transformer without
LayerNorm in the class ``W̃``: Lemma F.15 bounds its logits by ``c₃B_U/τ`` and ``B_U`` becomes
``c₃B_U = B_Θ^L``. Lemma F.15 is checked numerically (a numeric proof step whose lemma,
markov.depth_logit_bound, is not in the catalogue: its evidence is on the proof step, and the
trained model's ratio is in the main evidence). Its Eq. (28) holds for App. B's attention read
literally (the softmax mixes features) but can fail for attention over positions, as in the
model checked here (step ``eq28_positions``); the lemma's conclusion holds there column by
column (``columnwise``)."""

from __future__ import annotations

import sympy as sp

from .core import Claim, ProofStep, Source, Theorem, per_profile
from .domains import FiniteSet
from .markov_appendix import CITE, PAPER
from .markov_steps import _lemma_f8_steps, _log_ratio_steps

# parameter symbols, as theorems.markov declares them (no sign assumptions)
T = sp.Symbol("T", integer=True)
K = sp.Symbol("K", integer=True)
N = sp.Symbol("N", integer=True)
B_U = sp.Symbol("B_U", real=True)
c0 = sp.Symbol("c0", real=True)
tau = sp.Symbol("tau", real=True)
L = sp.Symbol("L", integer=True)
H = sp.Symbol("H", integer=True)
r = sp.Symbol("r", integer=True)
m = sp.Symbol("m", integer=True)
B_1, B_2, B_O, B_V, B_tok = (sp.Symbol(s, real=True) for s in ("B_1", "B_2", "B_O", "B_V", "B_tok"))
Gamma = sp.Symbol("Gamma", real=True)  # measured: ‖Γ‖ (1 for iid contexts) or its bound √t_min
DELTA = sp.Rational(1, 20)

_pos = dict(positive=True)
_delta, _N = sp.Symbol("delta", **_pos), sp.Symbol("N", integer=True, positive=True)

DEVIATION = sp.sqrt(sp.log(2 / DELTA) / N)
M_W = sp.Max(sp.log(T) + 2 * B_U / tau, sp.log(1 / c0))  # Prop. F.9 / Lemma E.4's B
LAYER = (1 + r * m * B_1 * B_2) * (1 + r**3 / H * B_O * B_V)
B_THETA = LAYER * (B_tok * B_U) ** (1 / L)

CONTEXTS = {
    "contexts": per_profile("iid", "chain", "chain"),
    "datasets": per_profile(300, 2000, 20000),
}
WHY_GAMMA = (
    "‖Γ‖ = 1 for iid contexts (quick); for contexts read off one long chain (standard, "
    "thorough) ‖Γ‖ is replaced by √t_min of the window chain, computed exactly: the tail "
    "2 exp(−2u²/(‖Γ‖²‖c‖²)) of Prop. F.5 holds with ‖Γ‖² = t_min by Paulin 2015, Cor. 2.11 and "
    "Remark 1.5 (Prop. F.18's concentration argument, step paulin_markov). δ = 0.05: level 0.95, "
    "the paper's 1 − δ."
)


def kl_steps() -> tuple:
    """Theorem E.5: Prop. F.9's ``|log(P_L/P_Θ)| ≤ B``, Lemma E.4, and the concentration algebra
    of Theorem 4.2's proof with c₂ = B in place of √(2B)."""
    c2, Bs = sp.Symbol("c_2", **_pos), sp.Symbol("B", **_pos)
    G, cn, u = (sp.Symbol(s, **_pos) for s in ("Gamma", "C", "u"))
    x = sp.Symbol("x", **_pos)
    a, b = sp.symbols("a b", nonnegative=True)
    n = sp.Symbol("n", integer=True, positive=True)
    p = 1 / (1 + x)  # P = (p, 1 − p); log(P_i/Q_i) = B − a, B − b ≤ B
    u_star = G * cn * sp.sqrt(sp.log(2 / _delta) / 2)
    where = "Thm E.5, proof (Thm 4.2's, App. F.5.3, with √(2B) replaced by B)"
    return (
        *_lemma_f8_steps(),
        *_log_ratio_steps("T", "c_0", "Prop. F.9", ("column_average", "Lemma F.8")),
        ProofStep(
            "Lemma E.4: if log(P/Q) ≤ B wherever P > 0, then d_KL(P‖Q) = Σ P log(P/Q) ≤ "
            "B Σ P = B (two outcomes, P = (1/(1 + x), x/(1 + x)), log-ratios B − a, B − b); "
            "with Prop. F.9's B = max{log T + 2B_U/τ, log(1/c₀)} and d_KL ≥ 0 (Gibbs): "
            "0 ≤ g_n(S_n) = d_KL(P_L(·|S_n)‖P_Θ(·|S_n)) ≤ c₂ = B",
            "nonnegative",
            Bs - (p * (Bs - a) + (1 - p) * (Bs - b)),
            name="lemma_E4",
            uses=("ratio_floor_data",),
            paper=True,
            locator="Lemma E.4 and its proof (App. E.3)",
        ),
        ProofStep.cited(
            "McDiarmid's inequality for dependent variables (Prop. F.5): with a Marton coupling "
            "of mixing matrix Γ and f(x) − f(y) ≤ Σ_i c_i 1{x_i ≠ y_i}, P(|f(S) − Ef(S)| ≥ u) "
            "≤ 2 exp(−2u²/(‖Γ‖² ‖c‖₂²)); ‖Γ‖ = 1 for independent S",
            reference="paulin2015",
            locator="Theorem 2.9",
            name="paulin",
        ),
        ProofStep.cited(
            "… and for S a time-homogeneous Markov chain (the windows of an order-K chain, "
            "Lemma F.17 for a Markov chain) the same tail with ‖Γ‖² replaced by τ_min ≤ t_min "
            "(Prop. F.18's argument)",
            reference="paulin2015",
            locator="Corollary 2.11 and Remark 1.5",
            name="paulin_markov",
            uses=("markov.icl_bound",),
        ),
        ProofStep(
            "f = (1/N)Σ_n g_n(S_n) moves by at most 2c₂/N when one S_n changes: ‖c‖₂ = "
            "(Σ_{n=1}^{N} (2c₂/N)²)^{1/2} = 2c₂/√N",
            "identity",
            sp.sqrt(sp.Sum((2 * c2 / _N) ** 2, (n, 1, _N))),
            2 * c2 / sp.sqrt(_N),
            name="norm_c",
            uses=("lemma_E4",),
            paper=True,
            locator=where + ": the bounding vector",
        ),
        ProofStep(
            "Setting the tail 2 exp(−2u²/(‖Γ‖²C²)) to δ (C = ‖c‖₂): u = ‖Γ‖ C √(log(2/δ)/2)",
            "identity",
            sp.Subs(2 * sp.exp(-2 * u**2 / (G**2 * cn**2)), u, u_star),
            _delta,
            name="solve_u",
            uses=("paulin", "paulin_markov"),
            paper=True,
            locator=where + ": the choice of u",
        ),
        ProofStep(
            "With C = 2c₂/√N and c₂ = B: u = √2 ‖Γ‖ B √(log(2/δ)/N), the claim's B̄ = √2 ‖Γ‖ "
            "max{log T + 2B_U/τ, log(1/c₀)}: linear in the max, no square root (Theorem 4.2's "
            "c₂ = √(2B) gives its 2‖Γ‖ B^{1/2} instead)",
            "identity",
            sp.Subs(u_star.subs(cn, 2 * c2 / sp.sqrt(_N)), c2, Bs),
            sp.sqrt(2) * G * Bs * sp.sqrt(sp.log(2 / _delta) / _N),
            name="deviation",
            uses=("norm_c", "solve_u"),
            paper=True,
            locator="Theorem E.5: B̄ = √2‖Γ‖ max{log T + 2B_U/τ, log(1/c₀)}",
        ),
    )


DEPTH_FIXED = {
    "r": 4,
    "m": 8,
    "B_1": 0.1,
    "B_2": 0.1,
    "B_O": 0.1,
    "B_V": 0.1,
    "B_tok": 1.0,
    "B_U": 2.0,
    "tau": 1.0,
    "c0": 0.02,
}
ARCH = {
    T: FiniteSet((2, 4)),
    K: FiniteSet((1, 2)),
    L: FiniteSet((1, 2)),
    H: FiniteSet((1, 2)),
}
ARCH_ASSUMPTIONS = (T >= 2, K >= 1, L >= 1, H >= 1)


def depth_logit_lemma() -> Theorem:
    """Lemma F.15 as a small theorem of its own, the numeric step of markov.depth_bound."""
    return Theorem(
        id="markov.depth_logit_bound",
        title="Lemma F.15: ‖W_U S^{(L)}1_n/(nτ)‖₁ ≤ c₃B_U/τ, c₃ = [(1 + rmB₁B₂)(1 + r³/H "
        "B_OB_V)]^L B_tok, for every model of W̃ and every context",
        source=Source(PAPER, cite=CITE, locator="Lemma F.15 (App. F.6)"),
        parameters=dict(ARCH),
        assumptions=ARCH_ASSUMPTIONS,
        claim=Claim(
            "upper_bound",
            sp.Integer(1),
            measured="the largest ‖W_U S^{(L)}1_n/(nτ)‖₁/(c₃B_U/τ) over every context of "
            "length 1..K and six models of W̃ (no LayerNorm): the one markov.depth_bound trains "
            "at these settings, one with every constrained entry at its bound and positive, two "
            "with entries ±B and large W_Q, W_K, two uniform in the box; float64",
        ),
        experiment="markov.depth_logit_ratio",
        fixed=dict(DEPTH_FIXED),
        notes="r = 4, m = 8, B₁ = B₂ = B_O = B_V = 0.1, B_tok = 1, B_U = 2, τ = 1.",
    )


def depth_steps() -> tuple:
    """Corollary E.3 (App. F.6): Lemma F.15 numerically, its Eq. (28) over positions (where its
    constant can fail), the column-wise argument, the constant, and the transfer from
    Theorem 4.2."""
    a, bo, bv = (sp.Symbol(s, **_pos) for s in ("a", "B_O", "B_V"))
    S = sp.Matrix([[a, 0], [0, 0]])  # r = 2, n = 2: s₁ = a e₁, s₂ = 0
    attn = sp.Matrix([[1, 0], [sp.Rational(1, 2), sp.Rational(1, 2)]])  # causal; s₂'s query is 0
    C = sp.Matrix.vstack(*[sp.Matrix([[bv, bv]]) * S * attn.T for _ in range(2)])  # H = 2 heads
    Z = S + sp.ones(2, 2) * bo * C
    l11 = lambda M: sum(sp.Abs(e) for e in M)  # noqa: E731
    hq, Lp = (sp.Symbol(s, integer=True, positive=True) for s in ("H", "L"))
    j = sp.Symbol("j", integer=True, nonnegative=True)
    gap = hq**2 * j * (j + 1) ** 2  # r³/H − r² at r = H(1 + j)
    rp, mp = (
        sp.Symbol("r", integer=True, positive=True),
        sp.Symbol("m", integer=True, positive=True),
    )
    b1, b2, bt, bu, tp = (sp.Symbol(s, **_pos) for s in ("B_1", "B_2", "B_tok", "B_U", "tau"))
    Tp, cp, G = (sp.Symbol(s, **_pos) for s in ("T", "c_0", "Gamma"))
    fac = (1 + rp * mp * b1 * b2) * (1 + rp**3 / hq * bo * bv)
    c3, b_theta = fac**Lp * bt, fac * (bt * bu) ** (1 / Lp)
    bbar = lambda z: 2 * G * sp.sqrt(sp.Max(sp.log(Tp) + 2 * z / tp, sp.log(1 / cp)))  # noqa: E731
    return (
        ProofStep.numeric(
            "Lemma F.15: for Θ ∈ W̃ (no LayerNorm) and every context, ‖W_U S^{(L)}1_n/(nτ)‖₁ ≤ "
            "c₃B_U/τ, c₃ = [(1 + rmB₁B₂)(1 + r³/H B_OB_V)]^L B_tok (measured over all contexts "
            "for the trained model and five at the class's edge)",
            depth_logit_lemma(),
            name="logit_bound",
            paper=True,
            locator="Lemma F.15 (App. F.6)",
        ),
        ProofStep(
            "Eq. (28)'s ‖Z‖_{1,1} ≤ (1 + r³/H B_OB_V)‖S‖_{1,1} uses that the softmax matrix has "
            "r/H rows, as App. B's formula softmax(W_QS(W_KS)ᵀ/√r)W_VS, read literally (it mixes "
            "features), gives. With attention over positions, as in the model checked here, the "
            "matrix has n rows and the inequality can fail: at r = H = 2, n = 2, S = (a e₁, 0), "
            "every entry of W_V, W_O at B_V, B_O and the causal rows (1, 0), (½, ½), ‖Z‖_{1,1} "
            "exceeds (1 + 4B_OB_V)a by the positive amount on the left",
            "positive",
            l11(Z) - (1 + sp.Integer(2) ** 3 / 2 * bo * bv) * l11(S),
            name="eq28_positions",
        ),
        ProofStep(
            "H divides r: with r = H(1 + j), j ≥ 0, r³/H − r² = H²j(j + 1)²",
            "identity",
            (hq * (1 + j)) ** 3 / hq - (hq * (1 + j)) ** 2,
            gap,
            name="r_cubed",
        ),
        ProofStep(
            "Column by column the conclusion holds: each attention row is a convex combination, "
            "so ‖z_j‖₁ ≤ ‖s_j‖₁ + r B_O · H · (r/H) B_V max_k ‖s_k‖₁ = (1 + r²B_OB_V) max_k "
            "‖s_k‖₁, the MLP multiplies by at most 1 + rmB₁B₂, and r² ≤ r³/H as H divides r "
            "(step r_cubed): max_j ‖s_j^{(L)}‖₁ ≤ c₃ with ‖s_k‖₁ ≤ B_tok per token, and the "
            "read-out averages the columns",
            "nonnegative",
            gap,
            name="columnwise",
            uses=("r_cubed",),
        ),
        ProofStep(
            "Cor. E.3's constant: c₃B_U = [(1 + rmB₁B₂)(1 + r³/H B_OB_V)]^L B_tok B_U = B_Θ^L, "
            "B_Θ = [(1 + rmB₁B₂)(1 + r³/H B_OB_V)](B_tok B_U)^{1/L}",
            "identity",
            c3 * bu,
            b_theta**Lp,
            name="constant",
            paper=True,
            locator="Cor. E.3 and its proof (App. F.6): B_U/τ replaced by c₃B_U/τ",
        ),
        ProofStep(
            "Theorem 4.2's B̄ = 2‖Γ‖ max{log T + 2B_U/τ, log(1/c₀)}^{1/2} with B_U replaced by "
            "c₃B_U is Cor. E.3's B̄ = 2‖Γ‖ max{log T + 2B_Θ^L/τ, log(1/c₀)}^{1/2}",
            "identity",
            sp.Subs(bbar(bu), bu, c3 * bu),
            bbar(b_theta**Lp),
            name="transfer",
            uses=("logit_bound", "columnwise", "constant", "markov.pretraining_bound"),
            paper=True,
            locator="Cor. E.3, proof (App. F.6)",
        ),
    )


def theorems() -> list[Theorem]:
    kl = Theorem(
        id="markov.kl_pretraining_bound",
        title="Thm E.5 (fixed model): KL risk R − R̂ ≤ √2 ‖Γ‖ max{log T + 2B_U/τ, log(1/c₀)} "
        "√(log(2/δ)/N) w.p. ≥ 1 − δ",
        source=Source(PAPER, cite=CITE, locator="Theorem E.5 with Lemma E.4 (App. E.3)"),
        parameters={
            T: FiniteSet((2, 4)),
            K: FiniteSet((1, 2)),
            N: FiniteSet((100, 1000)),
            B_U: FiniteSet((1.0, 4.0)),
        },
        assumptions=(T >= 2, K >= 1, N >= 1, B_U > 0),
        claim=Claim(
            "probability",
            sp.sqrt(2) * Gamma * M_W * DEVIATION,
            level=0.95,
            measured="R − R̂ of the KL risk (Eq. 8: d_KL(P_L(·|S) ‖ P_Θ(·|S)), the truth "
            "first) over independent datasets of N contexts, for a fixed model (a one-layer "
            "transformer with its final hidden state in the unit ball and ‖W_Uᵀ‖_{2,1} ≤ B_U, "
            "fitted beforehand on a sample of its own) against an order-K chain with every "
            "probability ≥ c0; Γ is ‖Γ‖ (1 for iid contexts) or its bound √t_min",
        ),
        proof=kl_steps(),
        experiment="markov.kl_pretraining_deviations",
        uses=("markov.pretraining_bound",),
        fixed={"tau": 1.0, "c0": 0.02, **CONTEXTS},
        notes=WHY_GAMMA + " The bound is very loose (the per-context KL is far below Lemma "
        "E.4's B, which the bound scales with): the evidence reports the observed 95 % quantile "
        "of R − R̂, the bound, the largest |log(P_L/P_Θ)| seen against B, and the largest KL "
        "(raw). The paper's B̄ has no square root on the max, unlike Theorem 4.2's; the proof "
        "(c₂ = B from Lemma E.4) gives exactly that (step deviation).",
    )
    depth = Theorem(
        id="markov.depth_bound",
        title="Cor. E.3 (fixed model, no LayerNorm): R − R̂ ≤ 2‖Γ‖ max{log T + 2B_Θ^L/τ, "
        "log(1/c₀)}^{1/2} √(log(2/δ)/N) w.p. ≥ 1 − δ",
        source=Source(PAPER, cite=CITE, locator="Corollary E.3 (App. E.2) with Lemma F.15"),
        parameters={**ARCH, N: FiniteSet((100, 1000))},
        assumptions=(*ARCH_ASSUMPTIONS, N >= 1),
        claim=Claim(
            "probability",
            2
            * Gamma
            * sp.sqrt(sp.Max(sp.log(T) + 2 * B_THETA**L / tau, sp.log(1 / c0)))
            * DEVIATION,
            level=0.95,
            measured="R − R̂ of the TV risk over independent datasets of N contexts, for a "
            "fixed L-layer, H-head causal transformer without LayerNorm in W̃ (|entries| of W_V, "
            "W_O, W_1, W_2 ≤ B_V, B_O, B_1, B_2, every input token ‖s_k‖₁ ≤ B_tok, ‖W_Uᵀ‖_{2,1} "
            "≤ B_U; restored after every optimiser step and checked after training), fitted "
            "beforehand on a sample of its own, against an order-K chain with every "
            "probability ≥ c0; Γ is ‖Γ‖ (1 for iid contexts) or its bound √t_min",
        ),
        proof=depth_steps(),
        experiment="markov.depth_deviations",
        uses=("markov.pretraining_bound",),
        fixed={**DEPTH_FIXED, **CONTEXTS},
        notes=WHY_GAMMA + " Width r = 4, MLP width m = 8, B₁ = B₂ = B_O = B_V = 0.1, B_tok = 1, "
        "B_U = 2, τ = 1, c₀ = 0.02; the model is trained in float64 on the CPU. The bound is "
        "very loose: the evidence reports the observed 95 % quantile of R − R̂, the bound, the "
        "model's norms and its largest logit norm over Lemma F.15's bound (raw). Lemma F.15's "
        "Eq. (28) bounds the attention by r³/H B_OB_V in the (1,1)-norm, using that the "
        "softmax matrix has r/H rows, as App. B's attention formula read literally gives; with "
        "attention over positions, the model here, it has n rows, and Eq. (28) can fail once "
        "n > r/H (step eq28_positions: not a finding against the paper's own definition, a "
        "caveat for the usual transformer); the lemma's conclusion still holds there, column "
        "by column (step columnwise), and is checked numerically (step logit_bound).",
    )
    return [kl, depth]
