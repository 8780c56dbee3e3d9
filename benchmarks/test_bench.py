"""The benchmarks of `verify bench` under pytest-benchmark (`make bench`; not part of `make
test`): each case times our implementation with the benchmark fixture and, in the same run, the
reference (verify.perf.cases.run_case), then asserts the target and that both computed the same."""

import pytest

from verify.perf import cases

pytestmark = pytest.mark.bench

CASES = {
    "markov-operator 2^16": lambda: cases.operator_case(16, largest=False),
    "markov-operator 2^22": lambda: cases.operator_case(22, largest=True),
    "stationary 2^20": cases.stationary_case,
    "stationary vs GTH 2^11": cases.stationary_gth_case,
    "epsilon 2^11": cases.epsilon_case,
    "peeling 1e6": cases.peeling_case,
    "Newman-Ziff vs csgraph 1e6": cases.newman_ziff_case,
    "Newman-Ziff vs networkx 1e5": lambda: cases.newman_ziff_case(10**5, library="networkx"),
    "certify, per relation": cases.certify_case,
}


@pytest.mark.parametrize("name", list(CASES))
def test_benchmark(benchmark, name):
    if "networkx" in name:
        pytest.importorskip("networkx")
    case = CASES[name]()
    benchmark.pedantic(case.ours, rounds=case.rounds, iterations=1, warmup_rounds=1)
    row = cases.run_case(case)
    benchmark.extra_info.update({k: v for k, v in row.items() if isinstance(v, int | float | str)})
    print(f"\n{row['name']}: ratio {row['ratio']:.2f}x (target {row['target'] or '—'})")
    assert row.get("correct", True), row
    assert row["met"] is not False, row
