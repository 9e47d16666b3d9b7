"""Who may do what with courses, units and enrolments: named predicates used by the web
pages, the JSON API, the templates and the permission-table tests alike, and the guards the
handlers call between loading and the service (a guard raises Forbidden when its predicate
says no; the services themselves never check access).

`user` may be an anonymous user (Flask-Login's) or None: every predicate answers False
for them except where public reading is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import exists, select

from app.auth.models import User
from app.courses.models import Attachment, CompetencyUnit, Course, CourseVersion, Enrollment
from app.errors import Forbidden
from app.extensions import db

AUTHOR_ROLES = ("instructor", "institution_admin", "admin")

Someone = User | AnonymousUserMixin | None


def _known(user: Someone) -> bool:
    return isinstance(user, User) and user.is_authenticated


def can_author(user: Someone) -> bool:
    """May create courses (for their own institution; platform admins for any)."""
    return (
        _known(user)
        and user.has_any_role(*AUTHOR_ROLES)
        and (user.is_admin or user.institution_id is not None)
    )


def can_author_for(user: Someone, institution_id: int) -> bool:
    return can_author(user) and (user.is_admin or user.institution_id == institution_id)


def can_edit_course(user: Someone, course: Course) -> bool:
    """The course's instructors, its institution's admins, and platform admins."""
    if not _known(user):
        return False
    if user.is_admin:
        return True
    if user.has_role("institution_admin") and user.institution_id == course.institution_id:
        return True
    return user.has_role("instructor") and course.has_instructor(user)


def can_manage_instructors(user: Someone, course: Course) -> bool:
    return _known(user) and (
        user.is_admin
        or (user.has_role("institution_admin") and user.institution_id == course.institution_id)
    )


def can_view_course(user: Someone, course: Course) -> bool:
    """Published and archived courses are public (their catalogue page); drafts are not."""
    return course.status != "draft" or can_edit_course(user, course)


def can_study(user: Someone, enrollment: Enrollment | None, version_id: int) -> bool:
    """A trainee studies the lessons of the version their current enrolment is on."""
    return (
        _known(user)
        and enrollment is not None
        and enrollment.user_id == user.id
        and enrollment.can_study
        and enrollment.course_version_id == version_id
    )


def can_self_enrol(user: Someone) -> bool:
    return _known(user) and user.has_role("trainee")


def can_manage_enrolments(user: Someone, course: Course) -> bool:
    """Enrol trainees, run cohorts, see progress: the same people who edit the course."""
    return can_edit_course(user, course)


def can_maintain_units(user: Someone) -> bool:
    return _known(user) and (
        user.is_admin
        or (user.has_any_role("instructor", "institution_admin") and user.institution_id)
    )


def can_edit_unit(user: Someone, unit: CompetencyUnit) -> bool:
    """Platform admins, and staff of the institution that maintains the unit."""
    if not can_maintain_units(user):
        return False
    return user.is_admin or (
        unit.institution_id is not None and unit.institution_id == user.institution_id
    )


def can_download(user: Someone, attachment: Attachment) -> bool:
    """Covers of published versions are public; other files are for the course's editors
    and its trainees."""
    is_public_cover = db.session.scalar(
        select(
            exists().where(
                CourseVersion.cover_attachment_id == attachment.id,
                CourseVersion.status.in_(("published", "archived")),
            )
        )
    )
    if is_public_cover:
        return True
    if not _known(user):
        return False
    course = db.session.get(Course, attachment.course_id)
    if course is not None and can_edit_course(user, course):
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrollment.course_id == attachment.course_id,
                    Enrollment.user_id == user.id,
                    Enrollment.status.in_(("active", "completed")),
                )
            )
        )
    )


# Guards: a predicate that says no becomes a 403 with a message the user can act on.


def ensure_can_author_for(user: User, institution_id: int) -> None:
    if not can_author_for(user, institution_id):
        raise Forbidden(_("You may not create courses for this institution."))


def ensure_can_manage_instructors(user: User, course: Course) -> None:
    if not can_manage_instructors(user, course):
        raise Forbidden(_("Only the institution's admins may choose the instructors."))


def ensure_can_manage_enrolments(user: User, course: Course) -> None:
    if not can_manage_enrolments(user, course):
        raise Forbidden(_("You may not manage enrolments of this course."))


def ensure_can_enrol(user: User, trainee: User, course: Course) -> None:
    """Staff of the course enrol anyone; trainees enrol themselves where the course lets
    them."""
    if user.id != trainee.id:
        ensure_can_manage_enrolments(user, course)
        return
    if not can_self_enrol(user):
        raise Forbidden(_("Only trainees can enrol in courses."))
    if not course.self_enrolment:
        raise Forbidden(_("Enrolment in this course is done by the training centre."))


def ensure_can_maintain_units(user: User) -> None:
    if not can_maintain_units(user):
        raise Forbidden(_("You may not maintain competency units."))


def ensure_can_edit_unit(user: User, unit: CompetencyUnit) -> None:
    if not can_edit_unit(user, unit):
        raise Forbidden(_("This unit is maintained by another institution."))


def ensure_can_edit_units(user: User, units: Iterable[CompetencyUnit]) -> None:
    """An import that would update units another institution maintains is refused whole."""
    refused = sorted(unit.code for unit in units if not can_edit_unit(user, unit))
    if refused:
        raise Forbidden(
            _(
                "These units are maintained by another institution: %(codes)s",
                codes=", ".join(refused),
            ),
            details={"codes": refused},
        )
