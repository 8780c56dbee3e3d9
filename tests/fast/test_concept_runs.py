"""The concept model's runs kept on disk (numerics.concepts.cached_run): read back, a run is
the one training gives, and an edit of the module's source trains again."""

import torch

from numerics import concepts
from numerics.concepts import ConceptConfig

SMALL = ConceptConfig(steps=30, n_test=512, batch=32, eval_every=5, n_ood=64)


def test_a_run_read_back_from_disk_is_the_trained_run(tmp_path, monkeypatch):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))
    concepts.cached_run.cache_clear()
    trained = concepts.cached_run(SMALL, 4)
    assert list((tmp_path / "concept-runs").glob("*.pt"))
    concepts.cached_run.cache_clear()  # a new process: only the disk holds it
    again = concepts.cached_run(SMALL, 4)
    assert again is not trained and again["history"] == trained["history"]
    assert again["bayes"] == trained["bayes"]
    for name, value in trained["model"].state_dict().items():
        assert torch.equal(again["model"].state_dict()[name], value)
    assert torch.equal(again["test"].demos, trained["test"].demos)
    assert torch.equal(again["dictionary"].F, trained["dictionary"].F)
    concepts.cached_run.cache_clear()


def test_the_key_follows_the_config_the_seed_and_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))
    key = concepts._run_file(SMALL, 4, "cpu")
    assert concepts._run_file(SMALL, 5, "cpu") != key
    assert concepts._run_file(SMALL.__class__(steps=31, n_test=512), 4, "cpu") != key
    source = concepts.Path(concepts.__file__)
    original = concepts.Path.read_bytes

    def edited(self):
        return original(self) + (b"# an edit\n" if self == source else b"")

    monkeypatch.setattr(concepts.Path, "read_bytes", edited)
    assert concepts._run_file(SMALL, 4, "cpu") != key
