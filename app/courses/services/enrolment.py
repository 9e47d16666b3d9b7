"""Cohorts, enrolment (self and by staff), the waiting list, withdrawal, lesson progress,
(progress is in progress.py).

Capacity is safe against races without locks: a seat is taken by
`UPDATE cohorts SET seats_taken = seats_taken + 1 WHERE id = ? AND seats_taken < capacity`
and only the request whose UPDATE matched gets it; the others join the waiting list. The
partial unique index on enrolments stops a double enrolment of the same trainee.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User
from app.courses.models import Cohort, Course, Enrollment
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import local_today

log = logging.getLogger(__name__)


# Cohorts ---------------------------------------------------------------------------------


def _clean_cohort(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = (fields.get("name") or "").strip()
    if not name or len(name) > 120:
        errors["name"] = ["invalid"]
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if not isinstance(starts_on, date):
        errors["starts_on"] = ["invalid"]
    if not isinstance(ends_on, date):
        errors["ends_on"] = ["invalid"]
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = ["before_start"]
    capacity = fields.get("capacity")
    if capacity is not None and (
        isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 10000
    ):
        errors["capacity"] = ["out_of_range"]
    if errors:
        raise ValidationFailed(_("Some cohort details are not valid."), details=errors)
    return {
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "capacity": capacity,
        "enrolment_open": bool(fields.get("enrolment_open", True)),
    }


def _name_taken(course_id: int, name: str, other_than: int | None = None) -> bool:
    query = select(Cohort.id).where(Cohort.course_id == course_id, Cohort.name == name)
    if other_than is not None:
        query = query.where(Cohort.id != other_than)
    return db.session.scalar(query.limit(1)) is not None


def _name_conflict() -> Conflict:
    return Conflict(
        _("This course already has a cohort with that name."), details={"name": ["taken"]}
    )


@contextmanager
def _unique_name(course_id: int, name: str, other_than: int | None = None) -> Iterator[None]:
    """Write the block's changes in a savepoint; if another request took the name
    meanwhile, the unique constraint refuses them and the caller gets a 409."""
    if _name_taken(course_id, name, other_than):
        raise _name_conflict()
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        if _name_taken(course_id, name, other_than):
            raise _name_conflict() from None
        raise


def create_cohort(user: User, course: Course, **fields: Any) -> Cohort:
    clean = _clean_cohort(fields)
    cohort = Cohort(course_id=course.id, **clean)
    with _unique_name(course.id, clean["name"]):
        db.session.add(cohort)
    log.info("user %s created cohort %s of course %s", user.id, cohort.id, course.id)
    return cohort


def update_cohort(user: User, cohort: Cohort, **fields: Any) -> Cohort:
    clean = _clean_cohort(
        {
            "name": cohort.name,
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "capacity": cohort.capacity,
            "enrolment_open": cohort.enrolment_open,
            **fields,
        }
    )
    db.session.refresh(cohort, ["seats_taken"])
    if clean["capacity"] is not None and clean["capacity"] < cohort.seats_taken:
        raise ValidationFailed(
            _(
                "The capacity cannot be less than the %(n)s seats already taken.",
                n=cohort.seats_taken,
            ),
            details={"capacity": ["below_taken"]},
        )
    with _unique_name(cohort.course_id, clean["name"], other_than=cohort.id):
        for name, value in clean.items():
            setattr(cohort, name, value)
    promote_waiting(cohort)
    return cohort


def get_cohort(course: Course, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.course_id != course.id:
        raise NotFound(_("Cohort not found."))
    return cohort


def _take_seat(cohort_id: int) -> bool:
    result = db.session.execute(
        update(Cohort)
        .where(
            Cohort.id == cohort_id,
            (Cohort.capacity.is_(None)) | (Cohort.seats_taken < Cohort.capacity),
        )
        .values(seats_taken=Cohort.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _release_seat(cohort_id: int) -> None:
    db.session.execute(
        update(Cohort)
        .where(Cohort.id == cohort_id, Cohort.seats_taken > 0)
        .values(seats_taken=Cohort.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def _expire_seats(cohort_id: int) -> None:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is not None:
        db.session.expire(cohort, ["seats_taken"])


# Enrolment -------------------------------------------------------------------------------


def current_enrollment(user_id: int, course_id: int) -> Enrollment | None:
    """The user's enrolment in the course that is not withdrawn, if any."""
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user_id,
            Enrollment.course_id == course_id,
            Enrollment.withdrawn_at.is_(None),
        )
    )


