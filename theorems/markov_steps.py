"""Proof steps of the Markov family (:mod:`theorems.markov`): the arguments of Zekri et al.
(arXiv 2410.02724 v2, App. F) step by step, from the counts of Prop. 3.2 to Theorems 4.2 and 4.3
(Paulin's concentration inequalities cited, the rest encoded). Lemma F.17 as stated (for any
sequence) fails: step ``window_any`` of markov.icl_bound, a finding. Parameter symbols are
redefined with markov's names and assumptions (sympy identifies them); proof-side symbols carry
sign assumptions so that sympy can decide the steps."""

from __future__ import annotations

import sympy as sp

from .markov_divergence_steps import hellinger_steps, selection_steps
from .proofsteps import ProofStep

# the theorems' parameter symbols (as in theorems.markov: no sign assumptions)
T = sp.Symbol("T", integer=True)
K = sp.Symbol("K", integer=True)

# proof-side symbols
_u = sp.Symbol("u", integer=True, nonnegative=True)  # T = u + 2 ≥ 2
_T2 = _u + 2
_K = sp.Symbol("K", integer=True, positive=True)
_i, _l = sp.symbols("i l", integer=True, positive=True)
_s, _q = sp.symbols("s q", integer=True, nonnegative=True)
_tau, (_B, _BU) = sp.Symbol("tau", positive=True), sp.symbols("B B_U", nonnegative=True)
_a, _b, _w = sp.symbols("a b w", nonnegative=True)
_pos = dict(positive=True)
_delta, _N = sp.Symbol("delta", **_pos), sp.Symbol("N", integer=True, positive=True)

STATES = T * (T**K - 1) / (T - 1)
PAPER_F1 = "Prop. 3.2, proof (App. F.1), step 2"


def _paper(statement: str, kind: str, lhs, rhs=0, **kw) -> ProofStep:
    """A sympy step of the paper's own argument (``locator`` says where)."""
    return ProofStep(statement, kind, lhs, rhs, paper=True, **kw)


# -- Prop. 3.2: the state count -----------------------------------------------------------------
def state_count_steps() -> tuple:
    transient = _T2 * (_T2 ** (_K - 1) - 1) / (_T2 - 1)
    return (
        _paper(
            "A state of length i is a word of i tokens, each one of T: |V^i| = Π_{l=1}^{i} T = T^i",
            "identity",
            sp.Product(_T2, (_l, 1, _i)),
            _T2**_i,
            name="level_size",
            locator=PAPER_F1,
        ),
        _paper(
            "The transient states (lengths 1 … K − 1, the block P_T) number "
            "Σ_{i=1}^{K−1} T^i = T(T^{K−1} − 1)/(T − 1) (T = u + 2)",
            "identity",
            sp.Sum(_T2**_i, (_i, 1, _K - 1)),
            transient,
            name="transient_count",
            uses=("level_size",),
            locator=PAPER_F1 + " (the size of P_T)",
        ),
        _paper(
            "With the T^K recurrent states (length K, the block P_R): "
            "T(T^{K−1} − 1)/(T − 1) + T^K = T(T^K − 1)/(T − 1) = |V*_K|",
            "identity",
            transient + _T2**_K,
            _T2 * (_T2**_K - 1) / (_T2 - 1),
            name="split",
            uses=("transient_count",),
            locator=PAPER_F1 + ", Eq. (9)",
        ),
        ProofStep.interval(
            "|V*_K| = O(T^K): |V*_K| < T^{K+1}/(T − 1) ≤ 2T^K, over the whole domain",
            STATES < 2 * T**K,
            name="order_upper",
            paper=True,
            locator="Fig. 2 caption: Σ_{i≤K} T^i ∼ O(T^K)",
        ),
        ProofStep.interval(
            "… and |V*_K| ≥ T^K (the recurrent states alone; equality at K = 1)",
            STATES >= T**K,
            name="order_lower",
            uses=("split",),
        ),
    )


