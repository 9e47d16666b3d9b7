"""Who may do what with question banks, assessments, attempts and practical judgements.

Named predicates used by the web pages, the JSON API, templates and the permission-table
tests. Staff act only within their own institution; a trainee never grades or judges.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.assessments.models import Assessment, AssessorAssignment, Attempt, Judgement
from app.courses.models import Course, Enrollment
from app.courses.permissions import Someone
from app.errors import Forbidden
from app.extensions import db

STAFF = ("instructor", "institution_admin")
# The roles that can author somewhere: the JSON API refuses every other role before it reads
# a body.
AUTHORS = (*STAFF, "admin")


def _known(user: Someone) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _same_institution(user: Someone, course: Course) -> bool:
    return user.institution_id is not None and user.institution_id == course.institution_id


def can_author(user: Someone, course: Course) -> bool:
    """Question banks and assessments: instructors and admins of the course's institution."""
    if not _known(user):
        return False
    return user.is_admin or (user.has_any_role(*STAFF) and _same_institution(user, course))


def ensure_can_author(user: Someone, course: Course) -> None:
    """403 unless the user may author the course's assessments (for the JSON API)."""
    if not can_author(user, course):
        raise Forbidden(_("You may not edit the assessments of this course."))


def can_grade(user: Someone, course: Course) -> bool:
    """Hand grading and statistics: the same people who author. Never a trainee."""
    return can_author(user, course)


def can_view_results(user: Someone, course: Course) -> bool:
    """Results, statistics and the CSV export: authors and the institution's assessors."""
    if can_author(user, course):
        return True
    return _known(user) and user.has_role("assessor") and _same_institution(user, course)


def can_view_attempt(user: Someone, attempt: Attempt) -> bool:
    if not _known(user):
        return False
    return attempt.user_id == user.id or can_grade(user, attempt.assessment.course)


def can_take(user: Someone, assessment: Assessment) -> bool:
    """A trainee with a current, studying enrolment in the course of a published test."""
    if not _known(user) or not user.has_role("trainee") or assessment.is_practical:
        return False
    return assessment.published and enrollment_of(user.id, assessment.course_id) is not None


def enrollment_of(user_id: int, course_id: int) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user_id,
            Enrollment.course_id == course_id,
            Enrollment.withdrawn_at.is_(None),
            Enrollment.status.in_(("active", "completed")),
        )
    )


def can_assess(user: Someone, assessment: Assessment, enrollment: Enrollment | None = None) -> bool:
    """An assessor of the course's institution assigned to the practical (to the enrolment's
    cohort, or to the whole course); platform admins too."""
    if not _known(user) or not assessment.is_practical:
        return False
    if user.is_admin:
        return True
    if not user.has_role("assessor") or not _same_institution(user, assessment.course):
        return False
    query = select(AssessorAssignment.id).where(
        AssessorAssignment.assessment_id == assessment.id,
        AssessorAssignment.assessor_id == user.id,
    )
    if enrollment is not None:
        query = query.where(
            or_(
                AssessorAssignment.cohort_id.is_(None),
                AssessorAssignment.cohort_id == enrollment.cohort_id,
            )
        )
    return db.session.scalar(query.limit(1)) is not None


def can_judge(user: Someone, assessment: Assessment, enrollment: Enrollment) -> bool:
    """Record a judgement: an assessor of this practical for the enrolment, in its course."""
    return enrollment.course_id == assessment.course_id and can_assess(user, assessment, enrollment)


def can_assign_assessors(user: Someone, assessment: Assessment) -> bool:
    return can_author(user, assessment.course)


def can_appeal(user: Someone, judgement: Judgement) -> bool:
    """Only the trainee judged may appeal; to anyone else the judgement is not found."""
    if not _known(user):
        return False
    enrollment = db.session.get(Enrollment, judgement.enrollment_id)
    return enrollment is not None and enrollment.user_id == user.id
