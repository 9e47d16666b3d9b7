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
    "/assessments/static/<path:filename>": {"filename": "attempt.js"},
}


def url_for_rule(world: World, rule: Rule) -> str:
    values = {**FIXED_PARAMS, **world.params, **RULE_PARAMS.get(rule.rule, {})}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def observe(world: World, method: str, rule: Rule) -> str:
    """The statuses for anonymous and each role, on a freshly reset database."""
    url = url_for_rule(world, rule)
    api = rule.rule.startswith(API_PREFIXES)
    world.reset()
    limiter.reset()  # the rule's answer, not what earlier requests used up
    seen = []
    for role in ROLES:
        kwargs: dict[str, Any] = {}
        if api:
            client = world.app.test_client()
            kwargs["headers"] = world.headers(role)
            if method != "GET":
                kwargs["json"] = {}
        else:
            client = world.client(role)
            if method != "GET":
                kwargs["data"] = {}
        response = client.open(url, method=method, **kwargs)
        response.get_data()  # a streamed body holds its request context until read
        response.close()
        status = str(response.status_code)
        if response.status_code in (301, 302, 303) and "/login" in response.headers.get(
            "Location", ""
        ):
            status = "L"
        seen.append(status)
    return " ".join(seen)


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
