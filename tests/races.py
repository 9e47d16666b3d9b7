"""Real races for the tests that need them (PostgreSQL): threads released at once by a
barrier, each with its own app context, connection and transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from app.extensions import db
from app.transactions import transaction


def race(app: Flask, count: int, work: Callable[[int], Any], timeout: float = 120) -> list[Any]:
    """Run `work(n)` for n in 0..count-1 in as many threads at once. Each thread's work is
    one transaction, committed when it returns and rolled back when it raises. Returns what
    each returned, or the exception it raised, in thread order."""
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                with transaction():
                    results[n] = work(n)
            except BaseException as error:  # handed to the test, which asserts on it
                results[n] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def failures(results: list[Any]) -> list[BaseException]:
    return [result for result in results if isinstance(result, BaseException)]
