"""Races on PostgreSQL with real threads and connections: two starts, two submits and
concurrent saves never make a second attempt, a second grade or a lost newer answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from app.assessments import attempts as svc
from app.assessments.models import Answer, Assessment, Attempt
from app.auth.models import User, UserRole
from app.extensions import db
from app.institutions.models import Institution
from tests.assessments.conftest import build_world, save_as_learner
from tests.conftest import backend

THREADS = 6


def _committed_factories(app):
    """make_institution / make_user that commit for real (the shared ones use `db`)."""
    counter = iter(range(1, 1000))

    def make_institution():
        n = next(counter)
        with app.app_context():
            institution = Institution(
                name=f"BLK {n}",
                slug=f"race-{n}",
                type="BLK",
                province="Jawa Barat",
                city="Bandung",
                number_prefix=f"RACE{n}",
            )
            db.session.add(institution)
            db.session.commit()
            return institution

    def make_user(*roles, institution=None, **fields):
        n = next(counter)
        with app.app_context():
            user = User(
                email=f"race{n}@contoh.id",
                full_name=fields.get("full_name", "Uji"),
                password_hash="x",
                institution_id=institution.id if institution else None,
            )
            user.role_rows = [UserRole(role=r) for r in roles]
            db.session.add(user)
            db.session.commit()
            _ = user.roles
            return user

    return make_user, make_institution


@pytest.fixture
def pg_world(app, committed_db):
    if backend(app) != "postgresql":
        pytest.skip(
            "row locks and concurrent transactions need PostgreSQL (SQLite serialises writers)"
        )
    make_user, make_institution = _committed_factories(app)
    return build_world(app, make_user, make_institution)


def _race(app, work: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                results.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_starts_make_one_attempt(app, pg_world):
    def start():
        user = db.session.get(User, pg_world.trainee.id)
        attempt, _created = svc.start_attempt(user, db.session.get(Assessment, pg_world.exam_id))
        return attempt.id

    results = _race(app, start)
    assert len(set(results)) == 1, results
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_double_submit_grades_once(app, pg_world):
    with app.app_context():
        user = db.session.get(User, pg_world.trainee.id)
        attempt, _ = svc.start_attempt(user, db.session.get(Assessment, pg_world.exam_id))
        db.session.commit()
        attempt_id = attempt.id

    def submit():
        user = db.session.get(User, pg_world.trainee.id)
        return svc.submit_attempt(user, attempt_id)[1]

    results = _race(app, submit)
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Answer))
        assert rows == len(pg_world.question_ids)  # graded once: one row per question


def test_concurrent_saves_keep_the_newest(app, pg_world):
    with app.app_context():
        user = db.session.get(User, pg_world.trainee.id)
        attempt, _ = svc.start_attempt(user, db.session.get(Assessment, pg_world.exam_id))
        db.session.commit()
        attempt_id = attempt.id
    qid = pg_world.question_ids[0]
    counter = iter(range(1, THREADS + 1))
    lock = threading.Lock()

    def save():
        with lock:
            seq = next(counter)
        user = db.session.get(User, pg_world.trainee.id)
        value = "a" if seq == THREADS else "b"
        return save_as_learner(user, attempt_id, qid, value, seq)[0].seq

    results = _race(app, save)
    assert all(isinstance(r, int) for r in results), results
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.question_id == qid))
        assert (answer.seq, answer.value) == (THREADS, "a")
