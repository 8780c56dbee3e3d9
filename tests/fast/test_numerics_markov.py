"""The Markov-chain numerics against independent references."""

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from numerics.markov import (
    LanguageModelChain,
    all_sequences,
    closed_classes,
    count_states_bfs,
    log_epsilon,
    log_epsilon_bruteforce,
    log_min_kstep,
    logits_from_model,
    next_token_logprobs,
    random_logits,
    support_pattern_breaks,
    tiny_transformer,
)
from numerics.markov_stationary import gth, spread_series, stationary

small = st.tuples(st.integers(2, 4), st.integers(1, 3)).filter(lambda tk: tk[0] ** tk[1] <= 27)
taus = st.floats(0.2, 5.0)
scales = st.floats(0.0, 6.0)


def chain_for(T, K, tau, B, seed=0, top_k=None):
    return LanguageModelChain.from_logits(random_logits(T, K, scale=B, seed=seed), tau, top_k)


def reference_matrix(chain):
    """Q_f built from tuples and the generation rule, independently of the index arithmetic."""
    seqs = list(all_sequences(chain.T, chain.K))
    index = {s: i for i, s in enumerate(seqs)}
    Q = np.zeros((len(seqs), len(seqs)))
    for s in seqs:
        L = len(s)
        r = sum(a * chain.T ** (L - 1 - j) for j, a in enumerate(s))
        for t in range(chain.T):
            Q[index[s], index[(s + (t,))[-chain.K :]]] += math.exp(chain.logprobs[L - 1][r, t])
    return Q


@given(small, taus, scales, st.integers(0, 10**6))
def test_rows_sum_to_one_and_operator_matches_matrix(tk, tau, B, seed):
    T, K = tk
    chain = chain_for(T, K, tau, B, seed)
    Q = reference_matrix(chain)
    np.testing.assert_allclose(Q.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(chain.sparse().toarray(), Q, atol=1e-15)
    x = np.random.default_rng(seed).dirichlet(np.ones(chain.n_states), size=3)
    got = chain.step(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(got, x @ Q, atol=1e-14)


@given(small, taus, scales, st.integers(0, 10**6))
def test_pi_sums_to_one_and_is_stationary(tk, tau, B, seed):
    chain = chain_for(*tk, tau, B, seed)
    st_ = stationary(chain)
    Q = reference_matrix(chain)
    assert abs(st_.pi.sum() - 1) < 1e-12
    assert st_.pi[: chain.recurrent_slice.start].max(initial=0) == 0
    np.testing.assert_allclose(st_.pi @ Q, st_.pi, atol=1e-13)


def test_gth_matches_an_exact_rational_solve():
    from fractions import Fraction

    P = [
        [Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)],
        [Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)],
        [Fraction(2, 5), Fraction(1, 5), Fraction(2, 5)],
    ]
    # π (P − I) = 0, Σπ = 1 by hand (Cramer on the exact rationals)
    import sympy as sp

    M = sp.Matrix(P).T - sp.eye(3)
    M = M.row_insert(3, sp.Matrix([[1, 1, 1]]))
    exact = M.solve_least_squares(sp.Matrix([0, 0, 0, 1]))
    got = gth(np.array(P, dtype=float))
    np.testing.assert_allclose(got, [float(v) for v in exact], rtol=1e-14)


def test_gth_rejects_a_reducible_chain():
    with pytest.raises(ValueError, match="reducible"):
        gth(np.array([[1.0, 0.0], [0.0, 1.0]]))


@pytest.mark.parametrize("T,K", [(2, 9), (4, 5), (3, 6)])  # 512 to 1024 states: GTH is cubic
def test_power_iteration_bound_covers_the_true_error(T, K):
    chain = chain_for(T, K, 1.0, 1.5, seed=3)
    big = stationary(chain, gth_max=1, tol=1e-10)
    ref = stationary(chain, gth_max=10**6)
    assert big.method == "power" and ref.method == "gth"
    err = np.abs(big.pi - ref.pi).sum()
    assert big.l1_error < 1e-10
    assert err <= big.l1_error + 1e-12


