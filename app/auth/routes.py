"""Web pages: register, login, logout, account (password, language, API tokens), staff."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from app.auth import bp, services
from app.auth.forms import (
    EmptyForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    RegisterForm,
    StaffForm,
    TokenForm,
)
from app.auth.models import STAFF_ROLES
from app.errors import AppError, RateLimited
from app.extensions import limiter
from app.forms import form_error
from app.security import local_path, require_roles
from app.transactions import keep_changes


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("main.home")


def _form_error(form: FlaskForm, error: AppError) -> None:
    form_error(form, error, aliases={"password": "new_password"})


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                role=form.role.data,
                locale=session.get("locale", "id"),
            )
        except AppError as error:
            _form_error(form, error)
        else:
            # The same page whether the address was new or known: only its owner learns which.
            return render_template("auth/register_done.html", email=form.email.data.strip())
    status = 422 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except RateLimited as error:
            form.password.errors = [error.message]
            return render_template("auth/login.html", form=form), error.status
        if user is None:
            keep_changes()  # the failed-login audit entry stays although the answer is 401
            form.password.errors = [_("The e-mail or password is not correct.")]
            status = 401
        else:
            login_user(user, remember=form.remember.data)
            session["locale"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        services.end_all_sessions(current_user)
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale  # the language is the browser's choice, not the account's
    flash(_("You have logged out."), "success")
    return redirect(url_for("main.home"))


def _account_page(status: int = 200, **context: object) -> tuple[str, int]:
    """The account page; `context` replaces the fresh forms or shows a new token."""
    page = {
        "password_form": PasswordForm(),
        "language_form": LanguageForm(locale=current_user.locale),
        "token_form": TokenForm(),
        "revoke_form": EmptyForm(),
        "new_token": None,
        **context,
    }
    return render_template("auth/account.html", **page), status


@bp.route("/account")
@login_required
def account() -> ResponseReturnValue:
    return _account_page()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except AppError as error:
            _form_error(form, error)
        else:
            login_user(current_user._get_current_object())  # this browser stays; others end
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(url_for("auth.account"))
    return _account_page(422, password_form=form)


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "error")
        return redirect(url_for("auth.account"))
    _token, raw = services.create_token(
        current_user, form.name.data, current_app.config["API_TOKEN_DAYS"]
    )
    # Shown once, in this answer only: never in the session cookie (signed, not secret)
    # nor anywhere else the browser keeps it.
    return _account_page(201, new_token=raw)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    if EmptyForm().validate_on_submit():
        services.revoke_token(current_user, token_id)
        flash(_("The token has been revoked."), "success")
    return redirect(url_for("auth.account") + "#tokens")


@bp.route("/staff", methods=["GET", "POST"])
@require_roles("institution_admin")
def staff() -> ResponseReturnValue:
    form = StaffForm()
    status = 200
    if form.validate_on_submit():
        roles = [r for r in STAFF_ROLES if getattr(form, r).data]
        try:
            services.create_staff(
                current_user,
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                roles=roles,
            )
        except AppError as error:
            _form_error(form, error)
            status = 422
        else:
            flash(_("Staff account created."), "success")
            return redirect(url_for("auth.staff"))
    elif request.method == "POST":
        status = 422
    members = sorted(current_user.institution.staff, key=lambda u: u.full_name)
    return render_template("auth/staff.html", form=form, members=members), status
