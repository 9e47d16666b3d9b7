"""Shared fixtures: one app per session, each test in a rolled-back transaction.

The database is SQLite (a file in a temporary folder) unless TEST_DATABASE_URL names
another, e.g. postgresql://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.auth.models import User, UserRole
from app.auth.passwords import hash_password
from app.extensions import db as _db
from app.i18n import compile_catalogs
from app.institutions.models import Institution
from config import TestConfig, database_url

PASSWORD = "correct horse battery staple"
_HASH: dict[str, str] = {}


def database_url_for_run(tmp_dir: str) -> str:
    return database_url(os.environ.get("TEST_DATABASE_URL")) or f"sqlite:///{tmp_dir}/test.db"


def private_database(url: str) -> tuple[str, Callable[[], None]]:
    """On PostgreSQL, a fresh database of this run's own, so that parallel runs never meet;
    returns its URL and the function that drops it. SQLite files are private already."""
    if make_url(url).get_backend_name() != "postgresql":
        return url, lambda: None
    name = f"kompeten_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def make_test_app(url: str, **overrides: Any) -> Flask:
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False

    for key, value in overrides.items():
        setattr(Config, key, value)
    return create_app(Config)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    compile_catalogs()
    tmp = tmp_path_factory.mktemp("db")
    url, drop = private_database(database_url_for_run(str(tmp)))
    application = make_test_app(url, STORAGE_DIR=str(tmp / "storage"))
    with application.app_context():
        _db.create_all()
        _db.session.remove()
        # Request code commits into savepoints of each test's outer transaction (see `db`).
        _db.session.configure(join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield application
    with application.app_context():
        _db.engine.dispose()
    drop()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """Each test runs inside a transaction that is rolled back at its end. Request code
    commits into savepoints of it."""
    with app.app_context():
        engine = _db.engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        _db.session.remove()
        _db._app_engines[app][None] = connection  # type: ignore[assignment]
    try:
        yield _db
    finally:
        with app.app_context():
            _db.session.remove()
            _db._app_engines[app][None] = engine
        transaction.rollback()
        connection.close()


@pytest.fixture
def committed_db(app: Flask) -> Iterator[Any]:
    """For tests whose threads need their own connections: data is really committed, and
    every table is emptied afterwards."""
    yield _db
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def ctx(app: Flask, db: Any) -> Iterator[Flask]:
    """An app context for calling services directly. Do not use with `client` requests."""
    with app.test_request_context():
        yield app


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


def _password_hash() -> str:
    if PASSWORD not in _HASH:
        _HASH[PASSWORD] = hash_password(PASSWORD)
    return _HASH[PASSWORD]


_counter = {"n": 0}


def _unique(prefix: str) -> str:
    _counter["n"] += 1
    return f"{prefix}{_counter['n']}"


@pytest.fixture
def make_institution(app: Flask, db: Any) -> Callable[..., Institution]:
    def make(**fields: Any) -> Institution:
        slug = fields.pop("slug", None) or _unique("inst-")
        with app.app_context():
            institution = Institution(
                name=fields.pop("name", f"BLK {slug}"),
                slug=slug,
                type=fields.pop("type", "BLK"),
                province=fields.pop("province", "Jawa Barat"),
                city=fields.pop("city", "Bandung"),
                number_prefix=fields.pop(
                    "number_prefix", re.sub(r"[^A-Z0-9]", "", slug.upper())[:10]
                ),
                **fields,
            )
            _db.session.add(institution)
            _db.session.commit()
            return institution

    return make


@pytest.fixture
def make_user(
    app: Flask, db: Any, make_institution: Callable[..., Institution]
) -> Callable[..., User]:
    """make_user("instructor", institution=inst) -> a committed user with PASSWORD."""

    def make(*roles: str, institution: Institution | None = None, **fields: Any) -> User:
        roles = roles or ("trainee",)
        staff = {"instructor", "assessor", "placement_officer", "institution_admin"}
        if institution is None and staff & set(roles):
            institution = make_institution()
        with app.app_context():
            user = User(
                email=fields.pop("email", None) or f"{_unique('user')}@contoh.id",
                full_name=fields.pop("full_name", "Pengguna Uji"),
                password_hash=_password_hash(),
                institution_id=institution.id if institution else None,
                **fields,
            )
            user.role_rows = [UserRole(role=r) for r in roles]
            _db.session.add(user)
            _db.session.commit()
            _ = user.roles  # load before the session closes
            return user

    return make


def login(client: FlaskClient, user: User) -> FlaskClient:
    """Log a test client in without going through the password form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def client_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., FlaskClient]:
    """client_as("instructor") -> (a logged-in test client). Its user is `client.user`."""

    def make(*roles: str, user: User | None = None, **fields: Any) -> FlaskClient:
        user = user or make_user(*roles, **fields)
        new_client = app.test_client()
        login(new_client, user)
        new_client.user = user  # type: ignore[attr-defined]
        return new_client

    return make


@pytest.fixture
def token_for(app: Flask) -> Callable[[User], dict[str, str]]:
    """Authorization headers with a fresh bearer token for a user."""
    from app.auth.services import create_token

    def make(user: User) -> dict[str, str]:
        with app.app_context():
            fresh = _db.session.get(User, user.id)
            _token, raw = create_token(fresh, "test", 1)
            _db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def count_rows(app: Flask, model: type) -> int:
    from sqlalchemy import func, select

    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model)) or 0


def is_postgres(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def backend(app: Flask) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
