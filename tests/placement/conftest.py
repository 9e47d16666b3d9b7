"""Placement fixtures: units, published courses, enrolments, certificate rows, companies and
vacancies. Certificate rows are written straight through the certificates package's model
(no signing: placement reads only their status, units and dates)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import mail
from app.auth.models import User
from app.certificates.models import Certificate
from app.courses.models import CompetencyUnit, Course, CourseVersion, CourseVersionUnit, Enrollment
from app.db import utcnow
from app.extensions import db
from app.i18n import local_today
from app.institutions.models import Institution
from app.placement.models.employers import Company, Vacancy, VacancyUnit
from app.placement.models.profile import JobSeekerProfile

_serial = itertools.count(1)


class Factory:
    def __init__(self, app: Flask, make_user: Callable, make_institution: Callable) -> None:
        self.app = app
        self.make_user = make_user
        self.make_institution = make_institution

    def _save(self, *rows: Any) -> None:
        with self.app.app_context():
            for row in rows:
                db.session.add(row)
            db.session.commit()

    def unit(self, code: str) -> CompetencyUnit:
        with self.app.app_context():
            found = db.session.scalar(select(CompetencyUnit).where(CompetencyUnit.code == code))
            if found is None:
                found = CompetencyUnit(code=code, title_id=f"Unit {code}", title_en=f"Unit {code}")
                db.session.add(found)
                db.session.commit()
            return found

    def course(
        self,
        institution: Institution | None = None,
        units: tuple[str, ...] = (),
        *,
        code: str | None = None,
        sector: str = "tik",
        hours: int = 40,
        title: str | None = None,
    ) -> Course:
        institution = institution or self.make_institution()
        unit_rows = [self.unit(c) for c in units]
        n = next(_serial)
        with self.app.app_context():
            course = Course(institution_id=institution.id, code=code or f"C{n}", status="published")
            db.session.add(course)
            db.session.flush()
            version = CourseVersion(
                course_id=course.id,
                number=1,
                status="published",
                title=title or f"Kursus {n}",
                sector=sector,
                level=2,
                hours=hours,
                published_at=utcnow(),
            )
            db.session.add(version)
            db.session.flush()
            for position, unit in enumerate(unit_rows):
                db.session.add(
                    CourseVersionUnit(version_id=version.id, unit_id=unit.id, position=position)
                )
            db.session.commit()
            _ = course.published_version
            return course

    def version_id(self, course: Course) -> int:
        with self.app.app_context():
            return db.session.scalar(
                select(CourseVersion.id).where(CourseVersion.course_id == course.id)
            )

    def enrol(self, user: User, course: Course, status: str = "completed") -> Enrollment:
        enrollment = Enrollment(
            user_id=user.id,
            course_id=course.id,
            course_version_id=self.version_id(course),
            status=status,
            completed_at=utcnow() if status == "completed" else None,
        )
        self._save(enrollment)
        return enrollment

    def certificate(
        self,
        user: User,
        course: Course,
        *,
        units: tuple[str, ...] | None = None,
        issued_at: datetime | None = None,
        valid_until: datetime | None = None,
        revoked: bool = False,
        suspended: bool = False,
    ) -> Certificate:
        """A certificate issued by the certificates package itself (no PDF), then dated
        and flagged as the test needs."""
        from app.certificates.services.issuance import issue_certificate

        enrollment = self.enrol(user, course)
        with self.app.app_context():
            certificate = issue_certificate(
                db.session.get(Enrollment, enrollment.id), with_pdf=False
            )
            if units is not None:
                certificate.snapshot = {
                    **certificate.snapshot,
                    "units": [{"code": code} for code in units],
                }
            if issued_at is not None:
                certificate.issued_at = certificate.valid_from = issued_at
                certificate.valid_until = issued_at + timedelta(days=3 * 365)
            if valid_until is not None:
                certificate.valid_until = valid_until
            certificate.revoked_at = utcnow() if revoked else None
            certificate.suspended_at = utcnow() if suspended else None
            db.session.commit()
            _ = certificate.unit_codes
            return certificate

    def company(self, owner: User | None = None, verified: bool = True, **fields: Any) -> Company:
        owner = owner or self.make_user("employer")
        company = Company(
            owner_id=owner.id,
            name=fields.pop("name", "PT Contoh"),
            verified_at=utcnow() if verified else None,
            **fields,
        )
        self._save(company)
        company.owner = owner
        return company

    def vacancy(
        self,
        company: Company,
        required: tuple[str, ...] = (),
        preferred: tuple[str, ...] = (),
        **fields: Any,
    ) -> Vacancy:
        links = [VacancyUnit(unit_id=self.unit(c).id, kind="required") for c in required] + [
            VacancyUnit(unit_id=self.unit(c).id, kind="preferred") for c in preferred
        ]
        vacancy = Vacancy(
            company_id=company.id,
            title=fields.pop("title", "Operator"),
            closes_on=fields.pop("closes_on", local_today_safe(self.app) + timedelta(days=30)),
            openings=fields.pop("openings", 2),
            **fields,
        )
        vacancy.unit_links = links
        self._save(vacancy)
        return vacancy

    def profile(self, user: User, **fields: Any) -> JobSeekerProfile:
        profile = JobSeekerProfile(
            user_id=user.id,
            consents=fields.pop("consents", {}),
            languages=fields.pop("languages", {}),
            desired_sectors=fields.pop("desired_sectors", []),
            abroad_countries=fields.pop("abroad_countries", []),
            **fields,
        )
        self._save(profile)
        return profile


def local_today_safe(app: Flask):
    with app.app_context():
        return local_today()


@pytest.fixture
def pf(app: Flask, db: Any, make_user: Callable, make_institution: Callable) -> Factory:
    return Factory(app, make_user, make_institution)


@pytest.fixture
def outbox(app: Flask) -> Iterator[list[mail.Mail]]:
    with app.app_context():
        box = mail.outbox()
        box.clear()
    yield box
    box.clear()
