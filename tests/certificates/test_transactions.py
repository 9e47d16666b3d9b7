"""One transaction per request or unit of work: the scan ends in COMMIT (PostgreSQL keeps
its prepared plan), a bulk job's chunks are queued only once its row is committed, and the
JSON API checks who is asking before it reads the body."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditEvent
from app.certificates.models import BulkIssueJob, Certificate
from app.extensions import db
from app.transactions import transaction
from tests.certificates.conftest import issue
from tests.certificates.test_jobs_and_cli import _cohort_with


@pytest.fixture
def endings(app) -> Iterator[list[str]]:
    """How each transaction of the session ended during the test's requests (the tests'
    outer transaction turns the request's COMMIT into a savepoint's release; the session
    still commits or rolls back its own transaction)."""
    seen: list[str] = []
    session_class = db.session.session_factory.class_

    def on_commit(_session: object) -> None:
        seen.append("COMMIT")

    def on_rollback(_session: object) -> None:
        seen.append("ROLLBACK")

    event.listen(session_class, "after_commit", on_commit)
    event.listen(session_class, "after_rollback", on_rollback)
    yield seen
    event.remove(session_class, "after_commit", on_commit)
    event.remove(session_class, "after_rollback", on_rollback)


@pytest.mark.parametrize("path", ["/v/{code}", "/api/v1/verify/{code}"])
def test_a_scan_ends_in_commit_not_rollback(app, client, completed, endings, path):
    cert = issue(app, completed(), with_pdf=False)
    endings.clear()
    response = client.get(path.format(code=cert.code))
    assert response.status_code == 200
    assert endings == ["COMMIT"]


def test_an_unknown_code_rolls_back(client, endings):
    response = client.get("/api/v1/verify/ZZZZZZZZZZZZZZZZ")
    assert response.status_code == 404
    assert "COMMIT" not in endings


def _redis_queue(name: str):
    from redis import Redis
    from rq import Queue

    url = "redis://127.0.0.1:6379/0"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"no Redis at {url}: {exc}")
    return url, Queue(name, connection=Redis.from_url(url))


def test_a_job_is_queued_after_its_row_is_committed_and_never_if_it_rolls_back(
    app, committed_db, make_user, make_institution
):
    from app.certificates import jobs
    from app.courses.models import Cohort

    name = f"certificates-test-{uuid.uuid4().hex[:8]}"
    url, queue = _redis_queue(name)
    institution = make_institution()
    cohort_id = _cohort_with(app, institution, [make_user()])
    app.config.update(REDIS_URL=url, CERTIFICATES_JOB_RUNNER="rq")
    original = jobs.QUEUE_NAME
    jobs.QUEUE_NAME = name
    try:
        with app.app_context():
            cohort = db.session.get(Cohort, cohort_id)
            ids = jobs.pending_enrollments(cohort)
            with pytest.raises(RuntimeError), transaction():
                jobs.dispatch(jobs.start_cohort_job(cohort), ids)
                raise RuntimeError("the unit of work fails after dispatch")
            assert queue.count == 0
            assert db.session.scalar(select(func.count()).select_from(BulkIssueJob)) == 0
            with transaction():
                jobs.dispatch(jobs.start_cohort_job(cohort), ids)
                assert queue.count == 0
            assert queue.count == 1
    finally:
        jobs.QUEUE_NAME = original
        queue.delete(delete_jobs=True)
        app.config.update(REDIS_URL=None, CERTIFICATES_JOB_RUNNER=None)


ACTIONS = ["revoke", "suspend", "reinstate", "reissue"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("body", [{}, {"reason": 7, "holder_name": ["x"]}])
def test_the_lifecycle_api_checks_the_caller_before_the_body(
    app, client, completed, make_user, token_for, action, body
):
    cert = issue(app, completed(), with_pdf=False)
    url = f"/api/v1/certificates/{cert.id}/{action}"

    anonymous = client.post(url, json=body)
    trainee = client.post(url, json=body, headers=token_for(make_user("trainee")))
    admin = make_user("institution_admin", institution=cert.institution)
    invalid = client.post(url, json=body, headers=token_for(admin))

    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["code"] == "unauthorized"
    assert trainee.status_code == 403
    assert trainee.get_json()["error"]["code"] == "forbidden"
    assert invalid.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
        assert db.session.get(Certificate, cert.id).state == cert.state
        assert not db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == f"certificate.{action}")
        )


def test_the_issue_and_job_apis_check_the_caller_before_the_body(client, make_user, token_for):
    for path in ("/api/v1/certificates", "/api/v1/certificates/jobs"):
        assert client.post(path, json={"enrollment_id": "x"}).status_code == 401
        trainee = client.post(path, json={}, headers=token_for(make_user("trainee")))
        assert trainee.status_code == 403


def test_the_vc_api_checks_the_token_before_the_body(client):
    response = client.post("/credentials/issue", json={"credential": "not an object"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
