"""JSON API under /api/v1/assessments and /api/v1/attempts (bearer tokens)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from app.api import BEARER, current_api_user, token_required
from app.assessments import permissions as perm
from app.assessments.models import (
    Answer,
    Appeal,
    Assessment,
    AssessorAssignment,
    Judgement,
    Question,
    QuestionBank,
)
from app.assessments.schemas import (
    AnswerInSchema,
    AnswerSavedSchema,
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
    ManualGradeInSchema,
    QuestionInSchema,
    QuestionSchema,
    QuestionUpdateSchema,
    StatisticsSchema,
)
from app.assessments.services import attempts as attempt_services
from app.assessments.services import banks, grading, practical, stats
from app.assessments.services.review import attempt_view
from app.assessments.services.uploads import read_upload
from app.auth.models import User
from app.courses.models import Course, Enrollment
from app.db import utcnow
from app.errors import Forbidden, NotFound
from app.extensions import db

blp = Blueprint(
    "assessments_api", __name__, url_prefix="/api/v1/assessments", description="Assessments"
)
attempts_blp = Blueprint(
    "attempts_api", __name__, url_prefix="/api/v1/attempts", description="Assessment attempts"
)


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


@attempts_blp.route("/<int:attempt_id>")
class AttemptItem(MethodView):
    @attempts_blp.doc(security=BEARER)
    @token_required()
    @attempts_blp.response(200, AttemptSchema)
    @attempts_blp.alt_response(401, description="No valid token")
    @attempts_blp.alt_response(404, description="No such attempt of yours")
    def get(self, attempt_id: int) -> dict[str, Any]:
        """The attempt with the server's clock, and its result as far as review allows."""
        attempt = attempt_services.get_attempt(current_api_user(), attempt_id)
        attempt_services.close_if_overdue(attempt, utcnow())
        return attempt_view(attempt, utcnow())


@attempts_blp.route("/<int:attempt_id>/answers/<int:question_id>")
class AttemptAnswer(MethodView):
    @attempts_blp.doc(security=BEARER)
    @token_required("trainee")
    @attempts_blp.arguments(AnswerInSchema)
    @attempts_blp.response(200, AnswerSavedSchema)
    @attempts_blp.alt_response(401, description="No valid token")
    @attempts_blp.alt_response(404, description="No such attempt of yours")
    @attempts_blp.alt_response(
        409,
        description="Submitted, time is up (code time_up), or this seq already holds another"
        " value (code seq_conflict; details give the stored seq and value)",
    )
    @attempts_blp.alt_response(
        422, description="Not a question of the attempt, or wrong answer type"
    )
    def put(self, body: dict, attempt_id: int, question_id: int) -> dict[str, Any]:
        """Save one answer idempotently.

        A newer `seq` replaces the stored answer (`applied: true`); the same `seq` with the
        same value is a harmless resend (`applied: true`); an older `seq` changes nothing
        (`applied: false`, with the stored `seq`); the same `seq` with a different value is
        refused with 409 `seq_conflict`, nothing written, and `details` give the stored `seq`
        and `value`: send the answer again with a higher `seq`."""
        answer, applied = attempt_services.save_answer(
            current_api_user(), attempt_id, question_id, body["value"], body["seq"]
        )
        return {
            "question_id": question_id,
            "seq": answer.seq,
            "applied": applied,
            "saved_at": answer.saved_at,
        }


@attempts_blp.route("/<int:attempt_id>/submit")
class AttemptSubmit(MethodView):
    @attempts_blp.doc(security=BEARER)
    @token_required("trainee")
    @attempts_blp.response(200, AttemptSchema)
    @attempts_blp.alt_response(401, description="No valid token")
    @attempts_blp.alt_response(404, description="No such attempt of yours")
    def post(self, attempt_id: int) -> dict[str, Any]:
        """Submit and grade (a second submit changes nothing)."""
        attempt, _graded = attempt_services.submit_attempt(current_api_user(), attempt_id)
        return attempt_view(attempt, utcnow())


@attempts_blp.route("/<int:attempt_id>/answers/<int:question_id>/grade")
class AnswerGrade(MethodView):
    @attempts_blp.doc(security=BEARER)
    @token_required("instructor", "institution_admin", "admin")
    @attempts_blp.arguments(ManualGradeInSchema)
    @attempts_blp.response(200, AnswerSavedSchema)
    @attempts_blp.alt_response(401, description="No valid token")
    @attempts_blp.alt_response(403, description="Not a grader of this course")
    @attempts_blp.alt_response(404, description="No such answer")
    @attempts_blp.alt_response(409, description="Attempt not submitted")
    @attempts_blp.alt_response(422, description="Score out of bounds")
    def post(self, body: dict, attempt_id: int, question_id: int) -> dict[str, Any]:
        """Grade an answer by hand (essays)."""
        answer = db.session.scalar(
            db.select(Answer).where(
                Answer.attempt_id == attempt_id, Answer.question_id == question_id
            )
        )
        if answer is None:
            raise NotFound(_("That answer was not found."))
        if not perm.can_grade(current_api_user(), answer.attempt.assessment.course):
            raise Forbidden(_("You may not grade this attempt."))
        grading.grade_manually(current_api_user(), answer, body["score"], body["feedback"])
        return {
            "question_id": question_id,
            "seq": answer.seq,
            "applied": True,
            "saved_at": answer.saved_at,
        }
