"""A regression guard: the whole quick run at seed 0 gives the evidence recorded in
``tests/golden/quick-seed0.json`` (see ``tests/golden.py``; regenerate it only with a change that
alters evidence on purpose, and say why in the commit)."""

import json

import golden


def test_the_quick_run_at_seed_0_matches_the_golden_file(tmp_path):
    expected = json.loads(golden.GOLDEN.read_text())
    fresh = golden.summary(golden.quick_run(tmp_path))
    assert sorted(fresh) == sorted(expected), "the catalogue changed: regenerate the golden file"
    changed = {
        k: {"now": fresh[k], "golden": expected[k]} for k in expected if fresh[k] != expected[k]
    }
    assert not changed, json.dumps(changed, indent=1)
