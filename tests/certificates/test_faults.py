"""Faults during issuance: a full disk when the PDF is stored, and a bulk-issuance worker
killed mid-job. Neither leaves a certificate without its PDF for good, a PDF without its
record, or a second certificate for anyone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.certificates.models import BulkIssueJob, Certificate
from app.certificates.services import pdfstore
from app.certificates.services.issuance import retry_pending_pdfs
from app.courses.models import CourseVersion, Enrollment
from app.courses.signals import course_completed
from app.extensions import db
from tests.certificates.conftest import build_course, complete, make_cohort
from tests.ops.faults import disk_full

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"


def test_a_full_disk_leaves_the_certificate_pending_and_retryable(app, completed):
    enrollment_id = completed()
    with app.app_context():
        folder = pdfstore.storage_dir()
        before = set(folder.iterdir())
        with disk_full(folder) as fault:
            course_completed.send(app, enrollment=db.session.get(Enrollment, enrollment_id))
            db.session.commit()
        assert fault.hits, "the issuance never tried to write its PDF"
        cert = db.session.scalar(
            select(Certificate).where(Certificate.enrollment_id == enrollment_id)
        )
        assert cert.state == "pending_pdf" and cert.pdf_name is None
        assert set(folder.iterdir()) == before  # no stray file either

        assert [c.id for c in retry_pending_pdfs()] == [cert.id]
        db.session.commit()
        cert = db.session.get(Certificate, cert.id)
        assert cert.state == "issued" and pdfstore.read_pdf(cert) is not None


def _worker_env(app) -> dict[str, str]:
    return {
        **os.environ,
        "KOMPETEN_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "STORAGE_DIR": app.config["STORAGE_DIR"],
        "KEY_ENCRYPTION_KEY": app.config["KEY_ENCRYPTION_KEY"],
        "BASE_URL": app.config["BASE_URL"],
        "REDIS_URL": REDIS_URL,
    }


def _kill_with_children(pid: int) -> None:
    """SIGKILL a process and its children: RQ's work horse runs in a process group of its
    own, so killing the worker's group alone would leave the horse working."""
    for line in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = line.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            os.kill(int(line.parent.name), signal.SIGKILL)
    os.killpg(pid, signal.SIGKILL)


def _issued(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Certificate)) or 0


def _committed_world(app, trainees: int) -> tuple[int, list[int]]:
    """An institution and completed trainees, really committed (a worker process reads them)."""
    from app.auth.models import User, UserRole
    from app.institutions.models import Institution

    with app.app_context():
        institution = Institution(
            name="BLK Uji",
            slug=f"blk-uji-{uuid.uuid4().hex[:6]}",
            type="BLK",
            province="Jawa Barat",
            city="Bandung",
            number_prefix="BLKUJI",
        )
        users = [
            User(
                email=f"u{n}-{uuid.uuid4().hex[:6]}@contoh.id",
                full_name=f"Peserta {n}",
                password_hash="x",
                role_rows=[UserRole(role="trainee")],
            )
            for n in range(trainees)
        ]
        db.session.add_all([institution, *users])
        db.session.commit()
        return institution.id, [u.id for u in users]


def test_a_worker_killed_mid_job_is_retried_without_a_duplicate(app, committed_db):
    from redis import Redis
    from rq import Queue

    from app.certificates import jobs
    from app.courses.models import Cohort

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    institution_id, trainee_ids = _committed_world(app, 6)
    with app.app_context():
        version_id = build_course(institution_id)
        cohort_id = make_cohort(db.session.get(CourseVersion, version_id).course_id)
        for trainee_id in trainee_ids:
            complete(trainee_id, version_id, cohort_id)
        db.session.commit()
        cohort = db.session.get(Cohort, cohort_id)
        ids = jobs.pending_enrollments(cohort)
        job = jobs.start_cohort_job(cohort)
        db.session.commit()
        job_id = job.id

    queue_name = f"certificates-kill-{uuid.uuid4().hex[:8]}"
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(queue_name, connection=connection)
    queue.enqueue(jobs.run_chunk, job_id, ids, job_timeout=600)
    worker = subprocess.Popen(
        [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", REDIS_URL, queue_name],
        cwd=ROOT,
        env=_worker_env(app),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _issued(app) < 2 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
        if worker.poll() is not None:
            pytest.fail("the worker stopped by itself: " + worker.stdout.read().decode()[:6000])
        _kill_with_children(worker.pid)  # the worker and its work horse, mid-chunk
        worker.wait(timeout=30)
        issued_when_killed = _issued(app)
        assert 0 < issued_when_killed < len(ids), "the kill did not land mid-job"
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        queue.delete(delete_jobs=True)
        worker.stdout.close()

    with app.app_context():
        jobs.run_chunk(job_id, ids)  # the retry: the same chunk again
        db.session.expire_all()
        certs = db.session.scalars(select(Certificate).order_by(Certificate.number)).all()
        assert sorted(c.enrollment_id for c in certs) == sorted(ids)  # one each, no duplicate
        assert all(c.state == "issued" and pdfstore.read_pdf(c) is not None for c in certs)
        serials = [int(c.number.rsplit("/", 1)[1]) for c in certs]
        assert serials == list(range(1, len(ids) + 1))  # gapless
        finished = db.session.get(BulkIssueJob, job_id)
        assert (finished.status, finished.done, finished.failed) == ("done", len(ids), 0)
