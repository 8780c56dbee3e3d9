"""The Markov paper (arXiv 2410.02724 v2): markov.icl_tmin_regime and markov.icl_rate_random_walk
(Thm 4.3's t_min regime, Fig. 6 b-c; App. D's chains outside the theory), theorems of the
``markov`` family (:mod:`theorems.markov` lists them with the rest).

- markov.icl_tmin_regime: Sec. 4.3 reads Theorem 4.3's ``√(t_min/N_icl)`` as "chains with slow
  mixing are slower to learn" at small ``N_icl`` (Fig. 6 b-c). Checked for the counting
  estimator on lazy versions ``λI + (1 − λ)P`` of three fixed random 3-state chains.
- markov.icl_rate_random_walk(_model): App. D.3's reflecting and polygonal random walks and the
  inner-clique/outer-rim chain (``p_min = 0``, partly periodic: ``t_min = ∞``), the ``N^(−1/2)``
  law for the counting estimator, and the counting estimator's lower risk than the pre-trained
  in-context model's (App. D.3.2 on Fig. 16).
"""

from __future__ import annotations

import sympy as sp

from .core import Claim, ProofStep, Source, Theorem, per_profile
from .domains import FiniteSet
from .markov_appendix import CITE, PAPER

# parameter symbols (as in theorems.markov: no sign assumptions)
N_icl = sp.Symbol("N_icl", real=True)
t_min = sp.Symbol("t_min", real=True)
d_states = sp.Symbol("d", integer=True)
chain = sp.Symbol("chain", integer=True)
walk = sp.Symbol("walk")
R_icl = sp.Symbol("R_icl", real=True)
REFLECTING, CYCLE, CLIQUE = (sp.Symbol(n) for n in ("reflecting", "cycle", "clique"))

LAZY = (0.0, 0.5, 0.75, 0.9)  # escape probabilities 1, 1/2, 1/4, 1/10 (fixed before any run)
ETA = sp.Rational(1, 50)  # the clique chain's η (Fig. 16)
WALK_D = (3, 4, 5, 6)  # App. D.3.1's sizes
CLIQUE_D = (6, 9)  # d = 3k with k ≥ 2 (k = 1 leaves the η mass nowhere); Fig. 15 is d = 9


# -- exact chains (sympy) -----------------------------------------------------------------------
def reflecting(d: int) -> sp.Matrix:
    """App. D.3.1, Eq. (6), in exact arithmetic."""
    P = sp.zeros(d, d)
    P[0, 1] = P[d - 1, d - 2] = 1
    for i in range(1, d - 1):
        P[i, i - 1] = P[i, i + 1] = sp.Rational(1, 2)
    return P


def cycle(d: int) -> sp.Matrix:
    """App. D.3.1, Eq. (7), in exact arithmetic."""
    P = sp.zeros(d, d)
    for i in range(d):
        P[i, (i + 1) % d] += sp.Rational(1, 2)
        P[i, (i - 1) % d] += sp.Rational(1, 2)
    return P


def clique(d: int, eta=ETA) -> sp.Matrix:
    """App. D.3.2's ``M_{η,0}`` (``d = 3k``), in exact arithmetic."""
    k = d // 3
    P = sp.zeros(d, d)
    for i in range(k):
        for j in range(k):
            P[i, j] = sp.Rational(3, 4) - eta if i == j else eta / (k - 1)
        for rim in (k + 2 * i, k + 2 * i + 1):
            P[i, rim] = P[rim, i] = sp.Rational(1, 8)
            P[rim, rim] = sp.Rational(7, 8)
    return P


def _squares(M: sp.Matrix):
    return sum(v**2 for v in M)


def _tv_worst(P: sp.Matrix, pi: sp.Matrix):
    """``d(t)`` at ``P`` (a power of the chain): ``max_x ½ Σ_y |P(x, y) − π(y)|``, exactly."""
    return sp.Max(*[sum(abs(P[i, j] - pi[j]) for j in range(P.cols)) / 2 for i in range(P.rows)])


