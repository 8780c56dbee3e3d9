"""The multi-concept ICL reconstruction: the data model's stated properties, the Bayes error, and
the icl.* checks rejecting false variants of their claims."""

import numpy as np
import pytest
import sympy as sp
import torch

import theorems
from numerics import concepts
from numerics.concepts import ConceptConfig, dictionary, prompts, split_sets
from theorems.icl import exponential_convergence
from verify import check, redecide


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("kappa", [0.0, 0.6, 0.9])
def test_dictionary_inner_products(kappa):
    cfg = ConceptConfig(cross=kappa, within=0.5)
    D = dictionary(cfg, gen())
    g = D.gram()
    C = cfg.C
    assert torch.allclose(torch.diagonal(g), torch.ones(2 * C), atol=1e-5)
    assert torch.allclose(torch.diagonal(g[:C, C:]), torch.full((C,), kappa + (1 - kappa) * 0.5))
    off = g[:C, :C][~torch.eye(C, dtype=torch.bool)]
    assert torch.allclose(off, torch.full_like(off, kappa), atol=1e-5)


@pytest.mark.parametrize(
    "kw, msg",
    [
        (dict(m=6, C=4), "m must be ≥ 2C"),
        (dict(cross=1.0), "cross"),
        (dict(polysemy=4, C=4), "polysemy must be < C"),
        (dict(sigma=-1.0), "sigma"),
        (dict(L=0), "L must be a positive integer"),
    ],
)
def test_config_names_the_broken_assumption(kw, msg):
    with pytest.raises(ValueError, match=msg):
        ConceptConfig(**kw)


def test_prompts_follow_the_data_model():
    cfg = ConceptConfig(sigma=0.0)
    D = dictionary(cfg, gen())
    P = prompts(cfg, D, 2000, gen(1))
    n = len(P.y)
    # noise-free: the query's label is the sign of its task-concept component
    proj = P.query @ D.F.T
    assert torch.equal(proj[torch.arange(n), P.task].sign(), P.y)
    # the first demonstration is a task demonstration; distractors avoid the query's concepts
    assert torch.equal(P.demo_concept[:, 0], P.task)
    carried = proj.abs() > 0.5
    distract = P.demo_concept != P.task[:, None]
    assert not bool(carried.gather(1, P.demo_concept)[distract].any())
    assert 0.15 < distract.float().mean() < 0.3  # 25 % of the 15 later demonstrations
    # words use only the training concept sets; the held-out ones are disjoint from them
    train, held = split_sets(cfg)
    assert set(train).isdisjoint(held) and len(train) + len(held) == 6


def test_bayes_error_is_computed_and_below_the_trained_model():
    cfg = ConceptConfig(sigma=0.6, steps=300, n_test=4096)
    r = concepts.train_run(cfg, 0)
    assert 0.01 < r["bayes"] < r["history"]["error"][-1] + 0.01
    quiet = concepts.train_run(ConceptConfig(sigma=0.05, steps=5, n_test=1024), 0)
    assert quiet["bayes"] < 1e-3


def test_decay_phase_rule():
    e = np.array([0.7, 0.25, 0.25, 0.21, 0.1, 0.03, 0.01, 0.002, 0.001, 0.0005])
    assert concepts.decay_phase(e, n_test=10_000) == (4, 8)  # first below 20/n = 0.002
    assert concepts.decay_phase(e, n_test=1_000_000)[1] == 9  # never below: up to the end


ICL_IDS = ["icl.attention_concentration", "icl.ood_length", "icl.ood_skew", "icl.ood_recombine"]


@pytest.mark.parametrize("theorem_id", ICL_IDS)
def test_true_claims_pass_and_shifted_ones_fail(theorem_id):
    t = theorems.get(theorem_id)
    r = check(t, points=[{"train_seed": 0}])
    assert r.verdict == "pass", (r.message, r.worst)
    if t.claim.kind == "lower_bound":
        bad = t.with_claim(expr=sp.Rational(99, 100))  # above the measured mass
    else:
        bad = t.with_claim(expr=t.claim.expr - sp.Rational(1, 10))  # below the in-dist. error
    assert redecide(bad, r).verdict == "fail"


def test_exponential_convergence_is_a_finding_and_a_one_over_t_law_is_rejected_too(quick):
    # on the reconstruction the power law fits the decay phase significantly better than the
    # exponential (Vuong), so the paper's claim fails here, by the rule fixed in advance
    t = exponential_convergence()
    assert t.expect == "fail" and t.finding
    # one training's Vuong p-value (about 2e-4) is not enough at a run's refutation level; the
    # three of the design, combined, are
    one = check(t, points=[{"train_seed": 1}])
    assert one.verdict != "pass"
    r = quick.result(t.id)
    w = r.worst
    assert r.points == 3 and r.verdict == "fail", (r.message, w)
    assert w["chi2_alternative_law"] < w["chi2_claimed_law"]
    assert w["p_alternative_law_fits_better"] < 0.01
    assert w["fitted"] > 0 and w["interval"][0] > 0  # a decay, with a rate above 0
    one_over_t = t.with_claim(expr=t.claim.variable**-1, margin=0.1)
    assert redecide(one_over_t, one).verdict == "fail"


@pytest.mark.parametrize("distractors", [0.25, 0.0])
def test_bayes_posterior_is_calibrated(distractors):
    # the posterior is exact iff it is calibrated: among prompts given probability p of y = +1,
    # a fraction p has y = +1 (checked per bin within 4 standard errors), and the Bayes rule's
    # empirical error matches the expected error min(p, 1 − p)
    cfg = ConceptConfig(sigma=0.5, distractors=distractors, L=6)
    D = dictionary(cfg, gen(2))
    P = prompts(cfg, D, 20000, gen(3))
    p = concepts.bayes_posterior(cfg, D, P, D.pairs).double()
    y = (P.y > 0).double()
    edges = torch.tensor([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0], dtype=torch.float64)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (p >= lo) & (p < hi) if hi < 1 else (p >= lo)
        k = int(sel.sum())
        if k < 200:
            continue
        se = float(torch.sqrt(p[sel].mean() * (1 - p[sel].mean()) / k)) + 1e-3
        assert abs(float(y[sel].mean() - p[sel].mean())) < 4 * se, (float(lo), k)
    rule_err = float(((p > 0.5).double() != y).double().mean())
    expected = float(torch.minimum(p, 1 - p).mean())
    assert 0.02 < expected and abs(rule_err - expected) < 4 * (expected / 20000) ** 0.5 + 2e-3
