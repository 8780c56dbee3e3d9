r"""Multi-concept word semantics and in-context learning: a reconstruction of the setting of
Bu et al. (NeurIPS 2024, arXiv 2411.02199). The paper's exact data model was not available; this
is the reconstruction THEOREMS.md §3 describes, every knob a parameter (:class:`ConceptConfig`).

Data. ``C`` concepts; concept ``c`` owns a semantic direction ``f_c`` and a label direction
``q_c`` in ``R^m``, unit vectors with Gram matrix ``κ·11ᵀ + (1 − κ)·blockdiag([[1, ρ], [ρ, 1]])``:
within a concept ``⟨f_c, q_c⟩ = κ + (1 − κ)ρ > 0``, across concepts every inner product is ``κ``
(``cross``; 0 by default), embedded in ``R^m`` by a random rotation. A word is polysemous: the sum
``Σ_{c∈S} y_c f_c`` over ``polysemy`` concepts ``S`` (pairs drawn from an allowed set) with signs
``y_c = ±1``, plus Gaussian noise ``σ`` per coordinate. A prompt has a task concept ``c*`` and
``L`` demonstrations: a word that has ``c*`` among its concepts, written ``x + y_{c*} q_{c*}`` (its
label in the task concept), except that each demonstration after the first is, with probability
``distractors``, a distractor: a word of a concept the query does not carry, labelled in that
concept (with the query's other meanings among the distractors, no one-layer model could tell
which of its meanings the prompt asks for without counting). The query is a
word with ``c*`` among its concepts; the answer is ``y_{c*}``.

Model. One softmax self-attention layer (the query attends over the demonstrations with scores
``x_qᵀ W_KQ e_l`` and values ``W_V e_l``), a residual, a ReLU MLP and a linear read-out giving
one logit; online SGD on the logistic (binary cross-entropy) loss from a small random
initialisation. Measured per evaluation on a held-out set: 0-1 error, cross-entropy, the query's
attention mass on task-concept demonstrations, and the alignment of MLP neurons with the label
directions. The Bayes-optimal error is computed on the same held-out set by exact posterior
enumeration (:func:`bayes_error`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from .device import resolve_device, torch_generator
from .files import atomic_write, cache_root
from .measurement import Measurement
from .progress import report

AFTER_PHASE = 10  # dense evaluations kept after the decay phase has ended
PHASE_START = 0.2  # the decay phase starts after the last excess error at or above this
RESOLVED = 20  # ... and ends below RESOLVED / n_test, the held-out set's resolution


@dataclass(frozen=True)
class ConceptConfig:
    m: int = 24  # dimension
    C: int = 4  # concepts
    polysemy: int = 2  # concepts per word
    sigma: float = 0.05  # noise per coordinate
    L: int = 16  # demonstrations per prompt
    within: float = 0.5  # ρ
    cross: float = 0.0  # κ
    distractors: float = 0.25
    width: int = 32  # MLP neurons
    lr: float = 1.0
    batch: int = 256
    steps: int = 1500
    init: float = 0.01
    n_test: int = 32768
    eval_every: int = 25  # evaluations past the decay phase (every step within it)
    n_ood: int = 8192  # fresh prompts per out-of-distribution test
    attn_scale: float = 1.0

    def __post_init__(self):
        def bad(msg):
            raise ValueError(msg)

        for name in (
            "m",
            "C",
            "polysemy",
            "L",
            "width",
            "batch",
            "steps",
            "n_test",
            "eval_every",
            "n_ood",
        ):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                bad(f"{name} must be a positive integer, got {v!r}")
        if self.C < 2:
            bad(f"C (concepts) must be ≥ 2, got {self.C}")
        if self.m < 2 * self.C:
            bad(f"m must be ≥ 2C = {2 * self.C} (two directions per concept), got {self.m}")
        if not self.polysemy < self.C:
            bad(
                f"polysemy must be < C = {self.C} (distractors need a concept the query "
                f"lacks), got {self.polysemy}"
            )
        if not (0 <= self.cross < 1):
            bad(f"cross (the cross-concept inner product κ) must lie in [0, 1), got {self.cross}")
        if not (0 < self.within <= 1):
            bad(f"within (ρ) must lie in (0, 1], got {self.within}")
        if not (0 <= self.distractors < 1):
            bad(f"distractors must lie in [0, 1), got {self.distractors}")
        if not (self.sigma >= 0 and math.isfinite(self.sigma)):
            bad(f"sigma must be a finite real ≥ 0, got {self.sigma}")
        if not (self.lr > 0 and self.init > 0):
            bad("lr and init must be > 0")


@dataclass
class Dictionary:
    F: torch.Tensor  # (C, m) semantic directions
    Q: torch.Tensor  # (C, m) label directions
    pairs: tuple  # allowed concept sets of a word (sorted tuples)

    def gram(self) -> torch.Tensor:
        V = torch.cat([self.F, self.Q])
        return V @ V.T


def all_sets(cfg: ConceptConfig) -> list[tuple]:
    return list(itertools.combinations(range(cfg.C), cfg.polysemy))


def split_sets(cfg: ConceptConfig) -> tuple[tuple, tuple]:
    """Concept sets of words used in training — the cyclic windows ``{i, i+1, …} mod C``, so every
    concept appears — and the held-back ones (the recombination test: pairs never seen)."""
    train = sorted(
        {tuple(sorted((i + j) % cfg.C for j in range(cfg.polysemy))) for i in range(cfg.C)}
    )
    held = [t for t in all_sets(cfg) if t not in train]
    return tuple(train), tuple(held)


def dictionary(cfg: ConceptConfig, gen: torch.Generator) -> Dictionary:
    """The concept dictionary, on the generator's device (built and asserted on the CPU); its
    inner products are measured and asserted."""
    C, rho, kappa = cfg.C, cfg.within, cfg.cross
    block = torch.tensor([[1.0, rho], [rho, 1.0]], dtype=torch.float64)
    G = kappa + (1 - kappa) * torch.block_diag(*[block] * C)  # order f_0, q_0, f_1, q_1, ...
    # a PSD square root (eigendecomposition: ρ = 1 makes G singular)
    w, U = torch.linalg.eigh(G)
    V = U * w.clamp_min(0).sqrt()
    draw = torch.randn(cfg.m, 2 * C, generator=gen, dtype=torch.float64, device=gen.device)
    O, _ = torch.linalg.qr(draw.cpu())
    vecs = V @ O.T  # rows: unit vectors with Gram G
    F, Q = vecs[0::2].float(), vecs[1::2].float()
    d = Dictionary(F, Q, split_sets(cfg)[0])
    g = d.gram()
    eye = torch.eye(C, dtype=torch.bool)
    within = torch.diagonal(g[:C, C:])
    cross = torch.cat([g[:C, :C][~eye], g[C:, C:][~eye], g[:C, C:][~eye]])
    assert bool((within > 0).all()), "within-concept inner products must be positive"
    assert float((cross - kappa).abs().max()) < 1e-5, "cross-concept inner products must be κ"
    return Dictionary(F.to(gen.device), Q.to(gen.device), d.pairs)


@dataclass
class Prompts:
    demos: torch.Tensor  # (n, L, m) demonstrations (contiguous: the model reads them twice)
    query: torch.Tensor  # (n, m)
    y: torch.Tensor  # (n,) the query's label in the task concept, ±1
    task: torch.Tensor  # (n,) task concept
    demo_concept: torch.Tensor  # (n, L) the concept each demonstration is labelled in


def _words(D: Dictionary, sets: torch.Tensor, cfg, gen):
    """Words for concept sets ``sets`` (index into D.pairs-like table, shape (..., polysemy))."""
    signs = torch.randint(0, 2, (*sets.shape,), generator=gen, device=sets.device) * 2 - 1
    # in place where a temporary as large as the prompts would be made (same values)
    x = D.F[sets].mul_(signs[..., None].float()).sum(dim=-2)
    x.add_(torch.randn(*x.shape, generator=gen, device=x.device).mul_(cfg.sigma))
    return x, signs


def prompts(
    cfg: ConceptConfig,
    D: Dictionary,
    n: int,
    gen: torch.Generator,
    *,
    L: int | None = None,
    task_probs: torch.Tensor | None = None,
    sets: tuple | None = None,
) -> Prompts:
    """``n`` prompts. ``L``: another prompt length; ``task_probs``: the task concept's law
    (uniform by default); ``sets``: the allowed concept sets of words (training's by default)."""
    L = cfg.L if L is None else L
    dev = D.F.device
    table = torch.tensor(sets if sets is not None else D.pairs, device=dev)  # (P, polysemy)
    probs = torch.full((cfg.C,), 1 / cfg.C, device=dev) if task_probs is None else task_probs
    task = torch.multinomial(probs.to(dev), n, replacement=True, generator=gen)
    # each word draws a set containing its concept: rows of the table holding it, uniformly
    holds = (table[None, :, :] == torch.arange(cfg.C, device=dev)[:, None, None]).any(-1)  # (C,P)
    if not bool(holds.any(dim=1).all()):
        raise ValueError("every concept must appear in some allowed concept set")

    def draw_sets(concepts):
        w = holds[concepts].float()  # (..., P)
        idx = torch.multinomial(w.reshape(-1, w.shape[-1]), 1, generator=gen).reshape(w.shape[:-1])
        return table[idx]

    q_sets = draw_sets(task)  # (n, polysemy)
    # demonstration concepts: the task, or a distractor concept the query does not carry
    distract = torch.rand(n, L, generator=gen, device=dev) < cfg.distractors
    distract[:, 0] = False
    free = ~(q_sets[:, :, None] == torch.arange(cfg.C, device=dev)).any(dim=1)  # (n, C)
    pick = torch.multinomial(free.float(), L, replacement=True, generator=gen)  # (n, L)
    demo_concept = torch.where(distract, pick, task[:, None])
    demo_sets = draw_sets(demo_concept)  # (n, L, polysemy)
    x, signs = _words(D, demo_sets, cfg, gen)
    label = (signs * (demo_sets == demo_concept[..., None])).sum(-1)  # sign in the labelled concept
    demos = x.add_(D.Q[demo_concept].mul_(label[..., None].float()))
    xq, qsigns = _words(D, q_sets, cfg, gen)
    y = (qsigns * (q_sets == task[:, None])).sum(-1)
    return Prompts(demos.contiguous(), xq, y.float(), task, demo_concept)


class ConceptICL(torch.nn.Module):
    """One softmax self-attention layer (query over demonstrations), residual, ReLU MLP, linear
    read-out to one logit."""

    def __init__(self, cfg: ConceptConfig, gen: torch.Generator):
        super().__init__()
        m, w, s = cfg.m, cfg.width, cfg.init
        dev = gen.device

        def small(*shape):
            return torch.nn.Parameter(s * torch.randn(*shape, generator=gen, device=dev))

        self.W_KQ, self.W_V = small(m, m), small(m, m)
        self.scale = cfg.attn_scale
        self.W1, self.b1, self.w2 = small(w, m), small(w), small(w)

    def forward(self, demos: torch.Tensor, xq: torch.Tensor):
        keys = xq @ self.W_KQ  # scores x_qᵀ W_KQ e_l as one batched product
        scores = self.scale * torch.bmm(demos, keys[:, :, None]).squeeze(-1)
        att = scores.softmax(dim=-1)
        context = torch.bmm(att[:, None, :], demos).squeeze(1)  # Σ_l att_l e_l
        h = xq + context @ self.W_V.T
        logit = torch.relu(h @ self.W1.T + self.b1) @ self.w2
        return logit, att


def bayes_posterior(
    cfg: ConceptConfig,
    D: Dictionary,
    P: Prompts,
    sets: tuple,
    task_probs: torch.Tensor | None = None,
) -> torch.Tensor:
    """``P(y = +1 | prompt)`` under the generative model, by exact enumeration of the task concept
    ``c*`` and the query's concept set ``S ∋ c*`` (sets uniform among the allowed ones holding the
    concept, signs uniform): the query's likelihood given ``S``, the first demonstration labelled
    in ``c*``, each later one labelled in ``c*`` with probability ``1 − distractors`` or else in a
    concept outside ``S`` (uniformly), every demonstration's own set and signs marginalised;
    Gaussian likelihoods with variance ``σ²``."""
    sig2 = max(cfg.sigma, 1e-6) ** 2
    dev = D.F.device
    table = torch.tensor(sets, device=dev)  # (P, s)
    sign_pats = torch.tensor(list(itertools.product((-1.0, 1.0), repeat=cfg.polysemy)), device=dev)
    means = torch.einsum("ks,psm->pkm", sign_pats, D.F[table])  # (P, S, m) word means
    C, pd = cfg.C, cfg.distractors
    demos, xq = P.demos, P.query
    holding = {c: [i for i in range(len(table)) if c in table[i].tolist()] for c in range(C)}
    # ll[n, l, c] = log P(demonstration l | labelled in c), up to a shared constant
    ll = []
    for c in range(C):
        terms = []
        for i in holding[c]:
            pos = table[i].tolist().index(c)
            mu = means[i] + sign_pats[:, pos, None] * D.Q[c]  # (S, m)
            terms.append(((demos[:, :, None, :] - mu) ** 2).sum(-1) / (-2 * sig2))
        t = torch.cat(terms, dim=-1)
        ll.append(torch.logsumexp(t, dim=-1) - math.log(t.shape[-1]))
    ll = torch.stack(ll, dim=-1)  # (n, L, C)
    # query: qd[n, i, k] = log-density of x_q at set i with sign pattern k
    qd = torch.stack(
        [((xq[:, None, :] - means[i]) ** 2).sum(-1) / (-2 * sig2) for i in range(len(table))], dim=1
    )
    q_all = torch.logsumexp(qd, dim=-1)  # (n, P)
    prior = torch.full((C,), 1.0 / C) if task_probs is None else task_probs.cpu()
    weights, plus = [], []
    for i in range(len(table)):
        members = table[i].tolist()
        free = [c for c in range(C) if c not in members]
        lse_free = torch.logsumexp(ll[:, 1:, free], dim=-1) - math.log(len(free))
        for pos, c in enumerate(members):
            later = ll[:, 1:, c]
            if pd > 0:
                later = torch.logaddexp(math.log(1 - pd) + later, math.log(pd) + lse_free)
            w = (
                math.log(float(prior[c]))
                - math.log(len(holding[c]))
                + q_all[:, i]
                + ll[:, 0, c]
                + later.sum(dim=1)
            )
            pos_only = qd[:, i].masked_fill(sign_pats[:, pos] < 0, float("-inf"))
            weights.append(w)
            plus.append(torch.exp(torch.logsumexp(pos_only, dim=-1) - q_all[:, i]))
    post = torch.softmax(torch.stack(weights, dim=1), dim=1)
    return (post * torch.stack(plus, dim=1)).sum(dim=1)


def bayes_error(cfg, D, P, sets, task_probs=None) -> float:
    """The Bayes-optimal 0-1 error on these prompts: the mean of ``min(p, 1 − p)`` of the exact
    posterior (the expected error of the Bayes rule given each prompt)."""
    p = bayes_posterior(cfg, D, P, sets, task_probs).double()
    return float(torch.minimum(p, 1 - p).mean())


@torch.no_grad()
def evaluate(model: ConceptICL, P: Prompts, D: Dictionary) -> dict:
    logit, att = model(P.demos, P.query)
    y = P.y
    err = ((logit * y) <= 0).double().mean()
    ce = torch.nn.functional.softplus(-y * logit).double().mean()
    task_mass = (att * (P.demo_concept == P.task[:, None])).sum(dim=1).double().mean()
    W1 = torch.nn.functional.normalize(model.W1, dim=1)
    Qn = torch.nn.functional.normalize(D.Q, dim=1)
    align = (W1 @ Qn.T).abs().max(dim=1).values.mean().double()
    # one transfer to the host per evaluation (training evaluates every step of the decay phase)
    values = torch.stack([err, ce, task_mass, align]).tolist()
    names = ("error", "cross_entropy", "attention_task_mass", "alignment")
    return dict(zip(names, values, strict=True))


def batch_loss(model: ConceptICL, cfg: ConceptConfig, D: Dictionary, gen) -> torch.Tensor:
    """The logistic loss on a fresh batch of ``cfg.batch`` prompts (one SGD step's loss)."""
    P = prompts(cfg, D, cfg.batch, gen)
    logit, _ = model(P.demos, P.query)
    return torch.nn.functional.softplus(-P.y * logit).mean()


def _drawn(cfg: ConceptConfig, seed: int, dev) -> tuple:
    """What a run draws before training: its generator, the dictionary, the held-out prompts."""
    gen = torch_generator(seed, dev)
    D = dictionary(cfg, gen)
    return gen, D, prompts(cfg, D, cfg.n_test, gen)


def train_run(cfg: ConceptConfig, seed: int, device="cpu") -> dict:
    """Train one model; returns the evaluation history, the final model, the dictionary, the
    held-out prompts and the Bayes error. Deterministic given ``(cfg, seed, device)``."""
    dev = resolve_device(device)
    gen, D, test = _drawn(cfg, seed, dev)
    bayes = bayes_error(cfg, D, test, D.pairs)
    resolution = RESOLVED / cfg.n_test  # see decay_phase
    model = ConceptICL(cfg, gen)
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr)
    hist = {
        "step": [],
        "error": [],
        "cross_entropy": [],
        "attention_task_mass": [],
        "alignment": [],
    }
    # Every step is evaluated until the decay phase (decay_phase) has ended, then every
    # eval_every steps: the phase is found online with the rule decay_phase applies afterwards.
    phase_end = None
    for step in range(cfg.steps + 1):
        dense = phase_end is None or step <= phase_end + AFTER_PHASE
        if dense or step % cfg.eval_every == 0 or step == cfg.steps:
            ev = evaluate(model, test, D)
            hist["step"].append(step)
            for k, v in ev.items():
                hist[k].append(v)
            excess = ev["error"] - bayes
            if excess >= PHASE_START:
                phase_end = None
            elif phase_end is None and excess < resolution and len(hist["step"]) > 1:
                phase_end = step
            report(f"training the concept model (seed {seed})", step, cfg.steps)
        if step == cfg.steps:
            break
        loss = batch_loss(model, cfg, D, gen)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    model.eval()
    return {"history": hist, "model": model, "dictionary": D, "test": test, "bayes": bayes}


