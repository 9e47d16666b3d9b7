"""Survey dispatch as a background job: in-process by default, on an RQ worker (queue
"placement") when REDIS_URL is set. A scheduler (cron, systemd timer) runs
`flask --app wsgi dispatch-surveys` daily; the work is idempotent, so running it twice
sends nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue

from app import create_app
from app.placement.services.survey import dispatch
from app.transactions import transaction

log = logging.getLogger(__name__)

QUEUE_NAME = "placement"


@contextmanager
def _app_context() -> Iterator[None]:
    if has_app_context():
        yield
        return
    with create_app().app_context():
        yield


def run_dispatch() -> dict[str, int]:
    """Send due surveys and reminders, commit, and return the counts (also on RQ)."""
    with _app_context():
        with transaction():
            report = dispatch()
        return {"sent": report.sent, "reminded": report.reminded, "skipped": report.skipped}


def runner() -> str:
    return "rq" if current_app.config.get("REDIS_URL") else "inline"


def enqueue_dispatch() -> str:
    """Queue the dispatch on RQ; returns the RQ job id."""
    queue = Queue(QUEUE_NAME, connection=Redis.from_url(current_app.config["REDIS_URL"]))
    job = queue.enqueue(run_dispatch, job_timeout=3600)
    log.info("survey dispatch queued as RQ job %s", job.id)
    return job.id
