"""Web pages for authors: create a course, edit its draft (details, modules, lessons,
files), reorder, preview, publish, archive, choose instructors, export and import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.auth.forms import EmptyForm
from app.auth.models import User, UserRole
from app.auth.permissions import require_roles
from app.courses import attachments, bp, outline, packaging, services
from app.courses.catalogue import load_version
from app.courses.forms import (
    CourseForm,
    CourseImportForm,
    InstructorsForm,
    LessonForm,
    ModuleForm,
    MoveLessonForm,
    SettingsForm,
    UploadForm,
    VersionForm,
)
from app.courses.models import Course, course_instructors
from app.courses.permissions import AUTHOR_ROLES, can_author, can_manage_instructors
from app.courses.web import editable_course, flash_error, form_error
from app.errors import AppError
from app.extensions import db
from app.institutions.models import Institution


def _author_url(course: Course) -> str:
    return url_for("courses.author", course_id=course.id)


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
            course = services.create_course(
                current_user,
                institution,
                code=form.code.data,
                unit_codes=_codes(form.unit_codes.data),
                self_paced=form.self_paced.data,
                self_enrolment=form.self_enrolment.data,
                **_version_values(form),
            )
        except AppError as error:
            form_error(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Course created. Now add its modules and lessons."), "success")
            return redirect(_author_url(course), 303)
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
            version = services.editable_version(current_user, course)
        except AppError as error:
            flash_error(error)
        else:
            db.session.commit()
            flash(_("Draft version %(number)s started.", number=version.number), "success")
    return redirect(_author_url(course), 303)


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
            services.update_draft(
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
            db.session.commit()
            flash(_("Course details saved in the draft."), "success")
            return redirect(_author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/course_form.html", form=form, course=course), status


@bp.route("/courses/<int:course_id>/settings", methods=["POST"])
def edit_settings(course_id: int):
    course = editable_course(course_id)
    form = SettingsForm()
    if form.validate_on_submit():
        services.update_settings(
            current_user,
            course,
            self_paced=form.self_paced.data,
            self_enrolment=form.self_enrolment.data,
        )
        db.session.commit()
        flash(_("Enrolment settings saved."), "success")
    return redirect(_author_url(course), 303)


@bp.route("/courses/<int:course_id>/instructors", methods=["POST"])
def edit_instructors(course_id: int):
    course = editable_course(course_id)
    form = InstructorsForm()
    form.instructors.choices = _instructor_choices(course)
    if form.validate_on_submit():
        try:
            services.set_instructors(current_user, course, form.instructors.data or [])
        except AppError as error:
            flash_error(error)
        else:
            db.session.commit()
            flash(_("Instructors saved."), "success")
    return redirect(_author_url(course), 303)


@bp.route("/courses/<int:course_id>/modules", methods=["POST"])
def add_module(course_id: int):
    course = editable_course(course_id)
    form = ModuleForm()
    if not form.validate_on_submit():
        flash(_("Give the module a title."), "error")
        return redirect(_author_url(course), 303)
    try:
        outline.add_module(current_user, course, form.title.data, form.summary.data or "")
    except AppError as error:
        flash_error(error)
    else:
        db.session.commit()
        flash(_("Module added."), "success")
    return redirect(_author_url(course), 303)


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/edit", methods=["GET", "POST"])
def edit_module(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = _or_404(outline.get_module, course, module_id)
    form = ModuleForm(obj=module)
    status = 200
    if form.validate_on_submit():
        try:
            outline.update_module(current_user, module, form.title.data, form.summary.data or "")
        except AppError as error:
            form_error(form, error)
            status = 409 if error.status == 409 else 422
        else:
            db.session.commit()
            return redirect(_author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "courses/module_form.html", form=form, course=course, module=module
    ), status


def _or_404(getter, course: Course, item_id: int):
    try:
        return getter(course, item_id)
    except AppError:
        abort(404)


def _button(course: Course, action, success: str | None = None):
    """Run a one-button action (move, delete, publish...) and go back to the author page."""
    if EmptyForm().validate_on_submit():
        try:
            action()
        except AppError as error:
            flash_error(error)
            return redirect(_author_url(course), 303)
        db.session.commit()
        if success:
            flash(success, "success")
    return redirect(_author_url(course), 303)


def _offset() -> int:
    return -1 if request.form.get("direction") == "up" else 1


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/move", methods=["POST"])
def move_module(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = _or_404(outline.get_module, course, module_id)
    return _button(course, lambda: outline.move_module(current_user, module, _offset()))


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/delete", methods=["POST"])
def delete_module(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = _or_404(outline.get_module, course, module_id)
    return _button(
        course, lambda: outline.delete_module(current_user, module), _("Module deleted.")
    )


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/lessons/new", methods=["GET", "POST"])
def new_lesson(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = _or_404(outline.get_module, course, module_id)
    form = LessonForm()
    status = 200
    if form.validate_on_submit():
        try:
            outline.add_lesson(current_user, module, **_lesson_values(form))
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Lesson added."), "success")
            return redirect(_author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "courses/lesson_form.html", form=form, course=course, module=module, lesson=None
    ), status


def _lesson_values(form: LessonForm) -> dict:
    return {
        "title": form.title.data,
        "body": form.body.data or "",
        "duration_minutes": form.duration_minutes.data,
        "required": form.required.data,
    }


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
def edit_lesson(course_id: int, lesson_id: int):
    course = editable_course(course_id)
    lesson = _or_404(outline.get_lesson, course, lesson_id)
    form = LessonForm(obj=lesson)
    move_form = MoveLessonForm(formdata=None, module=lesson.module_id)
    move_form.module.choices = [
        SelectChoice(str(m.id), m.title) for m in lesson.module.version.modules
    ]
    status = 200
    if form.validate_on_submit():
        try:
            outline.update_lesson(current_user, lesson, **_lesson_values(form))
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Lesson saved."), "success")
            return redirect(_author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "courses/lesson_form.html",
        form=form,
        move_form=move_form,
        course=course,
        module=lesson.module,
        lesson=lesson,
        files=attachments.for_course(course.id),
    ), status


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/move", methods=["POST"])
def move_lesson(course_id: int, lesson_id: int):
    course = editable_course(course_id)
    lesson = _or_404(outline.get_lesson, course, lesson_id)
    target = request.form.get("module", type=int)
    if target:
        module = _or_404(outline.get_module, course, target)
        return _button(
            course, lambda: outline.move_lesson_to(current_user, lesson, module), _("Lesson moved.")
        )
    return _button(course, lambda: outline.move_lesson(current_user, lesson, _offset()))


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/delete", methods=["POST"])
def delete_lesson(course_id: int, lesson_id: int):
    course = editable_course(course_id)
    lesson = _or_404(outline.get_lesson, course, lesson_id)
    return _button(
        course, lambda: outline.delete_lesson(current_user, lesson), _("Lesson deleted.")
    )


@bp.route("/courses/<int:course_id>/attachments", methods=["POST"])
def upload(course_id: int):
    course = editable_course(course_id)
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
        return redirect(_author_url(course) + "#files", 303)
    try:
        item = attachments.add_attachment(
            current_user, course, form.file.data.filename or "", form.file.data.read()
        )
    except AppError as error:
        flash_error(error)
        return redirect(_author_url(course) + "#files", 303)
    db.session.commit()
    flash(_("Uploaded. Use it in a lesson as: %(snippet)s", snippet=_snippet(item)), "success")
    return redirect(_author_url(course) + "#files", 303)


def _snippet(item) -> str:
    return (
        f"![{item.name}](attachment:{item.name})"
        if item.is_image
        else f"[{item.name}](attachment:{item.name})"
    )


@bp.route("/courses/<int:course_id>/publish", methods=["POST"])
def publish(course_id: int):
    course = editable_course(course_id)
    return _button(
        course, lambda: services.publish(current_user, course), _("The course is published.")
    )


@bp.route("/courses/<int:course_id>/archive", methods=["POST"])
def archive(course_id: int):
    course = editable_course(course_id)
    return _button(
        course, lambda: services.archive(current_user, course), _("The course is archived.")
    )


@bp.route("/courses/<int:course_id>/export")
def export(course_id: int):
    course = editable_course(course_id)
    buffer, filename = packaging.export_course(current_user, course)
    db.session.commit()  # the audit entry
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
            course = packaging.import_course(
                current_user, institution, form.file.data.read(), code=form.code.data or None
            )
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Course imported."), "success")
            return redirect(_author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/import.html", form=form), status
