"""One error hierarchy, and handlers that answer JSON clients with the envelope
`{"error": {"code", "message", "details"}}` and browsers with a friendly page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from app.transactions import keep_changes, rollback

log = logging.getLogger(__name__)

SQLITE_OVERFLOW = "Python int too large to convert to SQLite INTEGER"
RETRY_AFTER_SECONDS = "5"  # told to clients when the database is briefly unavailable
JSON_PREFIXES = ("/api/", "/credentials/", "/oauth/", "/healthz")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class AppError(Exception):
    """A failure the user can act on. Services raise these; handlers render them."""

    status = 400
    code = "bad_request"
    # True for the few failures that must keep what was written before them (app.transactions).
    keeps_changes = False

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, code: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class ValidationFailed(AppError):
    status = 422
    code = "validation_failed"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Conflict(AppError):
    status = 409
    code = "conflict"


class TooLarge(AppError):
    status = 413
    code = "too_large"


class RateLimited(AppError):
    status = 429
    code = "rate_limited"


def wants_json() -> bool:
    if request.path.startswith(JSON_PREFIXES) or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def envelope(status: int, code: str, message: str, details: dict | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    return response


def _render(status: int, code: str, message: str, details: dict | None = None) -> Response:
    if wants_json():
        return envelope(status, code, message, details)
    html = render_template("errors/error.html", status=status, message=message)
    return Response(html, status=status, mimetype="text/html")


def _http_message(error: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in first."),
        403: _("You do not have permission to do that."),
        404: _("The page or item you asked for was not found."),
        405: _("That method is not allowed here."),
        413: _("The upload is too large."),
        415: _("That content type is not supported."),
        422: _("Some of the data you sent is not valid."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again."),
        503: _("The service is briefly unavailable. Please try again."),
    }
    return messages.get(error.code or 500, error.description or error.name)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    details: dict[str, Any] = {}
    message = _http_message(error)
    if "messages" in data:  # webargs/marshmallow validation
        details = data["messages"]
        if status == 422:
            message = _("Some of the data you sent is not valid.")
        elif status == 400:
            message = _("The request body is not valid JSON.")
    if "message" in data:
        message = data["message"]
    response = _render(status, CODES.get(status, "error"), message, details)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_app_error(error: AppError) -> Response:
    if error.keeps_changes:
        keep_changes()
    else:
        rollback()  # before rendering: the page may read the database
    return _render(error.status, error.code, error.message, error.details)


def handle_database_down(error: Exception) -> Response:
    try:
        rollback()
    except DBAPIError:  # the connection is gone: rolling back on it fails too
        log.warning("rollback after a database failure failed as well")
    log.error(
        "database unavailable on %s %s: %s",
        request.method,
        request.path,
        error.__class__.__name__,
    )
    message = _("The service is briefly unavailable. Please try again.")
    try:
        response = _render(503, "unavailable", message)
    except Exception:  # the page itself needs the database (the current user, the menu)
        log.warning("error page needs the database; answering with a bare page")
        response = Response(
            f"<!doctype html><title>503</title><h1>503</h1><p>{message}</p>",
            status=503,
            mimetype="text/html",
        )
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def handle_redis_down(error: Exception) -> Response:
    """Redis (the job queue) is unreachable: nothing could be queued. Rate limits do not come
    here: they fall back to memory (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED)."""
    rollback()
    log.error(
        "Redis unreachable on %s %s: background jobs cannot be queued (%s)",
        request.method,
        request.path,
        error.__class__.__name__,
    )
    response = _render(
        503, "unavailable", _("The service is briefly unavailable. Please try again.")
    )
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    rollback()
    return _render(500, "internal_error", _("Something went wrong on our side. Please try again."))


def handle_value_out_of_range(error: Exception) -> Response:
    """A value the input schema let through but no column can hold (an integer past 64 bits,
    text longer than its column): the client's mistake, so a 422, never a 500. The warning
    names the endpoint whose schema should have refused it."""
    try:
        rollback()
    except DBAPIError:
        log.warning("rollback after an out-of-range value failed as well")
    log.warning(
        "unvalidated input reached the database on %s %s: %s",
        request.method,
        request.path,
        error.__class__.__name__,
    )
    return _render(422, "validation_failed", _("A value you sent is too large or too long."))


def handle_overflow(error: OverflowError) -> Response:
    if str(error).startswith(SQLITE_OVERFLOW):
        return handle_value_out_of_range(error)
    return handle_unexpected(error)


def handle_operational(error: Exception) -> Response:
    if isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        return handle_database_down(error)
    if isinstance(error, DataError):
        return handle_value_out_of_range(error)
    return handle_unexpected(error)


def handle_too_deep(_error: RecursionError) -> Response:
    """Input nested so deeply that parsing or walking it ran out of stack (a JSON body, a
    question definition): the client's doing, answered like any malformed input."""
    rollback()
    log.warning("input nested too deeply on %s %s", request.method, request.path)
    return _render(400, "bad_request", _("The input is nested too deeply."))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(DBAPIError, handle_operational)
    app.register_error_handler(OverflowError, handle_overflow)
    app.register_error_handler(RecursionError, handle_too_deep)
    app.register_error_handler(RedisConnectionError, handle_redis_down)
    app.register_error_handler(RedisTimeoutError, handle_redis_down)
    app.register_error_handler(Exception, handle_unexpected)
