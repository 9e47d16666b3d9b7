"""Sending one request per role to a URL rule, as the access matrix does: the observed
statuses, written as in the table (`L` = sent to the login page).

`python -m tests.access.matrix` prints a row for every rule of the URL map, to review and
copy into tests/access/table.py when routes are added: each row is a decision someone must
read, never a snapshot to paste blindly."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule

from app.extensions import limiter
from tests.access.bodies import BODIES
from tests.access.world import ROLES, World

API_PREFIXES = ("/api/", "/credentials/", "/oauth/")
# URL parameters that are not table ids: a value that routes somewhere real or a clean 404.
FIXED_PARAMS = {
    "number": 1,
    "token": "no-such-token",
    "purpose": "revocation",
    "grouping": "province",
    "filename": "css/app.css",
    "action": "revoke",
}
# Rules whose parameters need another value than FIXED_PARAMS gives.
RULE_PARAMS = {
    # The demo practical assessment (the first assessment is the theory exam).
    "/api/v1/assessments/<int:assessment_id>/assessors": {"assessment_id": 2},
    "/api/v1/assessments/<int:assessment_id>/judgements": {"assessment_id": 2},
    "/assessments/<int:assessment_id>/practical": {"assessment_id": 2},
    "/assessments/<int:assessment_id>/practical/<int:enrollment_id>/<int:unit_id>": {
        "assessment_id": 2
    },
    "/assessments/static/<path:filename>": {"filename": "attempt.js"},
}


def url_for_rule(world: World, rule: Rule) -> str:
    values = {**FIXED_PARAMS, **world.params, **RULE_PARAMS.get(rule.rule, {})}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def request_kwargs(world: World, key: str, api: bool, method: str, valid: bool) -> dict[str, Any]:
    """The body sent: the rule's valid one from BODIES, else an empty one."""
    if method == "GET":
        return {}
    if valid and key in BODIES:
        return BODIES[key](world)
    return {"json": {}} if api else {"data": {}}


def answer(world: World, method: str, rule: Rule, role: str | None, valid: bool = True) -> str:
    """One role's status on a freshly reset database, written as in the table."""
    key = f"{method} {rule.rule}"
    api = rule.rule.startswith(API_PREFIXES)
    world.reset()
    limiter.reset()  # the rule's answer, not what earlier requests used up
    kwargs = request_kwargs(world, key, api, method, valid)
    if api:
        client = world.app.test_client()
        kwargs["headers"] = world.headers(role)
    else:
        client = world.client(role)
    response = client.open(url_for_rule(world, rule), method=method, **kwargs)
    response.get_data()  # a streamed body holds its request context until read
    response.close()
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/login" in location:
        return "L"
    return str(response.status_code)


def observe(world: World, method: str, rule: Rule, valid: bool = True) -> str:
    """The statuses for anonymous and each role, each on a freshly reset database, so that
    what one role's request wrote cannot change the next role's answer."""
    return " ".join(answer(world, method, rule, role, valid) for role in ROLES)


def rules(world: World) -> list[tuple[str, Rule]]:
    return sorted(
        (
            (method, rule)
            for rule in world.app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}
        ),
        key=lambda item: (item[1].rule, item[0]),
    )


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import logging
    import tempfile
    from pathlib import Path

    from tests.access.world import build_world

    logging.disable(logging.WARNING)
    found = build_world(Path(tempfile.mkdtemp()))
    for method, rule in rules(found):
        print(f'    "{method} {rule.rule}": "{observe(found, method, rule)}",')