def _run_file(cfg: ConceptConfig, seed: int, device: str) -> Path:
    """Where a finished run of ``(cfg, seed, device)`` is kept: under the cache root, keyed by
    them and by the source of this module and of :mod:`numerics.device` (an edit trains again)."""
    here = Path(__file__)
    code = here.read_bytes() + (here.parent / "device.py").read_bytes()
    blob = json.dumps({"cfg": asdict(cfg), "seed": int(seed), "device": device}, sort_keys=True)
    key = hashlib.sha256(code + blob.encode()).hexdigest()[:16]
    return cache_root() / "concept-runs" / f"{key}.pt"


@lru_cache(maxsize=32)
def cached_run(cfg: ConceptConfig, seed: int, device: str = "cpu") -> dict:
    """:func:`train_run`, memoised within the process (the five ``icl.*`` checks share runs) and
    on disk (:func:`_run_file`: the trained weights, the history and the Bayes error; the
    dictionary and held-out prompts are drawn again from the seed, as training drew them), so
    that other processes (worker processes, ``verify selftest``, the tests) read it again."""
    path = _run_file(cfg, seed, device)
    if path.exists():
        kept = torch.load(path, map_location="cpu", weights_only=True)
        gen, D, test = _drawn(cfg, seed, resolve_device(device))
        model = ConceptICL(cfg, gen)  # on the generator's device, as training made it
        model.load_state_dict(kept["state"])
        model.eval()
        return {
            "history": kept["history"],
            "model": model,
            "dictionary": D,
            "test": test,
            "bayes": kept["bayes"],
        }
    r = train_run(cfg, seed, device)
    state = {k: v.detach().cpu() for k, v in r["model"].state_dict().items()}
    kept = {"state": state, "history": r["history"], "bayes": float(r["bayes"])}
    atomic_write(path, lambda fh: torch.save(kept, fh))
    return r