def reflecting_pi(d: int) -> sp.Matrix:
    """π of the reflecting walk: ``(1, 2, …, 2, 1)/(2(d − 1))`` (each state's degree over twice
    the number of edges)."""
    return sp.Matrix([[1 if i in (0, d - 1) else 2 for i in range(d)]]) / (2 * (d - 1))


def walk_steps() -> tuple:
    """The App. D.3 chains' stationary laws, their periods and Remark C.1 (sympy, exact)."""
    uniform = lambda d: sp.ones(1, d) / d  # noqa: E731
    refl = sum(_squares(reflecting_pi(d) * reflecting(d) - reflecting_pi(d)) for d in WALK_D)
    cyc = sum(_squares(uniform(d) * cycle(d) - uniform(d)) for d in WALK_D)
    clq = sum(_squares(uniform(d) * clique(d) - uniform(d)) for d in CLIQUE_D)
    clq += sum(
        _squares(clique(d) - clique(d).T) + _squares(clique(d) * sp.ones(d, 1) - sp.ones(d, 1))
        for d in CLIQUE_D
    )
    periodic = [(reflecting(d), reflecting_pi(d)) for d in WALK_D]
    periodic += [(cycle(d), uniform(d)) for d in WALK_D if d % 2 == 0]
    bipartite = sum(
        sum(P[i, j] for i in range(P.rows) for j in range(P.cols) if (i + j) % 2 == 0) ** 2
        + (sum(pi[i] for i in range(0, pi.cols, 2)) - sp.Rational(1, 2)) ** 2
        for P, pi in periodic
    )
    P3, pi3 = reflecting(3), reflecting_pi(3)
    floor = sp.Min(_tv_worst(P3, pi3), _tv_worst(P3**2, pi3))
    return (
        ProofStep(
            "π = (1, 2, …, 2, 1)/(2(d − 1)) is stationary for the reflecting walk of Eq. (6), "
            "d = 3..6 (Σ_d ‖πP − π‖² = 0)",
            "identity",
            refl,
            0,
            name="reflecting_pi",
        ),
        ProofStep(
            "The uniform law is stationary for the cycle walk of Eq. (7), d = 3..6",
            "identity",
            cyc,
            0,
            name="cycle_pi",
        ),
        ProofStep(
            "M_{η,0} (η = 1/50, d = 6, 9) is symmetric with rows summing to 1, hence doubly "
            "stochastic: the uniform law is stationary",
            "identity",
            clq,
            0,
            name="clique_pi",
        ),
        ProofStep(
            "The reflecting walks (d = 3..6) and the cycles with d = 4, 6 are bipartite (every "
            "transition changes the parity of the state) and each parity class has π-mass ½: "
            "Pᵗ(x, ·) lives on one class, so d(t) ≥ ½ at every t, no t_mix(ε/2) with ε < 1 is "
            "finite and t_min = ∞ (the odd cycles and M_{η,0}, with self-loops, are aperiodic)",
            "identity",
            bipartite,
            0,
            name="periodic",
            uses=("reflecting_pi", "cycle_pi"),
        ),
        ProofStep(
            "For the reflecting walk with d = 3, P³ = P, so d(t) takes two values, d(1) and d(2)",
            "identity",
            _squares(P3**3 - P3),
            0,
            name="reflect3_cycle",
        ),
        ProofStep(
            "Remark C.1: t_min is finite for every chain of the paper's experiments, i.e. "
            "inf_t d(t) < ½; for the reflecting walk of Eq. (6) (d = 3, App. D.3.1) "
            "½ − inf_t d(t) = ½ − min(d(1), d(2)) = 0: t_min = ∞ there (and B̄ = ∞ with "
            "p_min = 0), so Theorem 4.3 says nothing about these chains",
            "positive",
            sp.Rational(1, 2) - floor,
            name="remark_c1",
            paper=True,
            locator="Remark C.1 (t_min never infinite in the experiments) against App. D.3.1",
            uses=("periodic", "reflect3_cycle"),
        ),
    )


