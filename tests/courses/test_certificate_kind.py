"""Which certificate a course leads to: chosen on the form and the API; a course leading to
a competency certificate is published only when an assessment covers every unit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.assessments.models import Assessment, Question, QuestionBank
from app.audit.models import AuditEvent
from app.courses.models import CompetencyUnit, Course, CourseVersion
from app.extensions import db as _db
from tests.conftest import count_rows


@pytest.fixture
def draft(app, make_course, make_unit, token_for) -> dict[str, Any]:
    """A draft competency course with three units and no assessment, and its editor's token."""
    units = [make_unit() for _ in range(3)]
    built = make_course(publish=False, unit_ids=tuple(u.id for u in units))
    with app.app_context():
        _db.session.get(Course, built.id).certificate_kind = "competency"
        _db.session.commit()
    return {
        "built": built,
        "codes": [u.code for u in units],
        "unit_ids": [u.id for u in units],
        "headers": token_for(built.instructor),
    }


def _assessment(app, course_id: int, kind: str, unit_ids: tuple[int, ...] = (), **fields: Any):
    with app.app_context():
        bank_id = None
        if kind != "practical":
            bank = QuestionBank(course_id=course_id, name=f"Bank {kind} {unit_ids}")
            _db.session.add(bank)
            _db.session.flush()
            for unit_id in unit_ids:
                question = Question(bank_id=bank.id, type_key="truefalse", name="q", definition={})
                question.units = [_db.session.get(CompetencyUnit, unit_id)]
                _db.session.add(question)
            bank_id = bank.id
        values = {"required": True, "published": True, **fields}
        _db.session.add(
            Assessment(course_id=course_id, bank_id=bank_id, title=kind, kind=kind, **values)
        )
        _db.session.commit()


def _publish(client, draft: dict[str, Any]):
    return client.post(f"/api/v1/courses/{draft['built'].id}/publish", headers=draft["headers"])


def _nothing_published(app, course_id: int) -> None:
    with app.app_context():
        course = _db.session.get(Course, course_id)
        assert course.status == "draft" and course.published_version is None
        assert (
            _db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "course.publish")
            )
            == 0
        )


def test_a_competency_course_without_assessments_cannot_be_published(app, client, draft):
    response = _publish(client, draft)

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"]["uncovered_units"] == draft["codes"]
    assert any(", ".join(draft["codes"]) in line for line in error["details"]["publish"])
    _nothing_published(app, draft["built"].id)


@pytest.mark.parametrize(
    "assessment",
    [
        {"kind": "quiz"},
        {"kind": "practical", "published": False},
        {"kind": "practical", "required": False},
    ],
)
def test_quizzes_unpublished_or_optional_assessments_cover_nothing(app, client, draft, assessment):
    kind = assessment.pop("kind")
    _assessment(app, draft["built"].id, kind, tuple(draft["unit_ids"]), **assessment)

    response = _publish(client, draft)

    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["uncovered_units"] == draft["codes"]
    _nothing_published(app, draft["built"].id)


def test_a_theory_test_covers_the_units_of_its_questions_only(app, client, draft):
    _assessment(app, draft["built"].id, "theory", tuple(draft["unit_ids"][:2]))

    response = _publish(client, draft)

    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["uncovered_units"] == draft["codes"][2:]
    _nothing_published(app, draft["built"].id)


def test_a_theory_test_that_draws_covers_the_units_it_draws(app, client, draft):
    first, second, third = draft["unit_ids"]
    draw = [{"unit_id": first, "count": 1}, {"unit_id": second, "count": 0}]
    _assessment(app, draft["built"].id, "theory", (first, second, third), draw=draw)

    response = _publish(client, draft)

    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["uncovered_units"] == draft["codes"][1:]


@pytest.mark.parametrize("kinds", [("practical",), ("theory",)])
def test_a_competency_course_covered_by_assessments_is_published(app, client, draft, kinds):
    for kind in kinds:
        _assessment(app, draft["built"].id, kind, tuple(draft["unit_ids"]))

    response = _publish(client, draft)

    assert response.status_code == 200 and response.get_json()["status"] == "published"


def test_a_training_course_needs_no_assessment(app, client, draft):
    with app.app_context():
        _db.session.get(Course, draft["built"].id).certificate_kind = "training"
        _db.session.commit()

    assert _publish(client, draft).status_code == 200


def test_the_api_creates_and_reports_the_certificate_kind(app, client, make_user, token_for):
    instructor = make_user("instructor")
    body = {
        "institution_id": instructor.institution_id,
        "code": "JWD-K",
        "title": "Junior Web Developer",
        "sector": "tik",
        "certificate_kind": "competency",
    }
    created = client.post("/api/v1/courses", json=body, headers=token_for(instructor))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["certificate_kind"] == "competency"

    del body["certificate_kind"]
    default = client.post(
        "/api/v1/courses", json={**body, "code": "JWD-T"}, headers=token_for(instructor)
    )
    assert default.status_code == 201 and default.get_json()["certificate_kind"] == "training"


def test_an_unknown_certificate_kind_is_refused_and_nothing_written(
    app, client, make_user, token_for
):
    instructor = make_user("instructor")
    before = count_rows(app, Course)
    body = {
        "institution_id": instructor.institution_id,
        "code": "JWD-X",
        "title": "Junior Web Developer",
        "sector": "tik",
        "certificate_kind": "diploma",
    }
    response = client.post("/api/v1/courses", json=body, headers=token_for(instructor))

    assert response.status_code == 422
    assert "certificate_kind" in str(response.get_json()["error"]["details"])
    assert count_rows(app, Course) == before


def test_a_published_course_switches_to_competency_only_when_covered(
    app, client, make_course, make_unit, token_for
):
    unit = make_unit()
    built = make_course(unit_ids=(unit.id,))
    headers = token_for(built.instructor)
    url = f"/api/v1/courses/{built.id}"

    refused = client.patch(url, json={"certificate_kind": "competency"}, headers=headers)

    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["uncovered_units"] == [unit.code]
    with app.app_context():
        assert _db.session.get(Course, built.id).certificate_kind == "training"

    _assessment(app, built.id, "practical")
    done = client.patch(url, json={"certificate_kind": "competency"}, headers=headers)

    assert done.status_code == 200 and done.get_json()["certificate_kind"] == "competency"
    with app.app_context():
        assert (
            _db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "course.certificate_kind")
            )
            == 1
        )


def test_the_publish_button_explains_which_units_are_uncovered(app, client_as, draft):
    client = client_as(user=draft["built"].instructor)
    page = client.post(f"/courses/{draft['built'].id}/publish", follow_redirects=True)

    text = page.get_data(as_text=True)
    assert ", ".join(draft["codes"]) in text
    _nothing_published(app, draft["built"].id)


def test_the_settings_form_chooses_the_certificate(app, client_as, make_course):
    built = make_course()
    client = client_as(user=built.instructor)
    page = client.post(
        f"/courses/{built.id}/settings",
        data={"self_paced": "y", "self_enrolment": "y", "certificate_kind": "diploma"},
        follow_redirects=True,
    )
    assert "Pilih sertifikat pelatihan atau sertifikat kompetensi." in page.get_data(as_text=True)
    with app.app_context():
        assert _db.session.get(Course, built.id).certificate_kind == "training"
        assert _db.session.get(CourseVersion, built.version_id).status == "published"
