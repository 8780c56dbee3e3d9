"""The source code behind an experiment, read from files without importing them, and its hash
(what marks evidence *stale* when the code that produced it changes).

An experiment's code is the function's own definition with the module-level definitions it
uses (by name, transitively), plus the whole text of every *project-local* module that its
module imports, transitively: a module of the same top-level package (``numerics.chains`` for an
experiment in ``numerics.markov_experiments``), or, for an experiment in a top-level module
that is not a package (a plug-in's ``mine_exp.py``), a module or package lying beside it.
In the experiment's own module, the imports that the used definitions make or whose names they
use are followed; in every module reached from there, all of its imports (a function's lazy
``from .x import y`` too), so the closure errs towards staleness, never away from it.
Third-party modules (numpy, torch) are not followed: their versions are in each report.

Files are read each time (an edit shows at once); their parse is memoised by content.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class _Scope:
    """Where local modules live: ``roots`` maps a local top-level name to its file or folder."""

    roots: tuple[tuple[str, Path], ...]

    def path_of(self, dotted: str) -> Path | None:
        """The file of module ``dotted`` when it is local (``…/x.py`` or ``…/x/__init__.py``)."""
        top, *rest = dotted.split(".")
        base = dict(self.roots).get(top)
        if base is None:
            return None
        if base.is_file():
            return base if not rest else None
        where = base.joinpath(*rest)
        for cand in (where.with_suffix(".py"), where / "__init__.py"):
            if cand.is_file():
                return cand
        return None


def module_file(name: str) -> Path | None:
    """The ``.py`` file of module ``name``, found without executing anything (a top-level
    package's ``__init__`` is not run; submodules are looked up as paths under it)."""
    top, *rest = name.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    origin = Path(spec.origin)
    if not rest:
        return origin
    if origin.name != "__init__.py":
        return None
    where = origin.parent.joinpath(*rest)
    for cand in (where.with_suffix(".py"), where / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _scope(name: str, path: Path) -> _Scope:
    """The local scope of module ``name`` at ``path``: its top-level package, or, for a
    top-level plain module, the modules and packages beside it (none in a site-packages)."""
    top = name.split(".")[0]
    if "." in name or path.name == "__init__.py":
        pkg = path.parent  # the folder of the module's own package
        for _ in range(name.count(".") - (path.name != "__init__.py")):
            pkg = pkg.parent
        return _Scope(((top, pkg),))
    folder = path.parent
    if folder.name in ("site-packages", "dist-packages"):
        return _Scope(((top, path),))
    roots = [(top, path)]
    for entry in sorted(folder.iterdir()):
        if entry.suffix == ".py" and entry.stem != top:
            roots.append((entry.stem, entry))
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            roots.append((entry.name, entry))
    return _Scope(tuple(roots))


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> ast.Module:
    return ast.parse(text)


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_names(tree: ast.AST, name: str, path: Path) -> list[str]:
    """The dotted names ``tree`` (module ``name`` at ``path``) imports, relative imports
    resolved; ``from pkg import sub`` gives both ``pkg`` and ``pkg.sub``."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = _package_of(name, path).split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(p for p in [*parts, node.module or ""] if p)
            else:
                base = node.module or ""
            out.append(base)
            out += [f"{base}.{a.name}" for a in node.names if a.name != "*"]
    return [n for n in out if n]


def local_closure(name: str, path: Path, first: ast.AST | None = None) -> dict[str, str]:
    """``{module: text}`` of the local modules that module ``name`` (at ``path``) imports,
    transitively, itself excluded; ``first`` narrows the starting module's imports to a part
    of its tree (the definitions an experiment uses and the module level)."""
    scope = _scope(name, path)
    # a module reached both as ``pkg.sub`` and through ``pkg`` is one file: the first name wins
    seen: dict[Path, tuple[str, str]] = {path: (name, "")}
    todo = imported_names(first or _parse(path.read_text()), name, path)
    while todo:
        dotted = todo.pop()
        file = scope.path_of(dotted)
        if file is None or file in seen:
            continue
        text = file.read_text()
        seen[file] = (dotted, text)
        todo += imported_names(_parse(text), dotted, file)
    del seen[path]
    return dict(sorted(seen.values()))


@functools.lru_cache(maxsize=256)
def definitions_used(text: str, attr: str) -> tuple[str, ast.Module]:
    """``attr``'s definition in a module's source with the module-level definitions it refers
    to (by name, transitively), and a module holding those definitions and the module-level
    imports that bind a name they use (to follow). The whole module when ``attr`` is not
    defined at its top level."""
    tree = _parse(text)
    lines = text.splitlines(keepends=True)
    defs: dict[str, ast.AST] = {}
    imports = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defs[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for tgt in targets:
                for n in ast.walk(tgt):
                    if isinstance(n, ast.Name):
                        defs[n.id] = node
        elif isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(node)
    if attr not in defs:
        return text, tree
    seen, todo, parts, nodes = set(), [attr], [], []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in defs:
            continue
        node = defs[name]
        parts.append(f"{name}:{''.join(lines[node.lineno - 1 : node.end_lineno])}")
        nodes.append(node)
        todo += [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
    # the module-level imports that bind a name the definitions use
    used = [
        imp for imp in imports if any((a.asname or a.name.split(".")[0]) in seen for a in imp.names)
    ]
    return "\n".join(sorted(parts)), ast.Module(body=used + nodes, type_ignores=[])


def function_sources(module: str, attr: str) -> dict[str, str] | None:
    """``{name: text}``: ``attr``'s definitions used in ``module`` (under the key
    ``module:attr``) and each local module it imports, transitively. ``None`` when the module's
    source cannot be found."""
    path = module_file(module)
    if path is None:
        return None
    own, tree = definitions_used(path.read_text(), attr)
    return {f"{module}:{attr}": own, **local_closure(module, path, tree)}


def family_target(family_module: str, key: str, _depth: int = 0) -> tuple[str, str] | None:
    """``(module, function)`` that ``key`` names in a family module's ``EXPERIMENTS`` mapping,
    read from its source, following ``**other.EXPERIMENTS`` spreads (``None`` when the entry
    is not a plain name or ``module.name``)."""
    path = module_file(family_module)
    if path is None or _depth > 8:
        return None
    tree = _parse(path.read_text())
    imported = _bindings(tree, family_module, path)
    for node in tree.body:
        if not (isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not any(isinstance(t, ast.Name) and t.id == "EXPERIMENTS" for t in targets):
            continue
        for k, v in zip(node.value.keys, node.value.values, strict=True):
            if k is None:  # ``**other.EXPERIMENTS``
                where = _referent(v, imported, family_module)
                if where is not None and where[1] == "EXPERIMENTS":
                    found = family_target(where[0], key, _depth + 1)
                    if found is not None:
                        return found
            elif isinstance(k, ast.Constant) and k.value == key:
                return _referent(v, imported, family_module)
    return None


def _bindings(tree: ast.Module, name: str, path: Path) -> dict[str, tuple[str, str]]:
    """Module-level imported names: local name -> (module, attribute or '')."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = imported_names(ast.Module(body=[node], type_ignores=[]), name, path)[0]
            for a in node.names:
                out[a.asname or a.name] = (base, a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    out[a.asname] = (a.name, "")
    return out


def _referent(node: ast.AST, imported: dict, here: str) -> tuple[str, str] | None:
    """The ``(module, name)`` an expression ``f`` or ``mod.f`` refers to."""
    if isinstance(node, ast.Name):
        if node.id not in imported:
            return here, node.id
        mod, attr = imported[node.id]
        # ``from . import sub`` binds a module, ``from .m import f`` a function
        return (mod, attr) if attr and module_file(f"{mod}.{attr}") is None else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id not in imported:
            return None
        mod, attr = imported[node.value.id]
        return (f"{mod}.{attr}" if attr else mod), node.attr
    return None


def digest(parts: dict[str, str]) -> str:
    """A short hash of named source texts (their order does not matter)."""
    h = hashlib.sha256()
    for name in sorted(parts):
        h.update(f"{name}\0{parts[name]}\0".encode())
    return h.hexdigest()[:16]


__all__ = [
    "definitions_used",
    "digest",
    "family_target",
    "function_sources",
    "imported_names",
    "local_closure",
    "module_file",
]
