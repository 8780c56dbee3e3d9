"""The proof-step statuses shipped with the package (verify/data/proof-statuses.json.gz, made by
``verify proofs --ship``) are the ones the steps get when decided from scratch, and cover every
sympy and interval step of the catalogue, so that a fresh clone's first run decides none again."""

import re

import theorems
from verify import proofs
from verify.parallel import decide_proofs


def _timeless(row: dict) -> dict:
    """A status without its timings (the certifier reports how long it took)."""
    row = dict(row)
    row["note"] = re.sub(r", [0-9.]+ s\)", ")", row.get("note", ""))
    row["certificates"] = [
        {k: v for k, v in c.items() if k != "seconds"} for c in row.get("certificates", [])
    ]
    return row


def test_every_shipped_status_is_decided_again_from_scratch_and_agrees():
    have = proofs.shipped()
    fresh = decide_proofs(theorems.all())  # in worker processes, one per core
    missing = sorted(set(fresh) - set(have))
    assert not missing, f"{len(missing)} steps without a shipped status: `verify proofs --ship`"
    extra = sorted(set(have) - set(fresh))
    assert not extra, f"{len(extra)} shipped statuses of steps no longer in the catalogue"
    differ = [k for k in fresh if _timeless(fresh[k]) != _timeless(have[k])]
    assert not differ, [(k, fresh[k]["status"], have[k]["status"]) for k in differ[:5]]


def test_a_shipped_status_is_read_under_its_steps_hash_only(monkeypatch, tmp_path):
    monkeypatch.setenv("THEOREMLAB_CACHE", str(tmp_path))  # no status cached on disk
    monkeypatch.setattr(proofs, "_memory", {})
    t = theorems.get("markov.state_count")
    i, step = next(
        (i, s) for i, s in enumerate(t.proof) if s.method == "sympy" and s.kind == "identity"
    )
    key = proofs.step_hash(step, t)
    monkeypatch.setattr(proofs, "shipped", lambda: {key: {"status": "open", "note": "the file"}})
    assert proofs.proof_status(t)[i]["note"] == "the file"  # read, not decided
    changed = step.with_(rhs=step.rhs + 1, uses=())
    assert proofs.step_hash(changed, t) != key
    (row,) = proofs.proof_status(t.replace(proof=(changed,)))
    assert row["status"] == "failed"  # another step: decided, the file's status not used
