"""`flask --app wsgi dispatch-surveys`: send due employment surveys and reminders."""

from __future__ import annotations

import click

from app.extensions import db
from app.placement import bp


@bp.cli.command("dispatch-surveys")
def dispatch_surveys() -> None:
    """Send the employment survey waves that are due (SURVEY_MONTHS) and reminders."""
    from app.placement.services.survey import dispatch

    report = dispatch()
    db.session.commit()
    click.echo(
        f"surveys sent: {report.sent}, reminders: {report.reminded}, "
        f"skipped: {report.skipped} (waves: {', '.join(map(str, report.waves))} months)"
    )
