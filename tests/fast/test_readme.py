"""The README's Python examples run as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_python_blocks_run(in_tmp):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 2
    spaces = []
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)
        spaces.append(namespace)
    # the plug-in example's experiment agrees with its claim
    namespace = next(ns for ns in spaces if "catalogue" in ns)
    cat = namespace["catalogue"]()
    assert namespace["odd_sum"]({"n": 7}, seed=0).value == 49 and cat[0].id == "mine.odd_sum"
    # the proof-step example's steps get the statuses the README says, and close the argument
    import dataclasses

    from verify.proofs import proof_closes, proof_status

    steps = next(ns for ns in spaces if "steps" in ns)["steps"]
    t = dataclasses.replace(cat[0], proof=steps)
    rows = proof_status(t)
    assert [r["status"] for r in rows] == ["proved", "certified", "cited", "proved"]
    assert proof_closes(t, rows)
