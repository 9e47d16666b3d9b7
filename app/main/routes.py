"""Home, health check, language switch and the offline API docs page."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from app.api import api
from app.auth import services as auth_services
from app.auth.forms import LanguageForm
from app.extensions import csrf, db
from app.main import bp
from app.security import local_path


@bp.route("/")
def home() -> ResponseReturnValue:
    return render_template("main/home.html")


@bp.route("/healthz")
@csrf.exempt
def healthz() -> ResponseReturnValue:
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok", "database": "ok"})


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            auth_services.set_locale(current_user, form.locale.data)
    return redirect(local_path(request.form.get("next")) or url_for("main.home"))


@bp.route("/api/v1/docs")
def api_docs() -> ResponseReturnValue:
    spec = api.spec.to_dict()
    return render_template("main/api_docs.html", spec=spec)
