"""Migrations build an empty database to exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]


def _flask(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "KOMPETEN_ENV": "development"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _upgrade_and_check(url: str) -> None:
    upgrade = _flask(url, "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    check = _flask(url, "check")
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_migrations_upgrade_empty_sqlite_without_drift(tmp_path):
    _upgrade_and_check(f"sqlite:///{tmp_path}/migrated.db")


def test_migrations_upgrade_empty_postgresql_without_drift(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if make_url(url).get_backend_name() != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    name = f"kompeten_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_and_check(make_url(url).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_revision_files_are_date_prefixed():
    names = [p.name for p in (ROOT / "migrations" / "versions").glob("*.py")]
    assert names
    assert all(name[:8].isdigit() and name[8] == "_" for name in names), names
