"""Proof steps of the UAT family (:mod:`theorems.uat`): the Kronecker identity at symbolic sizes
(entrywise, as finite sums; and written out at small ones), the dynamic form with symbolic
entries, Barron's constant ``C_f``, the Eckart–Young tail through the SVD's orthogonal
invariance, and the telescoping sum behind the pruning bound (with the step that fails for
softplus named).

The written-out matrix identities are stated as a sum of squares of the entries of
``lhs − rhs``, left unexpanded: sympy expands and cancels it when the step is checked.
"""

from __future__ import annotations

import sympy as sp

from .proofsteps import ProofStep

_d = sp.Symbol("d", integer=True)  # the theorem's d (same name and assumptions)
C_F = sp.sqrt(2) * sp.gamma((_d + 1) / 2) / sp.gamma(_d / 2)


def _mat(name, a, b):
    return sp.Matrix(a, b, lambda p, q: sp.Symbol(f"{name}_{p}{q}", real=True))


def _squares(M) -> sp.Expr:
    return sum(e**2 for e in M)


def _kron_gaps(n: int, d: int) -> tuple:
    A, X, W = _mat("a", n, n), _mat("x", n, d), _mat("w", d, d)
    col = (A * X * W).vec() - sp.kronecker_product(W.T, A) * X.vec()
    row = (A * X * W).T.vec() - sp.kronecker_product(A, W.T) * X.T.vec()
    return _squares(col), _squares(row)


def _symbolic_entries() -> tuple:
    """Entry (i, j) of (A X) W_V and of A (X W_V), and the (j, i) / (i, j) entries of the two
    Kronecker forms applied to vec(X) in pair indices, at symbolic n and d (A n×n, X n×d, W_V
    d×d; (W_Vᵀ)_{jl} written as W_{lj})."""
    n, d = sp.symbols("n d", integer=True, positive=True)
    i, j, k, l = sp.symbols("i j k l", integer=True, nonnegative=True)
    A, X, W = sp.IndexedBase("A"), sp.IndexedBase("X"), sp.IndexedBase("W")
    rows, cols = (k, 0, n - 1), (l, 0, d - 1)
    ax_w = sp.Sum(sp.Sum(A[i, k] * X[k, l], rows) * W[l, j], cols)
    a_xw = sp.Sum(A[i, k] * sp.Sum(X[k, l] * W[l, j], cols), rows)
    col = sp.Sum(sp.Sum(W[l, j] * A[i, k] * X[k, l], rows), cols)  # (Wᵀ ⊗ A): M_jl N_ik
    row = sp.Sum(sp.Sum(A[i, k] * W[l, j] * X[k, l], cols), rows)  # (A ⊗ Wᵀ): M_ik N_jl
    return ax_w, a_xw, col, row


def kron_steps() -> tuple:
    col, row = _kron_gaps(2, 3)
    col32, row32 = _kron_gaps(3, 2)
    n, d = sp.symbols("n d", integer=True, positive=True)
    i, j, p = sp.symbols("i j p", integer=True, nonnegative=True)
    w = sp.Symbol("w", positive=True)
    ax_w, a_xw, kron_col, kron_row = _symbolic_entries()
    return (
        ProofStep(
            "the column-major index (i, j) ↦ i + n·j maps [0, n) × [0, d) one to one onto "
            "[0, nd) (symbolic n, d: the generating functions Σ_{i,j} z^{i+nj} and Σ_{p<nd} z^p "
            "agree, z = 1 + w); the row-major i·d + j is the same with n and d exchanged, so "
            "vec and vec_r list every entry once, and a sum over the rows q < nd of vec(X) is "
            "the double sum over the pairs (k, l)",
            "identity",
            sp.Sum(sp.Sum((1 + w) ** (i + n * j), (i, 0, n - 1)), (j, 0, d - 1)),
            sp.Sum((1 + w) ** p, (p, 0, n * d - 1)),
            name="layout",
        ),
        ProofStep(
            "the product is associative entrywise at symbolic n, d: ((A X) W_V)_{ij} = "
            "(A (X W_V))_{ij} (finite sums: distributivity and the order of summation)",
            "identity",
            ax_w,
            a_xw,
            name="assoc",
        ),
        ProofStep(
            "column-major at symbolic n, d: row i + n·j of (W_Vᵀ ⊗ A) vec(X) is Σ over the "
            "columns k + n·l of (W_Vᵀ)_{jl} A_{ik} X_{kl} (the Kronecker entry on the layout's "
            "pairs), which is ((A X) W_V)_{ij}",
            "identity",
            ax_w,
            kron_col,
            name="column",
            uses=("layout",),
        ),
        ProofStep(
            "row-major at symbolic n, d: row i·d + j of (A ⊗ W_Vᵀ) vec_r(X) is Σ over the "
            "columns k·d + l of A_{ik} (W_Vᵀ)_{jl} X_{kl}, which is (A (X W_V))_{ij}, the "
            "same matrix by the associativity step: both layouts hold for every n and d, which "
            "is the claim",
            "identity",
            a_xw,
            kron_row,
            name="row",
            uses=("layout", "assoc", "column"),
            closes=True,
        ),
        ProofStep(
            "the same with every entry written out: column-major vec(A X W_V) = (W_Vᵀ ⊗ A) "
            "vec(X) for a 2×3 X (symbolic entries, sympy's own kronecker_product)",
            "identity",
            col,
            0,
        ),
        ProofStep("row-major: vec_r(A X W_V) = (A ⊗ W_Vᵀ) vec_r(X), 2×3 X", "identity", row, 0),
        ProofStep(
            "both layouts again with n > d (3×2 X, symbolic entries of A, X and W_V)",
            "identity",
            col32 + row32,
            0,
        ),
    )


