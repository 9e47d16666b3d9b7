"""How assessments feed course completion: a requirement registered with the courses
feature, and a re-evaluation after every grade or judgement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.assessments.models import Assessment
from app.courses.models import Enrollment, Module
from app.courses.services.completion import evaluate_completion, register_requirement
from app.extensions import db


def required_assessments(enrollment: Enrollment) -> list[Assessment]:
    """The published, required assessments of the enrolment's course: those on the whole
    course, and those on a module of the version the trainee studies."""
    rows = db.session.scalars(
        select(Assessment)
        .outerjoin(Module, Module.id == Assessment.module_id)
        .where(
            Assessment.course_id == enrollment.course_id,
            Assessment.required.is_(True),
            Assessment.published.is_(True),
            (Assessment.module_id.is_(None)) | (Module.version_id == enrollment.course_version_id),
        )
        .order_by(Assessment.id)
    )
    return list(rows)


def assessments_met(enrollment: Enrollment) -> tuple[bool, dict[str, Any]]:
    """Every required test passed, and every unit of every required practical judged K."""
    from app.assessments.grading import passed
    from app.assessments.practical import unit_status

    detail: dict[str, Any] = {}
    for assessment in required_assessments(enrollment):
        if assessment.is_practical:
            status = unit_status(assessment, enrollment)
            ok = bool(status) and all(
                entry is not None and entry.result == "K" for entry in status.values()
            )
        else:
            ok = passed(assessment, enrollment.user_id)
        detail[str(assessment.id)] = ok
    return all(detail.values()), detail


def reevaluate(user_id: int, course_id: int) -> None:
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user_id,
            Enrollment.course_id == course_id,
            Enrollment.withdrawn_at.is_(None),
        )
    )
    if enrollment is not None:
        evaluate_completion(enrollment)


register_requirement("assessments", assessments_met)
