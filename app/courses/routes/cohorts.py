"""Web pages for running a course: cohorts, enrolment by staff, the waiting list, and the
cohort progress table with its CSV export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.forms import EmptyForm
from app.auth.services import user_by_email
from app.courses import bp, permissions
from app.courses.forms import CohortForm, StaffEnrolForm, cohort_choices
from app.courses.models import Cohort, Course, Enrollment
from app.courses.routes.common import editable_course, flash_error
from app.courses.services import enrolment, reports
from app.courses.services.catalogue import version_by_number
from app.errors import AppError, ValidationFailed
from app.extensions import db
from app.forms import form_error


def _cohorts(course: Course) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.course_id == course.id)
            .order_by(Cohort.starts_on, Cohort.id)
        )
    )


def _cohort_values(form: CohortForm) -> dict:
    return {
        "name": form.name.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "capacity": form.capacity.data,
        "enrolment_open": form.enrolment_open.data,
    }


@bp.route("/courses/<int:course_id>/cohorts", methods=["GET", "POST"])
def cohorts(course_id: int):
    course = editable_course(course_id)
    form = CohortForm()
    status = 200
    if form.validate_on_submit():
        try:
            enrolment.create_cohort(current_user, course, **_cohort_values(form))
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(_("Cohort created."), "success")
            return redirect(url_for("courses.cohorts", course_id=course.id), 303)
    elif request.method == "POST":
        status = 422
    return _cohorts_page(course, form, StaffEnrolForm(formdata=None)), status


def _cohorts_page(course: Course, form: CohortForm, enrol_form: StaffEnrolForm) -> str:
    items = _cohorts(course)
    enrol_form.cohort.choices = cohort_choices(course, items, staff=True)
    records = list(
        db.session.scalars(
            select(Enrollment)
            .options(
                joinedload(Enrollment.user),
                joinedload(Enrollment.cohort),
                joinedload(Enrollment.course_version),
            )
            .where(Enrollment.course_id == course.id, Enrollment.status != "withdrawn")
            .order_by(Enrollment.status, Enrollment.created_at, Enrollment.id)
            .limit(2000)
        )
    )
    return render_template(
        "courses/cohorts.html",
        course=course,
        cohorts=items,
        form=form,
        enrol_form=enrol_form,
        records=records,
        button_form=EmptyForm(),
    )


@bp.route("/courses/<int:course_id>/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
def edit_cohort(course_id: int, cohort_id: int):
    course = editable_course(course_id)
    try:
        cohort = enrolment.get_cohort(course, cohort_id)
    except AppError:
        abort(404)
    form = CohortForm(obj=cohort)
    status = 200
    if form.validate_on_submit():
        try:
            enrolment.update_cohort(current_user, cohort, **_cohort_values(form))
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(_("Cohort saved."), "success")
            return redirect(url_for("courses.cohorts", course_id=course.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "courses/cohort_form.html", course=course, cohort=cohort, form=form
    ), status


@bp.route("/courses/<int:course_id>/enrolments", methods=["POST"])
def staff_enrol(course_id: int):
    course = editable_course(course_id)
    form = StaffEnrolForm()
    form.cohort.choices = cohort_choices(course, _cohorts(course), staff=True)
    if not form.validate_on_submit():
        return _cohorts_page(course, CohortForm(formdata=None), form), 422
    trainee = user_by_email(form.email.data or "")
    cohort = db.session.get(Cohort, form.cohort.data) if form.cohort.data else None
    try:
        if trainee is None:
            raise ValidationFailed(
                _("No account has this e-mail address."), details={"email": ["unknown"]}
            )
        permissions.ensure_can_enrol(current_user, trainee, course)
        record = enrolment.enrol(trainee, course, cohort, by=current_user)
    except AppError as error:
        form_error(form, error)
        return _cohorts_page(course, CohortForm(formdata=None), form), error.status
    if record.status == "waiting":
        flash(
            _("The cohort is full: %(name)s is on the waiting list.", name=trainee.full_name),
            "info",
        )
    else:
        flash(_("%(name)s is enrolled.", name=trainee.full_name), "success")
    return redirect(url_for("courses.cohorts", course_id=course.id), 303)


@bp.route("/courses/<int:course_id>/enrolments/<int:enrollment_id>/withdraw", methods=["POST"])
def staff_withdraw(course_id: int, enrollment_id: int):
    course = editable_course(course_id)
    record = db.session.get(Enrollment, enrollment_id)
    if record is None or record.course_id != course.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            with db.session.begin_nested():
                enrolment.withdraw(current_user, record)
        except AppError as error:
            flash_error(error)
            return redirect(url_for("courses.cohorts", course_id=course.id), 303)
        flash(_("The enrolment has been withdrawn."), "success")
    return redirect(url_for("courses.cohorts", course_id=course.id), 303)


def _table(course: Course) -> tuple[reports.ProgressTable, Cohort | None, list[Cohort]]:
    items = _cohorts(course)
    cohort_id = request.args.get("cohort", type=int)
    cohort = next((c for c in items if c.id == cohort_id), None)
    if cohort_id and cohort is None:
        abort(404)
    number = request.args.get("version", type=int)
    version = (
        version_by_number(course.id, number)
        if number
        else course.published_version or course.versions[-1]
    )
    if version is None:
        abort(404)
    return reports.cohort_progress(course, version, cohort), cohort, items


@bp.route("/courses/<int:course_id>/progress")
def progress_table(course_id: int):
    course = editable_course(course_id)
    table, cohort, items = _table(course)
    return render_template(
        "courses/progress.html", course=course, table=table, cohort=cohort, cohorts=items
    )


@bp.route("/courses/<int:course_id>/progress.csv")
def progress_csv(course_id: int):
    course = editable_course(course_id)
    table, cohort, _items = _table(course)
    headings = [_("Name"), _("E-mail"), _("Status"), _("Progress (%)"), _("Completed at")]
    body = "\ufeff" + reports.progress_csv(table, headings)  # BOM: spreadsheets read UTF-8
    suffix = f"-{cohort.id}" if cohort else ""
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="progress-{course.code}{suffix}.csv"'
        },
    )