def config_from(params: dict) -> ConceptConfig:
    """A config from theorem parameters (unknown keys ignored, known ones typed)."""
    base = asdict(ConceptConfig())
    kw = {k: type(base[k])(v) for k, v in params.items() if k in base}
    return replace(ConceptConfig(), **kw)


# --------------------------------------------------------------------------------------------
# Experiments (THEOREMS.md §3): one design point per training seed
# --------------------------------------------------------------------------------------------


def _run(params, device):
    return cached_run(config_from(params), int(params["train_seed"]), str(device))


def _binomial(err: float, n: int) -> float:
    return math.sqrt(max(err * (1 - err), 1.0 / n) / n)


def decay_phase(excess: np.ndarray, n_test: int) -> tuple[int, int]:
    """The decay phase, fixed before any result was seen: from the first evaluation after the
    last one at which the excess error is ≥ ``PHASE_START`` = 0.2 (past the start and the
    plateau where the query alone is read) to the first at which it falls below the held-out
    set's resolution ``RESOLVED/n_test`` = 20/n_test (below it the binomial relative error
    exceeds 22 %), both included. :func:`train_run` finds its end online by the same rule."""
    above = np.flatnonzero(excess >= PHASE_START)
    start = int(above[-1]) + 1 if above.size else 0
    below = np.flatnonzero((excess < RESOLVED / n_test) & (np.arange(excess.size) >= start))
    end = int(below[0]) if below.size else excess.size - 1
    return start, end


