"""Public pages of institutions."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from app.extensions import db
from app.institutions import bp
from app.institutions.models import Institution


@bp.route("/institutions")
def index() -> ResponseReturnValue:
    institutions = db.session.scalars(select(Institution).order_by(Institution.name)).all()
    return render_template("institutions/index.html", institutions=institutions)


@bp.route("/institutions/<slug>")
def detail(slug: str) -> ResponseReturnValue:
    institution = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if institution is None:
        abort(404)
    return render_template("institutions/detail.html", institution=institution)
