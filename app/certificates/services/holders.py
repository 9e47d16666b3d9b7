"""What other features ask about a person's certificates (placement matching, profiles)."""

from __future__ import annotations

from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.services.verification import certificate_status
from app.extensions import db


def certificates_for(user: object) -> list[Certificate]:
    """Every certificate of `user`, newest first (superseded and revoked ones included)."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id == getattr(user, "id", None))
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def valid_certificates_for(user: object) -> list[Certificate]:
    """The user's certificates whose status is 'valid' right now."""
    return [cert for cert in certificates_for(user) if certificate_status(cert) == "valid"]


def certified_unit_codes(user: object) -> set[str]:
    """SKKNI unit codes the user holds a valid certificate for."""
    return {code for cert in valid_certificates_for(user) for code in cert.unit_codes}
