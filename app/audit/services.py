"""Recording audit events. Callers pass only what is safe to keep: never a password,
token or key; `scrub` removes such fields, and values that look like a secret, if a caller
passes a whole dict."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from flask import has_request_context, request

from app.audit.models import AuditEvent
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

log = logging.getLogger(__name__)

SECRET_WORDS = ("password", "token", "secret", "private", "key_pem", "proofvalue", "passphrase")
# Values that are secrets whatever their key: bearer tokens and PEM-encoded keys.
SECRET_VALUE_PREFIXES = ("kpt_", "-----BEGIN")
REMOVED = "[removed]"


def _scrub_value(value: Any) -> Any:  # noqa: ANN401 - any JSON value
    if isinstance(value, dict):
        return scrub(value)
    if isinstance(value, list | tuple):
        return [_scrub_value(item) for item in value]
    if isinstance(value, str) and value.lstrip().startswith(SECRET_VALUE_PREFIXES):
        return REMOVED
    return value


def scrub(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of `data` with secret-looking keys and values replaced, at any depth."""
    if data is None:
        return None
    return {
        str(k): (REMOVED if any(w in str(k).lower() for w in SECRET_WORDS) else _scrub_value(v))
        for k, v in data.items()
    }


def record(
    action: str,
    *,
    actor: User | None = None,
    institution_id: int | None = None,
    target: object | None = None,
    target_type: str | None = None,
    target_id: int | str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    actor_email: str | None = None,
) -> AuditEvent:
    if target is not None:
        target_type = target_type or target.__class__.__name__
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    if institution_id is None and actor is not None:
        institution_id = getattr(actor, "institution_id", None)
    ip = None
    if has_request_context():
        ip = (request.remote_addr or "")[:64] or None
    entry = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None) or actor_email,
        institution_id=institution_id,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip=ip,
        before=scrub(before),
        after=scrub(after),
        reason=(reason or None) and reason[:500],
    )
    db.session.add(entry)
    log.info("audit %s by %s on %s:%s", action, entry.actor_email or "-", target_type, target_id)
    return entry