# -- the lazy chains of markov.icl_tmin_regime ---------------------------------------------------
def lazy_steps() -> tuple:
    """``λI + (1 − λ)P``: same π, eigenvalues ``λ + (1 − λ)μ``; when laziness slows mixing; the
    constant of the eigenvalue floor ``t_min ≥ 6/log(1/|μ₂|)``."""
    lam = sp.Symbol("lambda", real=True)
    z, a, b = sp.symbols("z a b", real=True)
    p = sp.Matrix(3, 3, sp.symbols("p0:9", real=True))
    pi = sp.Matrix(1, 3, sp.symbols("pi0:3", real=True))
    tt = sp.Matrix(3, 1, sp.symbols("t0:3", real=True))  # test vector: one scalar identity
    lazy = lam * sp.eye(3) + (1 - lam) * p
    mod2 = (lam + (1 - lam) * a) ** 2 + ((1 - lam) * b) ** 2  # |λ + (1 − λ)μ|², μ = a + ib
    eps = sp.Symbol("epsilon", positive=True)
    w = sp.Symbol("w", nonnegative=True)
    f = sp.log(1 / eps) * ((2 - eps) / (1 - eps)) ** 2
    return (
        ProofStep(
            "π(λI + (1 − λ)P) − π = (1 − λ)(πP − π): the lazy chain has P's stationary law",
            "identity",
            ((pi * lazy - pi) * tt)[0],
            ((1 - lam) * (pi * p - pi) * tt)[0],
            name="lazy_pi",
        ),
        ProofStep(
            "det(λI + (1 − λ)P − (λ + (1 − λ)z)I) = (1 − λ)³ det(P − zI): the lazy chain's "
            "eigenvalues are λ + (1 − λ)μ for the eigenvalues μ of P",
            "identity",
            (lazy - (lam + (1 - lam) * z) * sp.eye(3)).det(),
            (1 - lam) ** 3 * (p - z * sp.eye(3)).det(),
            name="lazy_spectrum",
        ),
        ProofStep(
            "d/dλ |λ + (1 − λ)μ|² at λ = 0 is 2(Re μ − |μ|²): laziness first slows a mode only "
            "when Re μ > |μ|²; a negative μ (base chain 1 has μ₂ ≈ −0.72) is damped, so t_min "
            "is not monotone in λ in general",
            "identity",
            sp.diff(mod2, lam).subs(lam, 0),
            2 * (a - a**2 - b**2),
            name="lazy_mode",
            uses=("lazy_spectrum",),
        ),
        ProofStep.interval(
            "log(1/ε)((2 − ε)/(1 − ε))² ≥ 6 for ε ∈ [1/5, 5/6]",
            f >= 6,
            box={eps: (sp.Rational(1, 5), sp.Rational(5, 6))},
            name="floor_middle",
        ),
        ProofStep(
            "For ε ≤ 1/5 the factor is ≥ 4 and log(1/ε) ≥ log 5: the product exceeds 4 log 5 > 6",
            "positive",
            4 * sp.log(5) - 6,
            name="floor_low",
        ),
        ProofStep(
            "For ε ≥ 5/6, log(1/ε) ≥ 1 − ε =: u ≤ 1/6, and (1 + u)²/u − 6 > 0 (u = 1/(6 + w), "
            "w ≥ 0); so t_min = inf_ε t_mix(ε/2)((2 − ε)/(1 − ε))² ≥ 6/log(1/|μ₂|), since "
            "|μ|ᵗ ≤ 2d(t) for every eigenvalue μ ≠ 1 gives t_mix(ε/2) ≥ log(1/ε)/log(1/|μ|) "
            "(evaluated for each lazy chain in the evidence, raw t_min_eigen_floor)",
            "positive",
            sp.simplify((1 + 1 / (6 + w)) ** 2 * (6 + w) - 6),
            name="floor_high",
            uses=("floor_middle", "floor_low", "lazy_spectrum"),
        ),
    )


