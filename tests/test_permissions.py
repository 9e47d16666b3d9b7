"""Role x endpoint for the foundation's pages: the expected status for each."""

from __future__ import annotations

import pytest

ROLES = [
    None,
    "trainee",
    "instructor",
    "assessor",
    "placement_officer",
    "employer",
    "institution_admin",
    "admin",
]
# endpoint -> statuses by role in ROLES order (302 = sent to the login page)
TABLE = {
    ("GET", "/"): [200] * 8,
    ("GET", "/healthz"): [200] * 8,
    ("GET", "/login"): [200, 302, 302, 302, 302, 302, 302, 302],
    ("GET", "/register"): [200, 302, 302, 302, 302, 302, 302, 302],
    ("GET", "/account"): [302, 200, 200, 200, 200, 200, 200, 200],
    ("GET", "/staff"): [302, 403, 403, 403, 403, 403, 200, 403],
    ("GET", "/institutions"): [200] * 8,
    ("GET", "/api/v1/openapi.json"): [200] * 8,
    ("GET", "/api/v1/docs"): [200] * 8,
}
CASES = [
    (method, path, role, statuses[i])
    for (method, path), statuses in TABLE.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_role_by_endpoint(app, client, client_as, method, path, role, expected):
    browser = client_as(role) if role else client
    response = browser.open(path, method=method)
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), [(None, 401), ("trainee", 200), ("admin", 200)])
def test_api_me_by_role(client, make_user, token_for, role, expected):
    headers = token_for(make_user(role)) if role else {}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == expected
