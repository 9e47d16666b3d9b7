"""JSON API under /api/v1/assessments (bearer tokens): banks, questions, imports,
assessments, statistics, practical judgements, assessor assignments and appeals. Attempts are
in attempts.py."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import gettext as _

from app.api import BEARER, current_api_user, token_required
from app.assessments import assessments_api as blp
from app.assessments import permissions as perm
from app.assessments.models import (
    Appeal,
    Assessment,
    AssessorAssignment,
    Judgement,
    Question,
    QuestionBank,
)
from app.assessments.schemas import (
    AppealInSchema,
    AppealSchema,
    AssessmentInSchema,
    AssessmentSchema,
    AssignmentInSchema,
    AssignmentSchema,
    AttemptSchema,
    BankInSchema,
    BankSchema,
    ImportInSchema,
    ImportResultSchema,
    JudgementInSchema,
    JudgementSchema,
    QuestionInSchema,
    QuestionSchema,
    QuestionUpdateSchema,
    StatisticsSchema,
)
from app.assessments.services import attempts as attempt_services
from app.assessments.services import banks, practical, stats
from app.assessments.services.review import attempt_view
from app.assessments.services.uploads import read_upload
from app.auth.models import User
from app.courses.models import Course, Enrollment
from app.db import utcnow
from app.errors import Forbidden, NotFound
from app.extensions import db


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound(_("That course was not found."))
    return course


def _visible_assessment(assessment_id: int) -> Assessment:
    assessment = banks.get_assessment(assessment_id)
    user = current_api_user()
    if perm.can_view_results(user, assessment.course):
        return assessment
    if assessment.published and perm.enrollment_of(user.id, assessment.course_id) is not None:
        return assessment
    raise NotFound(_("That assessment was not found."))


@blp.route("/courses/<int:course_id>")
class CourseAssessments(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*perm.AUTHORS)
    @blp.arguments(AssessmentInSchema)
    @blp.response(201, AssessmentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of this course")
    @blp.alt_response(404, description="No such course")
    @blp.alt_response(422, description="Invalid settings")
    def post(self, body: dict, course_id: int) -> Assessment:
        """Create an assessment for a course."""
        course = _course(course_id)
        perm.ensure_can_author(current_api_user(), course)
        assessment = banks.create_assessment(current_api_user(), course, **body)
        return assessment


@blp.route("/courses/<int:course_id>/banks")
class Banks(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*perm.AUTHORS)
    @blp.arguments(BankInSchema)
    @blp.response(201, BankSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of this course")
    @blp.alt_response(409, description="The course already has a bank with that name")
    @blp.alt_response(422, description="Invalid name")
    def post(self, body: dict, course_id: int) -> QuestionBank:
        """Create a question bank for a course."""
        course = _course(course_id)
        perm.ensure_can_author(current_api_user(), course)
        bank = banks.create_bank(current_api_user(), course, body["name"])
        return bank


@blp.route("/banks/<int:bank_id>/questions")
class BankQuestions(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*perm.AUTHORS)
    @blp.arguments(QuestionInSchema)
    @blp.response(201, QuestionSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of this course")
    @blp.alt_response(404, description="No such bank")
    @blp.alt_response(422, description="Invalid question, with every problem by field")
    def post(self, body: dict, bank_id: int) -> Question:
        """Add a question (any registered type) to a bank."""
        bank = banks.get_bank(bank_id)
        perm.ensure_can_author(current_api_user(), bank.course)
        question = banks.add_question(
            current_api_user(),
            bank,
            body["type"],
            body["definition"],
            body["name"],
            body["unit_ids"],
        )
        return question


@blp.route("/banks/<int:bank_id>/import")
class BankImport(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*perm.AUTHORS)
    @blp.arguments(ImportInSchema, location="form")
    @blp.response(201, ImportResultSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of this course")
    @blp.alt_response(413, description="File too large")
    @blp.alt_response(
        422, description="Unreadable file, more questions than one import may take, or none"
    )
    def post(self, form: dict, bank_id: int) -> dict[str, Any]:
        """Import GIFT or Moodle XML (multipart field `file`). With dry_run nothing is stored."""
        bank = banks.get_bank(bank_id)
        perm.ensure_can_author(current_api_user(), bank.course)
        data = read_upload(request.files.get("file"))
        if form["dry_run"]:
            result = banks.parse_import(form["format"], data)
            return {"imported": 0, "dry_run": True, "question_ids": [], "errors": result.errors}
        stored, result = banks.import_questions(current_api_user(), bank, form["format"], data)
        return {
            "imported": len(stored),
            "dry_run": False,
            "question_ids": [q.id for q in stored],
            "errors": result.errors,
        }


@blp.route("/questions/<int:question_id>")
class QuestionItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*perm.AUTHORS)
    @blp.arguments(QuestionUpdateSchema)
    @blp.response(200, QuestionSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of this course")
    @blp.alt_response(404, description="No such question")
    @blp.alt_response(422, description="Invalid question")
    def put(self, body: dict, question_id: int) -> Question:
        """Correct a question; every submitted attempt with it is regraded and audited."""
        question = banks.get_question(question_id)
        perm.ensure_can_author(current_api_user(), question.bank.course)
        question, _regraded = banks.update_question(
            current_api_user(),
            question,
            body["definition"],
            body["unit_ids"],
        )
        return question


@blp.route("/<int:assessment_id>")
class AssessmentItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, AssessmentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such assessment that you may see")
    def get(self, assessment_id: int) -> Assessment:
        """An assessment's settings."""
        return _visible_assessment(assessment_id)


