"""Command-line commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask

from app.auth.services import create_user
from app.errors import AppError
from app.i18n import compile_catalogs
from app.seed import run
from app.transactions import transaction


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo data (idempotent) and print the demo accounts."""
        with transaction():
            report = run()
        click.echo("Demo accounts (role, e-mail, password):")
        for roles, email, password in report.accounts:
            click.echo(f"  {roles:<20} {email:<32} {password}")
        for line in report.lines:
            click.echo(line)

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", "full_name", prompt="Full name")
    @click.password_option()
    def create_admin(email: str, full_name: str, password: str) -> None:
        """Create a platform admin."""
        try:
            with transaction():
                user = create_user(
                    email=email, password=password, full_name=full_name, roles=["admin"]
                )
        except AppError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"Platform admin {user.email} created.")

    @app.cli.command("compile-translations")
    def compile_translations() -> None:
        """Compile the .po catalogues to .mo (the build does this; .mo is never committed)."""
        for path in compile_catalogs():
            click.echo(f"compiled {path}")
