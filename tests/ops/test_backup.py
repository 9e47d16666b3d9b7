"""Backup while the app writes, wipe, restore, and the data is back: on SQLite, and on
PostgreSQL when the suite runs there (pg_dump/pg_restore on PATH)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import record
from app.auth.models import User
from app.auth.services import create_user
from app.extensions import db as _db
from app.institutions.models import Institution
from app.ops.backup import BackupError, backup, database_is_empty, restore
from tests.conftest import PASSWORD, make_test_app, private_database


@pytest.fixture
def own_app(tmp_path: Path) -> Iterator[Flask]:
    """An app with a committed database of its own, like a running server's."""
    suite_url = os.environ.get("TEST_DATABASE_URL")
    if suite_url and suite_url.startswith("postgres"):
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump/pg_restore are not on PATH")
        from config import database_url

        url, drop = private_database(database_url(suite_url))
    else:
        url, drop = f"sqlite:///{tmp_path}/live.db", lambda: None
    application = make_test_app(url, STORAGE_DIR=str(tmp_path / "storage"))
    with application.app_context():
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()
    drop()


def _seed(app: Flask) -> None:
    with app.app_context():
        institution = Institution(
            name="BLK Backup", slug="blk-backup", type="BLK", province="Jawa Barat", city="Bogor"
        )
        _db.session.add(institution)
        user = create_user(
            email="cadangan@contoh.id",
            password=PASSWORD,
            full_name="Cadangan",
            roles=["instructor"],
            institution=institution,
        )
        record("test.before_backup", actor=user)
        _db.session.commit()
    storage = Path(app.config["STORAGE_DIR"])
    (storage / "certificates").mkdir(parents=True)
    (storage / "certificates" / "abc.pdf").write_bytes(b"%PDF-1.7 signed")
    (storage / "attachments").mkdir()
    (storage / "attachments" / "tok").write_bytes(b"lesson file")
    (storage / "attachments" / ".upload-partial").write_bytes(b"half")


def _wipe(app: Flask) -> None:
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.create_all()
    shutil.rmtree(app.config["STORAGE_DIR"])


def _cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_backup_wipe_restore(own_app, tmp_path):
    _seed(own_app)
    target = tmp_path / "backup-1"
    result = _cli(own_app, "backup", str(target))
    assert result.exit_code == 0, result.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert set(manifest["files"]) >= {
        "storage/certificates/abc.pdf",
        "storage/attachments/tok",
    }
    assert "storage/attachments/.upload-partial" not in manifest["files"]
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert manifest["key_encryption_key"] and "dGVzdC" not in json.dumps(manifest)

    _wipe(own_app)
    with own_app.app_context():
        assert database_is_empty()
    result = _cli(own_app, "restore", str(target))
    assert result.exit_code == 0, result.output

    with own_app.app_context():
        user = _db.session.scalar(select(User).where(User.email == "cadangan@contoh.id"))
        assert user is not None and user.institution.slug == "blk-backup"
        assert _db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "test.before_backup")
        )
    storage = Path(own_app.config["STORAGE_DIR"])
    assert (storage / "certificates" / "abc.pdf").read_bytes() == b"%PDF-1.7 signed"
    # the restored database works: a user can still log in
    response = own_app.test_client().post(
        "/api/v1/auth/tokens", json={"email": "cadangan@contoh.id", "password": PASSWORD}
    )
    assert response.status_code == 201


def test_restore_refuses_to_overwrite_data_without_force(own_app, tmp_path):
    _seed(own_app)
    target = tmp_path / "backup-2"
    assert _cli(own_app, "backup", str(target)).exit_code == 0
    with own_app.app_context():
        record("test.after_backup")
        _db.session.commit()
    refused = _cli(own_app, "restore", str(target))
    assert refused.exit_code != 0
    assert "--force" in refused.output
    forced = _cli(own_app, "restore", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    with own_app.app_context():
        actions = set(_db.session.scalars(select(AuditEvent.action)))
    assert "test.before_backup" in actions and "test.after_backup" not in actions
    kept = list(tmp_path.glob("storage.before-restore-*"))
    assert kept, "the storage folder that was replaced is kept beside it"


def test_a_damaged_backup_is_refused_before_anything_changes(own_app, tmp_path):
    _seed(own_app)
    target = tmp_path / "backup-3"
    assert _cli(own_app, "backup", str(target)).exit_code == 0
    (target / "storage" / "certificates" / "abc.pdf").write_bytes(b"%PDF tampered")
    _wipe(own_app)
    result = _cli(own_app, "restore", str(target))
    assert result.exit_code != 0 and "checksum" in result.output
    with own_app.app_context():
        assert database_is_empty()


def test_backup_refuses_a_folder_in_use(own_app, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    result = _cli(own_app, "backup", str(tmp_path / "used"))
    assert result.exit_code != 0 and "not empty" in result.output


def test_backup_is_consistent_while_the_app_writes(own_app, tmp_path):
    _seed(own_app)
    stop = threading.Event()
    written = {"n": 0}

    def writer() -> None:
        with own_app.app_context():
            while not stop.is_set():
                record("test.concurrent", after={"n": written["n"]})
                _db.session.commit()
                written["n"] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written["n"] < 5:
            stop.wait(0.01)
        with own_app.app_context():
            manifest = backup(own_app, tmp_path / "backup-4")
    finally:
        stop.set()
        thread.join()
    assert written["n"] >= 5
    _wipe(own_app)
    with own_app.app_context():
        report = restore(own_app, tmp_path / "backup-4")
        concurrent = _db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "test.concurrent")
        ).all()
    # every event the snapshot holds is whole, and numbered without gaps
    assert sorted(e.after["n"] for e in concurrent) == list(range(len(concurrent)))
    if "tables" in manifest:
        assert report.tables["audit_events"] == manifest["tables"]["audit_events"]


def test_restore_refuses_a_folder_that_is_not_a_backup(own_app, tmp_path):
    with own_app.app_context(), pytest.raises(BackupError, match="not a Kompeten backup"):
        restore(own_app, tmp_path)


def test_a_certificate_issued_before_the_backup_verifies_after_restore(own_app, tmp_path):
    from app.certificates.models import Certificate
    from app.seed import run as seed
    from app.transactions import transaction

    with own_app.app_context():
        with transaction():
            seed()  # the demo certificates, issued and signed
        issued = select(Certificate.code).where(Certificate.state == "issued")
        if _db.session.scalar(issued) is None:  # the seed may leave PDFs to a later job
            from app.certificates.services.issuance import retry_pending_pdfs

            retry_pending_pdfs(limit=1)
            _db.session.commit()
        code = _db.session.scalar(issued)
    assert code
    client = own_app.test_client()
    before = client.get(f"/api/v1/verify/{code}").get_json()
    assert before["status"] == "valid"
    pdf = client.get(f"/v/{code}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    target = tmp_path / "backup-cert"
    assert _cli(own_app, "backup", str(target)).exit_code == 0
    if (target / "database.sqlite3").exists():
        raw = (target / "database.sqlite3").read_bytes()
        assert b"PRIVATE KEY" not in raw, "signing keys stay encrypted in the backup"
    _wipe(own_app)
    assert client.get(f"/api/v1/verify/{code}").status_code == 404
    result = _cli(own_app, "restore", str(target))
    assert result.exit_code == 0, result.output

    after = client.get(f"/api/v1/verify/{code}").get_json()
    assert after["status"] == "valid"
    assert after == before
    assert client.get(f"/v/{code}/certificate.pdf").data == pdf.data
