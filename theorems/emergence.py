"""Emergence of skills (Liao, Chang and Hong, arXiv 2404.07009): the skill–text bipartite graph,
its peeling learner, density evolution, thresholds, scaling laws, percolation of the skill
association graph, hierarchy, several classes, and semantic compression. THEOREMS.md §2.

The paper's full text was not available here: each statement is the standard mathematics its
abstract names (density evolution of IRSA / LDPC erasure decoding, site percolation on random
bipartite graphs), labelled as a reconstruction.

The claimed values that have no closed form (a density-evolution fixed point, a threshold) are
sympy functions implemented in mpmath (:mod:`theorems.emergence_values`), so the verifier
evaluates them at 30 digits; the simulations that measure them live in ``numerics.emergence``.
"""

from __future__ import annotations

import sympy as sp

from . import emergence_steps as steps
from .core import Claim, ProofStep, Source, Theorem, per_profile
from .domains import FiniteSet, Interval, IntRange
from .emergence_values import (
    DISTRIBUTIONS,
    HIERARCHY,
    MULTICLASS,
    P_L,
    Lambda_k,
    Lambda_p,
    Lambda_pp,
    P_class,
    P_fine,
    R_star,
    R_star_poisson,
    S_giant,
)

PAPER = (
    "Liao, Chang and Hong, A Mathematical Theory for Learning Semantic Languages by Abstract "
    "Learners, arXiv 2404.07009"
)
CITE = "liao2024emergence"
SRC = dict(cite=CITE, kind="reconstruction")

# parameter symbols (no sign assumptions: assumptions stay testable relations)
R, N, d, a, R0, phi, cls = sp.symbols("R N d a R0 phi cls", real=True)
dist = sp.Symbol("dist")
Ns = sp.Symbol("Ns", integer=True)
H = sp.Symbol("H", real=True)

# proof-side symbols
_Rp = sp.Symbol("R", positive=True)
_xp = sp.Symbol("x", positive=True)
_dp = sp.Symbol("d", positive=True)


_sizes = per_profile  # a fixed value per profile


LAMBDA = {"Lambda": DISTRIBUTIONS}


