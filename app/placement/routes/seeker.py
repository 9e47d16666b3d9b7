"""The job seeker's pages: profile, plan, vacancies, applications, matches."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.models import User
from app.errors import AppError
from app.forms import form_error
from app.placement import bp, verified
from app.placement.forms import ApplyForm, ProfileForm
from app.placement.services import applications, counselling, matches, overseas, vacancies
from app.placement.services.profile import profile_of, save_profile
from app.placement.vocab import CERTIFICATE_LABELS, label
from app.security import require_roles


@bp.route("/")
@require_roles("trainee")
def home() -> ResponseReturnValue:
    return render_template(
        "placement/home.html",
        profile=profile_of(current_user),
        plan=counselling.plan_of(current_user),
        applications=applications.applications_of(current_user),
        candidacies=overseas.candidacies_of(current_user),
        matches=matches.matches_for_seeker(current_user)[:5],
    )


@bp.route("/profile", methods=["GET", "POST"])
@require_roles("trainee")
def profile() -> ResponseReturnValue:
    existing = profile_of(current_user)
    form = ProfileForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.languages.data = ", ".join(f"{k}:{v}" for k, v in (existing.languages or {}).items())
        form.consents.data = [k for k, v in (existing.consents or {}).items() if v]
    if form.validate_on_submit():
        try:
            save_profile(
                current_user,
                **{
                    name: getattr(form, name).data
                    for name in (
                        "education",
                        "experience",
                        "skills",
                        "city",
                        "province",
                        "desired_sectors",
                        "willing_abroad",
                        "abroad_countries",
                        "languages",
                        "open_to_offers",
                    )
                },
                consents={item: True for item in form.consents.data or []},
            )
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("placement.home"))
    status = 422 if request.method == "POST" else 200
    return render_template("placement/profile.html", form=form), status


@bp.route("/vacancies")
def vacancy_list() -> ResponseReturnValue:
    return render_template("placement/vacancies.html", vacancies=vacancies.public_vacancies())


def _apply_form(user: User) -> ApplyForm:
    form = ApplyForm()
    form.certificate_ids.choices = [
        SelectChoice(r.id, f"{r.title} · {r.number} · {label(CERTIFICATE_LABELS, r.status)}")
        for r in verified.user_certificates(user)
    ]
    return form


@bp.route("/vacancies/<int:vacancy_id>", methods=["GET", "POST"])
def vacancy(vacancy_id: int) -> ResponseReturnValue:
    user = current_user if current_user.is_authenticated else None
    found = vacancies.get_public_vacancy(vacancy_id, user)
    form = mine = application = None
    if user is not None and user.has_role("trainee"):
        mine = matches.match_for(user, found)
        application = applications.application_of(user, found)
        form = None if application else _apply_form(user)
    if form is not None and form.validate_on_submit():
        try:
            applications.apply(user, found, form.certificate_ids.data or [], form.cover_note.data)
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("Your application has been sent."), "success")
            return redirect(url_for("placement.home"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "placement/vacancy.html", vacancy=found, form=form, mine=mine, application=application
    ), status


@bp.route("/matches")
@require_roles("trainee")
def my_matches() -> ResponseReturnValue:
    return render_template(
        "placement/matches.html",
        matches=matches.matches_for_seeker(current_user),
        units=verified.verified_units(current_user),
    )
