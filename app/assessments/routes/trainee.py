"""Web pages for trainees: an assessment's page, the attempt (a plain form that also works
without JavaScript), the result, and appeals of practical judgements."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.assessments import bp
from app.assessments import permissions as perm
from app.assessments.forms import AppealForm
from app.assessments.models import Assessment, AssessorAssignment, Attempt, Judgement, Question
from app.assessments.routes.answer_form import answer_from_fields
from app.assessments.routes.index import assign_form
from app.assessments.services import attempts as svc
from app.assessments.services import practical, results
from app.assessments.services.review import attempt_view
from app.auth.forms import EmptyForm
from app.auth.models import User
from app.db import utcnow
from app.errors import AppError, NotFound
from app.extensions import db


def _assessment_for(user: User, assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    if perm.can_view_results(user, assessment.course) or perm.can_assess(user, assessment):
        return assessment
    if assessment.published and perm.enrollment_of(user.id, assessment.course_id):
        return assessment
    abort(404)


@bp.route("/assessments/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment_for(current_user, assessment_id)
    enrollment = perm.enrollment_of(current_user.id, assessment.course_id)
    context = {
        "assessment": assessment,
        "enrollment": enrollment,
        "start_form": EmptyForm(),
        "appeal_form": AppealForm(),
        "now": utcnow(),
        "is_staff": perm.can_view_results(current_user, assessment.course),
        "can_grade": perm.can_grade(current_user, assessment.course),
        "can_assess": perm.can_assess(current_user, assessment),
        "can_author": perm.can_author(current_user, assessment.course),
    }
    if assessment.is_practical and perm.can_assign_assessors(current_user, assessment):
        context["assign_form"] = assign_form(assessment)
        context["assignments"] = db.session.scalars(
            select(AssessorAssignment).where(AssessorAssignment.assessment_id == assessment.id)
        ).all()
    if enrollment is not None and not assessment.is_practical:
        context["attempts"] = svc.attempts_of(assessment, current_user.id)
        context["counted"] = results.outcome(assessment, current_user.id)
        context["can_take"] = perm.can_take(current_user, assessment)
    if enrollment is not None and assessment.is_practical:
        context["units"] = results.unit_status(assessment, enrollment)
        context["prerequisite_met"] = assessment.requires is None or results.passed(
            assessment.requires, current_user.id
        )
    return render_template("assessments/show.html", **context)


@bp.route("/assessments/<int:assessment_id>/start", methods=["POST"])
@login_required
def start(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment_for(current_user, assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not perm.can_take(current_user, assessment):
        flash(_("You may not take this assessment."), "error")
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    try:
        with db.session.begin_nested():
            attempt, _created = svc.start_attempt(current_user, assessment)
    except AppError as error:
        flash(error.message, "error")
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def _save_from_form(attempt: Attempt) -> list[str]:
    """Save every answer of the posted form that differs from the stored one. -> errors."""
    errors = []
    stored = {question.id: answer for question, answer in svc.questions_for_display(attempt)}
    for question_id in attempt.question_ids:
        question = db.session.get(Question, question_id)
        value = answer_from_fields(question, request.form.getlist)
        current = stored.get(question_id)
        if value is None and (current is None or current.value is None):
            continue
        if current is not None and svc.shown_answer(attempt, question, current.value) == value:
            continue
        seq = (current.seq if current else 0) + 1
        try:
            svc.save_answer(current_user, attempt.id, question_id, value, seq)
        except svc.AttemptClosed:
            raise
        except AppError as error:
            errors.append(
                _(
                    "Question %(n)s: %(message)s",
                    n=attempt.question_ids.index(question_id) + 1,
                    message=error.message,
                )
            )
    return errors


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id: int) -> ResponseReturnValue:
    attempt = _own_attempt(attempt_id)
    if svc.close_if_overdue(attempt, utcnow()):
        flash(svc.time_up_message(), "info")
    if not attempt.in_progress:
        return redirect(url_for("assessments.result", attempt_id=attempt.id))
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            errors = _save_from_form(attempt)
        except svc.AttemptClosed as closed:
            flash(closed.message, "error")
            return redirect(url_for("assessments.result", attempt_id=attempt.id))
        for message in errors:
            flash(message, "error")
        if request.form.get("action") == "submit" and not errors:
            svc.submit_attempt(current_user, attempt.id)
            flash(_("Your answers were submitted."), "success")
            return redirect(url_for("assessments.result", attempt_id=attempt.id))
        if not errors:
            flash(_("Your answers were saved."), "success")
        anchor = request.form.get("action", "")
        return redirect(
            url_for(
                "assessments.attempt",
                attempt_id=attempt.id,
                _anchor=anchor if anchor.startswith("q") else None,
            )
        )
    view = attempt_view(attempt, utcnow())
    return render_template("assessments/attempt.html", attempt=attempt, view=view, form=form)


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
def save(attempt_id: int) -> ResponseReturnValue:
    """The page script's autosave: the same fields as the form, as JSON, with a sequence
    number. Answers with the JSON error envelope on failure."""
    attempt = _own_attempt(attempt_id)
    body = request.get_json(silent=True) or {}
    question_id, fields, seq = body.get("question_id"), body.get("fields"), body.get("seq")
    if (
        not isinstance(question_id, int)
        or not isinstance(fields, dict)
        or question_id not in attempt.question_ids
    ):
        raise NotFound(_("That question is not part of this attempt."))
    question = db.session.get(Question, question_id)

    def get(name: str) -> list[str]:
        values = fields.get(name, [])
        return [str(v) for v in values] if isinstance(values, list) else [str(values)]

    answer, applied = svc.save_answer(
        current_user, attempt.id, question_id, answer_from_fields(question, get), seq
    )
    return jsonify(
        {
            "question_id": question_id,
            "seq": answer.seq,
            "applied": applied,
            "now": utcnow().isoformat(),
        }
    )


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> ResponseReturnValue:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not perm.can_view_attempt(current_user, attempt):
        abort(404)
    if attempt.in_progress:
        return redirect(url_for("assessments.attempt", attempt_id=attempt.id))
    view = attempt_view(attempt, utcnow())
    return render_template("assessments/result.html", attempt=attempt, view=view)


@bp.route("/assessments/judgements/<int:judgement_id>/appeal", methods=["POST"])
@login_required
def appeal(judgement_id: int) -> ResponseReturnValue:
    judgement = db.session.get(Judgement, judgement_id)
    if judgement is None or not perm.can_appeal(current_user, judgement):
        abort(404)
    back = url_for("assessments.show", assessment_id=judgement.assessment_id)
    form = AppealForm()
    try:
        if not form.validate_on_submit():
            raise AppError(_("Say why you appeal."))
        with db.session.begin_nested():
            practical.appeal(current_user, judgement, form.reason.data)
    except AppError as error:
        flash(error.message, "error")
        return redirect(back)
    flash(_("Your appeal was sent. A different assessor will reassess this unit."), "success")
    return redirect(back)
