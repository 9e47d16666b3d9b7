"""Web pages for competency units: a public list and detail; upkeep and CSV import for
instructors, institution admins and platform admins."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.courses import bp, permissions
from app.courses.forms import FileImportForm, UnitForm, elements_to_text, text_to_elements
from app.courses.permissions import can_edit_unit, can_maintain_units
from app.courses.services import units
from app.errors import AppError
from app.forms import form_error
from app.security import require_roles

MAINTAINERS = ("instructor", "institution_admin", "admin")


def _unit_or_404(unit_id: int):
    try:
        return units.get_unit(unit_id)
    except AppError:
        abort(404)


@bp.route("/units")
def unit_list():
    page = request.args.get("page", 1, type=int)
    q = request.args.get("q", "")[:100]
    return render_template(
        "courses/units.html",
        result=units.search_units(q, max(page or 1, 1)),
        q=q,
        can_maintain=can_maintain_units(current_user),
    )


@bp.route("/units/<int:unit_id>")
def unit_detail(unit_id: int):
    unit = _unit_or_404(unit_id)
    return render_template(
        "courses/unit.html", unit=unit, can_edit=can_edit_unit(current_user, unit)
    )


@bp.route("/units/new", methods=["GET", "POST"])
@require_roles(*MAINTAINERS)
def new_unit():
    form = UnitForm()
    status = 200
    if form.validate_on_submit():
        try:
            permissions.ensure_can_maintain_units(current_user)
            unit = units.create_unit(
                current_user,
                code=form.code.data,
                title_id=form.title_id.data,
                title_en=form.title_en.data or "",
                elements=text_to_elements(form.elements.data),
            )
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(_("Unit %(code)s created.", code=unit.code), "success")
            return redirect(url_for("courses.unit_detail", unit_id=unit.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/unit_form.html", form=form, unit=None), status


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@require_roles(*MAINTAINERS)
def edit_unit(unit_id: int):
    unit = _unit_or_404(unit_id)
    if not can_edit_unit(current_user, unit):
        abort(403)
    initial = {"title_id": unit.title_id, "title_en": unit.title_en}
    form = (
        UnitForm(**initial, elements=elements_to_text(unit.elements))
        if request.method == "GET"
        else UnitForm()
    )
    del form.code
    status = 200
    if form.validate_on_submit():
        try:
            units.update_unit(
                current_user,
                unit,
                title_id=form.title_id.data,
                title_en=form.title_en.data or "",
                elements=text_to_elements(form.elements.data),
            )
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(_("Unit saved."), "success")
            return redirect(url_for("courses.unit_detail", unit_id=unit.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/unit_form.html", form=form, unit=unit), status


@bp.route("/units/import", methods=["GET", "POST"])
@require_roles(*MAINTAINERS)
def import_units():
    form = FileImportForm()
    status = 200
    if form.validate_on_submit():
        try:
            permissions.ensure_can_maintain_units(current_user)
            plan = units.read_units_csv(form.file.data.read())
            permissions.ensure_can_edit_units(current_user, plan.existing.values())
            report = units.import_units(current_user, plan)
        except AppError as error:
            form_error(form, error)
            status = error.status
        else:
            flash(
                _(
                    "Import done: %(created)s units created, %(updated)s updated.",
                    created=len(report.created),
                    updated=len(report.updated),
                ),
                "success",
            )
            return redirect(url_for("courses.unit_list"), 303)
    elif request.method == "POST":
        status = 422
    return render_template("courses/unit_import.html", form=form), status