# -- Lemma F.1: the block form of Q_f^k ---------------------------------------------------------
def block_structure_steps() -> tuple:
    PT, PTR, PR = sp.symbols("P_T P_TR P_R", commutative=False)
    Q = sp.Matrix([[PT, PTR], [0, PR]])
    m = sp.Symbol("m", integer=True, nonnegative=True)
    p, k = 1 + _q, _K - 1 + _s  # a length p ≥ 1 and k ≥ K − 1 steps
    floor = 1 / (_T2 * sp.exp(2 * _B / _tau))
    return (
        _paper(
            "Block form of the powers: with Q_f = [[P_T, P_TR], [0, P_R]] (Eq. 9), the upper "
            "right block of Q_f^k is B_k = Σ_{m=0}^{k−1} P_T^m P_TR P_R^{k−1−m}, the lower left "
            "one stays 0 (k = 4, with noncommuting blocks)",
            "identity",
            (Q * Q * Q * Q)[0, 1],
            sp.Sum(PT**m * PTR * PR ** (3 - m), (m, 0, 3)),
            name="block_power",
            locator="Lemma F.1, proof (Q_f^k and B_k)",
        ),
        _paper(
            "P_T is nilpotent: a state of length p ≥ 1 has length min(p + k, K) = K after "
            "k ≥ K − 1 steps (p = 1 + q, k = K − 1 + s), so P_T^{K−1} = 0 and "
            "(Q_f^k)_{ij} = 0 for every transient j once k ≥ K",
            "identity",
            sp.Min(p + k, _K, evaluate=False),
            _K,
            name="nilpotent",
            locator="Lemma F.1, proof (first item)",
        ),
        _paper(
            "For k = K + s ≥ K the state reached from any i is the last K of the k tokens added: "
            "T^{k−K} of the T^k words end at each recurrent j, each a product of k softmax "
            "entries ≥ 1/(T e^{2B/τ}) (Lemma F.7): (Q_f^k)_{ij} ≥ T^{k−K}(T e^{2B/τ})^{−k} > 0",
            "positive",
            _T2**_s * floor ** (_K + _s),
            name="recurrent_positive",
            uses=("block_power",),
            locator="Lemma F.1, proof (second item)",
        ),
    )


# -- Prop. 3.3: one closed, aperiodic class -----------------------------------------------------
def unique_stationary_steps() -> tuple:
    p, r, k = (sp.Symbol(name, integer=True) for name in ("p", "r", "k"))
    z = sp.Symbol("z", real=True)
    rest = sp.Symbol("R", positive=True)
    return (
        ProofStep.interval(
            "A state of length p < K is transient: k ≥ 1 steps later its length is "
            "min(p + k, K) > p, so it is never revisited (K = p + 1 + r; every 1 ≤ p < K ≤ 12 "
            "of the domain, k ≤ 12: from K − p steps on the length is K)",
            sp.Min(p + k, p + 1 + r) > p,
            box={p: (1, 11), r: (0, 10), k: (1, 12)},
            name="transient",
            paper=True,
            locator="Prop. 3.3, proof (App. F.2): the states shorter than K are transient",
        ),
        _paper(
            "Any recurrent i reaches any recurrent j in exactly K steps, along the one path "
            "that appends j's K tokens, with probability ≥ (T e^{2B/τ})^{−K} > 0 (Lemma F.1); "
            "no edge leaves R (Q_f's lower left block is 0): R is one closed class",
            "positive",
            (_T2 * sp.exp(2 * _B / _tau)) ** (-_K),
            name="one_class",
            uses=("markov.block_structure",),
            locator="Prop. 3.3, proof: R forms a class (Lemma F.1)",
        ),
        _paper(
            "R is aperiodic: the state x…x (K copies of a token x) steps to itself with "
            "probability softmax(z/τ)_x = e^{z_x/τ}/(e^{z_x/τ} + R) > 0, R = Σ_{y≠x} e^{z_y/τ} "
            "(period 1, hence the whole class's, Thm C.9)",
            "positive",
            sp.exp(z / _tau) / (sp.exp(z / _tau) + rest),
            name="aperiodic",
            locator="Prop. 3.3, proof (aperiodicity)",
        ),
        ProofStep.cited(
            "A finite ergodic unichain (one recurrent class, aperiodic, and transient states) "
            "has exactly one stationary distribution, zero on the transient states",
            reference="gallager1996",
            locator="ergodic unichains (Sect. 3.3, as the paper cites it: Thm C.9, Def. C.11)",
            uses=("transient", "one_class", "aperiodic"),
        ),
    )


