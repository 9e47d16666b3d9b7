"""Rate limits that a client cannot dodge: X-Forwarded-For is believed only from trusted
proxies (TRUSTED_PROXY_HOPS), and logins pause per account whatever the address (issue 11,
item 4)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db as _db
from app.extensions import limiter
from tests.conftest import PASSWORD, make_test_app

WRONG = "salah sekali"


@pytest.fixture
def fresh_limits(app: Flask) -> Iterator[None]:
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


def _spoofed(n: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"198.51.100.{n % 250 + 1}"}


def _form_login(client, email: str, password: str = WRONG, **headers: str):
    return client.post("/login", data={"email": email, "password": password}, headers=headers)


def _token_login(client, email: str, password: str = WRONG, **headers: str):
    body = {"email": email, "password": password, "name": "t"}
    return client.post("/api/v1/auth/tokens", json=body, headers=headers)


@pytest.mark.parametrize("attempt", [_form_login, _token_login])
def test_rotating_spoofed_forwarded_for_does_not_escape_the_login_limit(
    client, fresh_limits, attempt
):
    statuses = [
        attempt(client, f"orang{n}@contoh.id", **_spoofed(n)).status_code for n in range(25)
    ]
    assert statuses == [401] * 10 + [429] * 15


@pytest.fixture
def production_app(tmp_path) -> Iterator[Flask]:
    """The production configuration, as deployed, with its own database and the defaults
    for the proxy; the limiter gets its state back afterwards."""
    from app import create_app
    from config import ProductionConfig

    class Config(ProductionConfig):
        SECRET_KEY = "production-test"
        KEY_ENCRYPTION_KEY = "dGVzdC1vbmx5LWtleS1lbmNyeXB0aW9uLWtleS0zMmI="
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/production.db"
        RATELIMIT_STORAGE_URI = "memory://"
        STORAGE_DIR = str(tmp_path / "storage")

    saved = dict(limiter.__dict__)
    application = create_app(Config)
    with application.app_context():
        _db.create_all()
    yield application
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)


def test_production_ignores_forwarded_for_unless_told_to_trust_a_proxy(production_app):
    client = production_app.test_client()
    statuses = [
        _token_login(client, f"orang{n}@contoh.id", **_spoofed(n)).status_code for n in range(25)
    ]
    assert statuses == [401] * 10 + [429] * 15
    with production_app.app_context():
        assert set(_db.session.scalars(select(AuditEvent.ip))) == {"127.0.0.1"}


def test_production_verification_limit_ignores_a_spoofed_forwarded_for(production_app):
    production_app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    client = production_app.test_client()
    statuses = [client.get("/v/KOMP-0000", headers=_spoofed(n)).status_code for n in range(6)]
    assert statuses[3:] == [429] * 3
    assert 429 not in statuses[:3]


def test_the_account_pause_is_kept_in_the_shared_storage(tmp_path):
    """With Redis (every worker's limiter storage), the count lives there, not in a worker."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    saved = dict(limiter.__dict__)
    try:
        application = make_test_app(f"sqlite:///{tmp_path}/redis.db", RATELIMIT_STORAGE_URI=url)
        with application.app_context():
            _db.create_all()
            limiter.reset()
        client = application.test_client()
        for n in range(5):
            assert _token_login(client, "ada@contoh.id", **_spoofed(n)).status_code == 401
        assert _token_login(client, "ada@contoh.id", **_spoofed(9)).status_code == 429
        keys = redis.Redis.from_url(url).keys("*login-account*")
        assert len(keys) == 1
        assert b"ada" not in keys[0]  # a hash of the address, not the address
        with application.app_context():
            limiter.reset()
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)


def test_audit_log_records_the_peer_not_the_spoofed_address(app, client, fresh_limits):
    _form_login(client, "siapa@contoh.id", **{"X-Forwarded-For": "203.0.113.9"})
    with app.app_context():
        event = _db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
        ).one()
    assert event.ip == "127.0.0.1"


@pytest.fixture
def proxied_app(tmp_path) -> Iterator[Flask]:
    """An app behind one trusted proxy, with its own database; the limiter (one object bound
    to every app) gets its state back afterwards."""
    saved = dict(limiter.__dict__)
    application = make_test_app(f"sqlite:///{tmp_path}/proxied.db", TRUSTED_PROXY_HOPS=1)
    with application.app_context():
        _db.create_all()
    yield application
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)


