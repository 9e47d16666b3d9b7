"""`flask --app wsgi backup <dir>` and `flask --app wsgi restore <dir> [--force]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from app.ops.backup import BackupError, backup, restore


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("target", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(target: Path) -> None:
        """Copy the database and STORAGE_DIR into TARGET (a new folder), with checksums."""
        try:
            manifest = backup(current_app._get_current_object(), target)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Backup written to {target}: {len(manifest['files'])} files.")
        click.echo("Keep KEY_ENCRYPTION_KEY elsewhere: the signing keys in it stay encrypted.")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that holds data.")
    def restore_command(source: Path, force: bool) -> None:
        """Bring back a backup made by `backup`; refuses to overwrite data without --force."""
        try:
            report = restore(current_app._get_current_object(), source, force=force)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        rows = sum(report.tables.values())
        click.echo(f"Restored {report.backend} database ({rows} rows) and {report.files} files.")