def _tmin_regime() -> Theorem:
    return Theorem(
        id="markov.icl_tmin_regime",
        title="Sec. 4.3, t_min regime: at N_icl = 10 the counting estimator's in-context risk "
        "increases with t_min (lazy 3-state chains)",
        source=Source(
            PAPER,
            cite=CITE,
            locator="Sec. 4.3, 'Dependence on t_min', and Fig. 6 (b)-(c) (Theorem 4.3's "
            "√(t_min/N_icl) term)",
        ),
        parameters={chain: FiniteSet((0, 1, 2))},
        assumptions=(),
        claim=Claim(
            "monotone",
            R_icl,
            variable=t_min,
            direction="increasing",
            measured="R_icl = Σ_i π_i TV(P_i, P̂_i) of the counting estimator from N_icl = 10 "
            "states (rows never visited estimated uniform; trajectories started in π) on the "
            "lazy chains λI + (1 − λ)P, λ ∈ {0, ½, ¾, 0.9}, of the fixed random 3-state chain "
            "number `chain` (entries ≥ 0.02), sorted by their exact t_min",
        ),
        proof=lazy_steps(),
        experiment="markov.icl_tmin_regime",
        expect="fail",
        finding="At N_icl = 10 the counting estimator's risk is not monotone in t_min, in "
        "either direction (the reversed claim fails too). Base chain 0: R_icl rises with "
        "t_min (0.265, 0.278, 0.301, 0.340 at t_min 10.5, 27.9, 61.2, 160). Base chain 2: its "
        "lazy λ = ½ version mixes three times slower (t_min 17.3 against 5.3) yet has the "
        "lower risk (0.317 against 0.331, about 12 standard errors). Base chain 1 (eigenvalue "
        "μ₂ ≈ −0.72) mixes faster when made lazy (t_min 11.2 at λ = ½, 21.9 at λ = 0; step "
        "lazy_mode), and the slower chain has the lower risk (0.261 against 0.318). Only "
        "from λ = ½ on does the risk grow with t_min at all three: making a row lazy both "
        "slows mixing and makes the row easier to estimate. The risk at the current state "
        "(the summand of Eq. 3) falls with t_min at every base chain (0.27 to 0.08 for "
        "chain 0): a lazy chain's current row is the one seen most. Beyond N_icl ≈ 20 the "
        "non-lazy chains follow N^(−1/2) (slopes −0.51 to −0.52), the lazy ones fall faster "
        "up to N = 1000 (−0.66 to −0.88), and from N ≈ 200 on the lazier chain has the lower "
        "risk. So Theorem 4.3's t_min is a term of a bound, and it does not order this "
        "learner's risk (raw curves).",
        uses=("markov.icl_bound",),
        fixed={
            "N_icl": 10,
            "lazy": LAZY,
            "reps": per_profile(20000, 50000, 200000),
            "curve_reps": per_profile(1000, 2000, 8000),
        },
        notes="Settings fixed before any run: N_icl = 10 (the paper's first stage is N_icl ≲ "
        "20), the laziness values λ = 0, ½, ¾, 0.9 (t_min from about 5 to 160, the paper's "
        "Fig. 6 spans 4.6 to 43.7), three base chains (seeds 0, 1, 2 of a random 3-state chain "
        "with entries ≥ 0.02, as markov.icl_bound), R_icl as in Prop. E.2's proof (E_S "
        "TV(Q(S,·), Q_f(S,·)) with S stationary). Fresh trajectories for every λ, so the "
        "steps' errors are independent. The counting estimator stands in for the paper's LLM "
        "(Mistral 7B): the numerics say what t_min does to a learner that the theory covers, "
        "not what it does to a given LLM, and a bound's t_min need not show in the risk at "
        "all. The evidence (raw) holds the risk at the current state (the summand of Eq. 3) "
        "beside R_icl, and both risks' curves against N_icl (2 to 1000) and N_icl/t_min with "
        "their slopes beyond N_icl = 20: the paper's second stage.",
    )


