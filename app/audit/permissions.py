"""Who may read the audit trail, and whose events they see."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask_login import AnonymousUserMixin

    from app.auth.models import User

ALL = None  # the scope of a platform admin: every institution's events


def can_view_audit(user: User | AnonymousUserMixin | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or (user.has_role("institution_admin") and user.institution_id is not None)


def audit_scope(user: User) -> int | None:
    """The institution whose events `user` sees, or ALL for a platform admin.
    Call only after `can_view_audit(user)`."""
    return ALL if user.is_admin else user.institution_id
