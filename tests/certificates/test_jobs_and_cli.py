"""Bulk issuance for a cohort (inline, and on a real RQ worker), the CLI commands and the
demo seed."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from app.certificates.models import BulkIssueJob, Certificate, CredentialKey
from app.courses.models import CourseVersion
from app.extensions import db
from app.transactions import transaction
from tests.certificates.conftest import build_course, complete, make_cohort


def _cohort_with(app, institution, users) -> int:
    with app.app_context():
        version_id = build_course(institution.id)
        cohort_id = make_cohort(db.session.get(CourseVersion, version_id).course_id)
        for user in users:
            complete(user.id, version_id, cohort_id)
        db.session.commit()
        return cohort_id


@pytest.fixture
def inline_jobs(app):
    app.config["CERTIFICATES_JOB_RUNNER"] = "inline"
    yield
    app.config["CERTIFICATES_JOB_RUNNER"] = None


def test_an_admin_bulk_issues_a_cohort_and_sees_progress(
    app, client, make_user, make_institution, token_for, inline_jobs
):
    institution = make_institution()
    admin = make_user("institution_admin", institution=institution)
    cohort_id = _cohort_with(app, institution, [make_user(), make_user()])
    headers = token_for(admin)
    started = client.post(
        "/api/v1/certificates/jobs", json={"cohort_id": cohort_id}, headers=headers
    )
    assert started.status_code == 202, started.data
    job = started.get_json()
    assert (job["status"], job["done"], job["total"], job["percent"]) == ("done", 2, 2, 100)
    again = client.post("/api/v1/certificates/jobs", json={"cohort_id": cohort_id}, headers=headers)
    assert again.status_code == 409
    progress = client.get(f"/api/v1/certificates/jobs/{job['id']}", headers=headers).get_json()
    assert progress["done"] == 2
    with app.app_context():
        states = db.session.scalars(select(Certificate.state)).all()
    assert states == ["issued", "issued"]


def test_bulk_issuance_runs_on_a_real_rq_worker(app, committed_db, make_user, make_institution):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from app.certificates import jobs
    from app.courses.models import Cohort

    url = "redis://127.0.0.1:6379/0"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"no Redis at {url}: {exc}")
    institution = make_institution()
    cohort_id = _cohort_with(app, institution, [make_user(), make_user()])
    name = f"certificates-test-{uuid.uuid4().hex[:8]}"
    app.config.update(REDIS_URL=url, CERTIFICATES_JOB_RUNNER="rq")
    try:
        with app.app_context():
            cohort = db.session.get(Cohort, cohort_id)
            ids = jobs.pending_enrollments(cohort)
            original = jobs.QUEUE_NAME
            jobs.QUEUE_NAME = name
            try:
                with transaction():  # the chunks are queued once the job row is committed
                    job = jobs.start_cohort_job(cohort)
                    jobs.dispatch(job, ids)
            finally:
                jobs.QUEUE_NAME = original
            connection = Redis.from_url(url)
            queue = Queue(name, connection=connection)
            assert queue.count == 1
            SimpleWorker([queue], connection=connection).work(burst=True)
            queue.delete(delete_jobs=True)
            db.session.expire_all()
            finished = db.session.get(BulkIssueJob, job.id)
            assert (finished.status, finished.done, finished.failed) == ("done", 2, 0)
            assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2
    finally:
        app.config.update(REDIS_URL=None, CERTIFICATES_JOB_RUNNER=None)


def test_cli_issue_cohort_shows_a_progress_bar(app, db, make_user, make_institution):
    institution = make_institution()
    cohort_id = _cohort_with(app, institution, [make_user()])
    result = app.test_cli_runner().invoke(args=["issue-cohort", "--cohort", str(cohort_id)])
    assert result.exit_code == 0, result.output
    assert "Issuing 1 certificates" in result.output and "Issued 1, failed 0." in result.output
    again = app.test_cli_runner().invoke(args=["issue-cohort", "--cohort", str(cohort_id)])
    assert again.exit_code != 0 and "already has a certificate" in again.output


def test_cli_rotates_keys_and_marks_one_compromised(app, db, make_institution):
    institution = make_institution()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["rotate-keys", "--institution", institution.slug]).exit_code == 0
    result = runner.invoke(args=["rotate-keys", "--institution", institution.slug])
    assert "key-2" in result.output
    result = runner.invoke(
        args=[
            "compromise-key",
            "--institution",
            institution.slug,
            "--key",
            "key-2",
            "--reason",
            "laptop stolen",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        states = [
            k.state
            for k in db.session.scalars(select(CredentialKey).order_by(CredentialKey.number))
        ]
    assert states == ["retired", "compromised", "active"]
    missing = runner.invoke(args=["rotate-keys", "--institution", "nobody"])
    assert missing.exit_code != 0


def test_cli_verifies_a_file_offline(app, client, completed, tmp_path):
    from tests.certificates.conftest import issue

    cert = issue(app, completed(), with_pdf=False)
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(cert.credential))
    result = app.test_cli_runner().invoke(args=["verify-file", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["genuine"] and report["unmodified"] and report["number"] == cert.number
    tampered = dict(cert.credential, name="Forged")
    path.write_text(json.dumps(tampered))
    result = app.test_cli_runner().invoke(args=["verify-file", str(path)])
    assert result.exit_code == 1 and '"genuine": false' in result.output
    path.write_bytes(b"\x00garbage")
    assert app.test_cli_runner().invoke(args=["verify-file", str(path)]).exit_code != 0


def test_the_seed_issues_the_demo_certificate_once_and_prints_it_every_time(app, db):
    from app.seed import run

    count = select(func.count()).select_from(Certificate)
    with app.app_context():
        first = run()
        issued = db.session.scalar(count)
        second = run()
        assert db.session.scalar(count) == issued >= 1
    lines = [line for line in first.lines + second.lines if line.startswith("Demo certificate")]
    assert len(lines) == 2 and lines[0] == lines[1]
    assert lines[0].startswith("Demo certificate: http://kompeten.test/v/")


def test_the_admin_page_starts_a_cohort_job_and_shows_its_progress(
    app, client_as, make_user, make_institution, inline_jobs
):
    institution = make_institution()
    cohort_id = _cohort_with(app, institution, [make_user()])
    admin = client_as(user=make_user("institution_admin", institution=institution))
    started = admin.post(f"/certificates/admin/cohorts/{cohort_id}/issue")
    assert started.status_code == 302 and "/certificates/admin/jobs/" in started.location
    page = admin.get(started.location).get_data(as_text=True)
    assert "<progress" in page and 'data-status="done"' in page


def test_an_admin_creates_and_revokes_a_vc_api_client(app, client, client_as, make_user):
    from app.certificates.models import OAuthClient

    admin = client_as("institution_admin")
    page = admin.post("/certificates/admin/clients", data={"name": "SIAKAD"}).get_data(as_text=True)
    assert "client_secret" in page and "/oauth/token" in page
    with app.app_context():
        row = db.session.scalar(select(OAuthClient))
        assert row.name == "SIAKAD" and row.secret_hash not in page
    assert admin.post(f"/certificates/admin/clients/{row.id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.get(OAuthClient, row.id).revoked_at is not None
