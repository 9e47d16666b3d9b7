"""Access control over every rule of the URL map and every role: the status each gets,
from tests/access/table.py. A route with no row there fails this test, so no route ships
without someone deciding who may use it."""

from __future__ import annotations

import pytest

from tests.access.matrix import observe, rules
from tests.access.table import BUGS, TABLE
from tests.access.world import World, shared_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return shared_world(tmp_path_factory)


def test_every_route_has_a_decision(world):
    routes = {f"{method} {rule.rule}" for method, rule in rules(world)}
    assert sorted(routes - set(TABLE)) == [], "add these routes to tests/access/table.py"
    assert sorted(set(TABLE) - routes) == [], "these rows name routes that no longer exist"


CASES = [
    pytest.param(key, marks=pytest.mark.skip(reason=BUGS[key])) if key in BUGS else key
    for key in TABLE
]


@pytest.mark.parametrize("key", CASES)
def test_role_by_route(world, key):
    method, path = key.split(" ", 1)
    found = [rule for m, rule in rules(world) if m == method and rule.rule == path]
    assert found, f"{key} is not a route"
    assert observe(world, method, found[0]) == TABLE[key]
