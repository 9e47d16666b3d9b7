"""Web pages for staff: a course's assessments and banks, question import with a preview
(nothing is stored until confirmed), the hand-grading queue, statistics with a CSV export,
and the assessor's practical judgement form."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.assessments import bp
from app.assessments import permissions as perm
from app.assessments.forms import (
    BankForm,
    ConfirmImportForm,
    ImportForm,
    JudgementForm,
    ManualGradeForm,
    QuestionEditForm,
)
from app.assessments.models import Answer, Assessment, AssessorAssignment, Question, QuestionBank
from app.assessments.services import banks, grading, practical, results, stats
from app.assessments.services.uploads import read_upload
from app.courses.models import Course, Enrollment
from app.errors import AppError, Forbidden
from app.extensions import db


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not perm.can_author(current_user, course):
        abort(404)
    return course


def _bank(bank_id: int) -> QuestionBank:
    bank = db.session.get(QuestionBank, bank_id)
    if bank is None or not perm.can_author(current_user, bank.course):
        abort(404)
    return bank


def _assessment(assessment_id: int, allowed: Callable[[Assessment], bool]) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not allowed(assessment):
        abort(404)
    return assessment


@bp.route("/assessments/course/<int:course_id>", methods=["GET", "POST"])
@login_required
def course_assessments(course_id: int) -> ResponseReturnValue:
    course = _course(course_id)
    form = BankForm()
    status = 200
    if form.validate_on_submit():
        try:
            bank = banks.create_bank(current_user, course, form.name.data)
        except AppError as error:
            form.name.errors = [*form.name.errors, error.message]
            status = error.status
        else:
            return redirect(url_for("assessments.bank", bank_id=bank.id))
    course_banks = db.session.scalars(
        select(QuestionBank).where(QuestionBank.course_id == course.id)
    )
    return render_template(
        "assessments/course.html",
        course=course,
        assessments=banks.course_assessments(course.id),
        banks=list(course_banks),
        form=form,
    ), status


@bp.route("/assessments/banks/<int:bank_id>")
@login_required
def bank(bank_id: int) -> ResponseReturnValue:
    return render_template("assessments/bank.html", bank=_bank(bank_id), form=ImportForm())


@bp.route("/assessments/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int) -> ResponseReturnValue:
    """Correct a question's definition (JSON); every submitted attempt with it is regraded."""
    question = db.session.get(Question, question_id)
    if question is None or not perm.can_author(current_user, question.bank.course):
        abort(404)
    form = QuestionEditForm(
        definition=json.dumps(question.definition, ensure_ascii=False, indent=2)
    )
    status = 200
    if form.validate_on_submit():
        try:
            definition = json.loads(form.definition.data)
            _question, regraded = banks.update_question(current_user, question, definition)
        except json.JSONDecodeError:
            form.definition.errors = [_("This is not valid JSON.")]
            status = 422
        except AppError as error:
            form.definition.errors = [error.message, *_flatten(error.details)]
            status = error.status
        else:
            flash(
                _("The question was saved; %(n)s attempts were regraded.", n=len(regraded)),
                "success",
            )
            return redirect(url_for("assessments.bank", bank_id=question.bank_id))
    return render_template("assessments/question.html", question=question, form=form), status


def _flatten(details: dict) -> list[str]:
    return [f"{field}: {'; '.join(map(str, problems))}" for field, problems in details.items()]


