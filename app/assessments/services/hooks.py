"""How assessments feed course completion: a requirement registered with the courses
feature, and a re-evaluation after every grade or judgement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.assessments.models import Assessment, Question, question_units
from app.courses.models import CourseVersion, Enrollment, Module
from app.courses.services.completion import evaluate_completion, register_requirement
from app.courses.services.coverage import UnitResult, register_coverage, register_results
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
    from app.assessments.services.grading import passed
    from app.assessments.services.practical import unit_status

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


def _theory_units(assessment: Assessment) -> set[int]:
    """The units a theory test's questions can come from: its draw rules', else its bank's."""
    if assessment.bank_id is None:
        return set()
    in_bank = set(
        db.session.scalars(
            select(question_units.c.unit_id)
            .join(Question, Question.id == question_units.c.question_id)
            .where(Question.bank_id == assessment.bank_id)
        )
    )
    if assessment.draw:
        in_bank &= {int(rule["unit_id"]) for rule in assessment.draw if rule["count"]}
    return in_bank


def units_covered(version: CourseVersion) -> set[int]:
    """The units of `version` its course's published, required assessments assess: a
    practical judges every unit; a theory test covers the units its questions can come
    from. Quizzes are practice only."""
    assessments = db.session.scalars(
        select(Assessment)
        .outerjoin(Module, Module.id == Assessment.module_id)
        .where(
            Assessment.course_id == version.course_id,
            Assessment.required.is_(True),
            Assessment.published.is_(True),
            Assessment.kind.in_(("theory", "practical")),
            (Assessment.module_id.is_(None)) | (Module.version_id == version.id),
        )
    )
    units = {unit.id for unit in version.units}
    covered: set[int] = set()
    for assessment in assessments:
        covered |= units if assessment.is_practical else _theory_units(assessment)
    return covered & units


def unit_results(enrollment: Enrollment) -> dict[str, UnitResult]:
    """Each unit's result: a passed required theory test gives K for its units; a
    practical's latest judgement (K or BK, by a named assessor) overrides it."""
    from app.assessments.services.grading import passed
    from app.assessments.services.practical import unit_status

    codes = {unit.id: unit.code for unit in enrollment.course_version.units}
    results: dict[str, UnitResult] = {}
    assessments = required_assessments(enrollment)
    for assessment in assessments:
        if assessment.kind == "theory" and passed(assessment, enrollment.user_id):
            for unit_id in _theory_units(assessment) & codes.keys():
                results[codes[unit_id]] = UnitResult(
                    result="K",
                    method="theory",
                    assessment=assessment.title,
                    assessor=None,
                    date=None,
                )
    for assessment in assessments:
        if assessment.is_practical:
            for code, judgement in unit_status(assessment, enrollment).items():
                if judgement is not None:
                    results[code] = UnitResult(
                        result=judgement.result,
                        method="practical",
                        assessment=assessment.title,
                        assessor=judgement.assessor.full_name,
                        date=judgement.judged_on.isoformat(),
                    )
    return results


register_requirement("assessments", assessments_met)
register_coverage("assessments", units_covered)
register_results("assessments", unit_results)
