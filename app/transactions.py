"""One transaction per unit of work, committed in one place.

A web request commits once, when its handler has returned a response below 400, and rolls
back otherwise (an error page, an error envelope, an exception). Handlers, services and models
never call `commit()`. The few failures that must still keep what was written before them (a
failed login is audited; an answer saved after time is up closes and grades the attempt) say
so with `keep_changes()` or by raising an `AppError` whose `keeps_changes` is true.

CLI commands and background jobs get the same through `with transaction():`.

Work that must only happen once the data is really committed (queueing a job that reads the
rows, sending what an outbox holds) is registered with `after_commit(fn)`: it runs after the
commit, and is dropped if the transaction rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, g

from app.extensions import db

log = logging.getLogger(__name__)

_AFTER_COMMIT = "kompeten.after_commit"


def keep_changes() -> None:
    """Commit this request's changes although its response is an error."""
    g.keep_changes = True


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback` once the current transaction has committed; never if it rolls back."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def commit() -> None:
    """Commit the session and run what waited for it. The one place that commits."""
    db.session.commit()
    callbacks = db.session.info.pop(_AFTER_COMMIT, [])
    for callback in callbacks:
        callback()


def rollback() -> None:
    db.session.rollback()
    db.session.info.pop(_AFTER_COMMIT, None)


@contextmanager
def transaction() -> Iterator[None]:
    """For CLI commands and jobs: commit when the block ends normally, roll back on any
    exception (and let it go on)."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()


def init_app(app: Flask) -> None:
    """Call last in create_app: after_request functions run in reverse order, so this one runs
    first and the others (security headers) see the response it may replace."""

    @app.after_request
    def _end_transaction(response: Response) -> Response:
        if response.status_code >= 400 and not g.pop("keep_changes", False):
            rollback()
            return response
        try:
            commit()
        except Exception as error:  # a constraint or the database failed at commit time
            rollback()
            return app.make_response(app.handle_user_exception(error))
        return response