def test_behind_one_trusted_proxy_the_client_address_comes_from_forwarded_for(proxied_app):
    client = proxied_app.test_client()
    first = {"X-Forwarded-For": "203.0.113.7"}
    statuses = [_form_login(client, f"a{n}@contoh.id", **first).status_code for n in range(11)]
    assert statuses == [401] * 10 + [429]
    # another client behind the same proxy has its own count
    assert (
        _form_login(client, "b@contoh.id", **{"X-Forwarded-For": "203.0.113.8"}).status_code == 401
    )
    with proxied_app.app_context():
        ips = set(_db.session.scalars(select(AuditEvent.ip)))
    assert ips == {"203.0.113.7", "203.0.113.8"}


def test_a_negative_hop_count_refuses_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="TRUSTED_PROXY_HOPS"):
        make_test_app(f"sqlite:///{tmp_path}/x.db", TRUSTED_PROXY_HOPS=-1)


def test_failed_logins_pause_the_account_from_any_address(app, client, make_user, fresh_limits):
    user = make_user("trainee")
    statuses = [_form_login(client, user.email, **_spoofed(n)).status_code for n in range(5)]
    assert statuses == [401] * 5
    # the right password, from yet another address, is refused too while the pause lasts
    refused = _form_login(client, user.email, PASSWORD, **_spoofed(99))
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Terlalu banyak login gagal dengan alamat e-mail ini. Coba lagi setelah" in page
    assert client.get("/account").status_code == 302  # not logged in
    with app.app_context():
        logins = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login"))
        assert list(logins) == []


def test_the_pause_says_so_in_english_too(client, make_user, fresh_limits):
    user = make_user("trainee")
    client.post("/language", data={"locale": "en", "next": "/login"})
    for n in range(5):
        _form_login(client, user.email, **_spoofed(n))
    page = _form_login(client, user.email, PASSWORD).get_data(as_text=True)
    assert "Too many failed logins with this e-mail address. Try again after" in page


def test_the_pause_looks_the_same_for_an_address_no_account_has(
    app, client, make_user, fresh_limits
):
    user = make_user("trainee", email="ada@contoh.id")
    answers = {}
    for email in (user.email, "tidak.ada@contoh.id"):
        with app.app_context():
            limiter.reset()  # only the per-account count is under test here
        for n in range(5):
            assert _token_login(client, email, **_spoofed(n)).status_code == 401
        answers[email] = _token_login(client, email, PASSWORD, **_spoofed(7))
    known, unknown = answers[user.email], answers["tidak.ada@contoh.id"]
    assert known.status_code == unknown.status_code == 429
    assert (
        known.get_json()["error"]["code"] == unknown.get_json()["error"]["code"] == "rate_limited"
    )
    assert set(known.get_json()["error"]["details"]) == {"retry_after"}
    assert set(unknown.get_json()["error"]["details"]) == {"retry_after"}


def test_the_pause_ends_and_refused_attempts_do_not_prolong_it(
    app, client, make_user, fresh_limits
):
    user = make_user("trainee")
    app.config["LOGIN_ACCOUNT_LIMIT"] = "3 per 5 seconds"
    try:
        for n in range(3):
            _form_login(client, user.email, **_spoofed(n))
        assert _form_login(client, user.email, PASSWORD).status_code == 429
        details = _token_login(client, user.email, PASSWORD).get_json()["error"]["details"]
        assert _token_login(client, user.email, PASSWORD).get_json()["error"]["details"] == details
        until = datetime.fromisoformat(details["retry_after"])
        time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.2)
        assert _form_login(client, user.email, PASSWORD).status_code == 302
    finally:
        app.config["LOGIN_ACCOUNT_LIMIT"] = "5 per 15 minutes"


def test_a_successful_login_clears_the_count(client, make_user, fresh_limits):
    user = make_user("trainee")
    for n in range(4):
        _form_login(client, user.email, **_spoofed(n))
    assert _form_login(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    for n in range(4):
        assert _form_login(client, user.email, **_spoofed(n)).status_code == 401
