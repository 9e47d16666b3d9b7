"""The employment survey: waves, reminders, single-use signed links, expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta

from app.db import utcnow
from app.extensions import db
from app.placement.models.survey import EmploymentSurvey
from app.placement.services import survey as service

UNIT = "J.620100.401.01"
ANSWER = {
    "status": "employed_formal",
    "employer_name": "PT Maju",
    "sector": "tik",
    "wage_band": "4m_6m",
    "relevance": 4,
    "months_to_job": 2,
}


def link_in(mail) -> str:
    return re.search(r"http://\S+/survey/\S+", mail.body).group(0)


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


@pytest.fixture
def graduate(pf, make_user):
    user = make_user("trainee", full_name="Lulusan Uji", email="lulus@contoh.id")
    course = pf.course(units=(UNIT,))
    return user, course


def dispatch(app, now):
    with app.app_context():
        report = service.dispatch(now)
        db.session.commit()
        return report


def test_waves_are_sent_once_at_3_6_and_12_months(app, pf, graduate, outbox, make_user):
    user, course = graduate
    now = utcnow()
    pf.certificate(user, course, issued_at=now - relativedelta(months=3) - timedelta(days=1))
    six = make_user("trainee")
    pf.certificate(six, course, issued_at=now - relativedelta(months=6) - timedelta(days=2))
    twelve = make_user("trainee")
    pf.certificate(twelve, course, issued_at=now - relativedelta(months=12))
    fresh = make_user("trainee")
    pf.certificate(fresh, course, issued_at=now - timedelta(days=20))
    revoked = make_user("trainee")
    pf.certificate(revoked, course, issued_at=now - relativedelta(months=3), revoked=True)
    report = dispatch(app, now)
    assert (report.sent, report.skipped, report.waves) == (3, 1, [3, 6, 12])
    with app.app_context():
        waves = sorted(
            (s.user_id, s.wave_months) for s in db.session.scalars(db.select(EmploymentSurvey))
        )
    assert waves == sorted([(user.id, 3), (six.id, 6), (twelve.id, 12)])
    assert {m.to for m in outbox} == {user.email, six.email, twelve.email}
    assert all("/survey/" in m.body for m in outbox)
    assert dispatch(app, now).sent == 0  # idempotent


def test_survey_months_are_configurable(app, pf, graduate):
    user, course = graduate
    now = utcnow()
    pf.certificate(user, course, issued_at=now - relativedelta(months=1))
    app.config["SURVEY_MONTHS"] = "1"
    try:
        assert dispatch(app, now).waves == [1]
    finally:
        app.config["SURVEY_MONTHS"] = "3,6,12"
    with app.app_context():
        assert db.session.scalar(db.select(EmploymentSurvey.wave_months)) == 1


def test_reminders_every_week_at_most_twice(app, pf, graduate, outbox):
    user, course = graduate
    now = utcnow()
    pf.certificate(user, course, issued_at=now - relativedelta(months=3))
    dispatch(app, now)
    assert dispatch(app, now + timedelta(days=3)).reminded == 0
    assert dispatch(app, now + timedelta(days=8)).reminded == 1
    assert dispatch(app, now + timedelta(days=9)).reminded == 0
    assert dispatch(app, now + timedelta(days=16)).reminded == 1
    assert dispatch(app, now + timedelta(days=24)).reminded == 0  # two at most
    assert [m.subject.startswith("Pengingat") for m in outbox] == [False, True, True]
    assert link_in(outbox[0]) == link_in(outbox[1])


@pytest.fixture
def sent(app, pf, graduate, outbox):
    user, course = graduate
    pf.certificate(user, course, issued_at=utcnow() - relativedelta(months=3))
    dispatch(app, utcnow())
    return token_of(link_in(outbox[0]))


def test_answer_from_the_link_without_login_once(app, client, sent):
    page = client.get(f"/survey/{sent}")
    assert page.status_code == 200 and "Survei kebekerjaan" in page.get_data(as_text=True)
    form = {**ANSWER, "relevance": "4", "months_to_job": "2"}
    done = client.post(f"/survey/{sent}", data=form)
    assert done.status_code == 200 and "Terima kasih" in done.get_data(as_text=True)
    again = client.post(f"/survey/{sent}", data={**form, "status": "unemployed"})
    assert again.status_code == 409
    with app.app_context():
        row = db.session.scalar(db.select(EmploymentSurvey))
        assert (row.status, row.months_to_job, row.employer_name) == (
            "employed_formal",
            2,
            "PT Maju",
        )


def test_api_answer_twice_is_409_and_changes_nothing(app, client, sent):
    url = f"/api/v1/placement/surveys/{sent}"
    assert client.post(url, json=ANSWER).status_code == 201
    second = client.post(url, json={**ANSWER, "status": "studying", "months_to_job": None})
    assert second.status_code == 409
    assert second.json["error"]["code"] == "conflict"
    with app.app_context():
        assert db.session.scalar(db.select(EmploymentSurvey.status)) == "employed_formal"


def test_expired_link_is_410_and_writes_nothing(app, client, sent):
    with app.app_context():
        row = db.session.scalar(db.select(EmploymentSurvey))
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.get(f"/survey/{sent}").status_code == 410
    response = client.post(f"/api/v1/placement/surveys/{sent}", json=ANSWER)
    assert response.status_code == 410
    with app.app_context():
        assert db.session.scalar(db.select(EmploymentSurvey.answered_at)) is None


def test_a_link_works_only_for_its_own_survey(app, client, sent, pf, make_user, outbox):
    other = make_user("trainee")
    pf.certificate(other, pf.course(units=(UNIT,)), issued_at=utcnow() - relativedelta(months=3))
    dispatch(app, utcnow())
    with app.app_context():
        first, second = db.session.scalars(
            db.select(EmploymentSurvey).order_by(EmploymentSurvey.id)
        ).all()
        forged = service._serializer().dumps({"s": second.id, "n": first.nonce})
    for token in (forged, sent[:-2] + "xx", "garbage"):
        assert client.get(f"/survey/{token}").status_code == 404
        assert client.post(f"/api/v1/placement/surveys/{token}", json=ANSWER).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(EmploymentSurvey.answered_at))) == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"status": "astronaut"},
        {"relevance": 9},
        {"months_to_job": None},
        {"sector": "space"},
        {"wage_band": "a lot"},
    ],
)
def test_bad_answers_write_nothing(app, client, sent, bad):
    response = client.post(f"/api/v1/placement/surveys/{sent}", json={**ANSWER, **bad})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(EmploymentSurvey.answered_at)) is None


def test_cli_dispatches(app, pf, graduate, outbox):
    user, course = graduate
    pf.certificate(user, course, issued_at=utcnow() - relativedelta(months=3))
    result = app.test_cli_runner().invoke(args=["dispatch-surveys"])
    assert result.exit_code == 0, result.output
    assert "surveys sent: 1" in result.output
    assert len(outbox) == 1


def test_response_rates(app, client, sent):
    client.post(f"/api/v1/placement/surveys/{sent}", json=ANSWER)
    with app.app_context():
        assert service.response_rates() == [{"wave": 3, "sent": 1, "answered": 1, "rate": 100.0}]


def test_dispatch_runs_on_a_real_rq_worker(app, pf, graduate, outbox, monkeypatch):
    import uuid

    from redis import Redis
    from rq import Queue, SimpleWorker

    from app.placement import jobs

    url = "redis://127.0.0.1:6379/0"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"no Redis at {url}: {exc}")
    user, course = graduate
    pf.certificate(user, course, issued_at=utcnow() - relativedelta(months=3))
    monkeypatch.setattr(jobs, "QUEUE_NAME", f"placement-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    result = app.test_cli_runner().invoke(args=["dispatch-surveys"])
    assert result.exit_code == 0 and "queued on RQ" in result.output
    assert outbox == []
    connection = Redis.from_url(url)
    queue = Queue(jobs.QUEUE_NAME, connection=connection)
    try:
        assert queue.count == 1
        with app.app_context():
            SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        queue.delete(delete_jobs=True)
    assert [m.to for m in outbox] == [user.email]