def _block(tokens: int, act=None):
    """Token ``tokens``'s pre-activation W₁y + b₁ and w(X)x_n + θ(X), d = h = 2, and with an
    activation ``act`` the block's output directly and as the one-hidden-layer sum."""
    dd = hh = 2
    xs = [_mat(f"x{t}", dd, 1) for t in range(1, tokens + 1)]
    a = sp.symbols(" ".join(f"A_{tokens}{j}" for j in range(1, tokens + 1)), real=True, seq=True)
    WV, W1, b1 = _mat("v", dd, dd), _mat("W", hh, dd), _mat("b", hh, 1)
    y = xs[-1] + sum((a[j] * WV.T * xs[j] for j in range(tokens)), sp.zeros(dd, 1))
    w = W1 * (sp.eye(dd) + a[-1] * WV.T)
    theta = W1 * sum((a[j] * WV.T * xs[j] for j in range(tokens - 1)), sp.zeros(dd, 1)) + b1
    if act is None:
        return W1 * y + b1, w * xs[-1] + theta
    W2, b2 = _mat("U", dd, hh), _mat("c", dd, 1)
    direct = y + W2 * (W1 * y + b1).applyfunc(act) + b2
    terms = (W2[:, i] * act((w[i, :] * xs[-1])[0] + theta[i]) for i in range(hh))
    return direct, y + sum(terms, sp.zeros(dd, 1)) + b2


def dynamic_steps() -> tuple:
    lhs, rhs = _block(2)
    direct, uat = _block(3, sp.Function("sigma"))
    return (
        ProofStep(
            "W₁y + b₁ = w(X)·x_n + θ(X) (two tokens, symbolic weights): the block is a "
            "one-hidden-layer sum with context-dependent inner weights",
            "identity",
            _squares(lhs - rhs),
            0,
            name="pre_activation",
        ),
        ProofStep(
            "the whole block at token 3 of three, any activation σ: y + W₂σ(W₁y + b₁) + b₂ = "
            "y + Σ_i (W₂)_{:,i} σ(w_i(X)·x_n + θ_i(X)) + b₂ (symbolic weights, σ undefined)",
            "identity",
            _squares(direct - uat),
            0,
            uses=("pre_activation",),
        ),
    )


