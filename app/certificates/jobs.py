"""Bulk issuance for a cohort as a background job.

The job row counts progress. Work is split into chunks: on RQ (when REDIS_URL is set, or
CERTIFICATES_JOB_RUNNER=rq) each chunk is an RQ job, so more workers finish sooner; otherwise
the chunks run in a thread of this process ("thread"), or right away ("inline", for tests).
Each certificate takes two short transactions: the number and credential first (the
counter row is locked only briefly), then the PDF. The chunks are queued, or their thread
started, once the job row is committed (`after_commit`): a worker never looks for a job
that is not there yet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue
from sqlalchemy import case, select, update

from app.audit.services import record
from app.certificates.models import BulkIssueJob, Certificate
from app.certificates.services.issuance import find_certificate, issue_certificate
from app.certificates.services.pdfstore import attach_pdf
from app.courses.models import Cohort, Enrollment
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.transactions import after_commit, commit, transaction

if TYPE_CHECKING:
    from app.auth.models import User

log = logging.getLogger(__name__)

CHUNK_SIZE = 20
QUEUE_NAME = "certificates"


def runner() -> str:
    chosen = current_app.config.get("CERTIFICATES_JOB_RUNNER")
    if chosen:
        return chosen
    return "rq" if current_app.config.get("REDIS_URL") else "thread"


def pending_enrollments(cohort: Cohort) -> list[int]:
    """Completed enrolments of the cohort that have no certificate yet."""
    rows = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == "completed")
        .order_by(Enrollment.id)
    )
    pending = []
    for enrollment in rows:
        cert = find_certificate(enrollment)
        if cert is None or cert.state != "issued":
            pending.append(enrollment.id)
    return pending


def start_cohort_job(cohort: Cohort, actor: User | None = None) -> BulkIssueJob:
    """Create the job row; `dispatch` then hands its chunks to the runner."""
    ids = pending_enrollments(cohort)
    if not ids:
        raise Conflict("Every completed trainee of this cohort already has a certificate.")
    job = BulkIssueJob(
        institution_id=cohort.course.institution_id,
        cohort_id=cohort.id,
        created_by_id=getattr(actor, "id", None),
        total=len(ids),
    )
    db.session.add(job)
    db.session.flush()
    record(
        "certificate.bulk_issue",
        actor=actor,
        institution_id=job.institution_id,
        target=job,
        after={"cohort_id": cohort.id, "total": job.total},
    )
    return job


def chunks(ids: list[int], size: int = CHUNK_SIZE) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def dispatch(job: BulkIssueJob, ids: list[int]) -> None:
    """Hand the job's chunks to the runner once the job row is committed: RQ jobs are
    queued, or the thread started, after the commit of the transaction it is part of.
    "inline" (for tests) runs them here, as a worker would: the job row is committed first."""
    mode = runner()
    parts = chunks(ids)
    job_id = job.id
    if mode == "inline":
        commit()
        for part in parts:
            run_chunk(job_id, part)
    elif mode == "rq":
        queue = Queue(QUEUE_NAME, connection=Redis.from_url(current_app.config["REDIS_URL"]))

        def enqueue() -> None:
            for part in parts:
                queue.enqueue(run_chunk, job_id, part, job_timeout=3600)

        after_commit(enqueue)
    else:
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def work() -> None:
            with app.app_context():
                for part in parts:
                    run_chunk(job_id, part)

        after_commit(threading.Thread(target=work, name=f"bulk-issue-{job_id}", daemon=True).start)


@contextmanager
def _app_context() -> Iterator[None]:
    if has_app_context():
        yield
        return
    from app import create_app

    with create_app().app_context():
        yield


def _bump(job_id: int, ok: bool) -> None:
    column = BulkIssueJob.done if ok else BulkIssueJob.failed
    # A retried chunk (after a worker died mid-job) counts its enrolments again: never
    # past the total, so progress stays a true fraction.
    capped = case((column + 1 > BulkIssueJob.total, BulkIssueJob.total), else_=column + 1)
    db.session.execute(
        update(BulkIssueJob)
        .where(BulkIssueJob.id == job_id)
        .values({column.key: capped, "status": "running"})
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(BulkIssueJob)
        .where(
            BulkIssueJob.id == job_id,
            BulkIssueJob.done + BulkIssueJob.failed >= BulkIssueJob.total,
        )
        .values(status="done", finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def issue_one(enrollment_id: int) -> Certificate:
    """Issue one enrolment's certificate in two commits: the row, then its PDF."""
    with transaction():
        enrollment = db.session.get(Enrollment, enrollment_id)
        if enrollment is None:
            raise Conflict("The enrolment no longer exists.")
        cert = issue_certificate(enrollment, with_pdf=False)
    if cert.state != "issued":
        with transaction():
            attach_pdf(cert)
    return cert


def run_chunk(job_id: int, enrollment_ids: list[int]) -> None:
    """Issue a chunk of a job's certificates (an RQ job function; imports its own app)."""
    with _app_context():
        for enrollment_id in enrollment_ids:
            try:
                issue_one(enrollment_id)
                ok = True
            except Exception:
                log.exception("bulk job %s: enrolment %s failed", job_id, enrollment_id)
                ok = False
            with transaction():
                _bump(job_id, ok)
