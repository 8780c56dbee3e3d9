"""markov.kl_pretraining_bound (Thm E.5) and markov.depth_bound (Cor. E.3, Lemma F.15): the
experiments against independent computations, the checks passing the true claims and rejecting
false ones, and bad input refused."""

import math

import numpy as np
import pytest
import sympy as sp
import torch

import theorems
from numerics import markov_pretraining as mp
from theorems.markov_pretraining import DEPTH_FIXED, depth_logit_lemma
from verify import check
from verify.design import design_points, sympy_value
from verify.proofs import proof_status

KL, DEPTH = "markov.kl_pretraining_bound", "markov.depth_bound"
KL_POINT = dict(T=4, K=2, N=100, B_U=4.0, tau=1.0, c0=0.02, contexts="iid", datasets=300)
DEPTH_POINT = dict(DEPTH_FIXED, T=4, K=2, L=2, H=2, N=100, contexts="iid", datasets=300)


def claimed(theorem_id, params, gamma):
    """The theorem's claimed bound at ``params`` with ``Gamma = gamma``, from its sympy claim."""
    t = theorems.get(theorem_id)
    subs = {s: sympy_value(params[s.name]) for s in t.claim.expr.free_symbols if s.name != "Gamma"}
    return float(t.claim.expr.subs(subs).subs(sp.Symbol("Gamma", real=True), gamma))


# -- (a) the experiments against independent computations ---------------------------------------


def test_kl_deviations_are_centred_and_the_bound_is_the_claims():
    m = mp.kl_pretraining_deviations(KL_POINT, seed=3)
    dev = np.asarray(m.samples)
    assert dev.shape == (300,) and m.inputs == {"Gamma": 1.0}
    assert abs(dev.mean()) < 4 * dev.std(ddof=1) / math.sqrt(dev.size)  # E R̂ = R
    assert m.raw["bound"] == pytest.approx(claimed(KL, KL_POINT, 1.0), rel=1e-12)
    # Lemma E.4's hypothesis holds at every context and token, and KL ≤ B
    assert m.raw["max_abs_log_ratio"] <= m.raw["lemma_E4_B"]
    assert 0 <= m.raw["max_kl"] <= m.raw["lemma_E4_B"]
    assert m.raw["deviation_q95"] < m.raw["bound"] / 10  # very loose
    again = mp.kl_pretraining_deviations(KL_POINT, seed=3)
    assert np.array_equal(again.samples, m.samples)  # deterministic given the seed


def test_chain_contexts_report_gamma_as_root_t_min():
    from numerics.chains import t_min
    from numerics.markov_data import order_k_truth, window_chain

    p = dict(KL_POINT, T=2, K=1, contexts="chain", datasets=200)
    m = mp.kl_pretraining_deviations(p, seed=1)
    truth = order_k_truth(2, 1, 0.02, mp.numpy_rng(1, 81))
    assert m.inputs["Gamma"] == pytest.approx(math.sqrt(t_min(window_chain(truth, 2, 1))))
    assert m.inputs["Gamma"] >= 2  # t_min ≥ 4


def test_depth_constants_match_the_sympy_claim():
    cfg = mp.DepthConfig.from_params(DEPTH_POINT)
    r, m, H, L = 4, 8, 2, 2
    x = 0.1 * 0.1
    c3 = ((1 + r * m * x) * (1 + r**3 / H * x)) ** L * 1.0
    assert cfg.logit_bound() == pytest.approx(c3 * 2.0)
    assert cfg.b_theta() ** L == pytest.approx(c3 * 2.0)  # B_Θ^L = c₃B_U
    got = mp.depth_deviations(DEPTH_POINT, seed=0)
    assert got.raw["bound"] == pytest.approx(claimed(DEPTH, DEPTH_POINT, 1.0), rel=1e-12)
    assert got.raw["deviation_q95"] < got.raw["bound"] / 10
    assert got.raw["logit_ratio"] <= 1


def reference_logits(model, x):
    """The DepthLM's logits for one context ``x`` computed anew in numpy, position by position
    and head by head (App. B's block without LayerNorm, causal attention over positions)."""
    g = lambda t: t.detach().numpy()  # noqa: E731
    cfg = model.cfg
    S = np.stack([g(model.E)[t] + g(model.P)[k] for k, t in enumerate(x)])  # (n, r) rows
    d = cfg.r // cfg.H
    for ell in range(cfg.L):
        heads = []
        for h in range(cfg.H):
            q, k, v = (S @ g(w)[ell, h].T for w in (model.Wq, model.Wk, model.Wv))
            out = np.zeros((len(x), d))
            for i in range(len(x)):
                s = np.array([q[i] @ k[j] / math.sqrt(cfg.r) for j in range(i + 1)])
                a = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
                out[i] = a @ v[: i + 1]
            heads.append(out)
        Z = S + np.concatenate(heads, axis=1) @ g(model.Wo)[ell].T
        S = Z + np.maximum(Z @ g(model.W1)[ell].T, 0) @ g(model.W2)[ell].T
    return S.mean(axis=0) @ g(model.WU).T / cfg.tau