def theorems() -> list[Theorem]:
    large_n = dict(
        sizes=_sizes(
            [10**4, 4 * 10**4, 16 * 10**4], [10**4, 10**5, 10**6], [10**4, 10**5, 10**6, 4 * 10**6]
        ),
        reps=_sizes(6, 8, 10),
    )
    # the cheap large-N identities take more graphs at quick: their extrapolated intercepts'
    # errors (about 0.003 with 6) sat too close to the tolerance 0.01 to pass at every seed
    cheap_large_n = {**large_n, "reps": _sizes(14, 10, 10)}
    percolation_sizes = {
        **LAMBDA,
        "sizes": _sizes(
            [1000, 4000, 16000], [2000, 8000, 32000, 128000], [2000, 8000, 32000, 128000, 512000]
        ),
        "reps": _sizes(150, 150, 100),
    }
    # the negative control is a factor of about 2 off: a tenth of the graphs locates that
    one_mode_sizes = {**percolation_sizes, "reps": _sizes(15, 15, 10)}
    return [
        Theorem(
            id="emergence.density_evolution",
            title="Peeling leaves the fraction P_L(R) = Λ(p_∞) of skills unlearned as N_s → ∞",
            source=Source(PAPER, "Sec. 3 (density evolution)", **SRC),
            parameters={
                dist: FiniteSet(("x3", "irsa", "floor")),
                R: FiniteSet((0.7, 0.9, 1.4, 2.0)),
            },
            assumptions=(R > 0,),
            claim=Claim(
                "identity",
                P_L(dist, R),
                limit="N",
                tolerance=0.01,
                measured="unlearned fraction after peeling, mean over graphs, at several "
                "N_s; R at least 0.05 away from every threshold",
            ),
            proof=steps.density_evolution_steps(),
            experiment="emergence.unlearned_vs_size",
            fixed={**LAMBDA, **large_n},
            notes="Thresholds: x3 1.2218, irsa 1.0654, floor none (degree-1 skills leave a floor).",
        ),
        Theorem(
            id="emergence.threshold",
            title="Learning switches on at R* = 1/G*, G* = inf −ln(1 − p)/(Λ'(1)λ(p))",
            source=Source(PAPER, "Sec. 3 (threshold)", **SRC),
            parameters={dist: FiniteSet(("x3", "x4", "irsa"))},
            assumptions=(),
            claim=Claim(
                "threshold",
                R_star(dist),
                variable=N,
                measured="brackets [R_lo, R_hi] by bisection at each N_s: all of 3 graphs (6 below "
                "the largest size) fail below, all succeed above (success: unlearned < 5 %)",
            ),
            proof=steps.threshold_steps(),
            experiment="emergence.threshold_brackets",
            uses=("emergence.density_evolution",),
            fixed={
                **LAMBDA,
                "R_lo": 0.5,
                "R_hi": 3.0,
                "cutoff": 0.05,
                "sizes": _sizes(
                    [2000, 20000, 100000], [10**4, 10**5, 10**6], [10**4, 10**5, 10**6, 4 * 10**6]
                ),
            },
            notes="Published: Λ = x³ gives G* = 0.818469 (2-core of random 3-uniform "
            "hypergraphs), R* = 1.221793; IRSA's 0.5x² + 0.28x³ + 0.22x⁸ gives G* ≈ 0.938.",
        ),
        Theorem(
            id="emergence.stability_bound",
            title="R* ≥ 2Λ₂ (the slope of the recursion at q = 0)",
            source=Source(PAPER, "Sec. 3 (stability condition)", **SRC),
            parameters={dist: FiniteSet(("x2", "x3", "irsa", "mix25"))},
            assumptions=(),
            claim=Claim(
                "lower_bound",
                2 * Lambda_k(dist, 2),
                measured="R* from the threshold solver (grid search, refined in mpmath)",
            ),
            proof=steps.stability_steps(),
            experiment="emergence.stability",
            uses=("emergence.threshold",),
            fixed=LAMBDA,
        ),
        Theorem(
            id="emergence.scaling_floor",
            title="With skills seen in one text only, P_L(R) ~ Λ₁²/R as R grows",
            source=Source(PAPER, "Sec. 3 (scaling law of the testing error)", **SRC),
            parameters={dist: FiniteSet(("floor", "floor4"))},
            assumptions=(),
            claim=Claim(
                "rate",
                R**-1,
                variable=R,
                margin=0.1,
                measured="the density-evolution unlearned fraction P_L(R) at 9 values "
                "of R from 4 to 1024",
            ),
            proof=steps.scaling_floor_steps(),
            experiment="emergence.floor_rate",
            uses=("emergence.density_evolution",),
            fixed=LAMBDA,
        ),
        Theorem(
            id="emergence.poisson_scaling",
            title="Poisson variant: above threshold x_∞ ≈ e^{−dR} (slope −d within 5 %)",
            source=Source(PAPER, "Sec. 3 (Poisson texts)", **SRC),
            parameters={d: FiniteSet((1.5, 2.0, 2.5, 4.0, 6.0))},
            assumptions=(d > 0,),
            claim=Claim(
                "rate",
                sp.exp(-d * R),
                variable=R,
                margin=0.05,
                relative_margin=True,
                measured="log x_∞ of x_{i+1} = exp(−dR e^{−d x_i}) on 9 values of R "
                "above the threshold, dR spanning 4 from max(5, 1.05 d R*(d))",
            ),
            proof=(
                ProofStep(
                    "the fixed point satisfies log x = −dR e^{−dx} → −dR as x → 0",
                    "limit",
                    -_dp * _Rp * sp.exp(-_dp * _xp),
                    -_dp * _Rp,
                    var=_xp,
                    point=0,
                ),
            ),
            experiment="emergence.poisson_fixed_point",
            uses=("emergence.density_evolution",),
        ),
        Theorem(
            id="emergence.poisson_threshold",
            title="Poisson variant: a jump exists only for d > e, at R*(d) = (−ln x*)e^{dx*}/d",
            source=Source(PAPER, "Sec. 3 (Poisson texts)", **SRC),
            parameters={d: FiniteSet((4.0, 5.0))},
            assumptions=(d > sp.E,),
            claim=Claim(
                "threshold",
                R_star_poisson(d),
                variable=N,
                measured="brackets by bisection in R at each N_s (Poisson-text graphs; "
                "success: unlearned < 10 %)",
            ),
            proof=steps.poisson_threshold_steps(),
            experiment="emergence.threshold_brackets",
            uses=("emergence.poisson_scaling",),
            fixed={
                "R_lo": 0.6,
                "R_hi": 3.0,
                "cutoff": 0.1,
                "sizes": _sizes(
                    [2000, 20000, 100000], [10**4, 10**5, 10**6], [10**4, 10**5, 10**6, 4 * 10**6]
                ),
            },
        ),
        Theorem(
            id="emergence.percolation",
            title="The skill association graph's giant component: S = φ[1 − f₀(g₁(u))]",
            source=Source(PAPER, "Sec. 4 (site percolation)", **SRC),
            parameters={
                dist: FiniteSet(("x3", "irsa")),
                R: FiniteSet((1.0,)),
                phi: FiniteSet((0.4, 0.7)),
            },
            assumptions=(phi > 0, phi <= 1),
            claim=Claim(
                "identity",
                S_giant(dist, R, phi),
                limit="N",
                tolerance=0.01,
                measured="largest component's share of the skills (Newman–Ziff sweep, "
                "union–find through texts, no cliques formed), mean over graphs",
            ),
            proof=steps.percolation_steps(),
            experiment="emergence.percolation_vs_size",
            uses=("emergence.density_evolution",),
            fixed={
                **LAMBDA,
                "sizes": _sizes([5000, 20000, 80000], [10**4, 10**5, 10**6], [10**4, 10**5, 10**6]),
                "reps": _sizes(3, 5, 8),
            },
        ),
        Theorem(
            id="emergence.percolation_threshold",
            title="A giant component exists iff φ f₁'(1) g₁'(1) > 1: φ_c = R/Λ''(1)",
            source=Source(PAPER, "Sec. 4 (site percolation)", **SRC),
            parameters={dist: FiniteSet(("x3", "x4", "poisson3")), R: FiniteSet((1.0,))},
            assumptions=(R > 0,),
            claim=Claim(
                "threshold",
                R / Lambda_pp(dist),
                variable=N,
                measured="brackets from finite-size scaling: φ where log(S_4n/S_n) is "
                "significantly below / above −(1/3) log 4 (t-tests over graph pairs)",
            ),
            proof=steps.percolation_threshold_steps(),
            experiment="emergence.percolation_brackets",
            uses=("emergence.percolation",),
            fixed=percolation_sizes,
        ),
        Theorem(
            id="emergence.percolation_one_mode",
            title="Negative control: the one-mode formula G₀'(1)/G₀''(1) on the projected graph",
            source=Source(PAPER, "Sec. 4, with the cliques of the projection ignored", **SRC),
            parameters={dist: FiniteSet(("x2", "x3")), R: FiniteSet((1.0,))},
            assumptions=(R > 0,),
            claim=Claim(
                "threshold",
                R / (Lambda_pp(dist) + Lambda_p(dist)),
                variable=N,
                measured="as emergence.percolation_threshold",
            ),
            proof=steps.one_mode_steps(),
            experiment="emergence.percolation_brackets",
            expect="fail",
            uses=("emergence.percolation_threshold",),
            fixed=one_mode_sizes,
            notes="The projected graph's degree gf is G₀ = f₀(g₁(x)), so G₀'(1)/G₀''(1) = "
            "R/(Λ''(1) + Λ'(1)): the cliques make it wrong.",
        ),
        Theorem(
            id="emergence.hierarchy",
            title="Fine-tuning on a foundation: unlearned foundation skills leave an error floor",
            source=Source(PAPER, "Sec. 5 (hierarchy of skills)", **SRC),
            parameters={R0: FiniteSet((1.0, 1.5)), a: FiniteSet((0.5, 1.0))},
            assumptions=(a >= 0,),
            claim=Claim(
                "identity",
                P_fine(R0, a),
                limit="N",
                tolerance=0.01,
                measured="unlearned share of the specialised skills (Λ₁ = x³, R₁ = 1.5) "
                "after peeling the foundation (Λ₀ = x³, ratio R0) then the fine-tuning "
                "texts",
            ),
            proof=steps.hierarchy_steps(),
            experiment="emergence.hierarchy_vs_size",
            uses=("emergence.density_evolution",),
            fixed={**LAMBDA, **HIERARCHY, **cheap_large_n},
            notes="R0 = 1.5 learns the foundation (P₀ = 0): fine-tuning has its own threshold; "
            "R0 = 1.0 leaves P₀ ≈ 0.78 and a floor.",
        ),
        Theorem(
            id="emergence.multiclass",
            title="Several classes of skills and texts: per-class density evolution",
            source=Source(PAPER, "Sec. 6 (multiple classes)", **SRC),
            parameters={cls: FiniteSet((0, 1)), R: FiniteSet((0.9, 1.4))},
            assumptions=(R > 0,),
            claim=Claim(
                "identity",
                P_class(cls, R),
                limit="N",
                tolerance=0.01,
                measured="unlearned share of skill class cls (x² and x⁴ skills, two text "
                "classes mixed 0.7/0.3 and 0.2/0.8)",
            ),
            proof=steps.multiclass_steps(),
            experiment="emergence.multiclass_vs_size",
            uses=("emergence.density_evolution",),
            fixed={**LAMBDA, **MULTICLASS, **cheap_large_n},
        ),
        Theorem(
            id="emergence.compression",
            title="Semantic compression: mean code length < entropy + 2 bits",
            source=Source(PAPER, "Sec. 7 (semantic compression)", **SRC),
            parameters={Ns: IntRange(10, 10**6), d: Interval(0.5, 20.0)},
            assumptions=(Ns >= 10, d > 0),
            claim=Claim(
                "upper_bound",
                H + 2,
                measured="mean code length (bits), Σ_k P(k)·(length of an encoded random "
                "k-set), every set decoded back; H the exact entropy of the skill set "
                "(count Poisson(d) conditioned on k ≤ N_s)",
            ),
            proof=steps.compression_steps(),
            experiment="emergence.compression",
            fixed={"texts": {"quick": 200, "standard": 2000, "thorough": 20000}},
            levels={"quick": 3, "standard": 4, "thorough": 5},
        ),
    ]
