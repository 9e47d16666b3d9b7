"""Web pages for authors, continued: the outline of the draft (modules and lessons, added,
edited, moved, deleted) and the course's images and files."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.courses import bp
from app.courses.forms import LessonForm, ModuleForm, MoveLessonForm, UploadForm
from app.courses.models import Attachment
from app.courses.routes.common import (
    author_url,
    button_action,
    editable_course,
    flash_error,
    or_404,
)
from app.courses.services import attachments, outline
from app.errors import AppError
from app.extensions import db
from app.forms import form_error


@bp.route("/courses/<int:course_id>/modules", methods=["POST"])
def add_module(course_id: int):
    course = editable_course(course_id)
    form = ModuleForm()
    if not form.validate_on_submit():
        flash(_("Give the module a title."), "error")
        return redirect(author_url(course), 303)
    try:
        with db.session.begin_nested():
            outline.add_module(current_user, course, form.title.data, form.summary.data or "")
    except AppError as error:
        flash_error(error)
        return redirect(author_url(course), 303)
    flash(_("Module added."), "success")
    return redirect(author_url(course), 303)


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/edit", methods=["GET", "POST"])
def edit_module(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = or_404(outline.get_module, course, module_id)
    form = ModuleForm(obj=module)
    status = 200
    if form.validate_on_submit():
        try:
            outline.update_module(current_user, module, form.title.data, form.summary.data or "")
        except AppError as error:
            form_error(form, error)
            status = 409 if error.status == 409 else 422
        else:
            return redirect(author_url(course), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "courses/module_form.html", form=form, course=course, module=module
    ), status


def _offset() -> int:
    return -1 if request.form.get("direction") == "up" else 1


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/move", methods=["POST"])
def move_module(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = or_404(outline.get_module, course, module_id)
    return button_action(course, lambda: outline.move_module(current_user, module, _offset()))


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/delete", methods=["POST"])
def delete_module(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = or_404(outline.get_module, course, module_id)
    return button_action(
        course, lambda: outline.delete_module(current_user, module), _("Module deleted.")
    )


@bp.route("/courses/<int:course_id>/modules/<int:module_id>/lessons/new", methods=["GET", "POST"])
def new_lesson(course_id: int, module_id: int):
    course = editable_course(course_id)
    module = or_404(outline.get_module, course, module_id)
    form = LessonForm()
    status = 200
    if form.validate_on_submit():
        try:
            outline.add_lesson(current_user, module, **_lesson_values(form))
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(_("Lesson added."), "success")
            return redirect(author_url(course), 303)
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
    lesson = or_404(outline.get_lesson, course, lesson_id)
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
            flash(_("Lesson saved."), "success")
            return redirect(author_url(course), 303)
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
    lesson = or_404(outline.get_lesson, course, lesson_id)
    target = request.form.get("module", type=int)
    if target:
        module = or_404(outline.get_module, course, target)
        return button_action(
            course, lambda: outline.move_lesson_to(current_user, lesson, module), _("Lesson moved.")
        )
    return button_action(course, lambda: outline.move_lesson(current_user, lesson, _offset()))


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/delete", methods=["POST"])
def delete_lesson(course_id: int, lesson_id: int):
    course = editable_course(course_id)
    lesson = or_404(outline.get_lesson, course, lesson_id)
    return button_action(
        course, lambda: outline.delete_lesson(current_user, lesson), _("Lesson deleted.")
    )


@bp.route("/courses/<int:course_id>/attachments", methods=["POST"])
def upload(course_id: int):
    course = editable_course(course_id)
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
        return redirect(author_url(course) + "#files", 303)
    try:
        with db.session.begin_nested():
            item = attachments.add_attachment(
                current_user, course, form.file.data.filename or "", form.file.data.read()
            )
    except AppError as error:
        flash_error(error)
        return redirect(author_url(course) + "#files", 303)
    flash(_("Uploaded. Use it in a lesson as: %(snippet)s", snippet=_snippet(item)), "success")
    return redirect(author_url(course) + "#files", 303)


def _snippet(item: Attachment) -> str:
    return (
        f"![{item.name}](attachment:{item.name})"
        if item.is_image
        else f"[{item.name}](attachment:{item.name})"
    )
