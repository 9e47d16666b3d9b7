"""Changing an assessment's settings after it was created: prefilled form, audited change,
bad input writes nothing, the kind is fixed once trainees have sat it."""

from __future__ import annotations

from sqlalchemy import select

from app.assessments.models import Assessment
from app.assessments.services import attempts
from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db

SETTINGS = {
    "title": "Ujian Teori (revisi)",
    "kind": "theory",
    "bank_id": "0",
    "requires_id": "0",
    "pass_mark": "75",
    "time_limit_minutes": "45",
    "opens_at": "2026-12-01T08:00",
    "closes_at": "2026-12-20T17:00",
    "grading_method": "last",
    "review_marks": "after_submit",
    "review_answers": "after_close",
    "review_feedback": "after_submit",
    "required": "y",
    "published": "y",
}


def _settings(world, **changes):
    return {**SETTINGS, "bank_id": str(world.bank_id), **changes}


def test_edit_form_is_prefilled_and_saves_an_audited_change(app, client_as, world):
    client = client_as(user=world.instructor)
    url = f"/assessments/{world.exam_id}/edit"
    page = client.get(url).get_data(as_text=True)
    with app.app_context():
        title = db.session.get(Assessment, world.exam_id).title
    assert f'value="{title}"' in page
    assert "Pengaturan asesmen" in page
    saved = client.post(url, data=_settings(world))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        exam = db.session.get(Assessment, world.exam_id)
        assert (exam.title, exam.pass_mark, exam.time_limit_minutes) == (
            "Ujian Teori (revisi)",
            75,
            45,
        )
        assert exam.opens_at.isoformat() == "2026-12-01T01:00:00+00:00"  # 08:00 WIB
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "assessment.update")
        ).one()
        assert event.actor_id == world.instructor.id
        assert event.after["pass_mark"] == 75 and "pass_mark" in event.before
    assert f"/assessments/{world.exam_id}/edit" in client.get(
        f"/assessments/{world.exam_id}"
    ).get_data(as_text=True)


def test_bad_settings_write_nothing(app, client_as, world):
    client = client_as(user=world.instructor)
    url = f"/assessments/{world.exam_id}/edit"
    with app.app_context():
        before = db.session.get(Assessment, world.exam_id).pass_mark
    for bad in (
        _settings(world, title=""),
        _settings(world, pass_mark="150"),
        _settings(world, closes_at="2026-11-01T08:00"),
    ):
        assert client.post(url, data=bad).status_code == 422
    with app.app_context():
        assert db.session.get(Assessment, world.exam_id).pass_mark == before
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.update"))
            is None
        )


def test_kind_is_fixed_once_a_trainee_has_sat_it(app, client_as, world):
    with app.app_context():
        attempts.start_attempt(
            db.session.get(User, world.trainee.id), db.session.get(Assessment, world.exam_id)
        )
        db.session.commit()
    client = client_as(user=world.instructor)
    response = client.post(f"/assessments/{world.exam_id}/edit", data=_settings(world, kind="quiz"))
    assert response.status_code == 422
    assert "Jenis asesmen tidak dapat diubah" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assessment, world.exam_id).kind == "theory"


def test_only_authors_of_the_course_may_edit(client_as, world):
    url = f"/assessments/{world.exam_id}/edit"
    assert client_as(user=world.trainee).get(url).status_code == 404
    assert client_as(user=world.assessor).get(url).status_code == 404
    assert client_as("instructor").get(url).status_code == 404  # another institution's
    assert client_as(user=world.instructor).get(url).status_code == 200
