"""Faults injected while the app runs: the database going away mid-request, Redis down for
the rate limiter, a full disk. Each ends in a clear answer and nothing half-written."""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.extensions import db as _db
from app.extensions import limiter
from tests.conftest import PASSWORD, make_test_app
from tests.ops.faults import database_goes_away, disk_full


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: _db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (User, ApiToken, AuditEvent)
        }


def test_api_write_when_the_database_goes_away_is_a_clean_503(app, client, make_user, caplog):
    user = make_user("trainee")
    before = _counts(app)
    with database_goes_away(app, match=r"INSERT INTO api_tokens") as fault:
        response = client.post(
            "/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD}
        )
    assert fault.hits, "the fault was reached"
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    body = response.get_json()
    assert body["error"]["code"] == "unavailable"
    assert set(body["error"]) == {"code", "message", "details"}
    assert "INSERT" not in response.get_data(as_text=True)
    # the login audit entry and last-login time were flushed before the failure: all gone
    assert _counts(app) == before
    assert "database unavailable on POST /api/v1/auth/tokens" in caplog.text


def test_html_write_when_the_database_goes_away_is_a_friendly_page(app, client):
    before = _counts(app)
    with database_goes_away(app, match=r"INSERT INTO user_roles") as fault:
        response = client.post(
            "/register",
            data={
                "full_name": "Putri Ayu",
                "email": "putri.fault@contoh.id",
                "password": "sebuah frasa sandi yang panjang",
                "role": "trainee",
            },
        )
    assert fault.hits
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "Layanan sedang tidak tersedia sebentar" in page
    assert "Traceback" not in page and "INSERT" not in page
    assert _counts(app) == before  # the user row inserted first was rolled back too


def test_reads_fail_cleanly_too(app, client, make_user, token_for):
    headers = token_for(make_user("admin"))
    with database_goes_away(app, match=r"^\s*SELECT"):
        response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"


@pytest.fixture
def limiter_state():
    """The limiter is one object bound to every test app: put its state back afterwards."""
    saved = dict(limiter.__dict__)
    yield
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)


def test_redis_down_rate_limits_fall_back_to_memory_and_say_so(tmp_path, limiter_state, caplog):
    app = make_test_app(
        f"sqlite:///{tmp_path}/redis-down.db",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6390/0",  # nothing listens here
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
    )
    with app.app_context():
        _db.create_all()
    client = app.test_client()
    body = {"email": "nobody@contoh.id", "password": "wrong"}
    with caplog.at_level(logging.WARNING):
        statuses = [client.post("/api/v1/auth/tokens", json=body).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    assert "Rate limit storage unreachable - falling back to in-memory storage" in caplog.text
    limited = client.post("/api/v1/auth/tokens", json=body)
    assert limited.get_json()["error"]["code"] == "rate_limited"


def test_production_config_falls_back_by_default():
    from config import ProductionConfig

    assert ProductionConfig.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED is True


def test_disk_full_refuses_every_way_of_writing_under_the_folder(tmp_path):
    inside, outside = tmp_path / "storage", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (outside / "ok.txt").write_text("ok")
    with disk_full(inside) as fault:
        with pytest.raises(OSError) as caught:
            (inside / "a.pdf").write_bytes(b"%PDF")
        assert caught.value.errno == errno.ENOSPC
        with pytest.raises(OSError):
            open(inside / "b.pdf", "wb")  # noqa: SIM115
        fd, tmp = tempfile.mkstemp(dir=inside)
        with pytest.raises(OSError):
            os.fdopen(fd, "wb")
        os.close(fd)
        with pytest.raises(OSError):
            os.replace(outside / "ok.txt", inside / "c.pdf")
        assert (outside / "ok.txt").read_text() == "ok"  # reading still works
        (outside / "d.txt").write_text("elsewhere is fine")
    assert len(fault.hits) == 4
    (inside / "after.pdf").write_bytes(b"fine again")
    assert Path(tmp).exists()


def test_attachment_store_leaves_nothing_behind_on_a_full_disk(app, tmp_path):
    """The courses attachment store, written atomically, on a full disk."""
    storage = pytest.importorskip("app.courses.services.storage")
    with app.test_request_context():
        folder = storage.attachments_dir()
        existing = set(folder.iterdir())
        with disk_full(folder), pytest.raises(OSError):
            storage.write(storage.new_token(), b"x" * 1024)
        assert set(folder.iterdir()) == existing


def test_redis_down_for_jobs_is_a_clear_503(tmp_path, caplog):
    from redis import Redis

    app = make_test_app(f"sqlite:///{tmp_path}/jobs.db")

    @app.route("/api/v1/queue-something", methods=["POST"])
    def queue_something():
        Redis.from_url("redis://127.0.0.1:6390/0", socket_connect_timeout=1).ping()
        return {}

    response = app.test_client().post("/api/v1/queue-something")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert "Redis unreachable on POST /api/v1/queue-something" in caplog.text
