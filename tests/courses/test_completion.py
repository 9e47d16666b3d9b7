"""Completion: decided in one service over a registry of requirements, announced once.
Capacity and completion are safe against racing requests (threads, on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.courses.models import Cohort, Course, Enrollment, Lesson
from app.courses.services import enrolment, progress
from app.courses.services.completion import (
    evaluate_completion,
    register_requirement,
    unregister_requirement,
)
from app.courses.signals import course_completed
from app.extensions import db as _db
from tests.conftest import is_postgres
from tests.races import race


@pytest.fixture
def heard() -> Iterator[list[int]]:
    sent: list[int] = []

    def listener(sender, enrollment, **extra):
        sent.append(enrollment.id)

    course_completed.connect(listener)
    yield sent
    course_completed.disconnect(listener)


def _finish_lessons(app, user_id: int, enrollment_id: int, lesson_ids: list[int]):
    with app.test_request_context():
        record = _db.session.get(Enrollment, enrollment_id)
        user = _db.session.get(User, user_id)
        result = None
        for lesson_id in lesson_ids:
            result = progress.complete_lesson(user, record, _db.session.get(Lesson, lesson_id))
        _db.session.commit()
        return result


def test_a_registered_requirement_must_be_met_too(app, make_course, make_user, enrol, heard):
    built = make_course(modules=1, lessons=1)
    trainee = make_user("trainee")
    enrollment_id = enrol(trainee, built)
    passed = {"value": False}

    def exam_passed(enrollment):
        return passed["value"], {"exam": "pending" if not passed["value"] else "passed"}

    register_requirement("test-exam", exam_passed)
    try:
        result = _finish_lessons(app, trainee.id, enrollment_id, built.lesson_ids)
        assert result.complete is False
        assert result.details["lessons"][0] is True
        assert result.details["test-exam"] == (False, {"exam": "pending"})
        assert heard == []
        passed["value"] = True
        with app.app_context():
            result = evaluate_completion(_db.session.get(Enrollment, enrollment_id))
            _db.session.commit()
        assert result.newly_completed is True
        assert heard == [enrollment_id]
    finally:
        unregister_requirement("test-exam")


def test_completion_is_announced_once(app, make_course, make_user, enrol, heard):
    built = make_course(modules=1, lessons=1)
    trainee = make_user("trainee")
    enrollment_id = enrol(trainee, built)
    _finish_lessons(app, trainee.id, enrollment_id, built.lesson_ids)
    with app.app_context():
        record = _db.session.get(Enrollment, enrollment_id)
        assert evaluate_completion(record).newly_completed is False
        assert record.status == "completed"
    assert heard == [enrollment_id]


def test_the_conditional_update_refuses_a_second_completion(
    app, make_course, make_user, enrol, heard
):
    """Two evaluations that both saw the enrolment active: only the first UPDATE matches."""
    built = make_course(modules=1, lessons=1)
    trainee = make_user("trainee")
    enrollment_id = enrol(trainee, built)
    _finish_lessons(app, trainee.id, enrollment_id, built.lesson_ids)
    with app.app_context():
        stale = _db.session.get(Enrollment, enrollment_id)
        set_committed_value(stale, "status", "active")  # what a racing request saw
        set_committed_value(stale, "completed_at", None)
        result = evaluate_completion(stale)
        assert result.newly_completed is False
    assert heard == [enrollment_id]


def test_withdrawn_and_waiting_enrolments_do_not_complete(
    app, make_course, make_user, make_cohort, heard
):
    built = make_course(modules=1, lessons=1, self_paced=False)
    cohort_id = make_cohort(built.id, capacity=1)
    first, second = make_user("trainee"), make_user("trainee")
    with app.test_request_context():
        course = _db.session.get(Course, built.id)
        cohort = _db.session.get(Cohort, cohort_id)
        enrolment.enrol(_db.session.get(User, first.id), course, cohort)
        waiting = enrolment.enrol(_db.session.get(User, second.id), course, cohort)
        assert waiting.status == "waiting"
        assert evaluate_completion(waiting).complete is False
        with pytest.raises(Exception) as caught:
            progress.complete_lesson(
                _db.session.get(User, second.id),
                waiting,
                _db.session.get(Lesson, built.lesson_ids[0]),
            )
        assert getattr(caught.value, "status", None) == 409
    assert heard == []


def test_frozen_versions_refuse_every_change(app, make_course):
    from app.courses.services import outline
    from app.errors import Conflict

    built = make_course(modules=1, lessons=2)
    with app.test_request_context():
        user = _db.session.get(User, built.instructor.id)
        lesson = _db.session.get(Lesson, built.lesson_ids[0])
        module = lesson.module
        for change in (
            lambda: outline.update_lesson(user, lesson, title="x"),
            lambda: outline.delete_lesson(user, lesson),
            lambda: outline.add_lesson(user, module, title="x"),
            lambda: outline.update_module(user, module, "x"),
            lambda: outline.delete_module(user, module),
            lambda: outline.reorder_lessons(user, module, list(reversed(built.lesson_ids))),
            lambda: outline.move_lesson(user, lesson, 1),
        ):
            with pytest.raises(Conflict):
                change()
            _db.session.rollback()


# Races, with real threads and connections (PostgreSQL) -----------------------------------


def _committed_world(app, capacity: int, trainees: int):
    from datetime import date, timedelta

    from app.auth.models import UserRole
    from app.courses.models import CourseVersion, Module
    from app.institutions.models import Institution

    with app.app_context():
        home = Institution(
            name="BLK Balapan", slug="blk-balapan", type="BLK", province="Jawa Barat", city="Bogor"
        )
        course = Course(institution=home, code="RACE", status="published", self_paced=False)
        version = CourseVersion(number=1, status="published", title="Balapan", sector="tik")
        module = Module(key="m", position=1, title="M")
        module.lessons = [Lesson(version=version, key="l", position=1, title="L")]
        version.modules.append(module)
        course.versions.append(version)
        cohort = Cohort(
            course=course,
            name="A1",
            starts_on=date.today(),
            ends_on=date.today() + timedelta(days=9),
            capacity=capacity,
        )
        people = []
        for n in range(trainees):
            person = User(email=f"balap{n}@contoh.id", full_name=f"Peserta {n}", password_hash="x")
            person.role_rows = [UserRole(role="trainee")]
            people.append(person)
        _db.session.add_all([course, cohort, *people])
        _db.session.commit()
        return course.id, cohort.id, [p.id for p in people], module.lessons[0].id


@pytest.mark.postgres_only
def test_capacity_holds_when_trainees_enrol_at_once(app, committed_db):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: SQLite serialises writers anyway")
    course_id, cohort_id, user_ids, _lesson = _committed_world(app, capacity=3, trainees=8)

    def enrol_one(index: int) -> str:
        record = enrolment.enrol(
            _db.session.get(User, user_ids[index]),
            _db.session.get(Course, course_id),
            _db.session.get(Cohort, cohort_id),
        )
        return record.status

    results = race(app, len(user_ids), enrol_one)
    assert sorted(results) == ["active"] * 3 + ["waiting"] * 5, results
    with app.app_context():
        assert _db.session.get(Cohort, cohort_id).seats_taken == 3


@pytest.mark.postgres_only
def test_a_double_click_enrols_once_and_completes_once(app, committed_db):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: SQLite serialises writers anyway")
    course_id, cohort_id, user_ids, lesson_id = _committed_world(app, capacity=5, trainees=1)
    sent: list[int] = []

    def listener(sender, enrollment, **extra):
        sent.append(enrollment.id)

    def enrol_same(index: int) -> str:
        record = enrolment.enrol(
            _db.session.get(User, user_ids[0]),
            _db.session.get(Course, course_id),
            _db.session.get(Cohort, cohort_id),
        )
        return record.status

    results = [r if isinstance(r, str) else type(r).__name__ for r in race(app, 4, enrol_same)]
    assert sorted(results).count("active") == 1 and results.count("Conflict") == 3, results
    with app.app_context():
        assert _db.session.get(Cohort, cohort_id).seats_taken == 1
        enrollment_id = _db.session.scalar(select(Enrollment.id))

    def complete(index: int) -> bool:
        result = progress.complete_lesson(
            _db.session.get(User, user_ids[0]),
            _db.session.get(Enrollment, enrollment_id),
            _db.session.get(Lesson, lesson_id),
        )
        return result.newly_completed

    course_completed.connect(listener)
    try:
        results = race(app, 4, complete)
    finally:
        course_completed.disconnect(listener)
    assert results.count(True) == 1, results
    assert sent == [enrollment_id]
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
