"""JSON API under /api/v1/attempts (bearer tokens): an attempt, its answers, submit, and
hand grades."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _

from app.api import BEARER, current_api_user, token_required
from app.assessments import attempts_api as blp
from app.assessments import permissions as perm
from app.assessments.models import Answer
from app.assessments.schemas import (
    AnswerInSchema,
    AnswerSavedSchema,
    AttemptSchema,
    ManualGradeInSchema,
)
from app.assessments.services import attempts as attempt_services
from app.assessments.services import grading
from app.assessments.services.review import attempt_view
from app.db import utcnow
from app.errors import Forbidden, NotFound
from app.extensions import db


@blp.route("/<int:attempt_id>")
class AttemptItem(MethodView):
    @blp.doc(security=BEARER)
    @token_required()
    @blp.response(200, AttemptSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such attempt of yours")
    def get(self, attempt_id: int) -> dict[str, Any]:
        """The attempt with the server's clock, and its result as far as review allows."""
        attempt = attempt_services.get_attempt(current_api_user(), attempt_id)
        attempt_services.close_if_overdue(attempt, utcnow())
        return attempt_view(attempt, utcnow())


@blp.route("/<int:attempt_id>/answers/<int:question_id>")
class AttemptAnswer(MethodView):
    @blp.doc(security=BEARER)
    @token_required("trainee")
    @blp.arguments(AnswerInSchema)
    @blp.response(200, AnswerSavedSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such attempt of yours")
    @blp.alt_response(
        409,
        description="Submitted, time is up (code time_up), or this seq already holds another"
        " value (code seq_conflict; details give the stored seq and value)",
    )
    @blp.alt_response(422, description="Not a question of the attempt, or wrong answer type")
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


@blp.route("/<int:attempt_id>/submit")
class AttemptSubmit(MethodView):
    @blp.doc(security=BEARER)
    @token_required("trainee")
    @blp.response(200, AttemptSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such attempt of yours")
    def post(self, attempt_id: int) -> dict[str, Any]:
        """Submit and grade (a second submit changes nothing)."""
        attempt, _graded = attempt_services.submit_attempt(current_api_user(), attempt_id)
        return attempt_view(attempt, utcnow())


@blp.route("/<int:attempt_id>/answers/<int:question_id>/grade")
class AnswerGrade(MethodView):
    @blp.doc(security=BEARER)
    @token_required("instructor", "institution_admin", "admin")
    @blp.arguments(ManualGradeInSchema)
    @blp.response(200, AnswerSavedSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not a grader of this course")
    @blp.alt_response(404, description="No such answer")
    @blp.alt_response(409, description="Attempt not submitted")
    @blp.alt_response(422, description="Score out of bounds")
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