@given(small, taus, scales, st.integers(0, 10**6))
def test_epsilon_dynamic_program_equals_brute_force(tk, tau, B, seed):
    chain = chain_for(*tk, tau, B, seed)
    assert log_epsilon(chain) == pytest.approx(log_epsilon_bruteforce(chain), abs=1e-12)
    P = chain.recurrent_dense()
    colmin = np.linalg.matrix_power(P, chain.K).min(axis=0)
    np.testing.assert_allclose(np.exp(log_min_kstep(chain)), colmin, rtol=1e-12)


@given(st.integers(2, 6), st.integers(1, 5))
def test_counts_equal_the_formulas(T, K):
    if T**K > 4096:
        return
    assert count_states_bfs(T, K) == T * (T**K - 1) // (T - 1)
    chain = chain_for(T, K, 1.0, 1.0)
    assert chain.n_states == T * (T**K - 1) // (T - 1)
    assert chain.sparse().nnz == T**2 * (T**K - 1) // (T - 1)


def test_greedy_chain_can_have_several_closed_classes():
    # T = 2, K = 1: token 0 always repeats 0, token 1 always repeats 1: two absorbing states.
    with np.errstate(divide="ignore"):
        chain = LanguageModelChain([np.log(np.array([[1.0, 0.0], [0.0, 1.0]]))])
    assert closed_classes(chain) == 2
    assert closed_classes(chain_for(2, 3, 1.0, 2.0)) == 1
    # a 2-cycle: periodic, never converges
    periodic = LanguageModelChain([np.log(np.array([[1e-300, 1.0], [1.0, 1e-300]]))])
    assert spread_series(periodic, 10)[-1] > 0.49


@given(small, taus, scales, st.integers(0, 10**6))
def test_block_pattern_holds_for_positive_temperature(tk, tau, B, seed):
    chain = chain_for(*tk, tau, B, seed)
    K = chain.K
    rows = np.arange(chain.n_states)
    assert support_pattern_breaks(chain, rows, [K, K + 1, 2 * K]) == {
        k: 0 for k in sorted({K, K + 1, 2 * K})
    }


def test_block_pattern_check_sees_a_broken_pattern():
    # top-k decoding removes transitions: some recurrent columns become unreachable
    chain = chain_for(3, 2, 1.0, 3.0, top_k=1)
    breaks = support_pattern_breaks(chain, np.arange(chain.n_states), [2, 3])
    assert breaks[2] > 0 and breaks[3] > 0


def test_log_step_agrees_with_linear_step():
    from numerics.markov import _log_step

    chain = chain_for(3, 3, 0.7, 2.0, seed=9)
    x = torch.as_tensor(np.random.default_rng(0).dirichlet(np.ones(chain.n_states), size=2))
    lin = chain.step(chain.step(x))
    lg = _log_step(chain, _log_step(chain, x.log()))
    np.testing.assert_allclose(lg.exp().numpy(), lin.numpy(), rtol=1e-12, atol=1e-300)


def test_tiny_transformer_table_is_deterministic_and_shaped():
    a = logits_from_model(tiny_transformer(3, 2, seed=1), 3, 2)
    b = logits_from_model(tiny_transformer(3, 2, seed=1), 3, 2)
    c = logits_from_model(tiny_transformer(3, 2, seed=2), 3, 2)
    assert [z.shape for z in a.logits] == [(3, 3), (9, 3)]
    for za, zb, zc in zip(a.logits, b.logits, c.logits, strict=True):
        np.testing.assert_array_equal(za, zb)
        assert not np.allclose(za, zc)


