"""Placement officers' pages: caseload, counselling sessions, follow-ups."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.auth.forms import EmptyForm
from app.auth.models import User
from app.errors import AppError, Forbidden
from app.forms import form_error
from app.placement import bp
from app.placement.forms import CounsellingForm
from app.placement.permissions import can_counsel
from app.placement.services import counselling
from app.placement.services.common import published_versions, split_codes
from app.security import require_roles


def _officer() -> User:
    if not can_counsel(current_user):
        raise Forbidden(_("Only placement officers of an institution record counselling."))
    return current_user


@bp.route("/caseload")
@require_roles("placement_officer")
def caseload() -> ResponseReturnValue:
    rows = counselling.caseload(_officer())
    return render_template(
        "placement/caseload.html",
        rows=rows,
        overdue=sum(r.overdue for r in rows),
        done_form=EmptyForm(),
    )


@bp.route("/counselling/new", methods=["GET", "POST"])
@require_roles("placement_officer")
def new_session() -> ResponseReturnValue:
    officer = _officer()
    form = CounsellingForm()
    versions = published_versions()
    form.courses.choices = [
        SelectChoice(v.course_id, f"{v.title} ({v.course.code}, {v.hours} JP)") for v in versions
    ]
    suggestion = None
    if request.method == "POST" and request.form.get("action") == "suggest":
        try:
            seeker = counselling.find_job_seeker(form.email.data or "")
            suggestion = counselling.suggest_courses(seeker, split_codes(form.target_units.data))
        except AppError as error:
            form_error(form, error)
        else:
            form.courses.data = suggestion.plan.course_ids
        return render_template(
            "placement/counselling_form.html", form=form, suggestion=suggestion, versions=versions
        )
    if form.validate_on_submit():
        try:
            seeker = counselling.find_job_seeker(form.email.data)
            session = counselling.record_session(
                officer,
                seeker,
                readiness=form.readiness.data,
                route=form.route.data,
                intake=form.intake.data or "",
                notes=form.notes.data or "",
                target_units=split_codes(form.target_units.data),
                course_ids=form.courses.data or [],
                follow_up_on=form.follow_up_on.data,
            )
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("The counselling session has been recorded."), "success")
            return redirect(url_for("placement.session", session_id=session.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "placement/counselling_form.html", form=form, suggestion=suggestion, versions=versions
    ), status


@bp.route("/counselling/<int:session_id>")
@login_required
def session(session_id: int) -> ResponseReturnValue:
    found = counselling.get_session(current_user, session_id)
    return render_template("placement/session.html", session=found, done_form=EmptyForm())


@bp.route("/counselling/<int:session_id>/follow-up", methods=["POST"])
@require_roles("placement_officer")
def follow_up_done(session_id: int) -> ResponseReturnValue:
    found = counselling.get_session(current_user, session_id)
    if EmptyForm().validate_on_submit():
        counselling.complete_follow_up(current_user, found)
        flash(_("The follow-up has been recorded."), "success")
    return redirect(url_for("placement.caseload"))