def enrol(
    trainee: User, course: Course, cohort: Cohort | None = None, *, by: User | None = None
) -> Enrollment:
    """Enrol a trainee: by themselves (`by` None) or by staff. Joins the waiting list when
    the cohort is full."""
    staff = by is not None and by.id != trainee.id
    if not trainee.has_role("trainee"):
        raise ValidationFailed(
            _("Only trainee accounts can be enrolled."), details={"user": ["not_trainee"]}
        )
    version = course.published_version
    if course.status != "published" or version is None:
        raise Conflict(_("This course is not open for enrolment."), details={"course": ["closed"]})
    if cohort is None and not course.self_paced:
        raise ValidationFailed(_("Choose a cohort."), details={"cohort_id": ["required"]})
    if cohort is not None:
        if cohort.course_id != course.id:
            raise ValidationFailed(
                _("Choose a cohort of this course."), details={"cohort_id": ["other"]}
            )
        if cohort.ends_on < local_today():
            raise Conflict(_("This cohort has already ended."), details={"cohort_id": ["ended"]})
        if not staff and not cohort.enrolment_open:
            raise Conflict(
                _("Enrolment in this cohort is closed."), details={"cohort_id": ["closed"]}
            )
    if current_enrollment(trainee.id, course.id) is not None:
        raise Conflict(
            _("You are already enrolled in this course."), details={"course": ["enrolled"]}
        )
    enrollment = Enrollment(
        user_id=trainee.id,
        course_id=course.id,
        course_version_id=version.id,
        cohort_id=cohort.id if cohort else None,
        status="waiting",
        enrolled_by_id=(by or trainee).id,
    )
    db.session.add(enrollment)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            _("You are already enrolled in this course."), details={"course": ["enrolled"]}
        ) from exc
    if cohort is None or _take_seat(cohort.id):
        enrollment.status, enrollment.activated_at = "active", utcnow()
    if cohort is not None:
        _expire_seats(cohort.id)
    db.session.flush()
    if staff:
        record(
            "enrollment.create",
            actor=by,
            target=enrollment,
            institution_id=course.institution_id,
            after={"user_id": trainee.id, "status": enrollment.status},
        )
    log.info(
        "user %s enrolled in course %s (%s) by %s",
        trainee.id,
        course.id,
        enrollment.status,
        (by or trainee).id,
    )
    return enrollment


def withdraw(user: User, enrollment: Enrollment) -> Enrollment:
    """Leave a course (or its waiting list). A freed seat goes to the longest waiting."""
    if enrollment.status not in ("active", "waiting"):
        raise Conflict(
            _("Only a current enrolment can be withdrawn."), details={"status": [enrollment.status]}
        )
    held_seat = enrollment.status == "active" and enrollment.cohort_id is not None
    enrollment.status, enrollment.withdrawn_at = "withdrawn", utcnow()
    db.session.flush()
    if held_seat and enrollment.cohort_id is not None:
        _release_seat(enrollment.cohort_id)
        cohort = db.session.get(Cohort, enrollment.cohort_id)
        db.session.expire(cohort, ["seats_taken"])
        promote_waiting(cohort)
    log.info("enrolment %s withdrawn by user %s", enrollment.id, user.id)
    return enrollment


def promote_waiting(cohort: Cohort) -> list[Enrollment]:
    """Give free seats to the waiting list, first come first served."""
    promoted: list[Enrollment] = []
    skipped: set[int] = set()
    while True:
        waiting = db.session.scalar(
            select(Enrollment)
            .where(
                Enrollment.cohort_id == cohort.id,
                Enrollment.status == "waiting",
                Enrollment.id.not_in(skipped) if skipped else True,
            )
            .order_by(Enrollment.created_at, Enrollment.id)
            .limit(1)
        )
        if waiting is None or not _take_seat(cohort.id):
            break
        claimed = db.session.execute(
            update(Enrollment)
            .where(Enrollment.id == waiting.id, Enrollment.status == "waiting")
            .values(status="active", activated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            _release_seat(cohort.id)  # someone else moved them first: give the seat back
            skipped.add(waiting.id)
            continue
        db.session.refresh(waiting)
        promoted.append(waiting)
        log.info("enrolment %s promoted from the waiting list of cohort %s", waiting.id, cohort.id)
    db.session.expire(cohort, ["seats_taken"])
    return promoted


def is_trainee_of(course_id: int, user: User | AnonymousUserMixin) -> Enrollment | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return current_enrollment(user.id, course_id)
