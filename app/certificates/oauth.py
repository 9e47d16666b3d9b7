"""OAuth 2.0 client credentials for the VC-API (`POST /credentials/issue`), with Authlib.

Institution admins create clients; a client belongs to one institution and holds the scope
`issue:credentials`. Client secrets and access tokens are stored only as SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import datetime
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from flask import Flask
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db
from app.institutions.models import Institution

ISSUE_SCOPE = "issue:credentials"
TOKEN_SECONDS = 3600


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class OAuthClient(db.Model, ClientMixin):
    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(48), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(200), default=ISSUE_SCOPE)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institution: Mapped[Institution] = relationship()

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.scope.split())
        asked = set((scope or self.scope).split())
        return " ".join(sorted(allowed & asked))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, _sha256(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials" and self.revoked_at is None


class OAuthToken(db.Model, TokenMixin):
    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_pk: Mapped[int] = mapped_column(ForeignKey("oauth_clients.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[int] = mapped_column()
    expires_in: Mapped[int] = mapped_column()
    revoked: Mapped[bool] = mapped_column(default=False)

    client: Mapped[OAuthClient] = relationship()

    def check_client(self, client: Any) -> bool:
        return self.client_pk == client.id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self) -> bool:
        return self.revoked or self.client.revoked_at is not None

    def get_user(self) -> None:
        return None

    def get_client(self) -> OAuthClient:
        return self.client


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def _query_client(client_id: str) -> OAuthClient | None:
    client = db.session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    return client if client is not None and client.revoked_at is None else None


def _save_token(token: dict[str, Any], request: Any) -> None:
    db.session.add(
        OAuthToken(
            client_pk=request.client.id,
            token_hash=_sha256(token["access_token"]),
            scope=token.get("scope", ""),
            issued_at=int(time.time()),
            expires_in=int(token.get("expires_in", TOKEN_SECONDS)),
        )
    )
    db.session.flush()


class _Validator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        return db.session.scalar(
            select(OAuthToken).where(OAuthToken.token_hash == _sha256(token_string))
        )


authorization = AuthorizationServer()
require_oauth = ResourceProtector()


def init_oauth(app: Flask) -> None:
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": TOKEN_SECONDS})
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", [ISSUE_SCOPE])
    authorization.init_app(app, query_client=_query_client, save_token=_save_token)
    if not any(grant is ClientCredentialsGrant for grant, _ in authorization._token_grants):
        authorization.register_grant(ClientCredentialsGrant)
    if not require_oauth._token_validators:
        require_oauth.register_token_validator(_Validator())


def create_client(institution: Institution, name: str, actor: Any) -> tuple[OAuthClient, str]:
    """A new client for `institution`; returns it and its secret (shown once)."""
    from app.audit.services import record

    secret = secrets.token_urlsafe(32)
    client = OAuthClient(
        client_id="kc_" + secrets.token_urlsafe(18),
        secret_hash=_sha256(secret),
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


def revoke_client(client: OAuthClient, actor: Any) -> None:
    from app.audit.services import record

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
