"""The OAuth 2.0 server of the VC-API (`POST /oauth/token`, client credentials grant) and
the protector of `POST /credentials/issue`, with Authlib."""

from __future__ import annotations

import time
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from flask import Flask
from sqlalchemy import select

from app.certificates.models import (
    ISSUE_SCOPE,
    TOKEN_SECONDS,
    OAuthClient,
    OAuthToken,
    sha256_hex,
)
from app.extensions import db


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def _query_client(client_id: str) -> OAuthClient | None:
    client = db.session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    return client if client is not None and client.revoked_at is None else None


def _save_token(token: dict[str, Any], request: Any) -> None:
    db.session.add(
        OAuthToken(
            client_pk=request.client.id,
            token_hash=sha256_hex(token["access_token"]),
            scope=token.get("scope", ""),
            issued_at=int(time.time()),
            expires_in=int(token.get("expires_in", TOKEN_SECONDS)),
        )
    )
    db.session.flush()


class _Validator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        return db.session.scalar(
            select(OAuthToken).where(OAuthToken.token_hash == sha256_hex(token_string))
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
