"""Transformers as dynamic universal approximators (Wang and Li, arXiv 2407.00958, "Dynamic
UAT"), and the classical theorems behind its explanations of ICL, LoRA and pruning. THEOREMS.md
§4. The paper states no rates; what is checkable is the identities (attention is a linear map
whose matrix depends on the input; a residual block is a one-hidden-layer sum whose inner weights
depend on the context) and the classical results (Barron 1993, Eckart–Young–Mirsky, magnitude
pruning, the layer-wise perturbation bound)."""

from __future__ import annotations

import sympy as sp

from . import uat_steps as steps
from .core import Claim, Source, Theorem
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


def theorems() -> list[Theorem]:
    src = dict(cite=CITE)
    low_rank = {rows: FiniteSet((16, 64)), cols: FiniteSet((16, 48)), r: FiniteSet((1, 4, 8))}
    return [
        Theorem(
            id="uat.attention_linear_form",
            title="Attention is a linear map with an input-dependent matrix: vec(AXW_V) = "
            "(W_Vᵀ ⊗ A) vec(X)",
            source=Source(
                PAPER,
                "Sec. 3 (attention as a linear transformation; the text was not available, so "
                "the locator is unchecked)",
                kind="reconstruction",
                **src,
            ),
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
            proof=steps.kron_steps(),
            experiment="uat.attention_linear_form",
            budget=n * d,
            caps={"quick": 1024, "standard": 4096, "thorough": 4096},
        ),
        Theorem(
            id="uat.dynamic_form",
            title="A residual block is a one-hidden-layer UAT whose inner weights depend on the "
            "context",
            source=Source(
                PAPER,
                "Sec. 3 (dynamic UAT form of a Transformer block; the text was not available, "
                "so the locator is unchecked)",
                kind="reconstruction",
                **src,
            ),
            parameters={n: IntRange(1, 64), d: IntRange(1, 64), h: FiniteSet((8, 64))},
            assumptions=(n >= 1, d >= 1),
            claim=Claim(
                "identity",
                sp.Integer(0),
                measured="max |block output − y − Σ_i (W₂)_{:,i} σ(w_i(X)·x_n + θ_i(X)) − "
                "b₂| at the last token, float64, against an error bound",
            ),
            proof=steps.dynamic_steps(),
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
            proof=steps.barron_steps(),
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
            proof=steps.lora_optimal_steps(),
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
            proof=steps.lora_lower_bound_steps(),
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
            proof=steps.pruning_optimal_steps(),
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
            proof=steps.pruning_perturbation_steps(),
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
            proof=steps.softplus_steps(),
            experiment="uat.pruning_perturbation",
            expect="fail",
            fixed={"activation": "softplus"},
            uses=("uat.pruning_perturbation",),
        ),
    ]
