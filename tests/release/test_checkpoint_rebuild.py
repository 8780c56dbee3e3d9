"""The quick checkpoint rebuilt from scratch (minutes of training) gives the shipped verdict."""

import theorems
from verify import checkpoints


def test_a_rebuilt_quick_checkpoint_gives_the_shipped_verdict(tmp_path, monkeypatch):
    """Rebuild the quick checkpoint from scratch (minutes) and compare the verdict of
    markov.icl_rate_model and its fitted exponent with the shipped model's interval: not the
    bits, which differ across CPUs."""
    from numerics import lm
    from verify import check

    thm = theorems.get("markov.icl_rate_model")
    shipped = check(thm, profile="quick", device="cpu")
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))
    monkeypatch.setattr(lm, "SHIPPED", tmp_path / "no-shipped-checkpoints")
    built = checkpoints.ensure("quick", "cpu")
    assert all(c.where == "trained" for c in built)
    rebuilt = check(thm, profile="quick", device="cpu")
    assert rebuilt.verdict == shipped.verdict == "pass"
    lo, hi = shipped.worst["interval"]
    fitted = rebuilt.worst["fitted"]
    assert lo <= fitted <= hi, (fitted, (lo, hi))
