"""The catalogue: built-in families plus third-party theorems from the entry-point group
``theoremlab.theorems`` (each entry point names a callable returning an iterable of Theorems)."""

from __future__ import annotations

import difflib
import importlib
from importlib.metadata import entry_points

from .core import Theorem
from .errors import TheoremDefinitionError

ENTRY_POINT_GROUP = "theoremlab.theorems"
BUILTIN_FAMILIES = ("theorems.markov", "theorems.emergence", "theorems.icl", "theorems.uat")

_cache: dict[str, Theorem] | None = None
_collected: dict[str, str] = {}  # id -> hash, as the last collection found them
_broken: list[tuple[str, str]] = []  # (the plug-in, what went wrong), from the last collection


def _collect() -> dict[str, Theorem]:
    found: dict[str, Theorem] = {}
    origins: dict[str, str] = {}

    def add(items, origin):
        items = list(items)  # all of an origin's theorems, or none of them
        ids: set[str] = set()
        for thm in items:
            if not isinstance(thm, Theorem):
                raise TheoremDefinitionError(f"{origin} returned {thm!r}, not a Theorem")
            if thm.id in found or thm.id in ids:
                first = origins.get(thm.id, origin)
                raise TheoremDefinitionError(
                    f"theorem id {thm.id!r} is defined twice: by {first} and {origin}"
                )
            ids.add(thm.id)
        for thm in items:
            found[thm.id] = thm
            origins[thm.id] = origin

    for module_name in BUILTIN_FAMILIES:
        module = importlib.import_module(module_name)
        add(module.theorems(), module_name)
    _broken.clear()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(getattr(ep, "dist", None), "name", None)
        origin = f"entry point {ep.name} ({ep.value}" + (f", package {dist})" if dist else ")")
        try:  # one broken plug-in is left out and reported; the rest works
            add(ep.load()(), origin)
        except Exception as exc:
            _broken.append((origin, f"{type(exc).__name__}: {exc}"))
    return found


def broken() -> list[tuple[str, str]]:
    """The plug-ins left out of the catalogue: ``(entry point and package, the error)``."""
    _catalogue()
    return list(_broken)


def refresh() -> None:
    """Forget the collected catalogue (after installing a plug-in, or in tests)."""
    global _cache
    _cache = None


_collecting = False


def _catalogue() -> dict[str, Theorem]:
    global _cache, _collecting
    if _cache is None:
        if _collecting:  # a plug-in's entry point asked for the catalogue it is being added to
            raise TheoremDefinitionError(
                "the catalogue was asked for while it was being collected: an entry point must "
                "not call theorems.get or theorems.all"
            )
        _collecting = True
        try:
            _cache = _collect()
        finally:
            _collecting = False
        _collected.clear()
        _collected.update((i, t.hash) for i, t in _cache.items())
    return _cache


def collected(theorem: Theorem) -> bool:
    """Whether ``theorem`` is the one its id names in the catalogue as the families and
    plug-ins define it (so that another process rebuilds it from its id), not one added or
    changed at run time."""
    _catalogue()
    return _collected.get(theorem.id) == theorem.hash


def all() -> list[Theorem]:  # noqa: A001 - public name fixed by the API
    """Every registered theorem, built-in families first, in definition order."""
    return list(_catalogue().values())


def get(theorem_id: str) -> Theorem:
    """The theorem with this id; an unknown id raises ``KeyError`` naming the nearest ids."""
    cat = _catalogue()
    try:
        return cat[theorem_id]
    except KeyError:
        raise KeyError(unknown_id_message(theorem_id, list(cat))) from None


def unknown_id_message(theorem_id: str, ids: list[str]) -> str:
    """The error for an unknown id, suggesting what the user probably meant: the ids it begins,
    else the closest ids (a close spelling, and only those about as close as the closest)."""
    near = [i for i in ids if i.startswith(theorem_id)][:3]
    if not near:
        scored = sorted(
            ((difflib.SequenceMatcher(None, theorem_id, i).ratio(), i) for i in ids), reverse=True
        )
        best = scored[0][0] if scored else 0.0
        near = [i for r, i in scored[:3] if r >= 0.6 and r >= best - 0.08]
    hint = f"; did you mean {', '.join(near)}?" if near else "; `verify list` shows the catalogue"
    return f"unknown theorem id {theorem_id!r}{hint}"