def test_depth_model_matches_a_numpy_transformer_and_stays_in_the_class():
    cfg = mp.DepthConfig.from_params(dict(DEPTH_POINT, T=3, K=3, L=2, H=2))
    model = mp.depth_model(cfg, seed=5)
    with torch.no_grad():
        for x in ([0], [2, 1], [1, 0, 2]):
            got = model(torch.as_tensor([x]))[0].numpy()
            assert np.allclose(got, reference_logits(model, x), rtol=1e-12, atol=1e-13)
    truth = np.full((27, 3), 1 / 3)
    trained = mp.train_depth_model(cfg, truth, np.full(27, 1 / 27), seed=2, steps=20)
    norms = mp.check_class(trained)
    for name, value in norms.items():
        assert value <= getattr(cfg, name) * (1 + mp.CLASS_SLACK)


def test_all_positive_model_has_the_closed_form_logit_ratio():
    # every ℓ1 step of Lemma F.15 but the read-out is an equality: the ratio is
    # [(1 + r²B_OB_V)/(1 + r³/H B_OB_V)]^L / √r; with H = r the attention's factor is tight
    for H in (1, 2, 4):
        cfg = mp.DepthConfig.from_params(dict(DEPTH_POINT, H=H, L=2))
        model = mp._extreme_model(cfg, seed=0, kind="positive")
        ratio = mp.logit_norms(model, cfg.T, cfg.K).max() / cfg.logit_bound()
        x = 0.1 * 0.1
        expect = ((1 + 16 * x) / (1 + 64 / H * x)) ** 2 / 2
        assert ratio == pytest.approx(expect, rel=1e-12)


def test_logit_ratio_measurement_is_at_most_one():
    m = mp.depth_logit_ratio(DEPTH_POINT, seed=0)
    assert 0 < m.value <= 1 and m.value == max(m.raw["ratios"].values())
    assert 0 < m.error_bound < 1e-10
    assert set(m.raw["ratios"]) >= {"trained", "positive_0"}


# -- (b) the checks pass the true claims and reject false ones ---------------------------------


@pytest.mark.parametrize("theorem_id", [KL, DEPTH])
def test_true_claim_passes_and_a_bound_below_the_observed_quantile_fails(theorem_id):
    t = theorems.get(theorem_id)
    pts = design_points(t, "quick")[::4]  # three of the quick design's points (fast)
    r = check(t, device="cpu", points=pts, seed=0)
    assert r.verdict == "pass" and r.as_expected, (r.verdict, r.message)
    # the bound divided by a factor that puts it below the observed 95 % quantile at the
    # tightest point (the same measurement: the same point and seed)
    tight = max(r.evidence["points"], key=lambda p: p["tightness"])
    factor = sp.nsimplify(tight["tightness"] / 4, rational=True)
    assert factor < sp.Rational(1, 50)  # the bound is very loose
    bad = t.with_claim(expr=t.claim.expr * factor)
    bad = check(bad, device="cpu", points=[tight["params"]], seed=tight["seed"])
    assert bad.verdict == "fail"
    cex = bad.counterexample
    assert cex["measured_quantile"] > cex["claimed"] and cex["violations"] > 0.05 * 300


def test_proof_steps_the_paper_finding_and_the_numeric_lemma():
    t = theorems.get(DEPTH)
    rows = {row["name"]: row["status"] for row in proof_status(t)}
    # Eq. (28)'s constant can fail for attention over positions (proved), the lemma holds anyway
    keys = ("eq28_positions", "r_cubed", "columnwise", "constant", "transfer")
    assert {rows[k] for k in keys} == {"proved"}
    lemma = depth_logit_lemma()
    assert lemma.id not in {x.id for x in theorems.all()}  # a proof step's lemma only
    small = [{"T": 2, "K": 2, "L": 2, "H": 2}]
    ran = proof_status(t, numeric=lambda lm: check(lm, device="cpu", points=small).verdict)
    assert {row["name"]: row["status"] for row in ran}["logit_bound"] == "checked"
    # a lemma claiming a bound the all-positive model exceeds is refuted, and the step fails
    false_lemma = lemma.with_claim(expr=sp.Rational(1, 5))
    assert check(false_lemma, device="cpu", points=small).verdict == "fail"
    ran = proof_status(
        t.replace(proof=(t.proof[0].with_(lemma=false_lemma),)),
        numeric=lambda lm: check(lm, device="cpu", points=small).verdict,
    )
    assert ran[0]["status"] == "failed"


def test_kl_proof_steps_are_proved_or_cited():
    rows = proof_status(theorems.get(KL))
    assert {r["status"] for r in rows} == {"proved", "cited"}
    assert {r["name"] for r in rows} >= {"lemma_E4", "deviation", "paulin_markov"}


# -- (c) bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, match",
    [
        (dict(H=3), "must divide the width"),
        (dict(B_V=-0.1), "B_V must be a finite real > 0"),
        (dict(L=0), "L must be an integer ≥ 1"),
        (dict(contexts="windows"), "contexts must be 'iid' or 'chain'"),
        (dict(c0=0.5), "c0 must lie in"),
    ],
)
def test_bad_depth_settings_are_refused(change, match):
    with pytest.raises(ValueError, match=match):
        mp.depth_deviations(dict(DEPTH_POINT, **change), seed=0)


def test_a_model_outside_the_class_is_refused():
    cfg = mp.DepthConfig.from_params(DEPTH_POINT)
    model = mp.depth_model(cfg, seed=0)
    with torch.no_grad():
        model.Wo[0, 0, 0] = 2 * cfg.B_O
    with pytest.raises(ValueError, match="left W̃: B_O"):
        mp.check_class(model)
    with pytest.raises(ValueError, match="contexts must be"):
        mp.kl_pretraining_deviations(dict(KL_POINT, contexts="windows"), seed=0)
