"""`flask --app wsgi dispatch-surveys`: send due employment surveys and reminders."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from app.placement import jobs
from app.placement.services.survey import waves


def register(app: Flask) -> None:
    app.cli.add_command(dispatch_surveys)


@click.command("dispatch-surveys")
@with_appcontext
@click.option("--inline", is_flag=True, help="Run here even when REDIS_URL is set.")
def dispatch_surveys(inline: bool) -> None:
    """Send the employment survey waves that are due (SURVEY_MONTHS) and reminders."""
    if jobs.runner() == "rq" and not inline:
        click.echo(
            f"survey dispatch queued on RQ (queue {jobs.QUEUE_NAME}): {jobs.enqueue_dispatch()}"
        )
        return
    counts = jobs.run_dispatch()
    click.echo(
        f"surveys sent: {counts['sent']}, reminders: {counts['reminded']}, "
        f"skipped: {counts['skipped']} (waves: {', '.join(map(str, waves()))} months)"
    )
