"""A regression guard: the whole quick run at seed 0 (the session's, ``quick``) gives the
evidence recorded in ``tests/golden/quick-seed0.json`` (see ``tests/golden.py``; regenerate it
only with a change that alters evidence on purpose, and say why in the commit)."""

import json

import golden


def test_the_quick_run_at_seed_0_matches_the_golden_file(quick):
    expected = json.loads(golden.GOLDEN.read_text())
    fresh = golden.summary(quick.report)
    assert sorted(fresh) == sorted(expected), "the catalogue changed: regenerate the golden file"
    changed = {
        k: {"now": fresh[k], "golden": expected[k]} for k in expected if fresh[k] != expected[k]
    }
    assert not changed, json.dumps(changed, indent=1)
    assert quick.code == 0  # every verdict as expected (inconclusive allowed, as without --strict)


def test_the_run_wrote_its_own_report_and_merged_the_latest(quick):
    runs = list((quick.folder / "reports" / "runs").glob("*-quick-seed0-*.json"))
    assert len(runs) == 1
    own = json.loads(runs[0].read_text())
    assert own["complete"] and [r["id"] for r in own["results"]] == [
        r["id"] for r in quick.report["results"]
    ]
    assert quick.report["complete"] and quick.report["profile"] == "quick"
