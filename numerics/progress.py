"""Progress of long work (model training, a theorem's points, a run's theorems), reported to
whoever listens: the one progress channel of theoremlab.

Nothing that computes holds a UI: a front end (the CLI's rich progress bars) installs a handler
with :func:`reporting`; without one, :func:`report` does nothing. An update is
``(label, done, total)``; ``done == total`` ends the task ``label`` (``total`` may be ``None``
while it is unknown), and :func:`task` ends it however its block exits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Handler = Callable[[str, int, int | None], None]
_handler: ContextVar[Handler | None] = ContextVar("theoremlab_progress", default=None)


@contextmanager
def reporting(handler: Handler) -> Iterator[None]:
    """Send ``(label, done, total)`` updates to ``handler`` inside the ``with`` block."""
    token = _handler.set(handler)
    try:
        yield
    finally:
        _handler.reset(token)


def report(label: str, done: int, total: int | None) -> None:
    """One update: ``done`` of ``total`` units of the task ``label`` (``done == total`` ends it)."""
    h = _handler.get()
    if h is not None:
        h(label, done, total)


@contextmanager
def task(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A task ``label`` of ``total`` units: yields ``update(done)``; the task is reported ended
    when the block exits, also on an early return or an exception."""
    state = {"done": 0}

    def update(done: int) -> None:
        state["done"] = done
        report(label, done, total)

    report(label, 0, total)
    try:
        yield update
    finally:
        end = total if total is not None else state["done"]
        report(label, end, end)