# -- Prop. 3.4: the contraction (Gallager's Lemmas 3.3.1–3.3.2, App. F.3) ------------------------
def convergence_steps() -> tuple:
    n = sp.Symbol("n", integer=True, positive=True)
    e_, lo = sp.Symbol("epsilon", positive=True), sp.Symbol("m", real=True)
    hi = lo + _w  # the column's maximum M = m + w
    c, d, f = sp.symbols("c d f", positive=True)
    rho, ell = sp.Symbol("rho", positive=True), sp.Symbol("l", integer=True, nonnegative=True)
    e = sp.Symbol("e", positive=True)
    top, bottom = hi - e_ * (hi - lo), lo + e_ * (hi - lo)
    return (
        ProofStep.interval(
            "ε ≤ 1/T^K ≤ 1/2: a row of Q_f^K on R sums to 1 over its T^K entries, so its "
            "smallest is at most their mean; hence 0 ≤ 1 − 2ε < 1",
            sp.Le(T ** (-K), sp.Rational(1, 2)),
            name="eps_half",
        ),
        ProofStep(
            "Lemma F.3: each entry of P^{n+1} is a convex combination Σ_k P_ik (P^n)_kj of the "
            "column's entries, so max_i (P^{n+1})_ij ≤ max_i (P^n)_ij (two entries M − a, "
            "M − b with weights c/(c + d), d/(c + d) shown; the minimum likewise)",
            "nonnegative",
            hi - (c / (c + d) * (hi - _a) + d / (c + d) * (hi - _b)),
            name="monotone",
            locator="Lemma F.3 (Gallager's Lemma 3.3.1)",
        ),
        ProofStep(
            "Lemma F.4, upper side: if every entry of P is ≥ ε, a row puts weight p = ε + a on "
            "the column's minimum m, so Σ_k P_ik x_k ≤ p m + (1 − p)M ≤ M − ε(M − m) "
            "(x_k ∈ [m, M], M = m + w)",
            "nonnegative",
            top - ((e_ + _a) * lo + (1 - e_ - _a) * hi),
            name="row_max",
            locator="Lemma F.4 (Gallager's Lemma 3.3.2), proof",
        ),
        ProofStep(
            "… and lower side: a row puts weight p ≥ ε on the maximum M, so "
            "Σ_k P_ik x_k ≥ p M + (1 − p)m ≥ m + ε(M − m)",
            "nonnegative",
            ((e_ + _a) * hi + (1 - e_ - _a) * lo) - bottom,
            name="row_min",
            locator="Lemma F.4 (Gallager's Lemma 3.3.2), proof",
        ),
        _paper(
            "So a column's spread shrinks by 1 − 2ε per step of P = Q_f^K on R: (M − ε(M − m)) − "
            "(m + ε(M − m)) = (1 − 2ε)(M − m); after ℓ steps it is ≤ (1 − 2ε)^ℓ (Eq. 11)",
            "identity",
            top - bottom,
            (1 - 2 * e_) * (hi - lo),
            name="contraction",
            uses=("eps_half", "row_max", "row_min", "markov.block_structure"),
            locator="Prop. 3.4, proof (App. F.3), step 2, Eqs. (10)–(11)",
        ),
        _paper(
            "Step 2 (a recurrent start): the spread of Q_f^n is ≤ (1 − 2ε)^{⌊n/K⌋} "
            "(Lemma F.3 between multiples of K), which is ≤ the claim's (1 − 2ε)^{⌊n/K⌋−1} "
            "(1 − 2ε = 1/(1 + e), e > 0; l = ⌊n/K⌋)",
            "nonnegative",
            (1 / (1 + e)) ** (ell - 1) - (1 / (1 + e)) ** ell,
            name="recurrent_rate",
            uses=("monotone", "contraction"),
            locator="Prop. 3.4, proof (App. F.3), step 2",
        ),
        _paper(
            "Step 3 (a transient start): |(Q_f^n)_ij − π_j| ≤ Σ_{k∈R} (Q_f^K)_ik |(Q_f^{n−K})_kj "
            "− π_j| (transient k vanish, Lemma F.1) ≤ ρ, for deviations ρ − α_k ≤ ρ and weights "
            "summing to ≤ 1 (two shown: c, d over c + d + f)",
            "nonnegative",
            rho - (c / (c + d + f) * (rho - _a) + d / (c + d + f) * (rho - _b)),
            name="transient_start",
            uses=("markov.block_structure",),
            locator="Prop. 3.4, proof (App. F.3), step 3 (Σ_{k∈R}(Q_f^K)_ik ≤ 1)",
        ),
        _paper(
            "… with ρ = (1 − 2ε)^{⌊(n−K)/K⌋} from step 2, and ⌊(n − K)/K⌋ = ⌊n/K⌋ − 1: the "
            "claim's exponent",
            "identity",
            sp.floor((n - _K) / _K, evaluate=False),
            sp.floor(n / _K) - 1,
            name="floor_shift",
            uses=("recurrent_rate", "transient_start"),
            locator="Prop. 3.4, proof (App. F.3), step 3",
        ),
    )


