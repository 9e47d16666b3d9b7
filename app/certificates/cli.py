"""`flask --app wsgi issue-cohort | verify-file | rotate-keys | compromise-key |
retry-certificate-pdfs`."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from app.certificates import jobs
from app.certificates.models import BulkIssueJob
from app.certificates.services.issuance import retry_pending_pdfs
from app.certificates.services.keys import (
    compromise_key,
    ensure_document_cert,
    find_key,
    rotate_keys,
)
from app.certificates.services.upload import verify_upload
from app.courses.models import Cohort
from app.errors import AppError
from app.extensions import db
from app.institutions.models import Institution
from app.transactions import transaction


def _institution(slug: str) -> Institution:
    found = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if found is None:
        raise click.ClickException(f"No institution with slug {slug!r}.")
    return found


def register(app: Flask) -> None:
    @app.cli.command("issue-cohort")
    @click.option("--cohort", "cohort_id", type=int, required=True, help="Cohort id")
    def issue_cohort(cohort_id: int) -> None:
        """Issue certificates for every completed trainee of a cohort, with a progress bar."""

        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None:
            raise click.ClickException(f"No cohort {cohort_id}.")
        ids = jobs.pending_enrollments(cohort)
        on_rq = jobs.runner() == "rq"
        try:
            with transaction():
                job = jobs.start_cohort_job(cohort)
                if on_rq:
                    jobs.dispatch(job, ids)  # queued once the job row is committed
        except AppError as error:
            raise click.ClickException(error.message) from error
        with click.progressbar(length=job.total, label=f"Issuing {job.total} certificates") as bar:
            if on_rq:
                seen = 0
                while seen < job.total:
                    time.sleep(0.5)
                    db.session.expire_all()
                    current = db.session.get(BulkIssueJob, job.id)
                    progress = current.done + current.failed
                    bar.update(progress - seen)
                    seen = progress
            else:
                for part in jobs.chunks(ids, 1):
                    jobs.run_chunk(job.id, part)
                    bar.update(1)
        db.session.expire_all()
        job = db.session.get(BulkIssueJob, job.id)
        click.echo(f"Issued {job.done}, failed {job.failed}.")

    @app.cli.command("verify-file")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def verify_file(path: Path) -> None:
        """Verify a certificate PDF or credential JSON offline, against our DID documents.

        A file larger than an upload may be (MAX_CONTENT_LENGTH) is refused unread; within
        it, a credential is bounded as every other way in bounds it (services/intake.py).
        """

        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        size = path.stat().st_size
        if limit and size > limit:
            raise click.ClickException(
                f"{path} is {size} bytes; an upload may be at most {limit} (MAX_CONTENT_LENGTH)."
            )
        try:
            result = verify_upload(path.read_bytes())
        except AppError as error:
            raise click.ClickException(error.message) from error
        cert = result.pop("certificate")
        result["number"] = cert.number if cert else None
        click.echo(json.dumps(result, indent=2))
        if not (result["genuine"] and result["unmodified"]):
            raise SystemExit(1)

    @app.cli.command("rotate-keys")
    @click.option("--institution", "slug", required=True, help="Institution slug")
    def rotate(slug: str) -> None:
        """Make a new credential key and document-signing certificate; old ones still verify."""

        with transaction():
            institution = _institution(slug)
            key = rotate_keys(institution, actor=None)
            ensure_document_cert(institution)
        click.echo(f"{institution.slug}: new credential key {key.fragment}")

    @app.cli.command("compromise-key")
    @click.option("--institution", "slug", required=True, help="Institution slug")
    @click.option("--key", "fragment", required=True, help="Key id, e.g. key-1")
    @click.option("--since", default=None, help="ISO time (UTC) from which it is distrusted")
    @click.option("--reason", required=True)
    def compromise(slug: str, fragment: str, since: str | None, reason: str) -> None:
        """Mark a credential key compromised from a moment on."""

        institution = _institution(slug)
        moment = datetime.fromisoformat(since) if since else datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        try:
            with transaction():
                key = compromise_key(find_key(institution, fragment), moment, reason)
        except AppError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"{institution.slug}: {key.fragment} compromised since {moment.isoformat()}")

    @app.cli.command("retry-certificate-pdfs")
    def retry_pdfs() -> None:
        """Render the PDFs of certificates left pending by a failure."""

        with transaction():
            done = retry_pending_pdfs()
        click.echo(f"Rendered {len(done)} pending certificate PDFs.")
