"""Overseas apprenticeship pages: programmes, candidates and their stages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.errors import AppError, Forbidden
from app.forms import form_error
from app.placement import bp
from app.placement.forms import CandidateForm, ProgrammeForm, StageForm
from app.placement.permissions import can_add_candidates, can_create_programme
from app.placement.services import counselling, overseas
from app.placement.services.common import published_versions
from app.security import require_roles

STAFF = ("placement_officer", "institution_admin", "admin")


@bp.route("/overseas")
@login_required
def programmes() -> ResponseReturnValue:
    return render_template("placement/programmes.html", programmes=overseas.programmes())


@bp.route("/overseas/new", methods=["GET", "POST"])
@require_roles(*STAFF)
def new_programme() -> ResponseReturnValue:
    if not can_create_programme(current_user):
        raise Forbidden(_("Only placement officers and admins create programmes."))
    form = ProgrammeForm()
    form.course_ids.choices = [
        SelectChoice(v.course_id, f"{v.title} ({v.course.code})") for v in published_versions()
    ]
    if form.validate_on_submit():
        try:
            programme = overseas.create_programme(
                current_user,
                **{
                    name: getattr(form, name).data
                    for name in (
                        "name",
                        "country",
                        "partner",
                        "description",
                        "language",
                        "min_language_level",
                        "min_hours",
                        "course_ids",
                        "stages",
                    )
                },
            )
        except AppError as error:
            form_error(form, error)
        else:
            return redirect(url_for("placement.programme", programme_id=programme.id))
    status = 422 if request.method == "POST" else 200
    return render_template("placement/programme_form.html", form=form), status


@bp.route("/overseas/<int:programme_id>", methods=["GET", "POST"])
@login_required
def programme(programme_id: int) -> ResponseReturnValue:
    found = overseas.get_programme(programme_id)
    manager = can_add_candidates(current_user, found)
    form = CandidateForm() if manager else None
    if form is not None and form.validate_on_submit():
        try:
            user = counselling.find_job_seeker(form.email.data)
            overseas.add_candidate(current_user, found, user)
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("The candidate has been added."), "success")
            return redirect(url_for("placement.programme", programme_id=found.id))
    check = (
        overseas.check_prerequisites(current_user, found)
        if current_user.has_role("trainee")
        else None
    )
    status = 422 if request.method == "POST" else 200
    return render_template(
        "placement/programme.html",
        programme=found,
        form=form,
        check=check,
        candidates=overseas.candidates_for(current_user, found) if manager else [],
    ), status


@bp.route("/overseas/candidates/<int:candidate_id>", methods=["GET", "POST"])
@login_required
def candidate(candidate_id: int) -> ResponseReturnValue:
    found = overseas.get_candidate(current_user, candidate_id)
    staff = current_user.id != found.user_id and current_user.has_any_role(*STAFF)
    form = StageForm() if staff else None
    if form is not None and form.validate_on_submit():
        try:
            overseas.record_stage(
                current_user, found, form.stage.data, form.result.data, form.note.data or ""
            )
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("The stage result has been recorded."), "success")
            return redirect(url_for("placement.candidate", candidate_id=found.id))
    status = 422 if form is not None and request.method == "POST" else 200
    return render_template("placement/candidate.html", candidate=found, form=form), status