def _walk_parameters(sizes=(3, 4, 5, 6, 9)) -> dict:
    return {walk: FiniteSet(("reflecting", "cycle", "clique")), d_states: FiniteSet(sizes)}


WALK_ASSUMPTIONS = (
    d_states >= 3,
    sp.Or(sp.Eq(walk, CLIQUE), d_states <= 6),  # the walks on 3..6 states (App. D.3.1)
    # the clique chain on d = 3k states, k ≥ 2
    sp.Or(
        sp.Eq(walk, REFLECTING),
        sp.Eq(walk, CYCLE),
        sp.And(sp.Eq(sp.Mod(d_states, 3), 0), d_states >= 6),
    ),
)
WALK_SOURCE = Source(
    PAPER,
    cite=CITE,
    locator="App. D.3 (Eqs. 6-7, M_{η,0} with η = 0.02; Figs. 12, 14, 16) and Theorem 4.3's "
    "N_icl^(−1/2) law",
)


def _rate_random_walk() -> Theorem:
    return Theorem(
        id="markov.icl_rate_random_walk",
        title="App. D.3: the counting estimator's in-context risk decays as N_icl^(−1/2) on "
        "random walks and the clique chain (p_min = 0)",
        source=WALK_SOURCE,
        parameters=_walk_parameters(),
        assumptions=WALK_ASSUMPTIONS,
        claim=Claim(
            "rate",
            N_icl ** sp.Rational(-1, 2),
            variable=N_icl,
            margin=0.1,
            measured="TV(P(x_N, ·), P̂_N(x_N, ·)) of the counting estimator at the current state "
            "(rows never visited estimated uniform) on the chain `walk` with d states, "
            "trajectories started in π, fresh at each N_icl, 13 values from 50d to 3200d",
        ),
        proof=walk_steps(),
        experiment="markov.icl_rate_random_walk",
        uses=("markov.icl_rate",),
        fixed={"reps": per_profile(1000, 4000, 16000)},
        notes="Margin 0.1 as markov.icl_rate, and its range of N_icl (50d to 3200d, here 13 "
        "values for the fit's degrees of freedom); all fixed before any run. These chains lie "
        "outside Theorem 4.3: p_min = 0 (B̄ = ∞), and the reflecting walks and the even cycles "
        "are periodic (t_min = ∞, step periodic). The counting estimator still converges: it "
        "needs visits to each state, not mixing, and the trajectories start in π, so x_N has "
        "law π at every N and the periodic chains' risk has no parity zig-zag. The claim is "
        "the law's exponent, not its constant (R·√N, raw constant); the clique chain's "
        "smallest entries (η/(k − 1) = 0.01 at d = 9) are seen only after about 100 visits, "
        "so its curve bends in early (raw fitted_slope). What the numerics cannot show: a "
        "rate beyond N = 3200d.",
    )


MODEL_SOURCE = Source(
    PAPER,
    cite=CITE,
    locator="App. D.3.2 on Fig. 16: 'Although the frequentist method achieves a lower loss, the "
    "power laws seem to be the same with LLMs' (M_{η,0}, η = 0.02), here on App. D.3's chains "
    "(Eqs. 6-7 and M_{η,0}), N_icl up to 10^3 as in Figs. 12, 14, 16",
)


# The in-context model's runs on the walks: both model theorems read the same trajectories and
# the same pre-trained models (a model per state count: 3, 6 and 9 only).
MODEL_RUN = dict(
    fixed={
        "reps": per_profile(1024, 2048, 8192),
        "pretrain_steps": per_profile(2000, 4000, 10000),
        "icl_models": per_profile((3,), (3, 6), (3, 6, 9)),
    },
    budget=d_states,
    caps={"quick": 3, "standard": 6, "thorough": 9},
)


