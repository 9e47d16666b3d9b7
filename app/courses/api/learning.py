"""JSON API: cohorts, enrolment (self and by staff), withdrawal, progress, completing
lessons and moving to the latest version."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api import BEARER, current_api_user, token_required
from app.auth.models import User
from app.courses import learning_api as blp
from app.courses import permissions
from app.courses.api.common import NOT_FOUND, editable, visible
from app.courses.models import Cohort, Enrollment
from app.courses.permissions import can_manage_enrolments
from app.courses.schemas import (
    CourseCohortInputSchema,
    CourseCohortSchema,
    CourseCohortUpdateSchema,
    CourseEnrollmentSchema,
    CourseProgressSchema,
    EnrolInputSchema,
)
from app.courses.services import enrolment, progress
from app.courses.services.catalogue import lesson_in_course, load_version
from app.errors import NotFound, ValidationFailed
from app.extensions import db


def _own_or_managed(enrollment_id: int) -> Enrollment:
    """The caller's enrolment, or one of a course they manage; 404 otherwise."""
    record = db.session.get(Enrollment, enrollment_id)
    user = current_api_user()
    if record is None or (
        record.user_id != user.id and not can_manage_enrolments(user, record.course)
    ):
        raise NotFound(_("Enrolment not found."))
    return record


def _progress_out(record: Enrollment, newly_completed: bool = False) -> dict[str, Any]:
    version = load_version(record.course_version_id)
    assert version is not None  # noqa: S101 - the enrolment's own version
    state = progress.progress(record, version.modules)
    resume = progress.resume_lesson(record, version.modules, state.done_ids)
    return {
        "enrollment": record,
        "done": state.done,
        "total": state.total,
        "percent": state.percent,
        "completed_lesson_ids": sorted(state.done_ids),
        "resume_lesson_id": resume.id if resume and record.can_study else None,
        "modules": [
            {"module_id": m.module.id, "done": m.done, "total": m.total, "percent": m.percent}
            for m in state.modules
        ],
        "newly_completed": newly_completed,
    }


@blp.route("/courses/<int:course_id>/cohorts")
class Cohorts(MethodView):
    @blp.doc(security=[*BEARER, {}])
    @blp.response(200, CourseCohortSchema(many=True))
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: int):
        """The course's cohorts (angkatan), soonest first."""
        course = visible(course_id)
        return db.session.scalars(
            select(Cohort).where(Cohort.course_id == course.id).order_by(Cohort.starts_on)
        ).all()

    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(CourseCohortInputSchema)
    @blp.response(201, CourseCohortSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(409, description="The course already has a cohort with this name")
    @blp.alt_response(422, description="Invalid body (e.g. it ends before it starts)")
    def post(self, body: dict, course_id: int):
        """Open a cohort with dates and an optional capacity."""
        course = editable(course_id)
        cohort = enrolment.create_cohort(current_api_user(), course, **body)
        return cohort


@blp.route("/courses/<int:course_id>/cohorts/<int:cohort_id>")
class CohortItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(CourseCohortUpdateSchema, required=False)
    @blp.response(200, CourseCohortSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description="No such course or cohort")
    @blp.alt_response(409, description="Another cohort of the course has this name")
    @blp.alt_response(422, description="Invalid body (e.g. capacity below the seats taken)")
    def patch(self, body: dict, course_id: int, cohort_id: int):
        """Change a cohort; more capacity moves trainees up from the waiting list."""
        course = editable(course_id)
        cohort = enrolment.update_cohort(
            current_api_user(), enrolment.get_cohort(course, cohort_id), **body
        )
        return cohort


@blp.route("/courses/<int:course_id>/enrolments")
class CourseEnrolments(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseEnrollmentSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an editor of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: int):
        """The course's current enrolments (not withdrawn)."""
        course = editable(course_id)
        return db.session.scalars(
            select(Enrollment)
            .options(joinedload(Enrollment.course_version))
            .where(Enrollment.course_id == course.id, Enrollment.status != "withdrawn")
            .order_by(Enrollment.created_at, Enrollment.id)
        ).all()

    @blp.doc(security=BEARER)
    @token_required()
    @blp.arguments(EnrolInputSchema, required=False)
    @blp.response(201, CourseEnrollmentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Self-enrolment closed, or not staff of this course")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(409, description="Already enrolled, cohort closed or ended")
    @blp.alt_response(422, description="No cohort chosen for a cohort course, or not a trainee")
    def post(self, body: dict, course_id: int):
        """Enrol yourself, or (staff) a trainee. A full cohort puts them on the waiting list
        (status `waiting`)."""
        course = visible(course_id)
        user = current_api_user()
        trainee = user
        if body["user_id"] is not None and body["user_id"] != user.id:
            trainee = db.session.get(User, body["user_id"])
            if trainee is None:
                raise ValidationFailed(_("No such user."), details={"user_id": ["unknown"]})
        cohort = enrolment.get_cohort(course, body["cohort_id"]) if body["cohort_id"] else None
        permissions.ensure_can_enrol(user, trainee, course)
        record = enrolment.enrol(trainee, course, cohort, by=user if trainee is not user else None)
        return record


@blp.route("/enrolments")
class MyEnrolments(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseEnrollmentSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    def get(self):
        """Your enrolments, newest first."""
        return db.session.scalars(
            select(Enrollment)
            .options(joinedload(Enrollment.course_version))
            .where(Enrollment.user_id == current_api_user().id)
            .order_by(Enrollment.created_at.desc(), Enrollment.id.desc())
        ).all()


@blp.route("/enrolments/<int:enrollment_id>")
class EnrolmentItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseProgressSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="Not your enrolment, nor one you manage")
    def get(self, enrollment_id: int):
        """An enrolment with its progress per module and where to resume."""
        return _progress_out(_own_or_managed(enrollment_id))


@blp.route("/enrolments/<int:enrollment_id>/withdraw")
class Withdraw(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseEnrollmentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="Not your enrolment, nor one you manage")
    @blp.alt_response(409, description="Already withdrawn or completed")
    def post(self, enrollment_id: int):
        """Withdraw (or leave the waiting list). A freed seat goes to the longest waiting."""
        record = enrolment.withdraw(current_api_user(), _own_or_managed(enrollment_id))
        return record


@blp.route("/enrolments/<int:enrollment_id>/lessons/<int:lesson_id>/complete")
class CompleteLesson(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseProgressSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="Not your enrolment, or not a lesson of its version")
    @blp.alt_response(409, description="The enrolment is not active")
    def post(self, enrollment_id: int, lesson_id: int):
        """Mark a lesson done (idempotent). `newly_completed` says this completed the course."""
        record = _own_or_managed(enrollment_id)
        lesson = lesson_in_course(record.course_id, lesson_id)
        if lesson is None:
            raise NotFound(_("Lesson not found."))
        result = progress.complete_lesson(current_api_user(), record, lesson)
        return _progress_out(record, result.newly_completed)


@blp.route("/enrolments/<int:enrollment_id>/move-to-latest")
class MoveToLatest(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, CourseProgressSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="Not your enrolment")
    @blp.alt_response(409, description="Already on the latest version, or not active")
    def post(self, enrollment_id: int):
        """Move to the latest published version, keeping progress of unchanged lessons."""
        record = progress.move_to_latest(current_api_user(), _own_or_managed(enrollment_id))
        return _progress_out(record)
