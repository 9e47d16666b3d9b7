"""The audit trail is append-only: the ORM refuses to change it, the app has no route that
could, and it never holds a password, token or key."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import delete, select, update

from app.audit.models import AuditEvent, AuditImmutable
from app.audit.services import record, scrub
from app.auth.models import ApiToken
from app.extensions import db as _db
from tests.conftest import PASSWORD


def _event(ctx) -> AuditEvent:
    event = record("test.event", target_type="Thing", target_id=1, after={"n": 1})
    _db.session.flush()
    return event


def test_the_orm_refuses_to_update_an_event(ctx):
    event = _event(ctx)
    event.action = "forged"
    with pytest.raises(AuditImmutable):
        _db.session.flush()
    _db.session.rollback()


def test_the_orm_refuses_to_delete_an_event(ctx):
    event = _event(ctx)
    _db.session.delete(event)
    with pytest.raises(AuditImmutable):
        _db.session.flush()
    _db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(action="forged"),
        delete(AuditEvent),
    ],
    ids=["bulk-update", "bulk-delete"],
)
def test_bulk_statements_on_events_are_refused(ctx, statement):
    _event(ctx)
    with pytest.raises(AuditImmutable):
        _db.session.execute(statement)
    _db.session.rollback()


def test_no_route_can_change_the_log(app):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/audit", "/api/v1/audit"))
    ]
    assert rules, "the audit routes are registered"
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_scrub_removes_secrets_at_any_depth():
    cleaned = scrub(
        {
            "password": "hunter2",
            "nested": {"api_token": "x", "ok": 1, "list": ["kpt_abc", "-----BEGIN KEY"]},
            "note": "kpt_secretvalue",
            "name": "fine",
        }
    )
    assert cleaned == {
        "password": "[removed]",
        "nested": {"api_token": "[removed]", "ok": 1, "list": ["[removed]", "[removed]"]},
        "note": "[removed]",
        "name": "fine",
    }


def test_the_log_never_holds_a_password_token_or_key(app, client, make_user):
    from app.extensions import limiter

    with app.app_context():
        limiter.reset()
    user = make_user("trainee")
    new_password = "a much longer new passphrase 2026"
    wrong_password = "wrong-password-typed-here"
    assert (
        client.post("/login", data={"email": user.email, "password": wrong_password}).status_code
        == 401
    )
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )
    created = client.post(
        "/api/v1/auth/tokens",
        json={"email": user.email, "password": PASSWORD, "name": "ci"},
    )
    assert created.status_code == 201
    raw_token = created.get_json()["token"]
    page = client.post("/account/tokens", data={"name": "web"}).get_data(as_text=True)
    web_token = re.search(r"kpt_[A-Za-z0-9_-]{43}", page).group(0)
    changed = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": new_password,
        },
    )
    assert changed.status_code == 302, changed.get_data(as_text=True)[:500]
    with app.app_context():
        events = _db.session.scalars(select(AuditEvent)).all()
        actions = {e.action for e in events}
        hashes = [t.token_hash for t in _db.session.scalars(select(ApiToken))]
        dumps = [
            json.dumps(
                {c.name: getattr(e, c.name) for c in AuditEvent.__table__.columns}, default=str
            )
            for e in events
        ]
    assert {
        "auth.login_failed",
        "auth.login",
        "auth.token_created",
        "auth.password_changed",
    } <= actions
    secrets = [PASSWORD, new_password, wrong_password, raw_token, web_token, *hashes]
    for dump in dumps:
        for secret in secrets:
            assert secret not in dump
        assert "$argon2" not in dump
        assert "-----BEGIN" not in dump


def test_an_event_says_who_when_from_where_and_what(app, client, make_user, make_institution):
    from app.extensions import limiter

    with app.app_context():
        limiter.reset()
    institution = make_institution()
    admin = make_user("institution_admin", institution=institution)
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    response = client.post(
        "/staff",
        data={
            "full_name": "Instruktur Baru",
            "email": "instruktur.baru@contoh.id",
            "password": "frasa sandi yang cukup panjang",
            "instructor": "y",
        },
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 302
    with app.app_context():
        event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.create"))
        assert event.actor_id == admin.id and event.actor_email == admin.email
        assert event.institution_id == institution.id
        assert event.ip == "203.0.113.7"
        assert event.at is not None and event.at.tzinfo is not None
        assert event.target_type == "User" and event.after == {"roles": ["instructor"]}
