"""Certificates test helpers: a course with SKKNI units and completed enrolments."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from app.auth.models import User
from app.certificates.models import Certificate
from app.courses.models import (
    Cohort,
    CompetencyUnit,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Enrollment,
)
from app.db import utcnow
from app.extensions import db as _db
from app.extensions import limiter
from app.institutions.models import Institution

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """Rate limits start afresh for tests that use the app; pure tests (signatures, status
    lists) never build it."""
    if "app" in request.fixturenames:
        app: Flask = request.getfixturevalue("app")
        with app.app_context():
            limiter.reset()
    yield


_RSA: list[Any] = []


@pytest.fixture(autouse=True)
def _one_rsa_key_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Institutions made by tests share one RSA-3072 key (generating one costs up to 2 s);
    each still gets its own self-signed certificate."""
    from app.certificates.crypto import keys as keycrypto

    original = keycrypto.generate_document_signing_certificate
    if not _RSA:
        _RSA.append(original("cache").key)

    def generate(name: str, now: Any = None, key: Any = None) -> Any:
        return original(name, now, key or _RSA[0])

    monkeypatch.setattr(keycrypto, "generate_document_signing_certificate", generate)


def build_course(institution_id: int, units: int = 3, validity_months: int = 36) -> int:
    """A published course version with `units` competency units; returns the version id."""
    n = next(_seq)
    course = Course(institution_id=institution_id, code=f"JWD{n}", status="published")
    version = CourseVersion(
        course=course,
        number=1,
        status="published",
        title=f"Junior Web Developer {n}",
        sector="tik",
        level=2,
        hours=120,
        validity_months=validity_months,
        published_at=utcnow(),
    )
    for position in range(1, units + 1):
        unit = CompetencyUnit(
            code=f"J.620100.{n:03d}.{position:02d}",
            title_id=f"Menulis Kode {n}.{position}",
            title_en=f"Writing Code {n}.{position}",
        )
        version.unit_links.append(CourseVersionUnit(unit=unit, position=position))
    _db.session.add(course)
    _db.session.flush()
    return version.id


def complete(user_id: int, version_id: int, cohort_id: int | None = None) -> int:
    version = _db.session.get(CourseVersion, version_id)
    now = utcnow()
    enrollment = Enrollment(
        user_id=user_id,
        course_id=version.course_id,
        course_version_id=version.id,
        cohort_id=cohort_id,
        status="completed",
        activated_at=now,
        completed_at=now,
    )
    _db.session.add(enrollment)
    _db.session.flush()
    return enrollment.id


def make_cohort(course_id: int) -> int:
    today = utcnow().date()
    cohort = Cohort(
        course_id=course_id, name=f"Angkatan {next(_seq)}", starts_on=today, ends_on=today
    )
    _db.session.add(cohort)
    _db.session.flush()
    return cohort.id


@pytest.fixture
def completed(
    app: Flask,
    db: Any,
    make_institution: Callable[..., Institution],
    make_user: Callable[..., User],
) -> Callable[..., int]:
    """completed(institution=None, user=None, version_id=None) -> a completed enrolment id."""

    def make(
        institution: Institution | None = None,
        user: User | None = None,
        version_id: int | None = None,
        **user_fields: Any,
    ) -> int:
        institution = institution or make_institution()
        user = user or make_user("trainee", **user_fields)
        with app.app_context():
            version_id = version_id or build_course(institution.id)
            enrollment_id = complete(user.id, version_id)
            _db.session.commit()
        return enrollment_id

    return make


def issue(app: Flask, enrollment_id: int, with_pdf: bool = True, **kwargs: Any) -> Certificate:
    """Issue and commit in its own app context; returns the (detached) certificate."""
    from app.certificates.services.issuance import issue_certificate

    with app.app_context():
        cert = issue_certificate(
            _db.session.get(Enrollment, enrollment_id), with_pdf=with_pdf, **kwargs
        )
        _db.session.commit()
        _ = cert.credential_key, cert.institution, cert.snapshot
        return cert


def fetch(app: Flask, cert_id: int) -> Certificate:
    with app.app_context():
        cert = _db.session.get(Certificate, cert_id)
        _ = cert.credential_key, cert.institution, cert.superseded_by
        return cert