def _rate_random_walk_model() -> Theorem:
    return Theorem(
        id="markov.icl_random_walk_frequentist",
        title="App. D.3: the counting (frequentist) estimator's in-context risk is below a small "
        "pre-trained transformer's on random walks and the clique chain, N_icl 32 to 1024",
        source=MODEL_SOURCE,
        parameters=_walk_parameters((3, 6, 9)),  # a model per state count: 3, 6 and 9 only
        assumptions=WALK_ASSUMPTIONS,
        claim=Claim(
            "upper_bound",
            sp.Integer(0),
            variable=N_icl,
            measured="TV(P(x_N, ·), P̂_N(x_N, ·)) − TV(P(x_N, ·), model(x_1..x_N)), the counting "
            "estimator's risk at the current state (rows never visited estimated uniform) minus "
            "that of the one-layer transformer of markov.icl_rate_model (pre-trained on "
            "trajectories of random Dirichlet(1) chains with d states), paired on the same "
            "trajectories of the chain `walk` (started in π), at 16 values of N_icl from 32 to "
            "1024 (a factor 2^(1/3) apart)",
        ),
        proof=(),
        experiment="markov.icl_random_walk_frequentist",
        uses=("markov.icl_rate_model", "markov.icl_rate_random_walk"),
        **MODEL_RUN,
        notes="Design history, in order. (1) The first design claimed the N_icl^(−1/2) law "
        "(kind rate, margin 0.1, as markov.icl_rate_model) over N_icl 32..256, the model's "
        "pre-training length: inconclusive at every seed at quick. On the reflecting walk the "
        "model's prediction from an end state (a certain move) saturates near 0.93, so its "
        "risk there levels off near 0.068 from N ≈ 128 on while the counting estimator is "
        "exact after one visit; the curve is no power law (reduced χ² ≈ 65) and the rate "
        "check's interval, widened by the misfit, straddles the band. (2) The range was then "
        "set to the paper's (App. D.3's Figs. 12, 14, 16 plot N_icl up to 10^3): 16 values "
        "from 32 to 1024, a factor 2^(1/3) apart, fixed from the paper and not from a "
        "verdict. The in-context model has no positional encoding (numerics.lm.InContextLM), "
        "so it reads contexts past its pre-training length 256 as they come; the experiment "
        "queries only the 16 positions (predict_at, checked against the full forward pass). "
        "The rate claim stayed inconclusive at seeds 0..4: on the reflecting walk the fitted "
        "exponent is −0.31 to −0.32 with interval about ±0.115 (reduced χ² ≈ 135; the model "
        "puts at most about 0.932 on a certain move at every N ≥ 81, end-state risk 0.068 flat to "
        "N = 1024, overall 0.049 at 1024 against the counting estimator's 0.0087); on the "
        "3-cycle the model's exponent is −0.42 ± 0.03 (reduced χ² ≈ 4), straddling the "
        "band's edge −0.4, and its excess over the counting estimator stays near 0.011 from "
        "N = 100 to 1024. The rate kind cannot decide a curve with a floor (the misfit widens "
        "its own interval), and more repetitions do not help (the misfit grows as the errors "
        "shrink). (3) The claim is therefore the other half of the paper's App. D.3.2 "
        "sentence on Fig. 16, 'the frequentist method achieves a lower loss' than the "
        "in-context learner, read at every N of the paper's range: counting − model ≤ 0 at "
        "each of the 16 N (one-sided z-tests on paired differences, Bonferroni over the "
        "N). This claim was chosen after both curves had been seen (the numbers above), "
        "which the reader should weigh; its form and range come from the paper's text, with "
        "no tuned level. The paper says it of the clique chain (Fig. 16, LLMs) and plots no "
        "frequentist on the walks (Figs. 12, 14); here it is read on every chain of App. D.3 "
        "drawn (quick: the reflecting walk and the 3-cycle at d = 3; standard adds d = 6, "
        "both walks and the 6-state clique chain; thorough d = 9, the paper's 9-state "
        "clique chain; those models are trained on first use and are unchecked here). "
        "Mechanism: the pre-training law (random Dirichlet(1) chains) has no certain moves "
        "and no zero entries, so the model shrinks towards a dense prior and cannot put more "
        "than about 0.93 on one successor, a floor on its risk that the counting estimator "
        "lacks; these chains (p_min = 0, periodic walks with t_min = ∞, see "
        "markov.icl_rate_random_walk) lie outside Theorem 4.3, which therefore says nothing "
        "about the model's rate here. The evidence (raw) keeps both curves, both weighted "
        "power-law fits (exponent, misfit-scaled error, reduced χ²), both risks by current "
        "state, and the model's top probability on certain moves at each N.",
    )


