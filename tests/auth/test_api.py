"""Bearer tokens and the JSON envelope for bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.auth.models import ApiToken
from app.db import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, count_rows


def _envelope(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def test_token_lifecycle(app, client, make_user):
    user = make_user("trainee")
    created = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert created.status_code == 201
    token = created.get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/auth/me", headers=headers).get_json()
    assert me["email"] == user.email and me["roles"] == ["trainee"]
    listed = client.get("/api/v1/auth/tokens", headers=headers).get_json()
    assert len(listed) == 1 and "token" not in listed[0] and "token_hash" not in listed[0]
    with app.app_context():
        stored = db.session.get(ApiToken, created.get_json()["id"])
        assert token not in (stored.token_hash, stored.prefix)
    revoked = client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}", headers=headers)
    assert revoked.status_code == 200
    _envelope(client.get("/api/v1/auth/me", headers=headers), 401, "unauthorized")


def test_expired_token_is_refused(app, client, make_user, token_for):
    user = make_user("trainee")
    headers = token_for(user)
    with app.app_context():
        for token in db.session.query(ApiToken).filter_by(user_id=user.id):
            token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    _envelope(client.get("/api/v1/auth/me", headers=headers), 401, "unauthorized")


def test_deactivated_user_token_is_refused(app, client, make_user, token_for):
    from app.auth.models import User

    user = make_user("trainee")
    headers = token_for(user)
    with app.app_context():
        db.session.get(User, user.id).is_active = False
        db.session.commit()
    _envelope(client.get("/api/v1/auth/me", headers=headers), 401, "unauthorized")


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nope", "Basic abc", "Bearer kpt_" + "x" * 43]
)
def test_bad_authorization_headers(client, header):
    _envelope(client.get("/api/v1/auth/me", headers={"Authorization": header}), 401, "unauthorized")


def test_wrong_password_and_unknown_email_answer_the_same(client, make_user):
    user = make_user("trainee")
    a = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "salah sekali"})
    b = client.post(
        "/api/v1/auth/tokens", json={"email": "x@contoh.id", "password": "salah sekali"}
    )
    assert _envelope(a, 401, "unauthorized") == _envelope(b, 401, "unauthorized")


def test_a_failed_token_request_is_audited_and_writes_no_token(app, client, make_user):
    """The 401 keeps the failed-login audit entry (and only that: no token)."""
    from sqlalchemy import select

    from app.audit.models import AuditEvent

    user = make_user("trainee")
    tokens = count_rows(app, ApiToken)
    response = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": "salah sekali"}
    )
    _envelope(response, 401, "unauthorized")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
        ).all()
        assert [event.actor_email for event in events] == [user.email]
    assert count_rows(app, ApiToken) == tokens


def test_malformed_json_is_400_and_writes_nothing(app, client):
    before = count_rows(app, ApiToken)
    response = client.post(
        "/api/v1/auth/tokens", data=b'{"email": ', headers={"Content-Type": "application/json"}
    )
    _envelope(response, 400, "bad_request")
    assert count_rows(app, ApiToken) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@contoh.id", "password": PASSWORD, "role": "admin"}, "role"),
        ({"password": PASSWORD}, "email"),
        ({"email": "a@contoh.id", "password": 12}, "password"),
        ({"email": "a@contoh.id", "password": PASSWORD, "name": "x" * 101}, "name"),
    ],
)
def test_unknown_or_invalid_fields_are_422(app, client, make_user, body, field):
    make_user("trainee", email="a@contoh.id")
    before = count_rows(app, ApiToken)
    error = _envelope(client.post("/api/v1/auth/tokens", json=body), 422, "validation_failed")
    assert field in error["details"]["json"]
    assert count_rows(app, ApiToken) == before


def test_oversized_body_is_413(app, client):
    before = count_rows(app, ApiToken)
    big = b'{"email": "' + b"a" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    response = client.post(
        "/api/v1/auth/tokens", data=big, headers={"Content-Type": "application/json"}
    )
    _envelope(response, 413, "too_large")
    assert count_rows(app, ApiToken) == before


def test_unknown_api_route_and_method_use_the_envelope(client):
    _envelope(client.get("/api/v1/nothing-here"), 404, "not_found")
    response = client.put("/api/v1/auth/me")
    _envelope(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
