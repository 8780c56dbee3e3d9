"""The concept model's default training (tens of seconds): evaluation is dense over the decay
phase that the exponential-convergence claim reads."""

import numpy as np

from numerics import concepts


def test_online_dense_evaluation_covers_the_decay_phase():
    # training evaluates every step until the decay phase has ended: the phase decay_phase finds
    # afterwards is evaluated at consecutive steps, and the dense stretch stops soon after it
    r = concepts.cached_run(concepts.ConceptConfig(), 0)
    h = r["history"]
    excess = np.clip(np.array(h["error"]) - r["bayes"], 0, None)
    a, b = concepts.decay_phase(excess, concepts.ConceptConfig().n_test)
    steps = np.array(h["step"])
    assert b - a >= 5 and np.all(np.diff(steps[: b + 1]) == 1)
    assert np.diff(steps)[b + concepts.AFTER_PHASE + 1 :].min() > 1
