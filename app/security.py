"""Security headers on every response, errors included, and the access decorator every
feature's pages share."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request, session
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def require_roles(*roles: str) -> Callable:
    """A logged-in user holding one of these roles; others get 403 (anonymous: login)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: never another host, whatever
    the spelling a browser would normalise (`//host`, `////host`, `/\\host`, `/\t/host`,
    `https:host`, `javascript:`). Browsers drop tabs and newlines inside a URL and read a
    backslash as a slash, so any control character, space or backslash refuses the target;
    what is left must parse as a path alone, starting with exactly one slash."""
    if not target or len(target) > 2048 or _UNSAFE.search(target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def content_security_policy() -> str:
    frames = " ".join(f"https://{host}" for host in current_app.config["VIDEO_HOSTS"])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self'; frame-src {frames}; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def authenticated_request() -> bool:
    """The request carries a logged-in session (also one just restored from the remember
    cookie or just logged in) or a bearer token."""
    return bool(session.get("_user_id")) or "Authorization" in request.headers


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    if authenticated_request():
        # Nothing shown to a signed-in user is kept by the browser or any cache between,
        # whatever the view set (a download's max-age included).
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)
