"""Files written whole or not at all (:func:`atomic_write`, used for the reports, the
checkpoints and the docs' generated sources), and where caches live (:func:`cache_root`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """``write(binary_file)`` into a temporary file in ``path``'s folder, then an atomic rename,
    with the umask's permissions (``mkstemp`` creates its file private)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cache_root() -> Path:
    """Where theoremlab caches what it computed (checkpoints, proof-step statuses):
    ``$THEOREMLAB_CACHE``; else ``.theoremlab-cache/`` in the source checkout this package runs
    from (git-ignored), whatever the working directory; else (an installed package)
    ``~/.cache/theoremlab``."""
    if os.environ.get("THEOREMLAB_CACHE"):
        return Path(os.environ["THEOREMLAB_CACHE"])
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").exists():
        return checkout / ".theoremlab-cache"
    return Path.home() / ".cache" / "theoremlab"
