"""VC-API clients: institution admins create them (the secret is shown once) and revoke them."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from app.audit.services import record
from app.certificates.models import OAuthClient, sha256_hex
from app.db import utcnow
from app.extensions import db
from app.institutions.models import Institution

if TYPE_CHECKING:
    from app.auth.models import User


def create_client(
    institution: Institution, name: str, actor: User | None
) -> tuple[OAuthClient, str]:
    """A new client for `institution`; returns it and its secret (shown once)."""
    secret = secrets.token_urlsafe(32)
    client = OAuthClient(
        client_id="kc_" + secrets.token_urlsafe(18),
        secret_hash=sha256_hex(secret),
        name=name.strip()[:100] or "VC-API",
        institution_id=institution.id,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(client)
    db.session.flush()
    record(
        "oauth_client.create",
        actor=actor,
        institution_id=institution.id,
        target=client,
        after={"client_id": client.client_id, "name": client.name},
    )
    return client, secret


def revoke_client(client: OAuthClient, actor: User | None) -> None:
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        record(
            "oauth_client.revoke",
            actor=actor,
            institution_id=client.institution_id,
            target=client,
            before={"client_id": client.client_id},
        )
    db.session.flush()