@blp.route("/<int:assessment_id>/attempts")
class StartAttempt(MethodView):
    @blp.doc(security=BEARER)
    @token_required("trainee")
    @blp.response(201, AttemptSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not enrolled as a trainee")
    @blp.alt_response(404, description="No such assessment")
    @blp.alt_response(409, description="Not open, closed, or no attempts left")
    def post(self, assessment_id: int) -> tuple[dict[str, Any], int]:
        """Start an attempt (or get back the one in progress, with 200)."""
        assessment = _visible_assessment(assessment_id)
        if not perm.can_take(current_api_user(), assessment):
            raise Forbidden(_("You may not take this assessment."))
        attempt, created = attempt_services.start_attempt(current_api_user(), assessment)
        return attempt_view(attempt, utcnow()), 201 if created else 200


@blp.route("/<int:assessment_id>/statistics")
class Statistics(MethodView):
    @blp.doc(security=BEARER)
    @token_required("instructor", "institution_admin", "assessor", "admin")
    @blp.response(200, StatisticsSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such assessment that you may see")
    def get(self, assessment_id: int) -> dict[str, Any]:
        """Item statistics (facility, discrimination) and per-unit pass rates."""
        assessment = banks.get_assessment(assessment_id)
        if not perm.can_view_results(current_api_user(), assessment.course):
            raise NotFound(_("That assessment was not found."))
        return {
            "items": stats.item_statistics(assessment),
            "units": stats.unit_pass_rates(assessment),
        }


@blp.route("/<int:assessment_id>/judgements")
class Judgements(MethodView):
    @blp.doc(security=BEARER)
    @token_required("assessor", "admin")
    @blp.arguments(JudgementInSchema)
    @blp.response(201, JudgementSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an assessor of this trainee")
    @blp.alt_response(404, description="No such assessment or enrolment")
    @blp.alt_response(409, description="Already K, prerequisite missing, or same assessor")
    @blp.alt_response(422, description="Incomplete judgement")
    def post(self, body: dict, assessment_id: int) -> Judgement:
        """Record K or BK for one unit of one enrolment."""
        assessment = banks.get_assessment(assessment_id)
        enrollment = db.session.get(Enrollment, body.pop("enrollment_id"))
        if enrollment is None:
            raise NotFound(_("That enrolment was not found."))
        if not perm.can_judge(current_api_user(), assessment, enrollment):
            raise Forbidden(_("You are not an assessor of this trainee's practical."))
        judgement = practical.record_judgement(
            current_api_user(), assessment, enrollment, body.pop("unit_id"), **body
        )
        return judgement


@blp.route("/<int:assessment_id>/assessors")
class Assessors(MethodView):
    @blp.doc(security=BEARER)
    @token_required(*perm.AUTHORS)
    @blp.arguments(AssignmentInSchema)
    @blp.response(201, AssignmentSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an author of this course")
    @blp.alt_response(404, description="No such assessment or assessor")
    @blp.alt_response(422, description="Not an assessor of this institution")
    def post(self, body: dict, assessment_id: int) -> AssessorAssignment:
        """Assign an assessor to a practical, for one cohort or (no cohort) the whole course."""
        assessment = banks.get_assessment(assessment_id)
        assessor = db.session.get(User, body["assessor_id"])
        if assessor is None:
            raise NotFound(_("That assessor was not found."))
        perm.ensure_can_author(current_api_user(), assessment.course)
        found = banks.assign_assessor(
            current_api_user(), assessment, assessor, body.get("cohort_id")
        )
        return found


@blp.route("/judgements/<int:judgement_id>/appeal")
class JudgementAppeal(MethodView):
    @blp.doc(security=BEARER)
    @token_required("trainee")
    @blp.arguments(AppealInSchema)
    @blp.response(201, AppealSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such judgement of yours")
    @blp.alt_response(409, description="Not a BK, or already appealed")
    def post(self, body: dict, judgement_id: int) -> Appeal:
        """Appeal a Belum Kompeten judgement; a different assessor reassesses."""
        judgement = db.session.get(Judgement, judgement_id)
        if judgement is None or not perm.can_appeal(current_api_user(), judgement):
            raise NotFound(_("That judgement was not found."))
        entry = practical.appeal(current_api_user(), judgement, body["reason"])
        return entry
