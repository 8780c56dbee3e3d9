"""Finding a theorem's experiment: by its key in the family's ``EXPERIMENTS`` mapping
(``numerics.<family>_experiments``), by a key registered at run time (:func:`register`), or by a
``"module:function"`` path (third-party experiments)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable

from . import sources

FAMILY_MODULE = "numerics.{family}_experiments"
"""Where a built-in family declares its experiments: an ``EXPERIMENTS`` mapping (key → function),
the key starting with the family's name (``markov.state_count``)."""

REGISTRY: dict[str, str | Callable] = {}
"""Experiments registered at run time (:func:`register`), looked up before the families."""


def family_experiments(family: str) -> dict[str, Callable]:
    """The ``EXPERIMENTS`` mapping of a built-in family (empty when there is no such family)."""
    name = FAMILY_MODULE.format(family=family)
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (name, "numerics"):
            return {}
        raise
    return dict(getattr(module, "EXPERIMENTS", {}))


def register(key: str, target: str | Callable) -> None:
    """Add an experiment under ``key`` (a ``"module:function"`` path or the function itself)."""
    if isinstance(target, str) and ":" not in target:
        raise ValueError(f"an experiment target is 'module:function', got {target!r}")
    REGISTRY[key] = target


def resolve(key: str) -> Callable:
    """The experiment function for a registry key or a ``"module:function"`` path."""
    target = REGISTRY.get(key, key)
    if callable(target):
        return target
    if ":" not in target:
        family = key.split(".")[0]
        known = family_experiments(family)
        if key in known:
            return known[key]
        where = FAMILY_MODULE.format(family=family)
        listed = ", ".join(sorted(known) + sorted(REGISTRY)) or "none"
        raise LookupError(
            f"unknown experiment {key!r}: not in {where}.EXPERIMENTS nor registered "
            f"(known: {listed}), and not a 'module:function' path"
        )
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LookupError(f"experiment {key!r}: cannot import {module_name!r} ({exc})") from exc
    try:
        fn = getattr(module, attr)
    except AttributeError:
        raise LookupError(f"experiment {key!r}: {module_name!r} has no {attr!r}") from None
    if not callable(fn):
        raise LookupError(f"experiment {key!r}: {target!r} is not callable")
    return fn


def source_hash(key: str) -> str | None:
    """A hash of the code behind an experiment, read from its source files without importing
    them (``verify show`` and the docs stay light; :mod:`verify.sources`): the function's
    definition with the module-level names it uses, transitively, and every project-local
    module its module imports, transitively. For a family key, the function its family's
    ``EXPERIMENTS`` names (the whole family module and its imports when the entry is not a
    plain name); for a function registered at run time, its own source and its module's local
    imports. ``None`` when the source cannot be read (the evidence is then marked stale by the
    theorem's hash alone)."""
    target = REGISTRY.get(key, key)
    try:
        parts = _sources(key, target)
    except (OSError, TypeError, ValueError, ImportError, SyntaxError):
        return None
    return None if parts is None else sources.digest(parts)


def _sources(key: str, target) -> dict[str, str] | None:
    if callable(target):
        own = {"<registered>": inspect.getsource(target)}
        path = sources.module_file(target.__module__)
        if path is None:
            return own
        return own | sources.local_closure(target.__module__, path)
    if ":" in target:
        module, _, attr = target.partition(":")
        return sources.function_sources(module, attr)
    family = FAMILY_MODULE.format(family=key.split(".")[0])
    found = sources.family_target(family, key)
    if found is not None:
        parts = sources.function_sources(*found)
        return None if parts is None else parts | {"<entry>": f"{key}={found[0]}:{found[1]}"}
    path = sources.module_file(family)
    if path is None:
        return None
    return {family: path.read_text(), **sources.local_closure(family, path)}
