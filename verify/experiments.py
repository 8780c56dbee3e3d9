"""Finding a theorem's experiment: by its key in the family's ``EXPERIMENTS`` mapping
(``numerics.<family>_experiments``), by a key registered at run time (:func:`register`), or by a
``"module:function"`` path (third-party experiments)."""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.util
import inspect
from collections.abc import Callable
from pathlib import Path

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
    them (``verify show`` and the docs stay light): for a ``"module:function"`` path, the
    function's source and that of the module-level names it uses, transitively; for a family
    key, the family module's whole source (``numerics.<family>_experiments``); for a function
    registered at run time, its source. ``None`` when the source cannot be read (the evidence is
    then marked stale by the theorem's hash alone)."""
    target = REGISTRY.get(key, key)
    try:
        if callable(target):
            text = inspect.getsource(target)
        elif ":" in target:
            module, _, attr = target.partition(":")
            text = _function_source(module, attr)
        else:
            text = _module_source(FAMILY_MODULE.format(family=key.split(".")[0]))
    except (OSError, TypeError, ValueError, ImportError, SyntaxError):
        return None
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()[:16]


def _module_source(name: str) -> str | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin).read_text()  # read each time: an edit shows at once


def _function_source(module: str, attr: str) -> str | None:
    """``attr``'s definition in ``module`` with the module-level definitions it refers to (by
    name, transitively); the whole module when ``attr`` is not defined at its top level. The
    file is read each time; its parse is memoised by the file's content."""
    text = _module_source(module)
    if text is None:
        return None
    return _definitions_used(text, attr)


@functools.lru_cache(maxsize=256)
def _definitions_used(text: str, attr: str) -> str:
    tree = ast.parse(text)
    defs: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defs[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for tgt in targets:
                for n in ast.walk(tgt):
                    if isinstance(n, ast.Name):
                        defs[n.id] = node
    if attr not in defs:
        return text
    seen, todo, parts = set(), [attr], []
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        node = defs[name]
        parts.append(f"{name}:{ast.get_source_segment(text, node)}")
        todo += [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
    return "\n".join(sorted(parts))
