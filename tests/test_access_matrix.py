"""Access control over every rule of the URL map and every role: the status each gets,
from tests/access/table.py, for a request whose body is valid (tests/access/bodies.py), so
that what is compared is the access decision and never a validation error. A route with no
row there fails this test, so no route ships without someone deciding who may use it; a row
that cannot tell a refused role from an allowed one fails it too."""

from __future__ import annotations

import pytest

from tests.access.bodies import BODIES
from tests.access.matrix import API_PREFIXES, answer, observe, rules
from tests.access.table import (
    ANONYMOUS_ONLY,
    BUGS,
    NO_ALLOWED_ROLE,
    PUBLIC,
    REFUSED_AS_INVALID,
    TABLE,
    VALIDATES_FIRST,
)
from tests.access.world import ROLES, World, shared_world

REFUSED = {"401", "L", "403", "404"}  # not logged in, forbidden, not found (or not yours)
INVALID = {"400", "422"}  # what a body that fails validation answers


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return shared_world(tmp_path_factory)


def test_every_route_has_a_decision(world):
    routes = {f"{method} {rule.rule}" for method, rule in rules(world)}
    assert sorted(routes - set(TABLE)) == [], "add these routes to tests/access/table.py"
    assert sorted(set(TABLE) - routes) == [], "these rows name routes that no longer exist"


def _marked(keys: dict[str, str] | set[str], reason: str) -> list[object]:
    return [
        pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=reason))
        if key in keys
        else key
        for key in TABLE
    ]


def test_exceptions_name_rows():
    for named in (
        ANONYMOUS_ONLY,
        BUGS,
        NO_ALLOWED_ROLE,
        PUBLIC,
        REFUSED_AS_INVALID,
        VALIDATES_FIRST,
    ):
        assert sorted(set(named) - set(TABLE)) == []


@pytest.mark.parametrize(
    "key", _marked(REFUSED_AS_INVALID, "a refused role answers 422, as a validation failure does")
)
def test_row_tells_refused_from_allowed(key):
    """A row checks access only if a refused role and an allowed one answer differently:
    anonymous is sent to log in (401 or the login page) unless the rule is public, no
    role's answer is a validation failure, and some role gets past the check."""
    statuses = TABLE[key].split()
    assert len(statuses) == len(ROLES)
    assert INVALID.isdisjoint(statuses), f"{key}: a validation failure decides nothing"
    if key in PUBLIC:
        assert len(set(statuses)) == 1 and int(statuses[0]) < 400, f"{key} is not public"
        return
    if key in ANONYMOUS_ONLY:
        assert int(statuses[0]) < 400 and set(statuses[1:]) == {"302"}, key
        return
    assert statuses[0] in REFUSED, f"{key}: anonymous gets past the check"
    if key not in NO_ALLOWED_ROLE:
        assert set(statuses) - REFUSED, f"{key}: no role gets past the check"


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


JSON_WRITES = [
    key
    for key in TABLE
    if key in BODIES and key.split(" ", 1)[1].startswith(API_PREFIXES) and key not in PUBLIC
]


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(
            key,
            marks=pytest.mark.xfail(strict=True, reason="validation before authentication"),
        )
        if key in VALIDATES_FIRST
        else key
        for key in JSON_WRITES
    ],
)
def test_access_is_checked_before_the_body(world, key):
    """An empty body from anonymous is a 401, and from the first refused role what the
    table says: who is asking is decided before what they sent is read."""
    method, path = key.split(" ", 1)
    rule = next(rule for m, rule in rules(world) if m == method and rule.rule == path)
    statuses = TABLE[key].split()
    assert answer(world, method, rule, None, valid=False) == statuses[0]
    refused = [(role, s) for role, s in zip(ROLES, statuses, strict=True) if role and s in REFUSED]
    for role, status in refused[:1]:
        assert answer(world, method, rule, role, valid=False) == status, role