RATIO_LEVEL = sp.Rational(1, 4)  # 32^(−2/5): the edge of the rate band −1/2 ± 0.1 over 32..1024


def _rate_random_walk_model_ratio() -> Theorem:
    return Theorem(
        id="markov.icl_rate_random_walk_model",
        title="App. D.3: the pre-trained in-context model's risk on random walks falls as "
        "N_icl^(−1/2): from N_icl = 32 to 1024 by at least 32^(−2/5) = 1/4",
        source=Source(
            PAPER,
            cite=CITE,
            locator="App. D.3 (Figs. 12, 14, 16: the in-context risk on the random walks and "
            "M_{η,0} against N_icl up to 10^3, 'the power laws seem to be the same'), Theorem "
            "4.3's N_icl^(−1/2) law",
        ),
        parameters=_walk_parameters((3, 6, 9)),
        assumptions=WALK_ASSUMPTIONS,
        claim=Claim(
            "upper_bound",
            RATIO_LEVEL,
            measured="R(1024)/R(32), R(N) the mean over trajectories of TV(P(x_N, ·), "
            "model(x_1..x_N)), the risk at the current state of markov.icl_rate_model's "
            "one-layer transformer (pre-trained on random Dirichlet(1) chains with d states), on "
            "the same trajectories of the chain `walk` (started in π) at both N; paired "
            "delta-method standard error",
        ),
        proof=(),
        experiment="markov.icl_rate_random_walk_model",
        uses=("markov.icl_rate_model", "markov.icl_random_walk_frequentist"),
        **MODEL_RUN,
        expect="fail",
        finding="On this reconstruction the pre-trained in-context model's risk on the "
        "reflecting walk does not follow an N_icl^(−1/2) law: from N_icl = 32 to 1024 it falls "
        "by far less than the factor 1/4 that any exponent ≤ −0.4 implies (the law itself gives "
        "32^(−1/2) ≈ 0.18). The reason is a floor: the model was pre-trained on random "
        "Dirichlet(1) chains, which have no certain moves, and from an end state of the walk "
        "(whose successor is certain) it puts at most about 0.93 on the successor at every "
        "N_icl, so its risk there stays near 0.07 while the counting estimator's is exact after "
        "one visit. The paper's App. D.3 plots LLMs, not this model, and its chains lie outside "
        "Theorem 4.3 (p_min = 0; the walks are periodic, t_min = ∞): this is a result about a "
        "small in-context learner, not against the paper's theorem.",
        notes="Pre-registration, and what was seen first. The level 1/4 = 32^(−2/5) is the edge "
        "of the band −1/2 ± 0.1 that markov.icl_rate_model's rate check uses, read at the two "
        "ends of the paper's range N_icl = 32..1024 (the ends of MODEL_NS); the ratio of two "
        "means decides where the rate kind could not (a curve with a floor widens the rate "
        "check's own interval: see markov.icl_random_walk_frequentist's design history). The "
        "expected verdict (fail) was fixed from that mechanism after the earlier design had "
        "shown the floor (end-state risk about 0.068 from N ≈ 128 on, at seeds 0..4), so this "
        "is a confirmation of an observed floor with a decisive statistic, not a blind test. "
        "The 3-cycle point is reported as it comes (its earlier fitted exponent −0.42 ± 0.03 "
        "lies near the level); the theorem fails when any point does. Standard and thorough "
        "add d = 6 and 9 (models trained on first use, unchecked here).",
    )


def theorems() -> list[Theorem]:
    return [
        _tmin_regime(),
        _rate_random_walk(),
        _rate_random_walk_model(),
        _rate_random_walk_model_ratio(),
    ]
