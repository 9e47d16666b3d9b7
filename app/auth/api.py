"""JSON API: bearer tokens and the current account."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _

from app.api import BEARER, ApiBlueprint, current_api_user, token_required
from app.auth import services
from app.auth.models import ApiToken, User
from app.auth.schemas import MeSchema, TokenCreatedSchema, TokenRequestSchema, TokenSchema
from app.errors import Unauthorized
from app.extensions import limiter

blp = ApiBlueprint("auth_api", __name__, url_prefix="/api/v1/auth", description="Authentication")


class LoginFailed(Unauthorized):
    """Wrong credentials: a 401 that keeps the failed-login audit entry."""

    keeps_changes = True


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/tokens")
class Tokens(MethodView):
    decorators = [limiter.limit(_login_limit, methods=["POST"])]

    @blp.arguments(TokenRequestSchema)
    @blp.response(201, TokenCreatedSchema)
    @blp.alt_response(401, description="Wrong e-mail or password")
    @blp.alt_response(422, description="Invalid body")
    @blp.alt_response(429, description="Too many attempts")
    def post(self, body: dict) -> dict[str, Any]:
        """Exchange an e-mail and password for a bearer token."""
        user = services.authenticate(body["email"], body["password"])
        if user is None:
            raise LoginFailed(_("The e-mail or password is not correct."))
        token, raw = services.create_token(user, body["name"], current_app.config["API_TOKEN_DAYS"])
        return {
            "id": token.id,
            "token": raw,
            "token_type": "Bearer",
            "expires_at": token.expires_at,
        }

    @blp.doc(security=BEARER)
    @blp.response(200, TokenSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @token_required()
    def get(self) -> list[ApiToken]:
        """List your tokens (never their secret part)."""
        return current_api_user().tokens


@blp.route("/tokens/<int:token_id>")
class TokenItem(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such token of yours")
    @token_required()
    def delete(self, token_id: int) -> ApiToken:
        """Revoke one of your tokens."""
        token = services.revoke_token(current_api_user(), token_id)
        return token


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, description="No valid token")
    @token_required()
    def get(self) -> User:
        """The account the token belongs to."""
        return current_api_user()