def barron_steps() -> tuple:
    z = sp.Symbol("z", real=True)
    w, t = sp.symbols("omega t", real=True)
    r = sp.Symbol("r", positive=True)
    dp = sp.Symbol("d", positive=True)
    chi = sp.Integral(r**dp * sp.exp(-(r**2) / 2), (r, 0, sp.oo)) / sp.Integral(
        r ** (dp - 1) * sp.exp(-(r**2) / 2), (r, 0, sp.oo)
    )
    return (
        ProofStep(
            "C_f = E‖Z‖ for d = 1: 2∫₀^∞ z φ(z) dz = √2 Γ(1)/Γ(1/2)",
            "identity",
            # unevaluated: sympy integrates it when the step is checked (simplify's doit)
            2 * sp.Integral(z * sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi), (z, 0, sp.oo)),
            C_F.subs(_d, 1),
        ),
        ProofStep(
            "f(x) = exp(−‖x‖²/2) = ∫ e^{iω·x} f̂(ω) dω with f̂ the standard normal density in "
            "R^d: one coordinate shown, ∫ e^{iωt} e^{−ω²/2}/√(2π) dω = e^{−t²/2}; the density "
            "and f are products over the coordinates",
            "identity",
            sp.Integral(
                sp.exp(sp.I * w * t) * sp.exp(-(w**2) / 2) / sp.sqrt(2 * sp.pi), (w, -sp.oo, sp.oo)
            ),
            sp.exp(-(t**2) / 2),
            name="fourier",
        ),
        ProofStep(
            "so C_f = ∫ ‖ω‖ f̂(ω) dω = E‖Z‖ (on the unit ball sup_x |ω·x| = ‖ω‖), in polar "
            "coordinates ∫ r^d e^{−r²/2} dr / ∫ r^{d−1} e^{−r²/2} dr = √2 Γ((d+1)/2)/Γ(d/2), "
            "for every d > 0",
            "identity",
            chi,
            C_F.subs(_d, dp),
            name="chi_mean",
            uses=("fourier",),
        ),
        ProofStep.cited(
            "Barron's theorem: for f with C_f = ∫ |ω|_B |f̂(ω)| dω < ∞, every sigmoidal φ, "
            "every probability measure μ on the ball B of radius 1 and every n ≥ 1, some "
            "Σ_{k≤n} c_k φ(a_k·x + b_k) + c₀ has ∫_B (f − f_n)² dμ ≤ (2C_f)²/n; with C_f above "
            "(μ uniform on the ball), the claim",
            reference="barron1993",
            locator="Theorem 1",
            uses=("fourier", "chi_mean"),
            closes=True,
        ),
    )


def _rotation(a):
    return sp.Matrix([[sp.cos(a), -sp.sin(a)], [sp.sin(a), sp.cos(a)]])


def lora_optimal_steps() -> tuple:
    s1, s2, s3 = sp.symbols("sigma_1 sigma_2 sigma_3", positive=True)
    th, ps = sp.symbols("theta psi", real=True)
    U, V = _rotation(th), _rotation(ps)
    xs = sp.Matrix(sp.symbols("x_1 x_2 x_3", real=True))
    tail = sp.diag(0, s2, s3) * xs
    return (
        ProofStep(
            "Δ = diag(σ₁, σ₂, σ₃), rank-1 truncation: ‖Δ − Δ₁‖_F² = σ₂² + σ₃²",
            "identity",
            sum(e**2 for e in (sp.diag(s1, s2, s3) - sp.diag(s1, 0, 0))),
            s2**2 + s3**2,
            name="diagonal_tail",
        ),
        ProofStep(
            "orthogonal invariance: for Δ = UΣVᵀ with rotations U(θ), V(ψ), ‖UΣVᵀ − UΣ₁Vᵀ‖_F² "
            "= ‖Σ − Σ₁‖_F² = σ₂² (2×2, symbolic angles): the error is the diagonal case's",
            "identity",
            _squares(U * sp.diag(s1, s2) * V.T - U * sp.diag(s1, 0) * V.T),
            s2**2,
            name="invariance",
        ),
        ProofStep(
            "spectral norm of the residual diag(0, σ₂, σ₃), σ₂ ≥ σ₃ ≥ 0: σ₂²‖x‖² − ‖(Δ − Δ₁)x‖² "
            "= σ₂²x₁² + (σ₂ − σ₃)(σ₂ + σ₃)x₃² ≥ 0, with equality at x = e₂: ‖Δ − Δ₁‖₂ = σ₂",
            "identity",
            s2**2 * (xs.T * xs)[0] - (tail.T * tail)[0],
            s2**2 * xs[0] ** 2 + (s2 - s3) * (s2 + s3) * xs[2] ** 2,
            uses=("invariance",),
        ),
    )


def lora_lower_bound_steps() -> tuple:
    B, A = _mat("b", 3, 2), _mat("a", 2, 3)
    return (
        ProofStep(
            "an adapter BA (B with r columns) has rank ≤ r, its columns lying in B's column "
            "space: r = 2 shown, det(BA) = 0 for 3×2 B and 2×3 A with symbolic entries",
            "identity",
            (B * A).det(method="berkowitz"),
            0,
            name="adapter_rank",
        ),
        ProofStep.cited(
            "Eckart–Young: every matrix M of rank ≤ r has ‖Δ − M‖_F ≥ (Σ_{i>r} σ_i²)^{1/2}; "
            "applied to M = BA (rank ≤ r), the claim",
            reference="eckart1936",
            locator="Theorem",
            uses=("adapter_rank", "uat.lora_optimal"),
            closes=True,
        ),
    )


