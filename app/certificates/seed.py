"""Demo data: the demo graduate's certificate, and its verification URL every time."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.certificates.services.issuance import find_certificate, issue_certificate
from app.certificates.services.pdfstore import attach_pdf
from app.courses.models import CompetencyUnit, Course, CourseVersion, CourseVersionUnit, Enrollment
from app.db import utcnow
from app.extensions import db
from app.institutions.models import Institution
from app.seed import SeedReport, find, find_user

GRADUATE = "lulusan@demo.kompeten.id"
FALLBACK = "peserta@demo.kompeten.id"


def _completed(user: User) -> Enrollment | None:
    return db.session.scalar(
        select(Enrollment)
        .where(Enrollment.user_id == user.id, Enrollment.status == "completed")
        .order_by(Enrollment.id)
        .limit(1)
    )


def _complete_an_enrollment(user: User) -> Enrollment | None:
    """For the fallback trainee: complete an enrolment in a published course."""
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.withdrawn_at.is_(None))
    )
    if enrollment is None:
        version = db.session.scalar(
            select(CourseVersion)
            .join(Course, Course.id == CourseVersion.course_id)
            .where(CourseVersion.status == "published")
            .order_by(CourseVersion.id)
            .limit(1)
        )
        if version is None:
            version = _demo_course_version()
        enrollment = Enrollment(
            user_id=user.id, course_id=version.course_id, course_version_id=version.id
        )
        db.session.add(enrollment)
    now = utcnow()
    enrollment.status = "completed"
    enrollment.activated_at = enrollment.activated_at or now
    enrollment.completed_at = now
    db.session.flush()
    return enrollment


def _demo_course_version() -> CourseVersion:
    """A small published course, only when no other feature seeded one."""

    institution = db.session.scalar(select(Institution).order_by(Institution.id).limit(1))
    course = Course(institution_id=institution.id, code="JWD-DEMO", status="published")
    version = CourseVersion(
        course=course,
        number=1,
        status="published",
        title="Junior Web Developer",
        sector="tik",
        level=2,
        hours=120,
        validity_months=36,
        published_at=utcnow(),
    )
    for position, (code, title_id, title_en) in enumerate(DEMO_UNITS, start=1):
        unit = find(CompetencyUnit, code=code)
        unit = unit or CompetencyUnit(code=code, title_id=title_id, title_en=title_en)
        version.unit_links.append(CourseVersionUnit(unit=unit, position=position))
    db.session.add(course)
    db.session.flush()
    return version


DEMO_UNITS = [
    ("J.620100.004.02", "Menggunakan Struktur Data", "Using Data Structures"),
    ("J.620100.009.01", "Menggunakan Spesifikasi Program", "Using Program Specifications"),
    (
        "J.620100.016.01",
        "Menulis Kode dengan Prinsip Sesuai Guidelines dan Best Practices",
        "Writing Code Following Guidelines and Best Practices",
    ),
]


def seed_certificates(report: SeedReport) -> None:
    graduate = find_user(GRADUATE)
    enrollment = _completed(graduate) if graduate else None
    if enrollment is None:
        fallback = find_user(FALLBACK)
        if fallback is None:
            return
        enrollment = _completed(fallback) or _complete_an_enrollment(fallback)
    if enrollment is None:
        report.lines.append("Demo certificate: none (no published course to certify)")
        return
    cert = find_certificate(enrollment) or issue_certificate(enrollment)
    if cert.state != "issued":
        attach_pdf(cert)
    base = current_app.config["BASE_URL"].rstrip("/")
    report.lines.append(f"Demo certificate: {base}/v/{cert.code}")
