"""One transaction per request, committed in app.transactions: a response below 400 commits,
an error rolls back, and the few failures that must keep their writes say so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.errors import AppError, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution
from app.transactions import after_commit, keep_changes, transaction
from tests.conftest import make_test_app


class KeptFailure(AppError):
    status = 409
    code = "kept"
    keeps_changes = True


@pytest.fixture
def app_with_routes(tmp_path: Path) -> Iterator[tuple[Flask, list[str]]]:
    app = make_test_app(f"sqlite:///{tmp_path}/tx.db", STORAGE_DIR=str(tmp_path / "storage"))
    ran: list[str] = []

    def add(slug: str) -> None:
        db.session.add(Institution(name=slug, slug=slug, type="BLK", province="P", city="C"))
        db.session.flush()

    @app.post("/t/ok")
    def ok() -> str:
        add("ok")
        after_commit(lambda: ran.append("ok"))
        return "done"

    @app.post("/t/app-error")
    def app_error() -> str:
        add("app-error")
        after_commit(lambda: ran.append("app-error"))
        raise ValidationFailed("no")

    @app.post("/t/status")
    def status() -> tuple[str, int]:
        add("status")
        return "refused", 400

    @app.post("/t/crash")
    def crash() -> str:
        add("crash")
        raise RuntimeError("boom")

    @app.post("/t/kept-error")
    def kept_error() -> str:
        add("kept-error")
        raise KeptFailure("kept")

    @app.post("/t/kept-status")
    def kept_status() -> tuple[str, int]:
        add("kept-status")
        keep_changes()
        return "wrong password", 401

    @app.post("/t/duplicate")
    def duplicate() -> str:
        db.session.add(Institution(name="x", slug="ok", type="BLK", province="P", city="C"))
        return "looks fine until the commit"

    with app.app_context():
        db.create_all()
    yield app, ran
    with app.app_context():
        db.engine.dispose()


def stored(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Institution.slug)))


@pytest.mark.parametrize(
    ("path", "status", "kept"),
    [
        ("/t/ok", 200, True),
        ("/t/app-error", 422, False),
        ("/t/status", 400, False),
        ("/t/crash", 500, False),
        ("/t/kept-error", 409, True),
        ("/t/kept-status", 401, True),
    ],
)
def test_a_request_commits_only_what_it_should(app_with_routes, path, status, kept):
    app, _ = app_with_routes
    response = app.test_client().post(path)
    assert response.status_code == status
    assert (path.removeprefix("/t/") in stored(app)) is kept


def test_after_commit_runs_once_after_a_commit_and_never_after_a_rollback(app_with_routes):
    app, ran = app_with_routes
    client = app.test_client()
    assert client.post("/t/app-error").status_code == 422
    assert ran == []
    assert client.post("/t/ok").status_code == 200
    assert ran == ["ok"]
    assert client.post("/t/status").status_code == 400
    assert ran == ["ok"]


def test_a_commit_that_fails_answers_with_the_envelope_and_keeps_nothing(app_with_routes):
    app, _ = app_with_routes
    client = app.test_client()
    assert client.post("/t/ok").status_code == 200
    response = client.post("/t/duplicate", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Institution)) == 1


def test_transaction_commits_a_block_and_rolls_back_a_failed_one(app_with_routes):
    app, ran = app_with_routes
    with app.app_context():
        with transaction():
            db.session.add(Institution(name="a", slug="cli-a", type="BLK", province="P", city="C"))
            after_commit(lambda: ran.append("cli-a"))
        with pytest.raises(ValueError), transaction():
            db.session.add(Institution(name="b", slug="cli-b", type="BLK", province="P", city="C"))
            after_commit(lambda: ran.append("cli-b"))
            raise ValueError("job failed")
    assert stored(app) == {"cli-a"}
    assert ran == ["cli-a"]
