"""Web pages for authors: create a course, edit the details of its draft, publish, archive,
choose instructors and enrolment settings, export and import. The outline (modules,
lessons, files) is in outline.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.auth.forms import EmptyForm
from app.auth.models import User, UserRole
from app.courses import bp, permissions
from app.courses.forms import (
    CourseForm,
    CourseImportForm,
    InstructorsForm,
    ModuleForm,
    SettingsForm,
    UploadForm,
    VersionForm,
)
from app.courses.models import Course, course_instructors
from app.courses.permissions import AUTHOR_ROLES, can_author, can_manage_instructors
from app.courses.routes.common import (
    author_url,
    button_action,
    editable_course,
    flash_error,
)
from app.courses.services import attachments, authoring, packaging
from app.courses.services.catalogue import load_version
from app.errors import AppError
from app.extensions import db
from app.forms import form_error
from app.institutions.models import Institution
from app.security import require_roles


def _institution_choices() -> list[SelectChoice]:
    if current_user.is_admin:
        rows = db.session.scalars(select(Institution).order_by(Institution.name))
        return [SelectChoice(str(i.id), i.name) for i in rows]
    institution = current_user.institution
    return [SelectChoice(str(institution.id), institution.name)] if institution else []


@bp.route("/courses/manage")
@require_roles(*AUTHOR_ROLES)
def manage():
    query = select(Course).order_by(Course.code)
    if not current_user.is_admin:
        mine = select(course_instructors.c.course_id).where(
            course_instructors.c.user_id == current_user.id
        )
        if current_user.has_role("institution_admin"):
            query = query.where(
                (Course.institution_id == current_user.institution_id) | Course.id.in_(mine)
            )
        else:
            query = query.where(Course.id.in_(mine))
    courses = list(db.session.scalars(query.options(selectinload(Course.versions)).limit(500)))
    return render_template(
        "courses/manage.html", courses=courses, can_create=can_author(current_user)
    )


def _version_values(form: VersionForm) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data or "",
        "sector": form.sector.data,
        "level": form.level.data,
        "hours": form.hours.data,
        "language": form.language.data,
        "validity_months": form.validity_months.data,
    }


def _codes(text: str | None) -> list[str]:
    return [code for code in (text or "").replace(",", "\n").split() if code]


@bp.route("/courses/new", methods=["GET", "POST"])
@require_roles(*AUTHOR_ROLES)
def new_course():
    form = CourseForm()
    form.institution.choices = _institution_choices()
    del form.cover
    status = 200
    if form.validate_on_submit():
        institution = db.session.get(Institution, form.institution.data)
        try:
            if institution is None:
                abort(400)
            permissions.ensure_can_author_for(current_user, institution.id)
            course = authoring.create_course(
                current_user,
                institution,
                code=form.code.data,
                unit_codes=_codes(form.unit_codes.data),
                self_paced=form.self_paced.data,
                self_enrolment=form.self_enrolment.data,
                certificate_kind=form.certificate_kind.data,
                **_version_values(form),
            )
        except AppError as error:
            form_error(form, error)
            status = 422
        else:
            flash(_("Course created. Now add its modules and lessons."), "success")
            return redirect(author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/course_form.html", form=form, course=None), status


@bp.route("/courses/<int:course_id>/author")
def author(course_id: int):
    course = editable_course(course_id)
    current = course.draft_version or course.versions[-1]
    version = load_version(current.id)
    instructors_form = InstructorsForm(instructors=[u.id for u in course.instructors])
    instructors_form.instructors.choices = _instructor_choices(course)
    return render_template(
        "courses/author.html",
        course=course,
        version=version,
        module_form=ModuleForm(formdata=None),
        upload_form=UploadForm(formdata=None),
        settings_form=SettingsForm(obj=course, formdata=None),
        instructors_form=instructors_form,
        can_choose_instructors=can_manage_instructors(current_user, course),
        files=attachments.for_course(course.id),
        button_form=EmptyForm(),
    )


def _instructor_choices(course: Course) -> list[SelectChoice]:
    people = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.institution_id == course.institution_id, UserRole.role == "instructor")
        .order_by(User.full_name)
    )
    return [SelectChoice(str(p.id), f"{p.full_name} <{p.email}>") for p in people]


@bp.route("/courses/<int:course_id>/draft", methods=["POST"])
def start_draft(course_id: int):
    course = editable_course(course_id)
    if EmptyForm().validate_on_submit():
        try:
            with db.session.begin_nested():
                version = authoring.editable_version(current_user, course)
        except AppError as error:
            flash_error(error)
            return redirect(author_url(course), 303)
        flash(_("Draft version %(number)s started.", number=version.number), "success")
    return redirect(author_url(course), 303)


@bp.route("/courses/<int:course_id>/details", methods=["GET", "POST"])
def edit_details(course_id: int):
    course = editable_course(course_id)
    current = course.draft_version or course.versions[-1]
    images = [a for a in attachments.for_course(course.id) if a.is_image]
    form = VersionForm(
        obj=current,
        unit_codes="\n".join(link.unit.code for link in current.unit_links),
        cover=str(current.cover_attachment_id or ""),
    )
    form.cover.choices = [SelectChoice("", _("No cover image"))] + [
        SelectChoice(str(a.id), a.name) for a in images
    ]
    status = 200
    if form.validate_on_submit():
        try:
            authoring.update_draft(
                current_user,
                course,
                _version_values(form),
                unit_codes=_codes(form.unit_codes.data),
                cover_attachment_id=int(form.cover.data) if form.cover.data else None,
            )
        except AppError as error:
            form_error(form, error)
            status = 422
        else:
            flash(_("Course details saved in the draft."), "success")
            return redirect(author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/course_form.html", form=form, course=course), status


@bp.route("/courses/<int:course_id>/settings", methods=["POST"])
def edit_settings(course_id: int):
    course = editable_course(course_id)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():
                authoring.update_settings(
                    current_user,
                    course,
                    self_paced=form.self_paced.data,
                    self_enrolment=form.self_enrolment.data,
                    certificate_kind=form.certificate_kind.data,
                )
        except AppError as error:
            flash_error(error)
            return redirect(author_url(course), 303)
        flash(_("Course settings saved."), "success")
    elif form.certificate_kind.errors:
        flash(_("Choose a training or a competency certificate."), "error")
    return redirect(author_url(course), 303)


@bp.route("/courses/<int:course_id>/instructors", methods=["POST"])
def edit_instructors(course_id: int):
    course = editable_course(course_id)
    form = InstructorsForm()
    form.instructors.choices = _instructor_choices(course)
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():
                permissions.ensure_can_manage_instructors(current_user, course)
                authoring.set_instructors(current_user, course, form.instructors.data or [])
        except AppError as error:
            flash_error(error)
            return redirect(author_url(course), 303)
        flash(_("Instructors saved."), "success")
    return redirect(author_url(course), 303)


@bp.route("/courses/<int:course_id>/publish", methods=["POST"])
def publish(course_id: int):
    course = editable_course(course_id)
    return button_action(
        course, lambda: authoring.publish(current_user, course), _("The course is published.")
    )


@bp.route("/courses/<int:course_id>/archive", methods=["POST"])
def archive(course_id: int):
    course = editable_course(course_id)
    return button_action(
        course, lambda: authoring.archive(current_user, course), _("The course is archived.")
    )


@bp.route("/courses/<int:course_id>/export")
def export(course_id: int):
    course = editable_course(course_id)
    buffer, filename = packaging.export_course(current_user, course)
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=filename)


@bp.route("/courses/import", methods=["GET", "POST"])
@require_roles(*AUTHOR_ROLES)
def import_course():
    form = CourseImportForm()
    form.institution.choices = _institution_choices()
    status = 200
    if form.validate_on_submit():
        institution = db.session.get(Institution, form.institution.data)
        if institution is None:
            abort(400)
        try:
            permissions.ensure_can_author_for(current_user, institution.id)
            course = packaging.import_course(
                current_user, institution, form.file.data.stream, code=form.code.data or None
            )
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(_("Course imported."), "success")
            return redirect(author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/import.html", form=form), status
