"""The shape of the courses feature (issue 12), read from its source: no import circle
inside it, no commit or rollback outside app.transactions, no access check in its services,
no import hidden in a function, and `user`/`actor` parameters typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FEATURE = Path(__file__).resolve().parents[2] / "app" / "courses"
PACKAGE = "app.courses"


def _modules(root: Path) -> dict[str, ast.Module]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = ast.parse(path.read_text(), str(path))
    return modules


def _imports(tree: ast.Module, known: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found & known


def circles(root: Path) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    modules = _modules(root)
    graph = {name: _imports(tree, set(modules)) - {name} for name, tree in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in graph[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == name:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for name in graph:
        if name not in index:
            visit(name)
    return found


def _calls_named(tree: ast.Module, names: set[str]) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    ]


def test_no_import_circle_inside_courses():
    assert circles(FEATURE) == []


def test_nothing_in_courses_commits_or_rolls_back():
    found = {
        name: lines
        for name, tree in _modules(FEATURE).items()
        if (lines := _calls_named(tree, {"commit", "rollback"}))
    }
    assert found == {}


def test_courses_services_never_check_access():
    found = {
        name
        for name, tree in _modules(FEATURE).items()
        if name.startswith(f"{PACKAGE}.services")
        and any(isinstance(n, ast.Name) and n.id == "Forbidden" for n in ast.walk(tree))
    }
    assert found == set()


def test_no_import_inside_a_function():
    found = {
        (name, inner.lineno)
        for name, tree in _modules(FEATURE).items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    }
    assert found == set()


@pytest.mark.parametrize("parameter", ["user", "actor"])
def test_people_parameters_are_typed(parameter):
    untyped = {
        (name, node.lineno)
        for name, tree in _modules(FEATURE).items()
        for node in ast.walk(tree)
        if isinstance(node, ast.arg)
        and node.arg == parameter
        and (node.annotation is None or ast.unparse(node.annotation) == "Any")
    }
    assert untyped == set()


def test_the_feature_has_the_rooms_of_every_feature():
    rooms = {path.name for path in FEATURE.iterdir() if not path.name.startswith("__py")}
    assert {"models", "services", "routes", "api", "permissions.py"} <= rooms
    flat = {path.name for path in FEATURE.glob("*.py")} - {
        "__init__.py",
        "forms.py",
        "permissions.py",
        "schemas.py",
        "seed.py",
        "signals.py",
        "vocab.py",
    }
    assert flat == set()