def exponential_convergence(params, *, seed, device="cpu"):
    """Excess 0-1 test error (error − Bayes error) over the decay phase, against the iteration,
    on the held-out prompts evaluated during training: fixed by ``train_seed`` (the run's seed
    does not enter; the standard errors are binomial over those prompts)."""
    r = _run(params, device)
    h, n = r["history"], config_from(params).n_test
    err = np.array(h["error"])
    excess = np.clip(err - r["bayes"], 0.0, None)
    a, b = decay_phase(excess, n)
    t = np.array(h["step"], dtype=float)[a : b + 1]
    vals = excess[a : b + 1]
    if vals.size < 5 or np.any(vals <= 0):
        raise ValueError(
            f"the decay phase has {vals.size} evaluations with a positive excess error "
            "(need ≥ 5): evaluate more often or use a larger held-out set"
        )
    return Measurement(
        value=vals,
        stderr=np.array([_binomial(e, n) for e in err[a : b + 1]]),
        series={"t": t},
        raw={
            "bayes_error": r["bayes"],
            "phase": [int(t[0]), int(t[-1])],
            "history_step": h["step"],
            "history_error": h["error"],
            "history_cross_entropy": h["cross_entropy"],
        },
    )


def attention_concentration(params, *, seed, device="cpu"):
    """The query's attention mass on task-concept demonstrations after training (mean over
    ``n_ood`` fresh prompts drawn at the run's ``seed``; ``raw`` has its value at initialisation
    and over training)."""
    r = _run(params, device)
    P = prompts(
        config_from(params),
        r["dictionary"],
        config_from(params).n_ood,
        _fresh(params, seed, resolve_device(device)),
    )
    with torch.no_grad():
        _, att = r["model"](P.demos, P.query)
    mass = (att * (P.demo_concept == P.task[:, None])).sum(dim=1).double()
    h = r["history"]
    return Measurement(
        value=float(mass.mean()),
        stderr=float(mass.std() / math.sqrt(len(mass))),
        raw={
            "initial": h["attention_task_mass"][0],
            "history_step": h["step"],
            "history_mass": h["attention_task_mass"],
            "alignment": h["alignment"][-1],
        },
    )


