"""The JSON API under /api/v1: flask-smorest, bearer-token authentication, the error envelope
in the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import marshmallow as ma
from apispec import BasePlugin
from flask import Flask, Request, current_app, g, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser, abort

from app.errors import Forbidden, Unauthorized

if TYPE_CHECKING:
    from app.auth.models import User

TokenLoader = Callable[[str], "User | None"]
_BEARER_LOOKUP = "kompeten.bearer_lookup"


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "validation_failed"})
    message = ma.fields.String(required=True)
    details = ma.fields.Dict(required=True)


class ErrorSchema(ma.Schema):
    """The one error envelope of every JSON response that is not a success."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class JsonParser(FlaskParser):
    """webargs answers 400 for a JSONDecodeError only; json.loads also refuses, with a plain
    ValueError, an integer of more than 4,300 digits (Python's bound on int from text), and
    runs out of stack on a body nested thousands deep. Both are the client's malformed body."""

    def _raw_load_json(self, req: Request) -> object:
        try:
            return super()._raw_load_json(req)
        except RecursionError as exc:
            abort(400, exc=exc, messages={"json": ["The JSON is nested too deeply."]})
        except json.JSONDecodeError:
            raise  # webargs' load_json answers it (an empty body is no body)
        except ValueError as exc:
            abort(400, exc=exc, messages={"json": [str(exc).split(";")[0]]})


class ApiBlueprint(Blueprint):
    """The blueprint of every JSON API module: a malformed body is a 400 in the envelope."""

    ARGUMENTS_PARSER = JsonParser()


class Api(SmorestApi):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """app.errors registers the handlers that speak the envelope."""


ERROR_REF = {"$ref": "#/components/schemas/Error"}  # ErrorSchema, as flask-smorest names it


class ErrorEnvelopePlugin(BasePlugin):
    """Every documented 4xx/5xx response that names no body gets the envelope's schema, so the
    OpenAPI document says what every error looks like. OAuth's token endpoint keeps the
    RFC 6749 error format and documents its own."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        if not operations or (path or "").startswith("/oauth/"):
            return
        for operation in operations.values():
            for status, response in (operation.get("responses") or {}).items():
                if (
                    str(status)[:1] in ("4", "5")
                    and isinstance(response, dict)
                    and "content" not in response
                    and "$ref" not in response
                ):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}


api = Api(
    spec_kwargs={
        "extra_plugins": [ErrorEnvelopePlugin()],
        "info": {
            "description": "Kompeten: courses, assessments, signed competency certificates "
            "and placement. Authenticate with `POST /api/v1/auth/tokens` and send "
            "`Authorization: Bearer <token>`."
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
            }
        },
    }
)

BEARER = [{"bearerAuth": []}]


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def set_token_loader(app: Flask, loader: TokenLoader) -> None:
    """How a bearer token becomes a user: the auth feature's lookup, set by create_app (the
    API layer sits below every feature, auth included, and imports none of them)."""
    app.extensions[_BEARER_LOOKUP] = loader


def current_api_user() -> User | None:
    """The user authenticated by the request's bearer token, or None."""
    if "api_user" not in g:
        token = bearer_token()
        g.api_user = current_app.extensions[_BEARER_LOOKUP](token) if token else None
    return g.api_user


def token_required(*roles: str) -> Callable:
    """Require a valid bearer token; with roles, require one of them."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> object:
            user = current_api_user()
            if user is None:
                raise Unauthorized("A valid bearer token is required.")
            if roles and not user.has_any_role(*roles):
                raise Forbidden("Your account may not do this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
