"""Who may do what with courses, units and enrolments: named predicates used by the web
pages, the JSON API, the templates and the permission-table tests alike.

`user` may be an anonymous user (Flask-Login's) or None: every predicate answers False
for them except where public reading is allowed.
"""

from __future__ import annotations

from typing import Any

from app.courses.models import CompetencyUnit, Course, Enrollment

AUTHOR_ROLES = ("instructor", "institution_admin", "admin")


def _known(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_author(user: Any) -> bool:
    """May create courses (for their own institution; platform admins for any)."""
    return (
        _known(user)
        and user.has_any_role(*AUTHOR_ROLES)
        and (user.is_admin or user.institution_id is not None)
    )


def can_author_for(user: Any, institution_id: int) -> bool:
    return can_author(user) and (user.is_admin or user.institution_id == institution_id)


def can_edit_course(user: Any, course: Course) -> bool:
    """The course's instructors, its institution's admins, and platform admins."""
    if not _known(user):
        return False
    if user.is_admin:
        return True
    if user.has_role("institution_admin") and user.institution_id == course.institution_id:
        return True
    return user.has_role("instructor") and course.has_instructor(user)


def can_manage_instructors(user: Any, course: Course) -> bool:
    return _known(user) and (
        user.is_admin
        or (user.has_role("institution_admin") and user.institution_id == course.institution_id)
    )


def can_view_course(user: Any, course: Course) -> bool:
    """Published and archived courses are public (their catalogue page); drafts are not."""
    return course.status != "draft" or can_edit_course(user, course)


def can_study(user: Any, enrollment: Enrollment | None, version_id: int) -> bool:
    """A trainee studies the lessons of the version their current enrolment is on."""
    return (
        _known(user)
        and enrollment is not None
        and enrollment.user_id == user.id
        and enrollment.can_study
        and enrollment.course_version_id == version_id
    )


def can_self_enrol(user: Any) -> bool:
    return _known(user) and user.has_role("trainee")


def can_manage_enrolments(user: Any, course: Course) -> bool:
    """Enrol trainees, run cohorts, see progress: the same people who edit the course."""
    return can_edit_course(user, course)


def can_maintain_units(user: Any) -> bool:
    return _known(user) and (
        user.is_admin
        or (user.has_any_role("instructor", "institution_admin") and user.institution_id)
    )


def can_edit_unit(user: Any, unit: CompetencyUnit) -> bool:
    """Platform admins, and staff of the institution that maintains the unit."""
    if not can_maintain_units(user):
        return False
    return user.is_admin or (
        unit.institution_id is not None and unit.institution_id == user.institution_id
    )
