"""Real races for the tests that need them (PostgreSQL): threads released at once by a
barrier, each with its own app context, connection and transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from app.extensions import db
from app.transactions import transaction


def race(app: Flask, count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(n)` for n in 0..count-1 in as many threads at once, each in a request
    context of its own. Each thread's work is one transaction, committed when it returns and
    rolled back when it raises. Returns what each returned, or the exception it raised, in
    thread order."""

    def run(n: int) -> Any:
        with app.test_request_context():
            try:
                with transaction():
                    return work(n)
            finally:
                db.session.remove()

    return _released_together(count, run)


def race_requests(app: Flask, count: int, send: Callable[[int, Any], Any]) -> list[Any]:
    """Send `send(n, client)` from as many threads at once, each with a test client of its
    own and no context pushed (the request makes its own). Returns the responses in order."""
    return _released_together(count, lambda n: send(n, app.test_client()))


def _released_together(count: int, run: Callable[[int], Any], timeout: float = 120) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def go(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = run(n)
        except BaseException as error:  # handed to the test, which asserts on it
            results[n] = error

    threads = [threading.Thread(target=go, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def failures(results: list[Any]) -> list[BaseException]:
    return [result for result in results if isinstance(result, BaseException)]
