"""The shape of every feature (issue 12), read from the source: no import circle inside a
feature or between features, nothing commits or rolls back outside app.transactions, no
service checks access, no import hidden in a function, and `user`/`actor` typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.courses.test_shape import _calls_named, _modules, circles

APP = Path(__file__).resolve().parents[1] / "app"
FEATURES = [
    "institutions",
    "auth",
    "audit",
    "courses",
    "assessments",
    "certificates",
    "placement",
    "main",
    "ops",
]
# Imports inside a function on purpose: an RQ worker builds the app it runs in; the common
# password list is loaded on the first password check, not at start-up.
LAZY = {("app.certificates.jobs", "app"), ("app.auth.passwords", "zxcvbn.frequency_lists")}


def _app_modules() -> dict[str, ast.Module]:
    """Every module of app/, by its dotted name."""
    prefix = f"{APP.parent.name}."
    return {name.removeprefix(prefix): tree for name, tree in _modules(APP).items()}


def _runtime_imports(tree: ast.Module) -> set[str]:
    """Modules imported when the module runs (not those under `if TYPE_CHECKING:`)."""
    found: set[str] = set()
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_features_depend_on_each_other_one_way():
    graph = {feature: set() for feature in FEATURES}
    for feature in FEATURES:
        for tree in _modules(APP / feature).values():
            for module in _runtime_imports(tree):
                parts = module.split(".")
                if len(parts) > 1 and parts[0] == "app" and parts[1] in graph:
                    graph[feature].add(parts[1])
        graph[feature].discard(feature)
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(feature: str, path: list[str]) -> None:
        if state.get(feature) == "done":
            return
        assert state.get(feature) != "open", f"circle: {' -> '.join([*path, feature])}"
        state[feature] = "open"
        for other in sorted(graph[feature]):
            visit(other, [*path, feature])
        state[feature] = "done"
        order.append(feature)

    for feature in FEATURES:
        visit(feature, [])


@pytest.mark.parametrize("feature", FEATURES)
def test_no_import_circle_inside_a_feature(feature):
    assert circles(APP / feature) == []


def test_only_app_transactions_commits_or_rolls_back():
    found = {
        name: lines
        for name, tree in _app_modules().items()
        if (lines := _calls_named(tree, {"commit", "rollback"}))
    }
    assert set(found) == {"app.transactions"}


@pytest.mark.parametrize("feature", ["courses", "assessments", "certificates", "placement"])
def test_services_never_check_access(feature):
    found = {
        name
        for name, tree in _modules(APP / feature).items()
        if ".services" in name
        and any(isinstance(n, ast.Name) and n.id == "Forbidden" for n in ast.walk(tree))
    }
    assert found == set()


def test_no_import_inside_a_function_but_the_lazy_ones():
    found = {
        (name, inner.module if isinstance(inner, ast.ImportFrom) else inner.names[0].name)
        for name, tree in _app_modules().items()
        if name != "app"  # create_app, the composition root, imports every feature
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    }
    assert found == LAZY


@pytest.mark.parametrize("parameter", ["user", "actor"])
def test_people_parameters_are_typed_everywhere(parameter):
    untyped = {
        (name, node.lineno)
        for name, tree in _app_modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.arg)
        and node.arg == parameter
        and (node.annotation is None or ast.unparse(node.annotation) == "Any")
    }
    assert untyped == set()