def pruning_optimal_steps() -> tuple:
    beta, t = sp.symbols("beta t", nonnegative=True)
    return (
        ProofStep(
            "A k-sparse approximation with support S has error² ≥ Σ_{∉S} W² (keeping W on S "
            "attains it). Exchange: dropping an entry of magnitude β instead of one of magnitude "
            "β + t changes that sum by (β + t)² − β² = t(2β + t) ≥ 0, so dropping the smallest "
            "magnitudes (magnitude pruning) is best",
            "nonnegative",
            t * (2 * beta + t),
        ),
    )


def _telescoping():
    h = sp.Function("h")
    ell = sp.Symbol("l", integer=True)
    L = sp.Symbol("L", integer=True, positive=True)
    return ProofStep(
        "telescoping: with h_l the network whose first l layers are pruned (h_0 = f, h_L = f'), "
        "f − f' = Σ_{l=1}^{L} (h_{l−1} − h_l), for every depth L",
        "identity",
        sp.Sum(h(ell - 1) - h(ell), (ell, 1, L)),
        h(0) - h(L),
        name="telescoping",
    )


def _linear_telescoping():
    W = [_mat(f"W{j}", 2, 2) for j in (1, 2, 3)]
    P = [_mat(f"P{j}", 2, 2) for j in (1, 2, 3)]  # the pruned W'_j
    terms = W[2] * W[1] * (W[0] - P[0]) + W[2] * (W[1] - P[1]) * P[0] + (W[2] - P[2]) * P[1] * P[0]
    return ProofStep(
        "for linear layers the sum is W₃W₂W₁ − W₃'W₂'W₁' = Σ_l W_{>l}(W_l − W_l')W'_{<l} "
        "(L = 3, symbolic 2×2 layers): the bound's terms ‖ΔW_l‖₂ Π_{j<l}‖W'_j‖₂ Π_{j>l}‖W_j‖₂",
        "identity",
        _squares(W[2] * W[1] * W[0] - P[2] * P[1] * P[0] - terms),
        0,
        name="linear_case",
        uses=("telescoping",),
    )


def pruning_perturbation_steps() -> tuple:
    v = sp.Symbol("v", real=True)
    relu = sp.Piecewise((v, v >= 0), (0, True))
    return (
        ProofStep("ReLU(0) = 0 (used to bound ‖σ(v)‖ ≤ ‖v‖)", "identity", sp.Max(0, 0), 0),
        _telescoping(),
        _linear_telescoping(),
        ProofStep(
            "ReLU is 1-Lipschitz: 0 ≤ σ' ≤ 1 where it is differentiable (1 − σ' ≥ 0 shown), so "
            "the layers after l stretch h_{l−1} − h_l by at most Π_{j>l}‖W_j‖₂",
            "nonnegative",
            1 - sp.Derivative(relu, v),
            name="lipschitz",
        ),
        ProofStep(
            "|ReLU(v)| ≤ |v| for every real v (v² − σ(v)² ≥ 0): the pruned layers before l "
            "map x to a vector of norm ≤ ‖x‖ Π_{j<l}‖W'_j‖₂",
            "nonnegative",
            v**2 - relu**2,
            name="sigma_bound",
            uses=("lipschitz",),
        ),
    )


def softplus_steps() -> tuple:
    v = sp.Symbol("v", real=True)
    softplus = sp.log(1 + sp.exp(v))
    return (
        ProofStep("softplus(0) = log 2 ≠ 0", "identity", sp.log(1 + sp.exp(0)), sp.log(2)),
        _telescoping(),
        ProofStep(
            "softplus is 1-Lipschitz too: 1 − σ'(v) = 1/(1 + e^v) ∈ (0, 1)",
            "identity",
            1 - sp.Derivative(softplus, v),
            1 / (1 + sp.exp(v)),
            name="lipschitz",
        ),
        ProofStep.interval(
            "THE STEP THAT FAILS for softplus: |σ(v)| ≤ |v|, which the bound needs for the "
            "pruned layers before l, is false near v = 0 (σ(0) = log 2 > 0); the bound's "
            "argument breaks here, as this negative control expects",
            sp.Le(softplus, sp.Abs(v)),
            box={v: (-1, 1)},
            name="sigma_bound_fails",
            uses=("lipschitz", "telescoping"),
            locator="Sec. 4 (pruning), the step ‖σ(v)‖ ≤ ‖v‖ with σ(0) = 0 dropped",
        ),
    )
