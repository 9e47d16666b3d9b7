"""Account use cases: registration, staff creation, authentication, sessions and tokens.
They flush and raise AppError subclasses; the caller commits."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import mail
from app.audit.services import record
from app.auth import throttle
from app.auth.models import ROLES, SELF_REGISTER_ROLES, STAFF_ROLES, ApiToken, User, UserRole
from app.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.db import utcnow
from app.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution
from app.transactions import after_commit

log = logging.getLogger(__name__)

TOKEN_PREFIX = "kpt_"  # noqa: S105 - a public prefix, not a secret


def password_message(problem: str) -> str:
    return {
        "too_short": _("Use at least 8 characters."),
        "too_long": _("Use at most 256 characters."),
        "too_common": _("This password is too common. Choose another one."),
        "like_email": _("Do not use your e-mail address as the password."),
    }[problem]


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(
            _("Enter a valid e-mail address."), details={"email": [_("Invalid e-mail.")]}
        ) from exc


def check_password(password: str, email: str | None = None) -> None:
    problem = password_problem(password, email=email)
    if problem:
        raise ValidationFailed(password_message(problem), details={"password": [problem]})


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    *,
    email: str,
    password: str,
    full_name: str,
    roles: list[str] | tuple[str, ...],
    institution: Institution | None = None,
    locale: str = "id",
) -> User:
    email = normalise_email(email)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationFailed(_("Enter your full name."), details={"full_name": ["required"]})
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValidationFailed(_("Unknown role."), details={"roles": sorted(unknown)})
    needs_institution = bool(set(roles) & set(STAFF_ROLES))
    if needs_institution and institution is None:
        raise ValidationFailed(
            _("Staff must belong to an institution."), details={"institution": ["required"]}
        )
    if not needs_institution:
        institution = None
    check_password(password, email)
    if user_by_email(email) is not None:
        raise Conflict(
            _("An account with this e-mail already exists."), details={"email": ["taken"]}
        )
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name=full_name,
        institution=institution,
        locale=locale if locale in ("id", "en") else "id",
    )
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    db.session.add(user)
    db.session.flush()
    return user


def register(*, email: str, password: str, full_name: str, role: str, locale: str) -> User | None:
    """A new self-registered account, or None when the e-mail has one already: the caller
    answers both the same way ("check your e-mail"), so registration never tells whether an
    address is known. Each case gets its mail: a welcome, or a note to the existing owner."""
    if role not in SELF_REGISTER_ROLES:
        raise ValidationFailed(_("Choose trainee or employer."), details={"role": [role]})
    try:
        user = create_user(
            email=email, password=password, full_name=full_name, roles=[role], locale=locale
        )
    except Conflict:
        owner = user_by_email(normalise_email(email))
        if owner is not None:  # None only if the account was deleted in between
            _mail_existing_owner(owner)
            log.info("registration with the e-mail of user %s: owner told by mail", owner.id)
        return None
    _send_mail(
        user.email,
        _("Your Kompeten account is ready"),
        _(
            "Hello %(name)s,\n\nYour Kompeten account for %(email)s has been created. "
            "Log in at %(url)s.\n\nIf you did not create it, reply to this message.",
            name=user.full_name,
            email=user.email,
            url=_login_url(),
        ),
    )
    log.info("user %s registered as %s", user.id, role)
    return user


def _send_mail(to: str, subject: str, body: str) -> None:
    """Send once the account is committed: never a welcome for a row that was rolled back."""
    after_commit(lambda: mail.send(to, subject, body))


def _login_url() -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/login"


def _mail_existing_owner(owner: User) -> None:
    with force_locale(owner.locale):
        _send_mail(
            owner.email,
            _("Someone tried to register with your e-mail address"),
            _(
                "Hello %(name)s,\n\nSomeone tried to create a new Kompeten account with "
                "%(email)s, which already has an account. If it was you, log in at %(url)s. "
                "If it was not you, you can ignore this message: your account has not "
                "changed.",
                name=owner.full_name,
                email=owner.email,
                url=_login_url(),
            ),
        )


def create_staff(
    admin: User, *, email: str, password: str, full_name: str, roles: list[str]
) -> User:
    if not admin.has_role("institution_admin") or admin.institution is None:
        raise Forbidden(_("Only an institution admin can create staff."))
    if not roles or not set(roles) <= set(STAFF_ROLES):
        raise ValidationFailed(_("Choose staff roles only."), details={"roles": roles})
    user = create_user(
        email=email,
        password=password,
        full_name=full_name,
        roles=roles,
        institution=admin.institution,
    )
    record("staff.create", actor=admin, target=user, after={"roles": sorted(roles)})
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None: the same answer, and about the same time,
    for an unknown e-mail, a wrong password and a deactivated account. Raises RateLimited,
    before any password is checked, while logins for this address are paused."""
    until = throttle.paused_until(email)
    if until is not None:
        log.warning("login refused: too many failures for one address, paused until %s", until)
        raise RateLimited(
            _(
                "Too many failed logins with this e-mail address. Try again after %(time)s.",
                time=format_datetime(until, "short"),
            ),
            details={"retry_after": until.isoformat()},
        )
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.failed(email)
        record(
            "auth.login_failed",
            actor_email=email[:254],
            target_type="User",
            target_id=user.id if user else None,
            institution_id=user.institution_id if user else None,
        )
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.succeeded(email)
    user.last_login_at = utcnow()
    record("auth.login", actor=user, target=user)
    db.session.flush()
    return user


def end_all_sessions(user: User) -> None:
    user.session_version += 1
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(
            _("Your current password is not correct."), details={"current_password": ["wrong"]}
        )
    check_password(new, user.email)
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    revoke_all_tokens(user, actor=user)
    record("auth.password_changed", actor=user, target=user)


def set_active(admin: User, user: User, active: bool) -> None:
    if not (
        admin.is_admin
        or (admin.has_role("institution_admin") and admin.institution_id == user.institution_id)
    ):
        raise Forbidden(_("You may not change this account."))
    user.is_active = active
    end_all_sessions(user)
    revoke_all_tokens(user, actor=admin)  # reactivating never brings old tokens back
    record("staff.active_changed", actor=admin, target=user, after={"is_active": active})


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the id carries the session version."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, days: int) -> tuple[ApiToken, str]:
    name = (name or "").strip()[:100] or "API"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=_hash_token(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    record("auth.token_created", actor=user, target=token, after={"name": name})
    return token, raw


def user_for_token(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw)))
    now = utcnow()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now
    return token.user


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("auth.token_revoked", actor=user, target=token, after={"name": token.name})
    db.session.flush()
    return token


def revoke_all_tokens(user: User, *, actor: User) -> int:
    """End every bearer token of `user` still usable (on a password change and a
    deactivation, as sessions end). Returns how many were revoked."""
    now = utcnow()
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if revoked:
        record("auth.tokens_revoked", actor=actor, target=user, after={"count": revoked})
    db.session.flush()
    return revoked


def set_locale(user: User, locale: str) -> None:
    if locale in ("id", "en"):
        user.locale = locale
        db.session.flush()