def _fresh(params, seed, device):
    """The generator of a check's evaluation prompts: the trained model is fixed by
    ``train_seed``, the prompts it is tested on are drawn anew at each run ``seed``."""
    return torch_generator(int(params["train_seed"]) + 7919 + 100_003 * (int(seed) + 1), device)


def _ood(params, device, seed, **kw):
    """Error on ``n_ood`` fresh prompts (drawn at the run's ``seed``) with ``kw`` changed,
    against the in-distribution held-out error (input ``err_id``)."""
    cfg = config_from(params)
    r = _run(params, device)
    gen = _fresh(params, seed, resolve_device(device))
    P = prompts(cfg, r["dictionary"], cfg.n_ood, gen, **kw)
    with torch.no_grad():
        logit, _ = r["model"](P.demos, P.query)
    err = float(((logit * P.y) <= 0).double().mean())
    sets = kw.get("sets") or r["dictionary"].pairs
    return err, bayes_error(cfg, r["dictionary"], P, sets, kw.get("task_probs"))


def _id_error(r) -> float:
    return r["history"]["error"][-1]


def ood_length(params, *, seed, device="cpu"):
    """0-1 error on prompts of ``L/2`` and ``2L`` demonstrations."""
    cfg = config_from(params)
    r = _run(params, device)
    out = [_ood(params, device, seed, L=L) for L in (max(1, cfg.L // 2), 2 * cfg.L)]
    errs = np.array([e for e, _ in out])
    return Measurement(
        value=errs,
        stderr=np.array([_binomial(e, cfg.n_ood) for e in errs]),
        series={"L": np.array([max(1, cfg.L // 2), 2 * cfg.L], dtype=float)},
        inputs={"err_id": _id_error(r)},
        raw={"bayes_error": [b for _, b in out]},
    )


def ood_skew(params, *, seed, device="cpu"):
    """0-1 error when the task concept's frequencies are skewed (``∝ 2^(−c)``) at test time."""
    cfg = config_from(params)
    r = _run(params, device)
    probs = torch.tensor([2.0**-c for c in range(cfg.C)])
    err, bayes = _ood(params, device, seed, task_probs=probs / probs.sum())
    return Measurement(
        value=err,
        stderr=_binomial(err, cfg.n_ood),
        inputs={"err_id": _id_error(r)},
        raw={"bayes_error": bayes, "task_probs": (probs / probs.sum()).tolist()},
    )


def ood_recombine(params, *, seed, device="cpu"):
    """0-1 error when every word recombines concepts in sets never seen in training."""
    cfg = config_from(params)
    r = _run(params, device)
    held = split_sets(cfg)[1]
    if not held:
        raise ValueError(f"C = {cfg.C}, polysemy = {cfg.polysemy} leave no unseen concept sets")
    err, bayes = _ood(params, device, seed, sets=held)
    return Measurement(
        value=err,
        stderr=_binomial(err, cfg.n_ood),
        inputs={"err_id": _id_error(r)},
        raw={"bayes_error": bayes, "held_out_sets": [list(t) for t in held]},
    )


def ablation(*, crosses=(0.0, 0.3, 0.6, 0.9), sigmas=(0.05, 0.15, 0.3), seed=0, **overrides):
    """Fitted exponential rate over the decay phase and final error as the cross-concept inner
    product κ and the noise σ grow (one training run each; the docs plot it)."""
    rows = []
    for name, values in (("cross", crosses), ("sigma", sigmas)):
        for v in values:
            cfg = replace(ConceptConfig(), **{**overrides, name: v})
            r = train_run(cfg, seed)
            h = r["history"]
            excess = np.clip(np.array(h["error"]) - r["bayes"], 0, None)
            a, b = decay_phase(excess, cfg.n_test)
            t = np.array(h["step"], dtype=float)[a : b + 1]
            e = excess[a : b + 1]
            keep = e > 0
            rate = float(-np.polyfit(t[keep], np.log(e[keep]), 1)[0]) if keep.sum() >= 3 else None
            rows.append(
                {
                    "vary": name,
                    "value": v,
                    "rate": rate,
                    "final_error": h["error"][-1],
                    "bayes_error": r["bayes"],
                    "attention": h["attention_task_mass"][-1],
                }
            )
    return rows


def figure_data(seed: int = 0) -> dict:
    """What the docs plot for this family, from one quick-size run: the training curve with the
    decay phase, the attention mass over training, in- and out-of-distribution errors, and the
    ablation (smaller runs)."""
    cfg = ConceptConfig()
    params = {"train_seed": seed}
    r = cached_run(cfg, seed, "cpu")
    h = r["history"]
    excess = np.clip(np.array(h["error"]) - r["bayes"], 0, None)
    phase = decay_phase(excess, cfg.n_test)
    lengths = ood_length(params, seed=0).value
    ood = {
        "in distribution": h["error"][-1],
        "L/2": lengths[0],
        "2L": lengths[1],
        "skewed concepts": ood_skew(params, seed=0).value,
        "unseen pairs": ood_recombine(params, seed=0).value,
    }
    small = dict(steps=400, n_test=4096)
    return {
        "step": h["step"],
        "excess": excess.tolist(),
        "phase": phase,
        "resolution": RESOLVED / cfg.n_test,
        "attention": h["attention_task_mass"],
        "ood": {k: float(v) for k, v in ood.items()},
        "ablation": ablation(seed=seed, **small),
    }
