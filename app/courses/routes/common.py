"""Helpers shared by the HTML route modules: loading with access checks, and showing a
service's error on a form or as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.courses.models import Course
from app.courses.permissions import can_edit_course, can_view_course
from app.courses.services import attachments
from app.courses.services.catalogue import load_course
from app.courses.services.content import render_markdown
from app.errors import AppError
from app.extensions import db


def course_or_404(course_id: int) -> Course:
    course = load_course(course_id)
    if course is None or not can_view_course(current_user, course):
        abort(404)
    return course


def editable_course(course_id: int) -> Course:
    """The course, for its editors; the login page for visitors; 403 for others who can
    see it, 404 for the rest."""
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())  # type: ignore[attr-defined]
    course = course_or_404(course_id)
    if not can_edit_course(current_user, course):
        abort(403)
    return course


def flash_error(error: AppError) -> None:
    flash(error.message, "error")
    for key, values in error.details.items():
        if key == "publish":
            for value in values:
                flash(value, "error")


def author_url(course: Course) -> str:
    return url_for("courses.author", course_id=course.id)


def or_404(getter: Callable[[Course, int], Any], course: Course, item_id: int) -> Any:
    """The item a service getter finds in the course, or 404."""
    try:
        return getter(course, item_id)
    except AppError:
        abort(404)


def button_action(course: Course, action: Callable[[], Any], success: str | None = None) -> Any:
    """Run a one-button action (move, delete, publish...) and go back to the author page. A
    refused action is undone by its savepoint: the redirect commits nothing of it."""
    if EmptyForm().validate_on_submit():
        try:
            with db.session.begin_nested():
                action()
        except AppError as error:
            flash_error(error)
            return redirect(author_url(course), 303)
        if success:
            flash(success, "success")
    return redirect(author_url(course), 303)


def render_lesson_body(course_id: int, body: str) -> Any:
    names = {a.name: a.token for a in attachments.for_course(course_id)}

    def resolve(name: str) -> str | None:
        token = names.get(name)
        return url_for("courses.file", token=token) if token else None

    return render_markdown(
        body,
        video_hosts=current_app.config["VIDEO_HOSTS"],
        resolve=resolve,
        video_label=_("Open the video"),
    )
