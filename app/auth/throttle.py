"""Per-account login throttling, whatever the client's address.

After LOGIN_ACCOUNT_LIMIT failed logins for one e-mail address within its window, every
further login for that address (a correct password too) is refused until the window ends;
refused attempts are not counted, so the pause always ends. The count lives in the rate
limiter's storage (Redis when configured, shared by every worker) under a hash of the
normalised address, whether or not an account has it: the answer tells nothing about which
addresses exist."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import current_app
from limits import RateLimitItem, parse

from app.extensions import limiter

NAMESPACE = "login-account"


def _limit() -> RateLimitItem:
    return parse(current_app.config["LOGIN_ACCOUNT_LIMIT"])


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def paused_until(email: str) -> datetime | None:
    """When logins for `email` may be tried again, or None when they may be tried now."""
    if not limiter.enabled:
        return None
    limit, key = _limit(), _key(email)
    if limiter.limiter.test(limit, NAMESPACE, key):
        return None
    reset = limiter.limiter.get_window_stats(limit, NAMESPACE, key).reset_time
    return datetime.fromtimestamp(reset, UTC)


def failed(email: str) -> None:
    if limiter.enabled:
        limiter.limiter.hit(_limit(), NAMESPACE, _key(email))


def succeeded(email: str) -> None:
    if limiter.enabled:
        limiter.limiter.clear(_limit(), NAMESPACE, _key(email))
