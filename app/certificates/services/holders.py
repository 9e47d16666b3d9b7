"""A person's certificates, for their own pages and API."""

from __future__ import annotations

from sqlalchemy import select

from app.certificates.models import Certificate
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
