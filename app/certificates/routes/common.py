"""What the certificates pages and public documents share: the status words, the rate limit
of verification, and JSON documents outside /api/ (with the error envelope)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app

from app.errors import AppError, envelope

STATUS_WORDS = {
    "valid": ("SAH", "VALID"),
    "revoked": ("DICABUT", "REVOKED"),
    "suspended": ("DITANGGUHKAN", "SUSPENDED"),
    "expired": ("KEDALUWARSA", "EXPIRED"),
    "superseded": ("DIGANTI", "SUPERSEDED"),
    "invalid": ("TIDAK SAH", "NOT GENUINE"),
}


def verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


def json_response(document: Any, status_code: int = 200) -> Response:
    response = Response(
        json.dumps(document, ensure_ascii=False), status=status_code, mimetype="application/json"
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def json_errors(view: Any) -> Any:
    """JSON documents outside /api/ answer failures with the error envelope too."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except AppError as error:
            return envelope(error.status, error.code, error.message, error.details)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper
