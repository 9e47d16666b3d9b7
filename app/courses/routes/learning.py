"""Web pages for learners: the catalogue, a course, its lessons, enrolment and progress,
attachment downloads, and "my courses"."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.forms import EmptyForm
from app.courses import bp, permissions
from app.courses.forms import EnrolForm, cohort_choices
from app.courses.models import Cohort, Course, CourseVersion, Enrollment
from app.courses.permissions import can_edit_course, can_self_enrol, can_study
from app.courses.routes.common import course_or_404, flash_error, render_lesson_body
from app.courses.services import attachments, enrolment, progress, storage
from app.courses.services.catalogue import (
    CatalogueQuery,
    filter_choices,
    lesson_in_course,
    load_version,
    search,
    version_by_number,
)
from app.courses.vocab import LEVELS, SECTORS
from app.errors import AppError
from app.extensions import db
from app.i18n import local_today


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 9 else None


@bp.route("/courses")
def catalogue():
    query = CatalogueQuery(
        q=request.args.get("q", "")[:100],
        institution=request.args.get("institution", "")[:80],
        province=request.args.get("province", "")[:80],
        sector=request.args.get("sector", ""),
        level=_int_arg("level"),
        page=_int_arg("page") or 1,
    )
    institutions, provinces = filter_choices()
    return render_template(
        "courses/catalogue.html",
        query=query,
        result=search(query),
        institutions=institutions,
        provinces=provinces,
        sectors=SECTORS,
        levels=LEVELS,
    )


def _open_cohorts(course: Course) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.course_id == course.id, Cohort.ends_on >= local_today())
            .order_by(Cohort.starts_on, Cohort.id)
        )
    )


def _enrol_form(course: Course, cohorts: list[Cohort]) -> EnrolForm:
    form = EnrolForm()
    form.cohort.choices = cohort_choices(course, cohorts)
    return form


@bp.route("/courses/<int:course_id>")
def course_page(course_id: int):
    course = course_or_404(course_id)
    published = course.published_version
    record = enrolment.is_trainee_of(course.id, current_user)
    if record is not None and record.can_study:
        version_id = record.course_version_id
    elif published is not None:
        version_id = published.id
    else:  # a draft course: its editors see the preview
        return redirect(
            url_for("courses.preview", course_id=course.id, number=course.versions[-1].number)
        )
    return _course_view(course, load_version(version_id), record, preview=False)


@bp.route("/courses/<int:course_id>/versions/<int:number>")
@login_required
def preview(course_id: int, number: int):
    """Any version as a trainee would see it, for the course's editors."""
    course = course_or_404(course_id)
    if not can_edit_course(current_user, course):
        abort(403)
    version = version_by_number(course.id, number)
    if version is None:
        abort(404)
    return _course_view(course, load_version(version.id), None, preview=True)


def _course_view(
    course: Course, version: CourseVersion | None, record: Enrollment | None, preview: bool
):
    assert version is not None  # noqa: S101 - loaded by id just before
    studying = record is not None and record.can_study
    course_progress = progress.progress(record, version.modules) if studying else None
    resume = (
        progress.resume_lesson(record, version.modules, course_progress.done_ids)
        if studying and course_progress
        else None
    )
    cohorts = _open_cohorts(course) if not preview else []
    published = course.published_version
    return render_template(
        "courses/course.html",
        course=course,
        version=version,
        enrollment=record,
        progress=course_progress,
        resume=resume,
        preview=preview,
        cohorts=cohorts,
        enrol_form=_enrol_form(course, cohorts),
        button_form=EmptyForm(),
        can_enrol=record is None
        and course.status == "published"
        and course.self_enrolment
        and (not current_user.is_authenticated or can_self_enrol(current_user)),
        newer_version=published
        if studying and published is not None and published.id != version.id
        else None,
        can_edit=can_edit_course(current_user, course),
    )


@bp.route("/courses/<int:course_id>/enrol", methods=["POST"])
@login_required
def enrol(course_id: int):
    course = course_or_404(course_id)
    cohorts = _open_cohorts(course)
    form = _enrol_form(course, cohorts)
    if not form.validate_on_submit():
        flash(_("Choose a cohort."), "error")
        return redirect(url_for("courses.course_page", course_id=course.id))
    cohort = next((c for c in cohorts if c.id == form.cohort.data), None)
    try:
        with db.session.begin_nested():
            permissions.ensure_can_enrol(current_user, current_user, course)
            record = enrolment.enrol(current_user, course, cohort)
    except AppError as error:
        flash_error(error)
        return redirect(url_for("courses.course_page", course_id=course.id), 303)
    if record.status == "waiting":
        flash(_("The cohort is full. You are on the waiting list."), "info")
    else:
        flash(_("You are enrolled. Happy learning!"), "success")
    return redirect(url_for("courses.course_page", course_id=course.id), 303)


def _own_enrollment(course: Course) -> Enrollment:
    record = enrolment.is_trainee_of(course.id, current_user)
    if record is None:
        abort(404)
    return record


@bp.route("/courses/<int:course_id>/withdraw", methods=["POST"])
@login_required
def withdraw(course_id: int):
    course = course_or_404(course_id)
    record = _own_enrollment(course)
    if EmptyForm().validate_on_submit():
        try:
            with db.session.begin_nested():
                enrolment.withdraw(current_user, record)
        except AppError as error:
            flash_error(error)
            return redirect(url_for("courses.course_page", course_id=course.id), 303)
        flash(_("You have left the course."), "success")
    return redirect(url_for("courses.course_page", course_id=course.id), 303)


@bp.route("/courses/<int:course_id>/move-to-latest", methods=["POST"])
@login_required
def move_to_latest(course_id: int):
    course = course_or_404(course_id)
    record = _own_enrollment(course)
    if EmptyForm().validate_on_submit():
        try:
            with db.session.begin_nested():
                progress.move_to_latest(current_user, record)
        except AppError as error:
            flash_error(error)
            return redirect(url_for("courses.course_page", course_id=course.id), 303)
        flash(_("You now study the latest version. Your progress came with you."), "success")
    return redirect(url_for("courses.course_page", course_id=course.id), 303)


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>")
def lesson(course_id: int, lesson_id: int):
    course = course_or_404(course_id)
    item = lesson_in_course(course.id, lesson_id)
    if item is None:
        abort(404)
    record = enrolment.is_trainee_of(course.id, current_user)
    studying = can_study(current_user, record, item.version_id)
    editor = can_edit_course(current_user, course)
    if not studying and not editor:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        abort(404 if record is not None and record.can_study else 403)
    version = load_version(item.version_id)
    assert version is not None  # noqa: S101 - the lesson's own version
    if studying:
        progress.record_visit(record, item)
    previous, following = progress.neighbours(version.modules, item)
    return render_template(
        "courses/lesson.html",
        course=course,
        version=version,
        lesson=item,
        body=render_lesson_body(course.id, item.body),
        previous=previous,
        next=following,
        progress=progress.progress(record, version.modules) if studying else None,
        studying=studying,
        preview=not studying,
        button_form=EmptyForm(),
    )


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/complete", methods=["POST"])
@login_required
def complete_lesson(course_id: int, lesson_id: int):
    course = course_or_404(course_id)
    item = lesson_in_course(course.id, lesson_id)
    record = _own_enrollment(course)
    if item is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with db.session.begin_nested():
            result = progress.complete_lesson(current_user, record, item)
    except AppError as error:
        flash_error(error)
        return redirect(url_for("courses.course_page", course_id=course.id), 303)
    if result.newly_completed:
        flash(_("Congratulations! You have completed this course."), "success")
    following = request.form.get("next", type=int)
    if following and lesson_in_course(course.id, following) is not None:
        return redirect(url_for("courses.lesson", course_id=course.id, lesson_id=following), 303)
    return redirect(url_for("courses.course_page", course_id=course.id), 303)


@bp.route("/courses/files/<token>")
def file(token: str):
    attachment = attachments.by_token(token)
    if attachment is None or not permissions.can_download(current_user, attachment):
        abort(404)
    try:
        path = storage.path_for(attachment.token)
    except ValueError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=not attachment.is_image,
        download_name=attachment.name,
        etag=attachment.sha256,
        conditional=True,
        max_age=3600,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.public = False  # access is checked per user: no shared cache
    response.cache_control.private = True
    return response


@bp.route("/my/courses")
@login_required
def my_courses():
    records = list(
        db.session.scalars(
            select(Enrollment)
            .options(
                joinedload(Enrollment.course).joinedload(Course.institution),
                joinedload(Enrollment.course_version),
                joinedload(Enrollment.cohort),
            )
            .where(Enrollment.user_id == current_user.id, Enrollment.status != "withdrawn")
            .order_by(Enrollment.created_at.desc())
        )
    )
    return render_template(
        "courses/my_courses.html",
        records=records,
        percents=progress.percents(records),
    )
