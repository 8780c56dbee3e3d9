"""One progress channel (numerics.progress): a check, a calibration and a fuzz report their
work there, every task reported ends, also when the work ends early, and the CLI shows it."""

import pytest
import synthetic

from numerics.progress import reporting, task
from verify import check
from verify.calibrate import calibrate
from verify.fuzz import fuzz

PAIRS = synthetic.true_and_false()


class Log:
    def __init__(self):
        self.updates = []

    def __call__(self, label, done, total):
        self.updates.append((label, done, total))

    def labels(self):
        return {u[0] for u in self.updates}

    def ended(self, label):
        last = [u for u in self.updates if u[0] == label][-1]
        return last[2] is not None and last[1] >= last[2]


def test_a_check_reports_its_points_and_ends():
    t = PAIRS["identity Monte Carlo"][0]
    log = Log()
    with reporting(log):
        r = check(t, device="cpu")
    mine = [u for u in log.updates if u[0] == t.id]
    assert mine[0] == (t.id, 0, r.points)
    assert [u[1] for u in mine[1:-1]] == list(range(1, r.points + 1))
    assert log.ended(t.id)


def test_a_check_that_errors_still_ends_its_task():
    t = synthetic.theorem("syn.raise", "identity", 1, "raises")
    log = Log()
    with reporting(log):
        assert check(t, device="cpu").verdict == "error"
    assert log.ended("syn.raise")


def test_a_task_ends_on_an_exception_and_nothing_is_reported_without_a_handler():
    log = Log()
    with reporting(log), pytest.raises(RuntimeError), task("work", 5) as update:
        update(2)
        raise RuntimeError
    assert log.updates == [("work", 0, 5), ("work", 2, 5), ("work", 5, 5)]
    with task("unheard", 3) as update:  # no handler: nothing to call, nothing raised
        update(1)


def test_calibration_and_fuzz_report_through_the_same_channel(tmp_path):
    true, false = PAIRS["identity Monte Carlo"]
    log = Log()
    with reporting(log):
        calibrate([true], 2, device="cpu")
        fuzz(false, examples=3, database=tmp_path, device="cpu")
    assert {"theorems", f"{true.id} seeds", true.id, f"fuzzing {false.id}"} <= log.labels()
    assert all(log.ended(label) for label in log.labels())


def test_the_cli_shows_the_tasks_as_bars(monkeypatch):
    from verify.cli import render

    shown = []
    monkeypatch.setattr(render.Progress, "add_task", lambda self, d, **k: shown.append(d) or 0)
    monkeypatch.setattr(render.Progress, "update", lambda self, *a, **k: None)
    monkeypatch.setattr(render.Progress, "remove_task", lambda self, *a: None)
    with render.bars(), task("outer", 2) as update, task("inner", 1):
        update(1)
    assert shown == ["outer", "  inner"]
