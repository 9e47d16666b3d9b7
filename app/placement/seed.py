"""Demo data for placement (idempotent): a verified employer with a vacancy the demo
graduate matches, a counselled job seeker, an overseas programme to Japan, and alumni with
certificates and survey answers enough to draw the outcome dashboards."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from app.assessments.seed import make_competent
from app.auth.models import User
from app.auth.services import create_user
from app.certificates.models import Certificate
from app.certificates.services.issuance import find_certificate, issue_certificate
from app.courses.models import CompetencyUnit, Course, CourseVersion, CourseVersionUnit, Enrollment
from app.db import utcnow
from app.extensions import db
from app.i18n import local_today
from app.institutions.models import Institution
from app.placement import verified
from app.placement.models.counselling import CounsellingSession
from app.placement.models.employers import Vacancy
from app.placement.models.overseas import OverseasProgramme
from app.placement.models.profile import JobSeekerProfile
from app.placement.models.survey import EmploymentSurvey
from app.placement.services import counselling, overseas, vacancies
from app.seed import SeedReport, find, find_user

PASSWORD = "kompeten-demo-2026"  # noqa: S105 - the printed demo password
GRADUATE, TRAINEE = "lulusan@demo.kompeten.id", "peserta@demo.kompeten.id"
VACANCY_TITLE = "Junior Web Developer"
PROGRAMME = "Pemagangan Jepang: Manufaktur dan TI"
# (email, name, institution slug, survey answers as (wave, status, months to first job))
ALUMNI = [
    ("alumni1@demo.kompeten.id", "Dedi Kurniawan", "bbpvp-bandung", [(3, "employed_formal", 2)]),
    (
        "alumni2@demo.kompeten.id",
        "Fitri Handayani",
        "bbpvp-bandung",
        [(3, "unemployed", None), (6, "employed_formal", 5)],
    ),
    ("alumni3@demo.kompeten.id", "Yusuf Hidayat", "bbpvp-bandung", [(3, "studying", None)]),
    ("alumni4@demo.kompeten.id", "Nur Aini", "blkk-al-ikhlas", [(3, "self_employed", 1)]),
    ("alumni5@demo.kompeten.id", "Imam Syafii", "blkk-al-ikhlas", [(3, "self_employed", 2)]),
    ("alumni6@demo.kompeten.id", "Laila Sari", "blkk-al-ikhlas", [(3, "employed_informal", 3)]),
]
SEWING_UNIT = ("C.141100.001.01", "Menjahit Pakaian dengan Mesin Jahit", "Sewing Garments")


def seed_placement(report: SeedReport) -> None:
    graduate = find_user(GRADUATE) or find_user(TRAINEE)
    officer, employer = (
        find_user("pengantar@demo.kompeten.id"),
        find_user("perusahaan@demo.kompeten.id"),
    )
    admin = find_user("admin@demo.kompeten.id")
    if not (graduate and officer and employer and admin):
        return
    units = sorted(verified.verified_units(graduate)) or _course_units("JWD")
    vacancy = _employer(employer, admin, units)
    _profiles(graduate)
    _counselled(officer, vacancy)
    _programme(officer)
    _alumni(report)
    report.lines.append(
        f"Placement: vacancy /placement/vacancies/{vacancy.id} matches {graduate.email}; "
        "caseload of pengantar@demo.kompeten.id; outcomes at /placement/dashboard"
    )


def _course_units(code: str) -> list[str]:
    course = db.session.scalar(select(Course).where(Course.code == code))
    version = course.published_version if course else None
    return [u.code for u in version.units] if version else []


def _employer(employer: User, admin: User, units: list[str]) -> Vacancy:
    company = vacancies.company_of(employer)
    if company is None:
        company = vacancies.save_company(
            employer,
            name="PT Maju Bersama",
            sector="tik",
            city="Bandung",
            province="Jawa Barat",
            description="Perusahaan perangkat lunak untuk UMKM.",
        )
    if not company.is_verified:
        vacancies.verify_company(admin, company)
    found = db.session.scalar(
        select(Vacancy).where(Vacancy.company_id == company.id, Vacancy.title == VACANCY_TITLE)
    )
    if found is not None:
        if found.closes_on < local_today():
            found.closes_on = local_today() + timedelta(days=60)
        return found
    return vacancies.create_vacancy(
        employer,
        company,
        title=VACANCY_TITLE,
        description="Membangun dan memelihara aplikasi web pelanggan.",
        city="Bandung",
        province="Jawa Barat",
        sector="tik",
        openings=3,
        closes_on=local_today() + timedelta(days=60),
        location_type="domestic",
        required_units=units[:3],
        preferred_units=units[3:4],
    )


def _profiles(graduate: User) -> None:
    if (
        db.session.scalar(select(JobSeekerProfile).where(JobSeekerProfile.user_id == graduate.id))
        is None
    ):
        db.session.add(
            JobSeekerProfile(
                user_id=graduate.id,
                education="SMK Rekayasa Perangkat Lunak",
                skills="HTML, CSS, Python",
                city="Bandung",
                province="Jawa Barat",
                desired_sectors=["tik"],
                languages={"en": "B1"},
                abroad_countries=[],
                consents={"name": True, "education": True, "skills": True, "location": True},
                open_to_offers=True,
            )
        )
        db.session.flush()


def _counselled(officer: User, vacancy: Vacancy) -> None:
    trainee = find_user(TRAINEE)
    if trainee is None or db.session.scalar(
        select(CounsellingSession.id).where(CounsellingSession.job_seeker_id == trainee.id)
    ):
        return
    counselling.record_session(
        officer,
        trainee,
        readiness="partly_ready",
        route="training_first",
        intake="Lulusan SMK, ingin bekerja sebagai pengembang web di Bandung.",
        target_units=vacancy.unit_codes("required"),
        follow_up_on=local_today() + timedelta(days=14),
    )


def _programme(officer: User) -> None:
    if db.session.scalar(select(OverseasProgramme.id).where(OverseasProgramme.name == PROGRAMME)):
        return
    jwd = db.session.scalar(select(Course.id).where(Course.code == "JWD"))
    overseas.create_programme(
        officer,
        name=PROGRAMME,
        country="JP",
        partner="IM Japan",
        description="Pemagangan tiga tahun di perusahaan Jepang; bahasa Jepang minimal N4.",
        language="ja",
        min_language_level="N4",
        min_hours=160,
        course_ids=[jwd] if jwd else [],
    )


def _sewing_version(institution: Institution) -> CourseVersion:
    course = db.session.scalar(
        select(Course).where(Course.institution_id == institution.id, Course.code == "JHT")
    )
    if course is not None:
        return course.published_version
    code, title_id, title_en = SEWING_UNIT
    unit = find(CompetencyUnit, code=code)
    unit = unit or CompetencyUnit(code=code, title_id=title_id, title_en=title_en)
    course = Course(institution_id=institution.id, code="JHT", status="published")
    version = CourseVersion(
        course=course,
        number=1,
        status="published",
        title="Menjahit Pakaian",
        sector="garmen",
        level=2,
        hours=120,
        published_at=utcnow(),
    )
    version.unit_links.append(CourseVersionUnit(unit=unit, position=1))
    db.session.add(course)
    db.session.flush()
    return version


def _alumni(report: SeedReport) -> None:
    for email, name, slug, answers in ALUMNI:
        institution = find(Institution, slug=slug)
        if institution is None:
            continue
        user = find_user(email) or create_user(
            email=email, password=PASSWORD, full_name=name, roles=["trainee"]
        )
        version = (
            _sewing_version(institution)
            if institution.type == "BLK_KOMUNITAS"
            else db.session.scalar(
                select(CourseVersion)
                .join(Course)
                .where(Course.code == "JWD", CourseVersion.status == "published")
            )
        )
        if version is None:
            continue
        enrollment = db.session.scalar(
            select(Enrollment).where(
                Enrollment.user_id == user.id, Enrollment.course_id == version.course_id
            )
        )
        if enrollment is None:
            enrollment = Enrollment(
                user_id=user.id,
                course_id=version.course_id,
                course_version_id=version.id,
                status="completed",
                activated_at=utcnow(),
                completed_at=utcnow(),
            )
            db.session.add(enrollment)
            db.session.flush()
        cert = find_certificate(enrollment)
        if cert is None:
            if enrollment.course.leads_to_competency:
                make_competent(user, enrollment)
            cert = issue_certificate(enrollment)
        for wave, status, months in answers:
            _answer(cert, user, version.course_id, wave, status, months)
    report.lines.append("Placement: 6 alumni with employment survey answers (dashboards)")


def _answer(
    cert: Certificate, user: User, course_id: int, wave: int, status: str, months: int | None
) -> None:
    exists = db.session.scalar(
        select(EmploymentSurvey.id).where(
            EmploymentSurvey.certificate_id == cert.id, EmploymentSurvey.wave_months == wave
        )
    )
    if exists:
        return
    now = utcnow()
    db.session.add(
        EmploymentSurvey(
            user_id=user.id,
            certificate_id=cert.id,
            institution_id=cert.institution_id,
            course_id=course_id,
            wave_months=wave,
            nonce=secrets.token_urlsafe(32),
            email=user.email,
            sent_at=now,
            expires_at=now + timedelta(days=30),
            answered_at=now,
            status=status,
            employer_name="Usaha sendiri" if status == "self_employed" else None,
            sector="tik" if status.startswith("employed") else None,
            relevance=4,
            months_to_job=months,
        )
    )
    db.session.flush()
