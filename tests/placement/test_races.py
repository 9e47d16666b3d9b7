"""Races on PostgreSQL with real threads: a survey answered twice at once, and an
application moved by two clicks at once. Exactly one wins; the other gets a clean 409."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest

from app.auth.models import User, UserRole
from app.certificates.services.issuance import issue_certificate
from app.courses.models import CompetencyUnit, Course, CourseVersion, CourseVersionUnit, Enrollment
from app.db import utcnow
from app.errors import AppError
from app.extensions import db
from app.institutions.models import Institution
from app.placement.models.employers import Application, Company, Placement, Vacancy
from app.placement.models.survey import EmploymentSurvey
from app.placement.services import applications
from app.placement.services import survey as surveys
from tests.conftest import backend
from tests.races import failures, race

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if backend(app) != "postgresql":
        pytest.skip("thread races need PostgreSQL's row locks (SQLite serialises writers)")


def _user(email: str, role: str) -> User:
    user = User(email=email, full_name=email.split("@")[0], password_hash="x")
    user.role_rows = [UserRole(role=role)]
    db.session.add(user)
    db.session.flush()
    return user


def _graduate_with_certificate() -> tuple[User, Any]:
    institution = Institution(
        name="BLK Lomba", slug="blk-lomba", type="BLK", province="Jawa Barat", city="Bandung"
    )
    db.session.add(institution)
    db.session.flush()
    course = Course(institution_id=institution.id, code="RACE", status="published")
    version = CourseVersion(
        course=course, number=1, status="published", title="Lomba", sector="tik", hours=40
    )
    unit = CompetencyUnit(code="J.620100.901.01", title_id="Unit", title_en="Unit")
    version.unit_links.append(CourseVersionUnit(unit=unit, position=1))
    db.session.add(course)
    user = _user("lulus.race@contoh.id", "trainee")
    enrollment = Enrollment(
        user_id=user.id,
        course_id=course.id,
        course_version=version,
        status="completed",
        completed_at=utcnow(),
    )
    db.session.add(enrollment)
    db.session.flush()
    return user, issue_certificate(enrollment, with_pdf=False)


def test_a_survey_answered_by_eight_at_once_is_recorded_once(app, committed_db):
    with app.app_context():
        user, cert = _graduate_with_certificate()
        row = EmploymentSurvey(
            user_id=user.id,
            certificate_id=cert.id,
            wave_months=3,
            nonce=secrets.token_urlsafe(32),
            email=user.email,
            expires_at=utcnow() + timedelta(days=30),
        )
        db.session.add(row)
        db.session.commit()
        token = surveys.token_for(row)
    statuses = ["employed_formal", "self_employed"] * 4

    def answer(n: int) -> None:
        surveys.answer(token, status=statuses[n], relevance=3, months_to_job=n)

    errors = failures(race(app, 8, answer))
    assert len(errors) == 7
    assert all(isinstance(e, AppError) and e.status == 409 for e in errors)
    with app.app_context():
        answered = db.session.scalar(db.select(EmploymentSurvey))
        assert answered.answered_at is not None


def test_two_clicks_on_one_application_move_it_once(app, committed_db):
    with app.app_context():
        seeker, _cert = _graduate_with_certificate()
        owner = _user("hrd.race@contoh.id", "employer")
        company = Company(owner_id=owner.id, name="PT Lomba", verified_at=utcnow())
        db.session.add(company)
        db.session.flush()
        vacancy = Vacancy(
            company_id=company.id, title="Operator", closes_on=utcnow().date() + timedelta(days=9)
        )
        db.session.add(vacancy)
        db.session.flush()
        application = Application(vacancy_id=vacancy.id, user_id=seeker.id, status="interviewed")
        db.session.add(application)
        db.session.commit()
        ids = (owner.id, application.id)

    def hire(_n: int) -> None:
        actor = db.session.get(User, ids[0])
        applications.move(actor, db.session.get(Application, ids[1]), "hired")

    errors = failures(race(app, 2, hire))
    assert len(errors) == 1 and getattr(errors[0], "status", None) == 409
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Placement)) == 1


def test_applying_twice_at_once_makes_one_application(app, committed_db):
    with app.app_context():
        seeker, cert = _graduate_with_certificate()
        owner = _user("hrd2.race@contoh.id", "employer")
        company = Company(owner_id=owner.id, name="PT Ganda", verified_at=utcnow())
        db.session.add(company)
        db.session.flush()
        vacancy = Vacancy(
            company_id=company.id, title="Teknisi", closes_on=utcnow().date() + timedelta(days=9)
        )
        db.session.add(vacancy)
        db.session.commit()
        ids = (seeker.id, vacancy.id, cert.id)

    def apply(_n: int) -> None:
        user = db.session.get(User, ids[0])
        applications.apply(user, db.session.get(Vacancy, ids[1]), [ids[2]])

    errors = failures(race(app, 4, apply))
    assert len(errors) == 3 and all(getattr(e, "status", None) == 409 for e in errors)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1
