"""Measures of the package's shape (issue 16): function lengths, import circles and upward
imports between the layers (numerics < theorems < verify), lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("numerics", "theorems", "verify")
LAYER = {"numerics": 0, "theorems": 1, "verify": 2}
MAX_FUNCTION_LINES = 100
DECLARATIVE = {("theorems", "theorems")}  # (package, function): the declarative theorem lists


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the three packages."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def long_functions() -> dict[str, int]:
    out = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES and (name.split(".")[0], node.name) not in DECLARATIVE:
                    out[f"{name}.{node.name}"] = n
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{a.name}" for a in node.names]


def imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports (at the top or inside functions)."""
    mods = modules()
    out = {}
    for name, path in mods.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(name, path.name == "__init__.py", node)
            else:
                continue
            found |= {t for t in targets if t in mods and t != name}
        out[name] = found
    return out


def upward_imports() -> list[tuple[str, str]]:
    return sorted(
        (a, b)
        for a, targets in imports().items()
        for b in targets
        if LAYER[b.split(".")[0]] > LAYER[a.split(".")[0]]
    )


def circles() -> list[list[str]]:
    """Strongly connected groups of more than one module (a package and its own modules apart:
    ``__init__`` re-exports are not circles of ideas)."""
    graph = {
        a: {b for b in bs if not (a.startswith(b + ".") or b.startswith(a + "."))}
        for a, bs in imports().items()
    }
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    print("functions over", MAX_FUNCTION_LINES, long_functions())
    print("upward", upward_imports())
    print("circles", circles())
