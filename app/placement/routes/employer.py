"""Employers' pages (company, vacancies, candidates) and the admin's company verification."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.errors import AppError, Forbidden
from app.extensions import db
from app.forms import form_error
from app.placement import bp
from app.placement.forms import CompanyForm, StatusForm, VacancyForm
from app.placement.models.employers import Company
from app.placement.permissions import (
    can_post_vacancies,
    can_verify_companies,
    may_see_candidates,
)
from app.placement.services import applications, matches, vacancies
from app.placement.services.common import split_codes
from app.security import require_roles


@bp.route("/employer")
@require_roles("employer")
def employer_home() -> ResponseReturnValue:
    company = vacancies.company_of(current_user)
    return render_template("placement/employer_home.html", company=company)


@bp.route("/employer/company", methods=["GET", "POST"])
@require_roles("employer")
def company() -> ResponseReturnValue:
    existing = vacancies.company_of(current_user)
    form = CompanyForm(obj=existing)
    if form.validate_on_submit():
        try:
            vacancies.save_company(
                current_user,
                **{
                    name: getattr(form, name).data
                    for name in ("name", "sector", "city", "province", "website", "description")
                },
            )
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("The company profile has been saved."), "success")
            return redirect(url_for("placement.employer_home"))
    status = 422 if request.method == "POST" else 200
    return render_template("placement/company_form.html", form=form), status


@bp.route("/employer/vacancies/new", methods=["GET", "POST"])
@require_roles("employer")
def new_vacancy() -> ResponseReturnValue:
    company = vacancies.company_of(current_user)
    if request.method == "POST" and not can_post_vacancies(current_user, company):
        raise Forbidden(_("Create your company profile before posting vacancies."))
    form = VacancyForm()
    if form.validate_on_submit():
        try:
            found = vacancies.create_vacancy(
                current_user,
                company,
                **{
                    name: getattr(form, name).data
                    for name in (
                        "title",
                        "description",
                        "city",
                        "province",
                        "sector",
                        "openings",
                        "closes_on",
                        "location_type",
                        "country",
                    )
                },
                required_units=split_codes(form.required_units.data),
                preferred_units=split_codes(form.preferred_units.data),
            )
        except AppError as error:
            form_error(form, error)
        else:
            flash(_("The vacancy has been posted."), "success")
            return redirect(url_for("placement.manage_vacancy", vacancy_id=found.id))
    status = 422 if request.method == "POST" else 200
    return render_template("placement/vacancy_form.html", form=form), status


@bp.route("/employer/vacancies/<int:vacancy_id>")
@require_roles("employer", "admin")
def manage_vacancy(vacancy_id: int) -> ResponseReturnValue:
    found = vacancies.get_own_vacancy(current_user, vacancy_id)
    if not may_see_candidates(current_user, found.company):
        return render_template("placement/manage_vacancy.html", vacancy=found, ranked=None)
    ranked = matches.matches_for_vacancy(current_user, found)
    live = {
        m.application.id: applications.live_certificates(m.application)
        for m in ranked
        if m.application is not None
    }
    return render_template(
        "placement/manage_vacancy.html",
        vacancy=found,
        ranked=ranked,
        live=live,
        status_form=StatusForm(),
    )


@bp.route("/employer/applications/<int:application_id>/status", methods=["POST"])
@require_roles("employer", "admin")
def move_application(application_id: int) -> ResponseReturnValue:
    application = applications.get_application(current_user, application_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():  # a refused move is undone; the redirect commits
                applications.move(current_user, application, form.status.data)
        except AppError as error:
            flash(error.message, "error")
        else:
            flash(_("The application has been updated."), "success")
    return redirect(url_for("placement.manage_vacancy", vacancy_id=application.vacancy_id))


@bp.route("/admin/companies")
@require_roles("admin")
def companies() -> ResponseReturnValue:
    return render_template(
        "placement/companies.html", companies=vacancies.companies_to_verify(), form=EmptyForm()
    )


@bp.route("/admin/companies/<int:company_id>/verify", methods=["POST"])
@require_roles("admin")
def verify_company(company_id: int) -> ResponseReturnValue:
    found = db.session.get(Company, company_id) or abort(404)
    if not can_verify_companies(current_user):
        abort(403)
    if EmptyForm().validate_on_submit():
        try:
            with db.session.begin_nested():  # a refused verification is undone
                vacancies.verify_company(current_user, found)
        except AppError as error:
            flash(error.message, "error")
        else:
            flash(_("The company has been verified."), "success")
    return redirect(url_for("placement.companies"))
