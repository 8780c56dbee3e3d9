"""Progress of long numerical work (model training), reported to whoever listens.

numerics stays free of any UI: a front end (the CLI's rich progress bars) installs a handler with
:func:`reporting`; without one, :func:`report` does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Handler = Callable[[str, int, int], None]
_handler: ContextVar[Handler | None] = ContextVar("theoremlab_progress", default=None)


@contextmanager
def reporting(handler: Handler) -> Iterator[None]:
    """Send ``(label, done, total)`` updates to ``handler`` inside the ``with`` block."""
    token = _handler.set(handler)
    try:
        yield
    finally:
        _handler.reset(token)


def report(label: str, done: int, total: int) -> None:
    """One update: ``done`` of ``total`` units of the task ``label`` (``done == total`` ends it)."""
    h = _handler.get()
    if h is not None:
        h(label, done, total)
