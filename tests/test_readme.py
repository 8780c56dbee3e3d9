"""The README's Python examples run as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_blocks_run(in_tmp):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)
    # the plug-in example's experiment agrees with its claim
    cat = namespace["catalogue"]()
    assert namespace["odd_sum"]({"n": 7}, seed=0).value == 49 and cat[0].id == "mine.odd_sum"
