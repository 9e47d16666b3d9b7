"""Cohort names are unique within a course: renaming a cohort to a name another cohort has
is a clear 409 (API) or a form message (page) and changes nothing, also when two requests
race for the name (PostgreSQL, real threads)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User, UserRole
from app.courses.models import Cohort, Course
from app.courses.services import enrolment
from app.errors import Conflict
from app.extensions import db
from app.institutions.models import Institution
from tests.conftest import backend
from tests.races import race

THREADS = 6


def _name(app, cohort_id: int) -> str:
    with app.app_context():
        return db.session.get(Cohort, cohort_id).name


def test_renaming_to_a_taken_name_is_a_conflict(app, client, make_course, make_cohort, token_for):
    built = make_course(self_paced=False)
    make_cohort(built.id, name="Angkatan 1")
    second = make_cohort(built.id, name="Angkatan 2")
    url = f"/api/v1/courses/{built.id}/cohorts/{second}"
    headers = token_for(built.instructor)

    response = client.patch(url, json={"name": "Angkatan 1", "capacity": 5}, headers=headers)

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["details"] == {"name": ["taken"]}
    assert error["message"] == "Kursus ini sudah memiliki angkatan dengan nama tersebut."
    with app.app_context():
        cohort = db.session.get(Cohort, second)
        assert (cohort.name, cohort.capacity) == ("Angkatan 2", None)
    same = client.patch(url, json={"name": "Angkatan 2", "capacity": 5}, headers=headers)
    assert same.status_code == 200, same.get_json()  # keeping its own name is no conflict


def test_the_cohort_form_says_the_name_is_taken(app, client_as, make_course, make_cohort):
    built = make_course(self_paced=False)
    make_cohort(built.id, name="Angkatan 1")
    second = make_cohort(built.id, name="Angkatan 2")
    author = client_as(user=built.instructor)
    today = date.today()
    response = author.post(
        f"/courses/{built.id}/cohorts/{second}/edit",
        data={
            "name": "Angkatan 1",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "enrolment_open": "y",
        },
    )
    assert response.status_code == 409
    assert "Kursus ini sudah memiliki angkatan dengan nama tersebut." in response.get_data(
        as_text=True
    )
    assert _name(app, second) == "Angkatan 2"


@pytest.fixture
def committed_course(app, committed_db):
    """A course, its instructor and THREADS cohorts, really committed, for threads."""
    if backend(app) != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises writers)")
    with app.app_context():
        institution = Institution(
            name="BLK Balapan",
            slug="balapan",
            type="BLK",
            province="Jawa Barat",
            city="Bandung",
            number_prefix="BALAP",
        )
        db.session.add(institution)
        db.session.flush()
        instructor = User(
            email="balapan@contoh.id",
            full_name="Instruktur",
            password_hash="x",
            institution_id=institution.id,
        )
        instructor.role_rows = [UserRole(role="instructor")]
        course = Course(institution_id=institution.id, code="RACE", status="draft")
        course.instructors = [instructor]
        today = date.today()
        cohorts = [
            Cohort(course=course, name=f"Awal {n}", starts_on=today, ends_on=today)
            for n in range(THREADS)
        ]
        db.session.add_all([course, *cohorts])
        db.session.commit()
        return course.id, instructor.id, [c.id for c in cohorts]


def test_racing_renames_give_one_cohort_the_name(app, committed_course):
    course_id, user_id, cohort_ids = committed_course

    def rename(n: int) -> str:
        user, course = db.session.get(User, user_id), db.session.get(Course, course_id)
        cohort = enrolment.get_cohort(course, cohort_ids[n])
        return enrolment.update_cohort(user, cohort, name="Angkatan Juni").name

    results = race(app, THREADS, rename)
    assert sorted(map(type, results), key=str) == [Conflict] * (THREADS - 1) + [str], results
    with app.app_context():
        taken = select(func.count()).where(Cohort.name == "Angkatan Juni")
        assert db.session.scalar(taken) == 1


def test_racing_creations_make_one_cohort(app, committed_course):
    course_id, user_id, _cohorts = committed_course
    today = date.today()

    def create(n: int) -> int:
        user, course = db.session.get(User, user_id), db.session.get(Course, course_id)
        return enrolment.create_cohort(
            user, course, name="Angkatan Juli", starts_on=today, ends_on=today
        ).id

    results = race(app, THREADS, create)
    assert sorted(map(type, results), key=str) == [Conflict] * (THREADS - 1) + [int], results
    with app.app_context():
        taken = select(func.count()).where(Cohort.name == "Angkatan Juli")
        assert db.session.scalar(taken) == 1
