"""Points measured in other processes (--jobs) or on a Dask cluster (--scheduler) give exactly the
serial run's results."""

import json

import pytest

import theorems
from verify import check
from verify.cli import main
from verify.parallel import DaskExecutor, executor

IDS = ["markov.state_count", "markov.convergence_rate", "emergence.threshold", "uat.lora_optimal"]


def comparable(result) -> dict:
    """A result without its timings (the only thing a parallel run may change)."""
    row = result.to_json()
    row.pop("seconds")
    for p in row["evidence"]["points"]:
        p.pop("seconds")
    return row


def test_local_processes_give_the_serial_results():
    serial = [comparable(check(theorems.get(i), seed=3)) for i in IDS]
    with executor(jobs=2) as pool:
        parallel = [comparable(check(theorems.get(i), seed=3, executor=pool)) for i in IDS]
    assert parallel == serial


def raises(params, *, seed, device="cpu"):
    if int(params["n"]) == 2:
        raise ArithmeticError("diverged at n = 2")
    from numerics import Measurement

    return Measurement(value=1.0, exact=True)


def test_an_experiment_error_reads_the_same_from_a_worker():
    n = theorems.IntRange(1, 3)
    import sympy as sp

    sym = sp.Symbol("n", integer=True)
    t = theorems.Theorem(
        "mine.raises",
        "t",
        theorems.Source("test", "x", "reconstruction"),
        {sym: n},
        (),
        theorems.Claim("identity", 1),
        experiment="test_parallel:raises",
    )
    serial = check(t)
    with executor(jobs=2) as pool:
        parallel = check(t, executor=pool)
    assert serial.verdict == parallel.verdict == "error"
    assert parallel.message == serial.message and "ArithmeticError: diverged" in serial.message


def test_bad_jobs_and_both_options_are_refused(in_tmp, capsys):
    with pytest.raises(SystemExit) as e:
        main(["run", "markov.state_count", "--jobs", "0"])
    assert e.value.code == 2 and "positive integer" in capsys.readouterr().err
    with pytest.raises(ValueError, match="either"):
        with executor(jobs=2, scheduler="tcp://127.0.0.1:1"):
            pass


def test_an_unreachable_scheduler_is_a_clear_error_and_writes_nothing(in_tmp, capsys):
    code = main(["run", "markov.state_count", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert not (in_tmp / "reports").exists()


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import dask

    # A nanny sets OMP_NUM_THREADS=1 (and MKL's, OpenBLAS's) in its workers by default; on some
    # CPUs OpenBLAS then picks other kernels and rounds differently at the last bit, so the
    # workers start as this process did, as `--jobs` workers do, and each task then runs on one
    # thread (verify.parallel.one_thread), as a check here does: the numbers agree bit for bit.
    keep = {"MALLOC_TRIM_THRESHOLD_": 65536}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": keep}):
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c:
            yield c


def test_a_dask_cluster_gives_the_serial_results(cluster):
    serial = [comparable(check(theorems.get(i), seed=5)) for i in IDS]
    ex = DaskExecutor(cluster.scheduler_address)
    try:
        parallel = [comparable(check(theorems.get(i), seed=5, executor=ex)) for i in IDS]
    finally:
        ex.close()
    assert parallel == serial


def test_cli_run_on_the_cluster(cluster, in_tmp, capsys):
    assert main(["run", "markov.state_count", "--scheduler", cluster.scheduler_address]) == 0
    report = json.loads((in_tmp / "reports" / "latest.json").read_text())
    assert report["complete"] and report["results"][0]["verdict"] == "pass"


class Broken:
    """An executor whose worker dies at the second point."""

    def map(self, fn, *iterables):
        for i, args in enumerate(zip(*iterables, strict=True)):
            if i == 1:
                raise RuntimeError("worker 7 was killed")
            yield fn(*args)


def test_a_dying_worker_is_an_error_verdict_not_a_crash():
    r = check(theorems.get("markov.state_count"), executor=Broken())
    assert r.verdict == "error" and "the executor failed: worker 7 was killed" in r.message
    assert r.points == 2


LANE_IDS = [
    "markov.state_count",
    "markov.convergence_rate",
    "emergence.threshold",
    "uat.barron_rate",
]


def test_lanes_give_the_serial_results_in_catalogue_order(in_tmp, monkeypatch):
    """Whole theorems in two worker processes (the default for several families): the same
    results and report as one process, the measurements back for redecide."""
    from verify import redecide
    from verify.cli.commands import run_theorems

    serial, lanes = [], []
    assert run_theorems(LANE_IDS, seed=2, jobs=1, collect=serial) == 0
    one = json.loads((in_tmp / "reports" / "latest.json").read_text())
    assert run_theorems(LANE_IDS, seed=2, collect=lanes) == 0  # jobs: one per core
    two = json.loads((in_tmp / "reports" / "latest.json").read_text())
    assert [comparable(r) for r in lanes] == [comparable(r) for r in serial]
    assert [r["id"] for r in two["results"]] == [r["id"] for r in one["results"]] == LANE_IDS
    t = theorems.get("emergence.threshold")
    again = redecide(t, lanes[2])
    assert not again.message.startswith("measured again") and again.verdict == lanes[2].verdict


def test_lanes_group_theorems_by_experiment_module():
    from verify.parallel import group_key, lane_groups, schedule_hints

    chosen = [theorems.get(i) for i in [*LANE_IDS, "markov.icl_rate", "icl.ood_skew"]]
    groups = lane_groups(chosen, schedule_hints("quick"))
    assert sorted(i for g in groups for i in g) == list(range(len(chosen)))
    for g in groups:
        assert len({group_key(chosen[i]) for i in g}) == 1
    assert len(groups) == len({group_key(t) for t in chosen})