# -- Lemma F.7: the softmax floor, and ε ≥ (T e^(2B/τ))^(−K) --------------------------------------
def softmax_floor_steps() -> tuple:
    x, y = sp.symbols("x y", real=True)
    rest = sp.Symbol("R", positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    mm, ec = j + 1, 1 + _w  # m = j + 1 coordinates, e^{c₁} = 1 + w ≥ 1
    extreme = (1 / ec) / (1 / ec + (mm - 1) * ec)  # softmax_i at x_i = −c₁, x_j = c₁ (j ≠ i)
    return (
        ProofStep(
            "softmax(x)_i increases with its own logit: ∂/∂x_i e^{x_i}/(e^{x_i} + R) > 0 "
            "(R = Σ_{j≠i} e^{x_j} > 0)",
            "positive",
            sp.diff(sp.exp(x) / (sp.exp(x) + rest), x),
            name="softmax_own",
        ),
        ProofStep(
            "… and decreases with every other: −∂/∂x_j e^{x_i}/(e^{x_i} + e^{x_j} + R) > 0; so on "
            "‖x‖₁ ≤ c₁ (−c₁ ≤ x_k ≤ c₁) it is at least its value at x_i = −c₁, x_j = c₁ (j ≠ i)",
            "positive",
            -sp.diff(sp.exp(x) / (sp.exp(x) + sp.exp(y) + rest), y),
            name="softmax_other",
        ),
        _paper(
            "Eq. (16): the denominator there is e^{−c₁} + (m − 1)e^{c₁} ≤ m e^{c₁} "
            "(e^{c₁} = 1 + w, m = j + 1)",
            "nonnegative",
            mm * ec - (1 / ec + (mm - 1) * ec),
            name="denominator",
            locator="Lemma F.7, proof (Eqs. 15–16)",
        ),
        _paper(
            "Lemma F.7: softmax(x)_i ≥ 1/(m e^{2c₁}): the value at the extreme point over the "
            "floor, minus 1, is ≥ 0",
            "nonnegative",
            extreme / (1 / (mm * ec**2)) - 1,
            name="softmax_floor",
            uses=("softmax_own", "softmax_other", "denominator"),
            locator="Lemma F.7",
        ),
    )


def path_product(rate: str, name: str, uses: tuple) -> ProofStep:
    """ε as the K-step path product, each transition ≥ 1/(T e^{rate}), rate = 2B/τ or B/τ."""
    k = sp.Symbol("k", integer=True, positive=True)
    spread = 2 if rate == "2B/τ" else 1
    why = "Lemma F.7, c₁ = B/τ, m = T" if spread == 2 else "max z − min z ≤ ‖z‖₁ ≤ B, above"
    per = _T2 * sp.exp(spread * _B / _tau)
    return ProofStep(
        "For i, j ∈ R, (Q_f^K)_ij is the probability of the one K-step path from i to j, a "
        f"product of K next-token probabilities, each ≥ 1/(T e^{{{rate}}}) ({why}): "
        f"ε ≥ Π_{{k=1}}^{{K}} 1/(T e^{{{rate}}}) = (T e^{{{rate}}})^{{−K}}",
        "identity",
        sp.Product(1 / per, (k, 1, _K)),
        per ** (-_K),
        name=name,
        uses=uses,
    )


# -- Prop. 4.1 ------------------------------------------------------------------------------------
def sample_complexity_step() -> ProofStep:
    bbar, e4, L = (sp.Symbol(name, **_pos) for name in ("Bbar", "epsilon", "L"))
    n_v = 4 * bbar**2 * L / e4**2 * (1 + _w) ** 2  # N = N*(1 + w)², any N ≥ N*
    return _paper(
        "Any N_train ≥ N* (N = N*(1 + w)², w ≥ 0; L = log(2/δ) > 0) keeps the deviation term "
        "below ε/2: (ε/2)/(B̄ √(L/N)) − 1 = w ≥ 0",
        "nonnegative",
        sp.Subs((e4 / 2) / (bbar * sp.sqrt(L / _N)), _N, n_v) - 1,
        locator="Prop. 4.1, proof (App. F.4): N_train ≥ N* gives B̄/√N_train √log(2/δ) ≤ ε/2",
    )


# -- Theorems 4.2 and 4.3: the shared pieces ------------------------------------------------------
def _lemma_f8_steps() -> tuple:
    w, s, t = (sp.symbols(f"{v}_1:4", real=True) for v in "wst")
    sq = lambda v: sum(c**2 for c in v)  # noqa: E731
    dot = sum(a * b for a, b in zip(w, s, strict=True))
    lagrange = sum((w[i] * s[j] - w[j] * s[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    mid = [(a + b) / 2 for a, b in zip(s, t, strict=True)]
    return (
        _paper(
            "Lemma F.8, Cauchy–Schwarz: |W_i · s| ≤ ‖W_i‖₂ ‖s‖₂, as ‖w‖²‖s‖² − (w · s)² is "
            "the sum of squares Σ_{k<l} (w_k s_l − w_l s_k)² (r = 3)",
            "identity",
            sq(w) * sq(s) - dot**2,
            lagrange,
            name="cauchy_schwarz",
            locator="Lemma F.8, proof",
        ),
        _paper(
            "… and the column average s = S^{(L)}1_n/n of unit columns stays in the unit ball: "
            "(‖s‖² + ‖t‖²)/2 − ‖(s + t)/2‖² = ‖s − t‖²/4 ≥ 0 (midpoint convexity); so "
            "‖W_U S^{(L)}1_n/(nτ)‖₁ ≤ Σ_i ‖W_i‖₂/τ = ‖W_Uᵀ‖_{2,1}/τ ≤ B_U/τ",
            "identity",
            (sq(s) + sq(t)) / 2 - sq(mid),
            sq([a - b for a, b in zip(s, t, strict=True)]) / 4,
            name="column_average",
            uses=("cauchy_schwarz",),
            locator="Lemma F.8, proof (Eqs. 17–19)",
        ),
    )


def _log_ratio_steps(states: str, floor_of: str, where: str, norm: tuple) -> tuple:
    """Prop. F.9 / F.21: |log(P/P_Θ)| ≤ max{log m + 2B_U/τ, log(1/p₀)} (m = T or d)."""
    m, p0 = sp.Symbol(states, **_pos), sp.Symbol(floor_of, **_pos)
    big = m * sp.exp(2 * _BU / _tau)  # 1/P_Θ ≤ m e^{2B_U/τ} (Lemma F.7, c₁ = B_U/τ)
    p_up, th_up = 1 / (1 + _a), (1 + _b) / big  # P ≤ 1, P_Θ ≥ 1/(m e^{2B_U/τ})
    p_dn, th_dn = p0 * (1 + _a), 1 / (1 + _b)  # P ≥ p₀, P_Θ ≤ 1
    return (
        _paper(
            f"{where}, Eq. (22): log(P/P_Θ) ≤ log(1/P_Θ) as P ≤ 1 (P = 1/(1 + a))",
            "nonnegative",
            sp.log(1 / th_up) - sp.log(p_up / th_up),
            name="ratio_up",
            locator=f"{where}, proof, Eq. (22)",
        ),
        _paper(
            f"… ≤ log({states} e^{{2B_U/τ}}) = log {states} + 2B_U/τ, as P_Θ ≥ 1/({states} "
            f"e^{{2B_U/τ}}) (Lemma F.7 with c₁ = B_U/τ, {norm[1]}; P_Θ = (1 + b) times the floor)",
            "nonnegative",
            sp.log(big) - sp.log(1 / th_up),
            name="ratio_floor",
            uses=("markov.temperature_floor", norm[0]),
            locator=f"{where}, proof, Eqs. (21)–(22)",
        ),
        _paper(
            "… and the other way: log(P_Θ/P) ≤ log(1/P) as P_Θ ≤ 1 (P_Θ = 1/(1 + b))",
            "nonnegative",
            sp.log(1 / p_dn) - sp.log(th_dn / p_dn),
            name="ratio_down",
            locator=f"{where}, proof, Eq. (23)",
        ),
        _paper(
            f"… ≤ log(1/{floor_of}), as P ≥ {floor_of} (P = {floor_of}(1 + a)): so "
            f"|log(P/P_Θ)| ≤ M = max{{log {states} + 2B_U/τ, log(1/{floor_of})}}",
            "nonnegative",
            sp.log(1 / p0) - sp.log(1 / p_dn),
            name="ratio_floor_data",
            uses=("ratio_up", "ratio_floor", "ratio_down"),
            locator=f"{where}, proof, Eqs. (20), (23)",
        ),
    )


def _concentration_algebra(spread, spread_text: str, where: str, uses: tuple) -> tuple:
    """The deviation u solving δ = 2 exp(−2u²/(spread² ‖c‖²)), with c_n = 2c₂/N, c₂ = √(2M)."""
    c2, M = sp.Symbol("c_2", **_pos), sp.Symbol("M", **_pos)
    cn, u = sp.Symbol("C", **_pos), sp.Symbol("u", **_pos)  # C = ‖c‖₂
    n = sp.Symbol("n", integer=True, positive=True)
    u_star = spread * cn * sp.sqrt(sp.log(2 / _delta) / 2)
    sq = "t_min" if spread_text == "√t_min" else f"{spread_text}²"
    iid = f"B̄ √(log(2/δ)/N), B̄ = 2{spread_text} M^{{1/2}}"
    bbar = "B̄ √(t_min/N) √log(2/δ), B̄ = 2M^{1/2}" if sq == "t_min" else iid
    return (
        _paper(
            "Changing one S_n moves f = (1/N)Σ_n g_n(S_n) by at most 2c₂/N (|g_n| ≤ c₂): "
            "c_n = 2c₂/N and ‖c‖₂ = (Σ_{n=1}^{N} (2c₂/N)²)^{1/2} = 2c₂/√N",
            "identity",
            sp.sqrt(sp.Sum((2 * c2 / _N) ** 2, (n, 1, _N))),
            2 * c2 / sp.sqrt(_N),
            name="norm_c",
            uses=uses[:-1],
            locator=f"{where}, proof: the bounding vector c and ‖c‖₂",
        ),
        _paper(
            f"Setting the tail 2 exp(−2u²/({sq} C²)) to δ (C = ‖c‖₂): "
            f"u = {spread_text} C √(log(2/δ)/2)",
            "identity",
            sp.Subs(2 * sp.exp(-2 * u**2 / (spread**2 * cn**2)), u, u_star),
            _delta,
            name="solve_u",
            uses=uses[-1:],
            locator=f"{where}, proof: the choice of u",
        ),
        _paper(
            f"With C = 2c₂/√N and c₂ = √(2M): u = 2{spread_text} √M √(log(2/δ)/N), the "
            f"claim's deviation term {bbar}",
            "identity",
            sp.Subs(u_star.subs(cn, 2 * c2 / sp.sqrt(_N)), c2, sp.sqrt(2 * M)),
            2 * spread * sp.sqrt(M) * sp.sqrt(sp.log(2 / _delta) / _N),
            name="deviation",
            uses=("norm_c", "solve_u"),
            locator=f"{where}, proof: u = B̄ √(log(2/δ)/N)",
        ),
    )


def pretraining_steps() -> tuple:
    """Theorem 4.2 (App. F.5)."""
    BU, c0 = sp.Symbol("B_U", real=True), sp.Symbol("c0", real=True)  # as in theorems.markov
    tau = sp.Symbol("tau", real=True)
    c2 = sp.sqrt(2 * sp.Max(sp.log(T) + 2 * BU / tau, sp.log(1 / c0)))
    return (
        *_lemma_f8_steps(),
        *_log_ratio_steps("T", "c_0", "Prop. F.9", ("column_average", "Lemma F.8")),
        *hellinger_steps(),
        ProofStep.cited(
            "McDiarmid's inequality for dependent variables (Prop. F.5): for S with a Marton "
            "coupling of mixing matrix Γ and f(x) − f(y) ≤ Σ_i c_i 1{x_i ≠ y_i}, P(|f(S) − Ef(S)| "
            "≥ u) ≤ 2 exp(−2u²/(‖Γ‖² ‖c‖₂²)) (the trivial partition; ‖Γc‖₂ ≤ ‖Γ‖ ‖c‖₂)",
            reference="paulin2015",
            locator="Theorem 2.9",
            name="paulin",
        ),
        *_concentration_algebra(
            sp.Symbol("Gamma", **_pos),
            "‖Γ‖",
            "Thm 4.2 (App. F.5.3)",
            ("ratio_floor_data", "log_tangent", "paulin"),
        ),
        ProofStep.interval(
            "The bounded-difference constant is loose here: c₂ = √(2M) ≥ 1, the range of d_TV "
            "itself, at every point of the domain (τ = 1, c₀ = 0.02)",
            c2 >= 1,
            box={tau: (1, 1), c0: (sp.Rational(1, 50), sp.Rational(1, 50))},
            name="c2_loose",
            uses=("log_tangent",),
        ),
    )


def window_steps() -> tuple:
    """Lemma F.17: the windows S_n of X form a Markov chain when X is one (not for any X)."""
    bits, q = (0, 1), sp.Symbol("q", **_pos)

    def copy(x1, x2, x3):  # X₁, X₂ fair independent bits; X₃ = X₁ w.p. q, else a fresh bit
        return sp.Rational(1, 4) * (q * int(x3 == x1) + (1 - q) / 2)

    a, b, m0, m1 = sp.symbols("a b mu_0 mu_1", **_pos)
    step = {(0, 0): 1 - a, (0, 1): a, (1, 0): b, (1, 1): 1 - b}

    def chain(*xs):  # a two-state Markov chain's path probability
        out = {0: m0, 1: m1}[xs[0]]
        for x, y in zip(xs[:-1], xs[1:], strict=True):
            out *= step[x, y]
        return out

    return (
        _paper(
            "Lemma F.17 for any sequence X ('not necessarily a Markov chain'): P(S₃ | S₂, S₁) = "
            "P(S₃ | S₂). False: K = 1, X₁, X₂ fair independent bits, X₃ = X₁ w.p. q, else a "
            "fresh bit: P(S₃ = 0 | S₂ = S₁ = 0) = (1 + q)/2, P(S₃ = 0 | S₂ = 0) = 1/2 (the "
            "proof conditions on the last K windows, not on the whole past)",
            "identity",
            copy(0, 0, 0) / sum(copy(0, 0, x) for x in bits),
            sum(copy(x, 0, 0) for x in bits) / sum(copy(x, 0, y) for x in bits for y in bits),
            name="window_any",
            locator="Lemma F.17 (App. F.7.1), statement and proof",
        ),
        _paper(
            "Lemma F.17 where Theorem 4.3 uses it, X a Markov chain: the windows are Markov. "
            "K = 2 (S₃ = (X₂, X₃)), a two-state chain with transitions a, b and initial law μ: "
            "P(S₄ = (0, 0) | S₃ = (0, 0), S₂ = (1, 0), S₁ = (1)) = P(S₄ = (0, 0) | S₃ = (0, 0))",
            "identity",
            chain(1, 0, 0, 0) / sum(chain(1, 0, 0, x) for x in bits),
            sum(chain(x, 0, 0, 0) for x in bits)
            / sum(chain(x, 0, 0, y) for x in bits for y in bits),
            name="window_markov",
            locator="Lemma F.17 (App. F.7.1), for a Markov chain X",
        ),
    )


def icl_steps() -> tuple:
    """Theorem 4.3 (App. F.7)."""
    tmin, A, x = (sp.Symbol(name, **_pos) for name in ("t_min", "A", "x"))
    e = sp.Symbol("epsilon", real=True)
    return (
        *window_steps(),
        ProofStep.cited(
            "McDiarmid's inequality for Markov chains: for S a Markov chain with mixing times "
            "τ(ε) and f(x) − f(y) ≤ Σ_i c_i 1{x_i ≠ y_i}, P(|f(S) − E f(S)| ≥ u) ≤ "
            "2 exp(−2u²/(‖c‖₂² τ_min)), τ_min = inf_ε τ(ε)((2 − ε)/(1 − ε))²; and "
            "τ(ε) ≤ t_mix(ε/2) for a time-homogeneous chain, so τ_min ≤ t_min",
            reference="paulin2015",
            locator="Corollary 2.11 and Remark 1.5",
            name="paulin_markov",
            uses=("window_markov",),
        ),
        _paper(
            "Prop. F.18: x ↦ exp(−A/x), A = 2u²/‖c‖₂², increases on x > 0, so τ_min ≤ t_min gives "
            "exp(−A/τ_min) ≤ exp(−A/t_min) (the paper says 'decreasing'; its step needs this)",
            "positive",
            sp.diff(sp.exp(-A / x), x),
            name="tail_monotone",
            uses=("paulin_markov",),
            locator="Prop. F.18, proof (Eq. 30)",
        ),
        ProofStep.interval(
            "t_min ≥ 4: in t_min = inf_ε t_mix(ε/2)((2 − ε)/(1 − ε))², t_mix ≥ 1 and the factor is "
            "≥ 4 on [0, 1) (certified on [0, 1 − 10⁻⁶]; it increases)",
            ((2 - e) / (1 - e)) ** 2 >= 4,
            box={e: (0, 1 - sp.Rational(1, 10**6))},
            name="tmin_at_least_4",
        ),
        *selection_steps(),
        *_log_ratio_steps("d", "p_min", "Prop. F.21", ("selection_l1", "Lemmas F.19–F.20")),
        *_concentration_algebra(
            sp.sqrt(tmin),
            "√t_min",
            "Thm 4.3 (App. F.7.4)",
            ("ratio_floor_data", "markov.pretraining_bound", "tail_monotone"),
        ),
    )
