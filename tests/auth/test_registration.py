"""Registration tells nobody but the address's owner whether it has an account, and is
rate-limited (issue 11, item 14)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import mail
from app.auth.models import User
from app.extensions import db, limiter
from tests.conftest import count_rows


def _register(client, email: str, **headers: str):
    data = {
        "full_name": "Rina Kurniasih",
        "email": email,
        "password": "sepeda motor merah",
        "role": "trainee",
    }
    return client.post("/register", data=data, headers=headers)


@pytest.fixture
def outbox(app):
    with app.app_context():
        mail.outbox().clear()
        yield mail.outbox()
        mail.outbox().clear()


def _page_without_tokens(response) -> str:
    """The page with what differs per request anyway (CSRF tokens) and the address taken out."""
    page = response.get_data(as_text=True)
    page = re.sub(r'name="csrf_token"[^>]*', "", page)
    return re.sub(r"(ada|baru)@contoh\.id", "X", page, flags=re.IGNORECASE)


def test_a_known_address_gets_the_same_answer_as_a_new_one(app, client, make_user, outbox):
    owner = make_user("trainee", email="ada@contoh.id", full_name="Ada Lovelace")
    users_before = count_rows(app, User)
    known = _register(client, "ADA@contoh.id")
    assert count_rows(app, User) == users_before  # nothing written for the known address
    new = _register(app.test_client(), "baru@contoh.id")
    assert known.status_code == new.status_code == 200
    assert _page_without_tokens(known) == _page_without_tokens(new)
    assert "Kami telah mengirim pesan ke" in known.get_data(as_text=True)
    assert "sudah ada" not in known.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    # each address's owner learns which case it was, and nobody else
    assert [m.to for m in outbox] == [owner.email, "baru@contoh.id"]
    assert outbox[0].subject == "Seseorang mencoba mendaftar dengan alamat e-mail Anda"
    assert "Ada Lovelace" in outbox[0].body
    assert outbox[1].subject == "Akun Kompeten Anda sudah siap"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ada@contoh.id")).full_name == (
            "Ada Lovelace"
        )


def test_the_owner_is_told_in_their_own_language(app, client, make_user, outbox):
    make_user("trainee", email="ada@contoh.id", locale="en")
    _register(client, "ada@contoh.id")
    assert outbox[0].subject == "Someone tried to register with your e-mail address"


def test_registration_is_rate_limited(app, client, outbox):
    app.config["REGISTER_RATE_LIMIT"] = "3 per hour"
    with app.app_context():
        limiter.reset()
    try:
        statuses = [
            _register(client, f"orang{n}@contoh.id", **{"X-Forwarded-For": f"198.51.100.{n}"})
            for n in range(5)
        ]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429, 429]
        assert "Terlalu banyak permintaan" in statuses[3].get_data(as_text=True)
        assert count_rows(app, User) == 3
    finally:
        app.config["REGISTER_RATE_LIMIT"] = "1000 per hour"
        with app.app_context():
            limiter.reset()


def test_the_welcome_mail_waits_for_the_commit(app, db, outbox):
    """Nothing is mailed for an account that is rolled back; the welcome leaves only once
    the account is committed."""
    from app.auth import services
    from app.transactions import commit, rollback

    with app.test_request_context():
        services.register(
            email="baru@contoh.id",
            password="sepeda motor merah",
            full_name="Rina Kurniasih",
            role="trainee",
            locale="id",
        )
        assert outbox == []
        rollback()
        assert outbox == []
        assert db.session.scalar(select(User).where(User.email == "baru@contoh.id")) is None
        services.register(
            email="baru@contoh.id",
            password="sepeda motor merah",
            full_name="Rina Kurniasih",
            role="trainee",
            locale="id",
        )
        assert outbox == []
        commit()
    assert [m.to for m in outbox] == ["baru@contoh.id"]
    assert outbox[0].subject == "Akun Kompeten Anda sudah siap"