@bp.route("/assessments/banks/<int:bank_id>/import", methods=["POST"])
@login_required
def import_preview(bank_id: int) -> ResponseReturnValue:
    """Parse the upload and show what would be imported and every error; store nothing."""
    bank = _bank(bank_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("assessments/bank.html", bank=bank, form=form), 422
    if form.file.data and getattr(form.file.data, "filename", ""):
        data = read_upload(form.file.data)
    else:
        data = form.text.data.strip().encode()
    try:
        result = banks.parse_import(form.format.data, data)
    except AppError as error:
        flash(error.message + " " + "; ".join(error.details.get("file", [])), "error")
        return render_template("assessments/bank.html", bank=bank, form=form), 422
    confirm = ConfirmImportForm(
        formdata=None, content=data.decode("utf-8-sig", "replace"), format=form.format.data
    )
    return render_template(
        "assessments/import_preview.html", bank=bank, result=result, confirm=confirm
    )


@bp.route("/assessments/banks/<int:bank_id>/import/confirm", methods=["POST"])
@login_required
def import_confirm(bank_id: int) -> ResponseReturnValue:
    bank = _bank(bank_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with db.session.begin_nested():
            stored, _result = banks.import_questions(
                current_user, bank, form.format.data, form.content.data
            )
    except AppError as error:
        flash(error.message, "error")
        return redirect(url_for("assessments.bank", bank_id=bank.id))
    flash(_("%(n)s questions were imported.", n=len(stored)), "success")
    return redirect(url_for("assessments.bank", bank_id=bank.id))


@bp.route("/assessments/<int:assessment_id>/grading")
@login_required
def grading_queue(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment(assessment_id, lambda a: perm.can_grade(current_user, a.course))
    return render_template(
        "assessments/grading.html",
        assessment=assessment,
        queue=grading.manual_queue(assessment),
        form=ManualGradeForm(formdata=None),
    )


@bp.route("/assessments/<int:assessment_id>/grading/<int:answer_id>", methods=["POST"])
@login_required
def grade_answer(assessment_id: int, answer_id: int) -> ResponseReturnValue:
    assessment = _assessment(assessment_id, lambda a: perm.can_grade(current_user, a.course))
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.attempt.assessment_id != assessment.id:
        abort(404)
    form = ManualGradeForm()
    try:
        if not form.validate_on_submit():
            raise AppError(_("Give a score of 0 or more."))
        with db.session.begin_nested():
            grading.grade_manually(current_user, answer, form.score.data, form.feedback.data)
    except AppError as error:
        flash(error.message, "error")
    else:
        flash(_("The answer was graded."), "success")
    return redirect(url_for("assessments.grading_queue", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>/statistics")
@login_required
def statistics(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment(assessment_id, lambda a: perm.can_view_results(current_user, a.course))
    return render_template(
        "assessments/statistics.html",
        assessment=assessment,
        items=stats.item_statistics(assessment),
        units=stats.unit_pass_rates(assessment),
    )


@bp.route("/assessments/<int:assessment_id>/results.csv")
@login_required
def results_csv(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment(assessment_id, lambda a: perm.can_view_results(current_user, a.course))
    return Response(
        stats.results_csv(assessment),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=assessment-{assessment.id}-results.csv"
        },
    )


def _assessable(assessment: Assessment) -> list[Enrollment]:
    """The enrolments this assessor may judge: their cohorts', or all if course-wide."""
    query = select(Enrollment).where(
        Enrollment.course_id == assessment.course_id,
        Enrollment.withdrawn_at.is_(None),
        Enrollment.status.in_(("active", "completed")),
    )
    if not current_user.is_admin:
        cohorts = set(
            db.session.scalars(
                select(AssessorAssignment.cohort_id).where(
                    AssessorAssignment.assessment_id == assessment.id,
                    AssessorAssignment.assessor_id == current_user.id,
                )
            )
        )
        if None not in cohorts:
            query = query.where(Enrollment.cohort_id.in_(cohorts))
    return list(db.session.scalars(query.order_by(Enrollment.id)))


@bp.route("/assessments/<int:assessment_id>/practical")
@login_required
def practical_list(assessment_id: int) -> ResponseReturnValue:
    assessment = _assessment(assessment_id, lambda a: perm.can_assess(current_user, a))
    rows = [(e, results.unit_status(assessment, e)) for e in _assessable(assessment)]
    return render_template(
        "assessments/practical.html",
        assessment=assessment,
        rows=rows,
        appeals=practical.open_appeals(assessment),
    )


@bp.route(
    "/assessments/<int:assessment_id>/practical/<int:enrollment_id>/<int:unit_id>",
    methods=["GET", "POST"],
)
@login_required
def judge(assessment_id: int, enrollment_id: int, unit_id: int) -> ResponseReturnValue:
    assessment = _assessment(assessment_id, lambda a: perm.can_assess(current_user, a))
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or not perm.can_assess(current_user, assessment, enrollment):
        abort(404)
    unit = next((u for u in results.units_of(enrollment) if u.id == unit_id), None)
    if unit is None:
        abort(404)
    form = JudgementForm()
    status = 200
    if form.validate_on_submit():
        try:
            if not perm.can_judge(current_user, assessment, enrollment):
                raise Forbidden(_("You are not an assessor of this trainee's practical."))
            practical.record_judgement(
                current_user,
                assessment,
                enrollment,
                unit.id,
                result=form.result.data,
                evidence=form.evidence.data,
                judged_on=form.judged_on.data,
                place=form.place.data,
            )
        except AppError as error:
            flash(error.message, "error")
            status = error.status
        else:
            flash(_("The judgement was recorded."), "success")
            return redirect(url_for("assessments.practical_list", assessment_id=assessment.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "assessments/judge.html",
        assessment=assessment,
        enrollment=enrollment,
        unit=unit,
        history=practical.history(assessment, enrollment, unit.id),
        form=form,
    ), status
