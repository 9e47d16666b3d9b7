from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import limiter


@pytest.fixture(autouse=True)
def fresh_rate_limits(app: Flask) -> Iterator[None]:
    """Logins here must not use up the login limit of tests that run after them. (The
    limiter is one object, bound to the session's app first.)"""
    limiter.reset()
    yield
    limiter.reset()
