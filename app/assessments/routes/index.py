"""The assessments menu entry: a trainee's tests and practicals in the courses they study; a
staff member's courses with their assessments; and the form that creates an assessment."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import nav
from app.assessments import bp
from app.assessments import permissions as perm
from app.assessments.forms import (
    AssessmentForm,
    AssignAssessorForm,
    jakarta_to_utc,
    utc_to_jakarta,
)
from app.assessments.models import Assessment, QuestionBank
from app.assessments.services import banks
from app.auth.models import User, UserRole
from app.courses.models import Cohort, Course, Enrollment
from app.errors import AppError
from app.extensions import db

nav.add(
    "assessments.index",
    _l("Assessments"),
    roles=("trainee", "instructor", "assessor", "institution_admin", "admin"),
    order=40,
)


@bp.route("/assessments/")
@login_required
def index() -> ResponseReturnValue:
    studying = db.session.scalars(
        select(Assessment)
        .join(Enrollment, Enrollment.course_id == Assessment.course_id)
        .where(
            Enrollment.user_id == current_user.id,
            Enrollment.withdrawn_at.is_(None),
            Enrollment.status.in_(("active", "completed")),
            Assessment.published.is_(True),
        )
        .order_by(Assessment.course_id, Assessment.id)
    )
    courses: list[Course] = []
    if current_user.is_admin or current_user.institution_id is not None:
        query = select(Course).order_by(Course.code).limit(100)
        if not current_user.is_admin:
            query = query.where(Course.institution_id == current_user.institution_id)
        courses = [c for c in db.session.scalars(query) if perm.can_view_results(current_user, c)]
    staff = [(course, banks.course_assessments(course.id)) for course in courses]
    return render_template(
        "assessments/index.html",
        studying=list(studying),
        staff=staff,
        can_author=lambda course: perm.can_author(current_user, course),
    )


def _settings_form(course: Course, assessment: Assessment | None = None) -> AssessmentForm:
    """The settings form, with the course's banks and tests (never the assessment itself)
    as choices; for an existing assessment, filled from it, times shown in WIB."""
    form = AssessmentForm(obj=assessment) if assessment else AssessmentForm()
    if assessment is not None and not form.is_submitted():
        form.bank_id.data = assessment.bank_id or 0
        form.requires_id.data = assessment.requires_id or 0
        form.opens_at.data = utc_to_jakarta(assessment.opens_at)
        form.closes_at.data = utc_to_jakarta(assessment.closes_at)
    course_banks = db.session.scalars(
        select(QuestionBank).where(QuestionBank.course_id == course.id)
    )
    form.bank_id.choices = [SelectChoice(0, _("No bank (practical)"))] + [
        SelectChoice(b.id, b.name) for b in course_banks
    ]
    tests = banks.course_assessments(course.id)
    form.requires_id.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(a.id, a.title)
        for a in tests
        if not a.is_practical and (assessment is None or a.id != assessment.id)
    ]
    return form


def _settings(form: AssessmentForm) -> dict:
    fields = {
        name: getattr(form, name).data for name in banks.ASSESSMENT_FIELDS if hasattr(form, name)
    }
    fields["bank_id"] = fields["bank_id"] or None
    fields["requires_id"] = fields["requires_id"] or None
    fields["opens_at"] = jakarta_to_utc(form.opens_at.data)
    fields["closes_at"] = jakarta_to_utc(form.closes_at.data)
    return fields


@bp.route("/assessments/course/<int:course_id>/new", methods=["GET", "POST"])
@login_required
def create(course_id: int) -> ResponseReturnValue:
    course = db.session.get(Course, course_id)
    if course is None or not perm.can_author(current_user, course):
        abort(404)
    form = _settings_form(course)
    status = 200
    if form.validate_on_submit():
        try:
            assessment = banks.create_assessment(current_user, course, **_settings(form))
        except AppError as error:
            flash(error.message, "error")
            status = error.status
        else:
            flash(_("The assessment was created."), "success")
            return redirect(url_for("assessments.show", assessment_id=assessment.id))
    elif form.is_submitted():
        status = 422
    return render_template("assessments/create.html", course=course, form=form), status


@bp.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(assessment_id: int) -> ResponseReturnValue:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not perm.can_author(current_user, assessment.course):
        abort(404)
    form = _settings_form(assessment.course, assessment)
    status = 200
    if form.validate_on_submit():
        try:
            banks.update_assessment(current_user, assessment, **_settings(form))
        except AppError as error:
            flash(error.message, "error")
            status = error.status
        else:
            flash(_("The assessment settings were saved."), "success")
            return redirect(url_for("assessments.show", assessment_id=assessment.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "assessments/create.html", course=assessment.course, form=form, assessment=assessment
    ), status


def assign_form(assessment: Assessment) -> AssignAssessorForm:
    """The form that assigns one of the institution's assessors to a practical."""
    form = AssignAssessorForm()
    assessors = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == "assessor",
            User.institution_id == assessment.course.institution_id,
            User.is_active.is_(True),
        )
        .order_by(User.full_name)
    )
    form.assessor_id.choices = [SelectChoice(u.id, u.full_name) for u in assessors]
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.course_id == assessment.course_id).order_by(Cohort.starts_on)
    )
    form.cohort_id.choices = [SelectChoice(0, _("All trainees of the course"))] + [
        SelectChoice(c.id, c.name) for c in cohorts
    ]
    return form


@bp.route("/assessments/<int:assessment_id>/assessors", methods=["POST"])
@login_required
def assign(assessment_id: int) -> ResponseReturnValue:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not perm.can_assign_assessors(current_user, assessment):
        abort(404)
    form = assign_form(assessment)
    if not form.validate_on_submit():
        flash(_("Choose an assessor."), "error")
    else:
        try:
            with db.session.begin_nested():
                banks.assign_assessor(
                    current_user,
                    assessment,
                    db.session.get(User, form.assessor_id.data),
                    form.cohort_id.data or None,
                )
        except AppError as error:
            flash(error.message, "error")
        else:
            flash(_("The assessor was assigned."), "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id))
