"""Registration, login, sessions that really end, staff creation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD, count_rows, login


def _register(client, **overrides):
    data = {
        "full_name": "Rina Kurniasih",
        "email": "rina@contoh.id",
        "password": "sepeda motor merah",
        "role": "trainee",
    }
    data.update(overrides)
    return client.post("/register", data=data)


def test_register_creates_a_trainee_who_then_logs_in(app, client):
    response = _register(client)
    assert response.status_code == 200
    assert "Periksa e-mail Anda" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "rina@contoh.id"))
        assert user.roles == {"trainee"}
        assert user.password_hash.startswith("$argon2id$")
        assert user.institution_id is None
    assert client.get("/account").status_code == 302  # not logged in by registering
    client.post("/login", data={"email": "rina@contoh.id", "password": "sepeda motor merah"})
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "pendek"}, "Gunakan paling sedikit 8 karakter."),
        ({"password": "password123"}, "Kata sandi ini terlalu umum"),
        ({"password": "bismillah"}, "Kata sandi ini terlalu umum"),
        ({"email": "bukan-email"}, "Masukkan alamat e-mail yang benar."),
        ({"full_name": ""}, "Kolom ini wajib diisi."),
        ({"role": "admin"}, "Not a valid choice"),
    ],
)
def test_register_bad_input_shows_message_and_writes_nothing(app, client, overrides, message):
    before = count_rows(app, User)
    response = _register(client, **overrides)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    if message != "Not a valid choice":
        assert message in text
    assert count_rows(app, User) == before


def test_login_answers_the_same_for_unknown_email_and_wrong_password(client, make_user):
    user = make_user("trainee")
    wrong = client.post("/login", data={"email": user.email, "password": "salah sekali"})
    unknown = client.post("/login", data={"email": "siapa@contoh.id", "password": "salah sekali"})
    assert wrong.status_code == unknown.status_code == 401
    message = "E-mail atau kata sandi salah."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_failed_login_is_audited_without_the_password(app, client, make_user):
    user = make_user("trainee")
    client.post("/login", data={"email": user.email, "password": "salah sekali"})
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
        ).one()
        assert event.actor_email == user.email
        assert "salah sekali" not in repr(event.__dict__)


def test_deactivated_user_cannot_log_in(app, client, make_user):
    user = make_user("trainee", is_active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_login_is_rate_limited(app, client, make_user):
    from app.extensions import limiter

    limiter.reset()
    # a different address each time: the per-address pause (tests/auth/test_throttling.py)
    # must not be what refuses them
    statuses = [
        client.post(
            "/login", data={"email": f"orang{n}@contoh.id", "password": "salah sekali"}
        ).status_code
        for n in range(12)
    ]
    limiter.reset()
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_open_redirect_after_login_is_refused(client, make_user):
    user = make_user("trainee")
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def test_session_and_remember_cookies_are_dead_after_logout(app, make_user):
    user = make_user("trainee")
    client = app.test_client()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    session_cookie = _cookie(client, "session")
    remember_cookie = _cookie(client, "remember_token")
    assert session_cookie and remember_cookie
    client.post("/logout")
    assert client.get("/account").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", session_cookie)
    assert thief.get("/account").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", remember_cookie)
    assert thief.get("/account").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user("trainee")
    this_browser, other_browser = app.test_client(), app.test_client()
    for browser in (this_browser, other_browser):
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
    response = this_browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "kereta api malam"},
    )
    assert response.status_code == 302
    assert this_browser.get("/account").status_code == 200
    assert other_browser.get("/account").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app, make_user):
    user = make_user("trainee")
    client = login(app.test_client(), user)
    response = client.post(
        "/account/password", data={"current_password": "salah sekali", "new_password": "x" * 12}
    )
    assert response.status_code == 422
    assert "Kata sandi Anda saat ini salah." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).session_version == user.session_version


def test_deactivation_ends_sessions(app, make_user, make_institution):
    from app.auth.services import set_active

    institution = make_institution()
    admin = make_user("institution_admin", institution=institution)
    staff = make_user("instructor", institution=institution)
    client = login(app.test_client(), staff)
    assert client.get("/account").status_code == 200
    with app.app_context():
        set_active(db.session.get(User, admin.id), db.session.get(User, staff.id), False)
        db.session.commit()
    assert client.get("/account").status_code == 302


def test_institution_admin_creates_staff_in_own_institution(app, client_as):
    admin = client_as("institution_admin")
    response = admin.post(
        "/staff",
        data={
            "full_name": "Budi Santoso",
            "email": "budi@contoh.id",
            "password": "palu dan obeng",
            "instructor": "y",
            "assessor": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "budi@contoh.id"))
        assert staff.roles == {"instructor", "assessor"}
        assert staff.institution_id == admin.user.institution_id


def test_staff_form_without_roles_writes_nothing(app, client_as):
    admin = client_as("institution_admin")
    before = count_rows(app, User)
    response = admin.post(
        "/staff",
        data={"full_name": "Budi", "email": "budi@contoh.id", "password": "palu dan obeng"},
    )
    assert response.status_code == 422
    assert count_rows(app, User) == before


def test_language_switch_to_english_and_back(client):
    assert "Masuk" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page
    client.post("/language", data={"locale": "id", "next": "/login"})
    assert 'lang="id"' in client.get("/login").get_data(as_text=True)


def test_logged_in_language_choice_is_kept_on_the_account(app, make_user):
    user = make_user("trainee")
    client = login(app.test_client(), user)
    client.post("/language", data={"locale": "en"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_create_admin_cli(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--email", "root@contoh.id", "--name", "Root"],
        input="bintang jatuh malam\nbintang jatuh malam\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "root@contoh.id")).is_admin
    weak = runner.invoke(
        args=["create-admin", "--email", "r2@contoh.id", "--name", "R"],
        input="password\npassword\n",
    )
    assert weak.exit_code != 0


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\t/evil.example/", "/\\evil.example", ""],
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_page_it_came_from(client):
    response = client.post("/language", data={"locale": "en", "next": "/courses?q=las"})
    assert response.headers["Location"] == "/courses?q=las"
