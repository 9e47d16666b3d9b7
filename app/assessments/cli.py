"""`flask --app wsgi close-overdue-attempts`: for cron or any scheduler."""

from __future__ import annotations

import click

from app.assessments import bp
from app.assessments.services.attempts import close_overdue_attempts
from app.transactions import transaction


@bp.cli.command("close-overdue-attempts")
def close_overdue() -> None:
    """Close and grade every attempt past its deadline and grace period."""
    with transaction():
        closed = close_overdue_attempts()
    click.echo(f"closed {closed} overdue attempts")