def test_tiny_transformer_reads_the_last_position_of_a_full_forward():
    """The forward computes attention for the last query only; a full forward over every
    position (every query attending to every key), read at the last one, agrees to rounding."""
    model = tiny_transformer(3, 4, seed=5)
    tokens = torch.as_tensor(np.random.default_rng(1).integers(0, 3, (50, 4)))
    with torch.no_grad():
        h = model.tok(tokens) + model.pos(torch.arange(4))
        a, _ = model.attn(h, h, h, need_weights=False)
        h = h + a
        full = model.head((h + model.mlp(h))[:, -1])
        got = model(tokens)
    np.testing.assert_allclose(got.numpy(), full.numpy(), rtol=1e-13, atol=1e-13)
    assert not torch.allclose(model(tokens[:, 1:]), full)  # the context reaches the output


def test_l1_scaled_logits_have_the_stated_norm():
    table = random_logits(5, 2, scale=3.5, seed=4)
    for z in table.logits:
        np.testing.assert_allclose(np.abs(z).sum(axis=1), 3.5)
    assert table.max_l1() == pytest.approx(3.5)


def test_top_k_keeps_k_tokens():
    lp = next_token_logprobs(random_logits(5, 1, scale=2.0, seed=0), 1.0, top_k=2)[0]
    assert (np.isfinite(lp).sum(axis=1) == 2).all()
    np.testing.assert_allclose(np.exp(lp).sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: random_logits(1, 2, scale=1.0, seed=0), "T must be an integer ≥ 2, got 1"),
        (lambda: random_logits(2, 0, scale=1.0, seed=0), "K must be an integer ≥ 1, got 0"),
        (lambda: next_token_logprobs(random_logits(2, 1, scale=1.0, seed=0), 0.0), "tau must be"),
        (lambda: next_token_logprobs(random_logits(2, 1, scale=1.0, seed=0), -1.0), "> 0"),
        (lambda: random_logits(2, 1, scale=-1.0, seed=0), "B must be"),
        (lambda: count_states_bfs(2.5, 2), "T must be an integer"),
    ],
)
def test_bad_input_names_the_assumption(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_seeded_logits_reproduce():
    a = random_logits(3, 2, scale=1.0, seed=11).logits
    b = random_logits(3, 2, scale=1.0, seed=11).logits
    for x, y in itertools.zip_longest(a, b):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("T, K", [(2, 5), (3, 4), (2, 18), (5, 8)])
def test_fused_step_matches_the_einsum_bit_for_bit(T, K):
    # the compiled kernels (T = 2 and general; serial below 2^17 states, parallel above) sum in
    # the einsum's order; a batch of two distributions
    from verify.perf.fixtures import random_chain

    chain = random_chain(T, K, seed=T * K)
    x = torch.rand(2, T**K, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    x3 = x.reshape(2, T, T ** (K - 1))
    p3 = chain._p[K - 1].reshape(T, T ** (K - 1), T)
    ref = torch.einsum("nab,abt->nbt", x3, p3).reshape(2, T**K)
    assert torch.allclose(chain.recurrent_step(x), ref, rtol=1e-15, atol=0)
    buf = torch.empty_like(x)
    assert chain.recurrent_step(x, out=buf) is buf and torch.equal(buf, chain.recurrent_step(x))
    with pytest.raises(ValueError, match="separate buffer"):
        chain.recurrent_step(x, out=x)


@pytest.mark.parametrize("T, K", [(2, 5), (3, 4), (2, 18)])
def test_compiled_min_plus_step_matches_torch(T, K):
    from verify.perf.fixtures import random_chain

    chain = random_chain(T, K, seed=7)
    lp = chain._lp[K - 1].clone()
    lp[0, 1] = -math.inf  # a token the decoder never emits
    chain._lp[K - 1] = lp
    chain.logprobs[K - 1] = lp.numpy()
    g = torch.randn(T**K, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    h = g.reshape(T, T ** (K - 1), 1) + lp.reshape(T, T ** (K - 1), T)
    ref = h.min(dim=0).values.reshape(T**K)
    assert torch.equal(chain.min_recurrent_step(g), ref)
