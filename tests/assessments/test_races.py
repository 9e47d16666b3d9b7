"""Races on PostgreSQL with real threads and connections: two starts, two submits and
concurrent saves never make a second attempt, a second grade or a lost newer answer, and
two banks of one name are never made."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.assessments.models import Answer, Assessment, Attempt, QuestionBank
from app.assessments.services import attempts as svc
from app.assessments.services import banks
from app.auth.models import User, UserRole
from app.courses.models import Course
from app.errors import Conflict
from app.extensions import db
from app.institutions.models import Institution
from tests.assessments.conftest import build_world, save_as_learner
from tests.conftest import backend
from tests.races import race

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


def test_concurrent_starts_make_one_attempt(app, pg_world):
    def start(_n: int):
        user = db.session.get(User, pg_world.trainee.id)
        attempt, _created = svc.start_attempt(user, db.session.get(Assessment, pg_world.exam_id))
        return attempt.id

    results = race(app, THREADS, start)
    assert len(set(results)) == 1, results
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_double_submit_grades_once(app, pg_world):
    with app.app_context():
        user = db.session.get(User, pg_world.trainee.id)
        attempt, _ = svc.start_attempt(user, db.session.get(Assessment, pg_world.exam_id))
        db.session.commit()
        attempt_id = attempt.id

    def submit(_n: int):
        user = db.session.get(User, pg_world.trainee.id)
        return svc.submit_attempt(user, attempt_id)[1]

    results = race(app, THREADS, submit)
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

    def save(_n: int):
        with lock:
            seq = next(counter)
        user = db.session.get(User, pg_world.trainee.id)
        value = "a" if seq == THREADS else "b"
        return save_as_learner(user, attempt_id, qid, value, seq)[0].seq

    results = race(app, THREADS, save)
    assert all(isinstance(r, int) for r in results), results
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.question_id == qid))
        assert (answer.seq, answer.value) == (THREADS, "a")


def test_concurrent_banks_of_one_name_make_one(app, pg_world):
    def create(_n: int):
        user = db.session.get(User, pg_world.instructor.id)
        return banks.create_bank(user, db.session.get(Course, pg_world.course_id), "Bank Juni").id

    results = race(app, THREADS, create)
    assert sorted(map(type, results), key=str) == [Conflict] * (THREADS - 1) + [int], results
    with app.app_context():
        named = select(func.count()).where(QuestionBank.name == "Bank Juni")
        assert db.session.scalar(named) == 1
