"""Transformers as dynamic universal approximators (Wang and Li, arXiv 2407.00958, "Dynamic
UAT"), and the classical theorems behind its explanations of ICL, LoRA and pruning. THEOREMS.md
§4. The paper states no rates; what is checkable is the identities (attention is a linear map
whose matrix depends on the input; a residual block is a one-hidden-layer sum whose inner weights
depend on the context) and the classical results (Barron 1993, Eckart–Young–Mirsky, magnitude
pruning, the layer-wise perturbation bound)."""

from __future__ import annotations

import sympy as sp

from .core import Claim, ProofStep, Source, Theorem
from .domains import FiniteSet, IntRange

PAPER = (
    "Wang and Li, Universal Approximation Theory: The Basic Theory for Transformer-based "
    "Large Language Models, arXiv 2407.00958"
)
CITE = "wang2024uat"

n, d, h, r, L, i = sp.symbols("n d h r L i", integer=True)
rows, cols, width = sp.symbols("rows cols width", integer=True)
keep, prune = sp.symbols("keep prune", real=True)
layout, norm = sp.symbols("layout norm")
tail, best, xnorm, K = sp.symbols("tail best xnorm K", real=True)

EYM = (
    "Eckart and Young, The approximation of one matrix by another of lower rank, "
    "Psychometrika 1 (1936)"
)

C_f = sp.sqrt(2) * sp.gamma((d + 1) / 2) / sp.gamma(d / 2)


def _mat(name, a, b):
    return sp.Matrix(a, b, lambda p, q: sp.Symbol(f"{name}_{p}{q}", real=True))


def _kron_steps():
    A, X, W = _mat("a", 2, 2), _mat("x", 2, 3), _mat("w", 3, 3)
    col = (A * X * W).vec() - sp.kronecker_product(W.T, A) * X.vec()
    row = (A * X * W).T.vec() - sp.kronecker_product(A, W.T) * X.T.vec()
    return (
        ProofStep(
            "column-major: vec(A X W_V) = (W_Vᵀ ⊗ A) vec(X) (2×3 X, symbolic entries)",
            "identity",
            sum(e**2 for e in sp.expand(col)),
            0,
        ),
        ProofStep(
            "row-major: vec_r(A X W_V) = (A ⊗ W_Vᵀ) vec_r(X)",
            "identity",
            sum(e**2 for e in sp.expand(row)),
            0,
        ),
    )


def _dynamic_step():
    dd, hh = 2, 2
    x1, x2 = _mat("x1", dd, 1), _mat("x2", dd, 1)
    a1, a2 = sp.symbols("A_21 A_22", real=True)  # token n = 2 attends to tokens 1 and 2
    WV, W1, b1 = _mat("v", dd, dd), _mat("W", hh, dd), _mat("b", hh, 1)
    y = x2 + a1 * WV.T * x1 + a2 * WV.T * x2
    w = W1 * (sp.eye(dd) + a2 * WV.T)
    theta = W1 * (a1 * WV.T * x1) + b1
    diff = (W1 * y + b1) - (w * x2 + theta)
    return ProofStep(
        "W₁y + b₁ = w(X)·x_n + θ(X) (two tokens, symbolic weights): the block is a "
        "one-hidden-layer sum with context-dependent inner weights",
        "identity",
        sum(e**2 for e in sp.expand(diff)),
        0,
    )


