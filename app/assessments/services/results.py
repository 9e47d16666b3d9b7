"""Results, read by the rest of the feature and by other features: the attempt that counts
and whether it passed, each unit's latest practical judgement, and from those a trainee's
standing per competency unit and whether an enrolment's required assessments are met.

Grading and practical judgements use these predicates, and services/hooks.py registers the
last three with the courses feature; this module imports neither of them."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from sqlalchemy import select

from app.assessments.models import Assessment, Attempt, Judgement, Question, question_units
from app.courses.models import CompetencyUnit, CourseVersion, Enrollment, Module
from app.courses.services.completion import evaluate_completion
from app.courses.services.coverage import UnitResult
from app.extensions import db


class PracticalResult(TypedDict):
    """A unit's latest practical judgement, as certificates print it."""

    result: str  # "K" or "BK"
    assessor: str
    date: date


class UnitStanding(TypedDict):
    """A trainee's standing on one unit: the theory score and the practical result."""

    theory_percent: float | None
    practical: str | None


def outcome(assessment: Assessment, user_id: int) -> Attempt | None:
    """The attempt that counts: the highest or the last submitted one."""
    attempts = list(
        db.session.scalars(
            select(Attempt)
            .where(
                Attempt.assessment_id == assessment.id,
                Attempt.user_id == user_id,
                Attempt.status == "submitted",
            )
            .order_by(Attempt.number)
        )
    )
    if not attempts:
        return None
    if assessment.grading_method == "last":
        return attempts[-1]
    return max(attempts, key=lambda a: (a.percent or 0.0, a.number))


def passed(assessment: Assessment, user_id: int) -> bool:
    counted = outcome(assessment, user_id)
    return counted is not None and counted.passed is True


def units_of(enrollment: Enrollment) -> list[CompetencyUnit]:
    return list(enrollment.course_version.units)


def unit_status(assessment: Assessment, enrollment: Enrollment) -> dict[str, Judgement | None]:
    """The latest judgement of each unit of the enrolment's version (None: not yet)."""
    latest: dict[int, Judgement] = {}
    for judgement in db.session.scalars(
        select(Judgement)
        .where(Judgement.assessment_id == assessment.id, Judgement.enrollment_id == enrollment.id)
        .order_by(Judgement.round)
    ):
        latest[judgement.unit_id] = judgement
    return {unit.code: latest.get(unit.id) for unit in units_of(enrollment)}


def practical_summary(enrollment: Enrollment) -> dict[str, PracticalResult]:
    """{unit_code: {"result": "K"|"BK", "assessor": name, "date": date}} from the latest
    judgement of each unit across the course's practical assessments (for certificates)."""
    summary: dict[str, PracticalResult] = {}
    practicals = db.session.scalars(
        select(Assessment).where(
            Assessment.course_id == enrollment.course_id, Assessment.kind == "practical"
        )
    )
    for assessment in practicals:
        for code, judgement in unit_status(assessment, enrollment).items():
            if judgement is not None:
                summary[code] = PracticalResult(
                    result=judgement.result,
                    assessor=judgement.assessor.full_name,
                    date=judgement.judged_on,
                )
    return summary


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
    detail: dict[str, bool] = {}
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


def theory_units(assessment: Assessment) -> set[int]:
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
        covered |= units if assessment.is_practical else theory_units(assessment)
    return covered & units


def unit_results(enrollment: Enrollment) -> dict[str, UnitResult]:
    """Each unit's result: a passed required theory test gives K for its units; a
    practical's latest judgement (K or BK, by a named assessor) overrides it."""
    codes = {unit.id: unit.code for unit in enrollment.course_version.units}
    results: dict[str, UnitResult] = {}
    assessments = required_assessments(enrollment)
    for assessment in assessments:
        if assessment.kind == "theory" and passed(assessment, enrollment.user_id):
            for unit_id in theory_units(assessment) & codes.keys():
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


def results_by_unit(enrollment: Enrollment) -> dict[str, UnitStanding]:
    """{unit_code: {"theory_percent": float | None, "practical": "K" | "BK" | None}} for every
    unit of the enrolment's version. `theory_percent` is the trainee's score on the unit's
    questions in the counted attempt of each required test (the lowest if several)."""
    result = {
        unit.code: UnitStanding(theory_percent=None, practical=None)
        for unit in units_of(enrollment)
    }
    for assessment in required_assessments(enrollment):
        if assessment.is_practical:
            continue
        counted = outcome(assessment, enrollment.user_id)
        if counted is None:
            continue
        for code, entry in (counted.unit_results or {}).items():
            if code in result and entry["max_score"]:
                percent = round(100 * entry["score"] / entry["max_score"], 2)
                current = result[code]["theory_percent"]
                result[code]["theory_percent"] = (
                    percent if current is None else min(current, percent)
                )
    for code, judgement in practical_summary(enrollment).items():
        if code in result:
            result[code]["practical"] = judgement["result"]
    return result
