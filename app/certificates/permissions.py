"""Who may do what with certificates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.certificates.models import Certificate

if TYPE_CHECKING:
    from app.auth.models import User


def can_manage_certificates(user: User | None, institution_id: int | None) -> bool:
    """Platform admins, and the institution's own admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or (
        user.has_role("institution_admin") and user.institution_id == institution_id
    )


def can_view_certificate(user: User | None, cert: Certificate) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return cert.user_id == user.id or can_manage_certificates(user, cert.institution_id)