def theorems() -> list[Theorem]:
    src = dict(cite=CITE)
    low_rank = {rows: FiniteSet((16, 64)), cols: FiniteSet((16, 48)), r: FiniteSet((1, 4, 8))}
    z = sp.Symbol("z", real=True)
    s1, s2, s3 = sp.symbols("sigma_1 sigma_2 sigma_3", positive=True)
    return [
        Theorem(
            id="uat.attention_linear_form",
            title="Attention is a linear map with an input-dependent matrix: vec(AXW_V) = "
            "(W_Vᵀ ⊗ A) vec(X)",
            source=Source(PAPER, "Sec. 3 (attention as a linear transformation)", **src),
            parameters={
                n: IntRange(1, 64),
                d: IntRange(1, 64),
                layout: FiniteSet(("column", "row")),
            },
            assumptions=(n >= 1, d >= 1),
            claim=Claim(
                "identity",
                sp.Integer(0),
                measured="max |vec(A X W_V) − Kronecker form · vec(X)|, both sides formed "
                "explicitly in float64, against an error bound from n, d and u",
            ),
            proof=_kron_steps(),
            experiment="uat.attention_linear_form",
            budget=n * d,
            caps={"quick": 1024, "standard": 4096, "thorough": 4096},
        ),
        Theorem(
            id="uat.dynamic_form",
            title="A residual block is a one-hidden-layer UAT whose inner weights depend on the "
            "context",
            source=Source(PAPER, "Sec. 3 (dynamic UAT form of a Transformer block)", **src),
            parameters={n: IntRange(1, 64), d: IntRange(1, 64), h: FiniteSet((8, 64))},
            assumptions=(n >= 1, d >= 1),
            claim=Claim(
                "identity",
                sp.Integer(0),
                measured="max |block output − y − Σ_i (W₂)_{:,i} σ(w_i(X)·x_n + θ_i(X)) − "
                "b₂| at the last token, float64, against an error bound",
            ),
            proof=(_dynamic_step(),),
            experiment="uat.dynamic_form",
            uses=("uat.attention_linear_form",),
        ),
        Theorem(
            id="uat.barron_rate",
            title="Barron: some width-n sigmoid network has L² error ≤ (2C_f)²/n",
            source=Source(
                "Barron, Universal approximation bounds for superpositions of a "
                "sigmoidal function, IEEE Trans. Inf. Theory 39 (1993)",
                "Theorem 1",
                cite="barron1993",
            ),
            parameters={d: FiniteSet((1, 2, 4))},
            assumptions=(d >= 1,),
            claim=Claim(
                "upper_bound",
                (2 * C_f) ** 2 / n,
                variable=n,
                existential=True,
                measured="squared L² error on the unit ball of random-feature sigmoid "
                "networks (outer weights by least squares), mean over independent networks, "
                "widths 2 .. 200",
            ),
            proof=(
                ProofStep(
                    "C_f = E‖Z‖ for d = 1: 2∫₀^∞ z φ(z) dz = √2 Γ(1)/Γ(1/2)",
                    "identity",
                    # unevaluated: sympy integrates it when the step is checked (simplify's doit)
                    2 * sp.Integral(z * sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi), (z, 0, sp.oo)),
                    C_f.subs(d, 1),
                ),
            ),
            experiment="uat.barron",
            fixed={
                "method": {
                    "quick": "random_features",
                    "standard": "random_features",
                    "thorough": "trained",
                },
                "fits": {"quick": 8, "standard": 16, "thorough": 8},
            },
            notes="f(x) = exp(−‖x‖²/2), μ uniform on the unit ball; C_f = E‖Z‖ (0.798 for "
            "d = 1). Existence claim: a fit that misses the bound is inconclusive. The fitted "
            "exponent over the widths is in the evidence (raw).",
        ),
        Theorem(
            id="uat.lora_optimal",
            title="Eckart–Young–Mirsky: the truncated SVD's error is the singular-value tail",
            source=Source(
                EYM,
                "Theorem",
                cite="eckart1936",
            ),
            parameters={**low_rank, norm: FiniteSet(("spectral", "frobenius"))},
            assumptions=(r >= 1,),
            claim=Claim(
                "identity",
                tail,
                measured="‖Δ − Δ_r‖ of the explicit residual (Δ = W* − W₀); tail = σ_{r+1} "
                "(spectral) or (Σ_{i>r} σ_i²)^{1/2} (Frobenius)",
            ),
            proof=(
                ProofStep(
                    "Δ = diag(σ₁, σ₂, σ₃), rank-1 truncation: ‖Δ − Δ₁‖_F² = σ₂² + σ₃²",
                    "identity",
                    sum(e**2 for e in (sp.diag(s1, s2, s3) - sp.diag(s1, 0, 0))),
                    s2**2 + s3**2,
                ),
            ),
            experiment="uat.lora_optimal",
        ),
        Theorem(
            id="uat.lora_lower_bound",
            title="No rank-r update does better than the singular-value tail",
            source=Source(
                EYM,
                "Theorem, applied to rank-r adapters (LoRA) as in Wang and Li, Sec. 4",
                cite="eckart1936",
            ),
            parameters=low_rank,
            assumptions=(r >= 1,),
            claim=Claim(
                "lower_bound",
                tail,
                measured="smallest Frobenius error of 20 random and 3 gradient-trained "
                "rank-r adapters BA",
            ),
            experiment="uat.lora_competitors",
            uses=("uat.lora_optimal",),
        ),
        Theorem(
            id="uat.pruning_optimal",
            title="Keeping the k largest magnitudes is the best k-sparse approximation",
            source=Source(PAPER, "Sec. 4 (pruning)", kind="reconstruction", cite=CITE),
            parameters={
                rows: FiniteSet((8, 32)),
                cols: FiniteSet((8, 32)),
                keep: FiniteSet((0.1, 0.5, 0.9)),
            },
            assumptions=(keep > 0, keep < 1),
            claim=Claim(
                "lower_bound",
                best,
                measured="smallest Frobenius error of 200 random k-sparse approximations "
                "(each keeping W on a random support); best = magnitude pruning's error",
            ),
            experiment="uat.pruning_competitors",
        ),
        Theorem(
            id="uat.pruning_perturbation",
            title="Pruning moves a bias-free ReLU network by ≤ ‖x‖ Σ_l ‖ΔW_l‖₂ Π_{j<l}‖W'_j‖₂ "
            "Π_{j>l}‖W_j‖₂",
            source=Source(PAPER, "Sec. 4 (pruning)", kind="reconstruction", cite=CITE),
            parameters={
                L: FiniteSet((2, 3, 5)),
                width: FiniteSet((16, 64)),
                prune: FiniteSet((0.3, 0.7)),
            },
            assumptions=(L >= 1,),
            claim=Claim(
                "upper_bound",
                xnorm * K,
                variable=i,
                measured="‖f(x) − f'(x)‖ at 64 inputs with norms 1e-3 .. 10 (magnitude "
                "pruning of each layer)",
            ),
            proof=(
                ProofStep("ReLU(0) = 0 (used to bound ‖σ(v)‖ ≤ ‖v‖)", "identity", sp.Max(0, 0), 0),
            ),
            experiment="uat.pruning_perturbation",
            fixed={"activation": "relu"},
            uses=("uat.pruning_optimal",),
        ),
        Theorem(
            id="uat.pruning_perturbation_softplus",
            title="Negative control: with softplus (σ(0) ≠ 0) the same bound fails",
            source=Source(
                PAPER,
                "Sec. 4 (pruning), hypothesis σ(0) = 0 dropped",
                kind="reconstruction",
                cite=CITE,
            ),
            parameters={
                L: FiniteSet((2, 3)),
                width: FiniteSet((16, 64)),
                prune: FiniteSet((0.3, 0.7)),
            },
            assumptions=(L >= 1,),
            claim=Claim(
                "upper_bound",
                xnorm * K,
                variable=i,
                measured="as uat.pruning_perturbation, softplus activations",
            ),
            proof=(
                ProofStep("softplus(0) = log 2 ≠ 0", "identity", sp.log(1 + sp.exp(0)), sp.log(2)),
            ),
            experiment="uat.pruning_perturbation",
            expect="fail",
            fixed={"activation": "softplus"},
            uses=("uat.pruning_perturbation",),
        ),
    ]
