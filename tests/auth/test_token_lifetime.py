"""Bearer tokens: shown once and never kept in a cookie (issue 11, item 12); ended by a
password change and a deactivation, and not revived by reactivation (item 9)."""

from __future__ import annotations

import json
import re

from flask import Flask
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.auth.services import set_active
from app.extensions import db, limiter
from tests.conftest import PASSWORD, login

TOKEN = re.compile(r"kpt_[A-Za-z0-9_-]{43}")


def _session_contents(app: Flask, set_cookie: str) -> str:
    """What a Set-Cookie header puts in the Flask session cookie, decoded and verified."""
    name = app.config["SESSION_COOKIE_NAME"]
    match = re.match(rf"{name}=([^;]*)", set_cookie)
    if not match or not match.group(1):
        return ""
    serializer = app.session_interface.get_signing_serializer(app)
    return json.dumps(serializer.loads(match.group(1)))


def test_a_new_token_is_shown_once_and_never_put_in_a_cookie(app, client, make_user):
    with app.app_context():
        limiter.reset()
    user = make_user("trainee")
    responses = [
        client.post("/login", data={"email": user.email, "password": PASSWORD}),
        client.get("/account"),
    ]
    created = client.post("/account/tokens", data={"name": "laptop"})
    responses += [created, client.get("/account"), client.get("/")]
    assert created.status_code == 201
    raw = TOKEN.search(created.get_data(as_text=True)).group(0)
    assert "Token baru Anda (hanya ditampilkan sekali):" in created.get_data(as_text=True)
    set_cookies = [h for r in responses for h in r.headers.getlist("Set-Cookie")]
    assert any(h.startswith("session=") for h in set_cookies)  # the check below saw cookies
    for header in set_cookies:
        assert raw not in header
        assert raw not in _session_contents(app, header)
    assert raw not in client.get("/account").get_data(as_text=True)  # shown once
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    )


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_password_change_ends_every_token(app, make_user, token_for):
    user = make_user("trainee")
    before = token_for(user)
    browser = login(app.test_client(), user)
    assert browser.get("/api/v1/auth/me", headers=before).status_code == 200
    changed = browser.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "kereta api malam"}
    )
    assert changed.status_code == 302
    answer = browser.get("/api/v1/auth/me", headers=before)
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"
    assert browser.get("/api/v1/auth/me", headers=token_for(user)).status_code == 200
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.tokens_revoked")
        ).one()
        assert event.after == {"count": 1}


def test_a_refused_password_change_keeps_the_tokens(app, make_user, token_for):
    user = make_user("trainee")
    headers = token_for(user)
    browser = login(app.test_client(), user)
    refused = browser.post(
        "/account/password", data={"current_password": "salah sekali", "new_password": "x" * 12}
    )
    assert refused.status_code == 422
    assert browser.get("/api/v1/auth/me", headers=headers).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(ApiToken.revoked_at)).all() == [None]


def test_deactivation_ends_every_token_and_reactivation_does_not_revive_them(
    app, client, make_user, make_institution, token_for
):
    institution = make_institution()
    admin = make_user("institution_admin", institution=institution)
    staff = make_user("instructor", institution=institution)
    headers = token_for(staff)
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    for active in (False, True):
        with app.app_context():
            set_active(db.session.get(User, admin.id), db.session.get(User, staff.id), active)
            db.session.commit()
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert client.get("/api/v1/auth/me", headers=token_for(staff)).status_code == 200
