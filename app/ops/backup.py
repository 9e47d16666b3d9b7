"""Backup and restore of everything Kompeten keeps: the database (signing keys inside it stay
encrypted under KEY_ENCRYPTION_KEY, which is never copied) and STORAGE_DIR (certificate PDFs,
attachments), with a manifest holding the SHA-256 of every file.

SQLite is copied with its online backup API: a consistent snapshot while the app writes.
PostgreSQL is dumped with `pg_dump --format=custom` (one consistent snapshot) and brought back
with `pg_restore`. The database is copied before the files: a file is written before the row
that names it is committed, so every row in the copy finds its file."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from app.db import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
STORAGE = "storage"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreReport:
    backend: str
    files: int
    tables: dict[str, int]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprint(kek: str | None) -> str | None:
    """A short one-way fingerprint of KEY_ENCRYPTION_KEY, so that a restore can tell whether
    this server holds the key that opens the backup's signing keys."""
    if not kek:
        return None
    return hashlib.sha256(b"kompeten-kek-fingerprint:" + kek.encode()).hexdigest()[:16]


def _url(app: Flask) -> URL:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"])


def _pg_env(url: URL) -> dict[str, str]:
    """libpq settings through the environment: the password never shows in `ps`."""
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[name] = str(value)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not on PATH; install the PostgreSQL client tools")
    # pg_dump/pg_restore with a fixed argument list and no shell: nothing to inject into.
    done = subprocess.run(  # noqa: S603 # nosec B603
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _count_sql(table: str) -> str:
    # The name comes from our own metadata, never from a request.
    return f'SELECT count(*) FROM "{table}"'  # noqa: S608 # nosec B608


def table_counts(connection: sqlite3.Connection | None = None) -> dict[str, int]:
    """Rows per table: of a SQLite file when given a connection, else of the app's database."""
    names = [table.name for table in db.metadata.sorted_tables]
    if connection is not None:
        present = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return {
            name: connection.execute(_count_sql(name)).fetchone()[0]
            for name in names
            if name in present
        }
    existing = set(inspect(db.engine).get_table_names())
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
        if table.name in existing
    }


def _copy_storage(source: Path, target: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    if not source.is_dir():
        return files
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue  # temporary files of an atomic write in progress
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        files[f"{STORAGE}/{relative.as_posix()}"] = {
            "sha256": sha256_of(destination),
            "size": destination.stat().st_size,
        }
    return files


def backup(app: Flask, target: Path) -> dict[str, Any]:
    """Write a backup into `target`, which must be missing or empty; return the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    url = _url(app)
    backend = url.get_backend_name()
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": utcnow().isoformat()}
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("an in-memory SQLite database cannot be backed up")
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            raw = db.engine.raw_connection()
            try:
                raw.driver_connection.backup(destination)  # type: ignore[union-attr]
            finally:
                raw.close()
            manifest["tables"] = table_counts(destination)
        finally:
            destination.close()
        database_file = SQLITE_FILE
    elif backend == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target / PG_FILE}"], _pg_env(url)
        )
        database_file = PG_FILE
    else:
        raise BackupError(f"backups of {backend} databases are not supported")
    manifest["database"] = {"backend": backend, "file": database_file}
    files = {database_file: {"sha256": sha256_of(target / database_file)}}
    files[database_file]["size"] = (target / database_file).stat().st_size
    files.update(_copy_storage(Path(app.config["STORAGE_DIR"]), target / STORAGE))
    manifest["files"] = files
    manifest["key_encryption_key"] = key_fingerprint(app.config.get("KEY_ENCRYPTION_KEY"))
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    log.info("backup of %s written to %s: %d files", backend, target, len(files))
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup, after checking every file against its SHA-256."""
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not a Kompeten backup")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
    for name, entry in manifest["files"].items():
        file = (Path(source) / name).resolve()
        if not file.is_relative_to(Path(source).resolve()) or not file.is_file():
            raise BackupError(f"the backup is missing {name}")
        if sha256_of(file) != entry["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def database_is_empty() -> bool:
    return not any(table_counts().values())


def _storage_is_empty(storage: Path) -> bool:
    return not storage.exists() or not any(p.is_file() for p in storage.rglob("*"))


def _restore_storage(source: Path, storage: Path) -> int:
    """Swap STORAGE_DIR for the backup's copy; the old folder is kept beside it."""
    staging = storage.with_name(storage.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    else:
        staging.mkdir(parents=True)
    if storage.exists():
        kept = storage.with_name(f"{storage.name}.before-restore-{utcnow():%Y%m%d%H%M%S}")
        storage.rename(kept)
        log.warning("the storage folder before the restore is kept at %s", kept)
    staging.rename(storage)
    return sum(1 for p in storage.rglob("*") if p.is_file())


def restore(app: Flask, source: Path, *, force: bool = False) -> RestoreReport:
    """Bring a backup back. Refuses a database or storage folder that holds data unless
    `force`; checks every checksum before it touches anything."""
    source = Path(source)
    manifest = read_manifest(source)
    url = _url(app)
    backend = url.get_backend_name()
    if manifest["database"]["backend"] != backend:
        raise BackupError(
            f"the backup is of a {manifest['database']['backend']} database, this is {backend}"
        )
    storage = Path(app.config["STORAGE_DIR"])
    if not force and not (database_is_empty() and _storage_is_empty(storage)):
        raise BackupError("the database or storage folder holds data; use --force to replace it")
    if manifest.get("key_encryption_key") != key_fingerprint(app.config.get("KEY_ENCRYPTION_KEY")):
        log.warning(
            "KEY_ENCRYPTION_KEY differs from the backup's: its signing keys cannot be opened "
            "until the original key is configured"
        )
    db.session.remove()
    database_file = source / manifest["database"]["file"]
    if backend == "sqlite":
        backup_copy = sqlite3.connect(database_file)
        try:
            raw = db.engine.raw_connection()
            try:
                backup_copy.backup(raw.driver_connection)  # type: ignore[arg-type]
            finally:
                raw.close()
        finally:
            backup_copy.close()
    else:
        db.engine.dispose()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={url.database}",
                str(database_file),
            ],
            _pg_env(url),
        )
    db.engine.dispose()
    tables = table_counts()
    expected = manifest.get("tables")
    if expected and {k: tables.get(k) for k in expected} != expected:
        raise BackupError(f"row counts after the restore differ: {tables} != {expected}")
    files = _restore_storage(source / STORAGE, storage)
    log.warning("restored a %s backup from %s: %d files", backend, source, files)
    return RestoreReport(backend=backend, files=files, tables=tables)
