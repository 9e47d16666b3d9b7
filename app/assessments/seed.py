"""Demo data (idempotent): for the demo course, a question bank, a theory exam and a
practical assessment; the demo trainee enrolled to sit the exam; and a graduate, Andi
Pratama, who studied every lesson, passed the theory exam and was judged K on every unit by
the demo assessor, so that his course completes (the certificates feature then issues his
certificate)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.assessments.models import Assessment, AssessorAssignment, Question, QuestionBank
from app.assessments.questions import registry
from app.assessments.services import attempts, practical, results
from app.assessments.services.practical import JAKARTA
from app.auth.models import User
from app.auth.services import create_user
from app.courses.models import (
    CompetencyUnit,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Enrollment,
    Lesson,
    LessonProgress,
)
from app.db import utcnow
from app.extensions import db
from app.seed import DEMO_PASSWORD, SeedReport, find, find_user, institution

GRADUATE = ("lulusan@demo.kompeten.id", "Andi Pratama")
TRAINEE = "peserta@demo.kompeten.id"
ASSESSOR = "asesor@demo.kompeten.id"
INSTITUTION = "bbpvp-bandung"
FALLBACK_UNITS = [
    ("J.620100.004.02", "Menggunakan Struktur Data", "Using Data Structures"),
    ("J.620100.009.01", "Menggunakan Spesifikasi Program", "Using Program Specifications"),
]
QUESTIONS: list[tuple[str, str, dict[str, Any], Any]] = [
    (
        "single_choice",
        "Struktur data antrian",
        {
            "stem": "Struktur data yang bekerja dengan prinsip **FIFO** adalah...",
            "choices": [
                {
                    "id": "stack",
                    "text": "Stack (tumpukan)",
                    "correct": False,
                    "feedback": "Stack bekerja LIFO.",
                },
                {"id": "tree", "text": "Tree (pohon)", "correct": False},
                {"id": "queue", "text": "Queue (antrian)", "correct": True, "feedback": "Benar."},
            ],
        },
        "queue",
    ),
    (
        "true_false",
        "Indeks larik",
        {"stem": "Indeks larik (array) di Python dimulai dari 0.", "correct": True},
        True,
    ),
    (
        "multiple_response",
        "Dokumen spesifikasi",
        {
            "stem": "Mana yang termasuk isi spesifikasi program?",
            "choices": [
                {"id": "casing", "text": "Warna casing komputer", "correct": False},
                {"id": "io", "text": "Masukan dan keluaran", "correct": True},
                {"id": "functional", "text": "Kebutuhan fungsional", "correct": True},
            ],
        },
        ["io", "functional"],
    ),
    (
        "short_answer",
        "Notasi algoritma",
        {
            "stem": "Sebutkan notasi algoritma berbentuk bagan alir (satu kata, bahasa Inggris).",
            "accepted": [{"text": "flowchart"}],
        },
        "flowchart",
    ),
]


def demo_version() -> CourseVersion:
    """The demo course's published version (the courses seed makes it; without one, a
    small course is made here so that the demo still works)."""
    home = institution(INSTITUTION)
    version = db.session.scalar(
        select(CourseVersion)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(Course.institution_id == home.id, CourseVersion.status == "published")
        .order_by(CourseVersion.id)
        .limit(1)
    )
    if version is not None:
        return version
    course = Course(institution_id=home.id, code="JWD-DEMO", status="published")
    version = CourseVersion(
        course=course,
        number=1,
        status="published",
        title="Junior Web Developer",
        sector="tik",
        level=2,
        hours=120,
        published_at=utcnow(),
    )
    for position, (code, title_id, title_en) in enumerate(FALLBACK_UNITS, start=1):
        unit = find(CompetencyUnit, code=code) or CompetencyUnit(
            code=code, title_id=title_id, title_en=title_en
        )
        version.unit_links.append(CourseVersionUnit(unit=unit, position=position))
    db.session.add(course)
    db.session.flush()
    return version


def _bank(version: CourseVersion) -> QuestionBank:
    bank = db.session.scalar(
        select(QuestionBank).where(QuestionBank.course_id == version.course_id)
    )
    if bank is not None:
        return bank
    bank = QuestionBank(course_id=version.course_id, name="Bank soal ujian teori")
    db.session.add(bank)
    units = version.units
    for index, (type_key, name, definition, _answer) in enumerate(QUESTIONS):
        clean = registry.get(type_key).validate_definition(definition)
        bank.questions.append(
            Question(
                type_key=type_key, name=name, definition=clean, units=[units[index % len(units)]]
            )
        )
    db.session.flush()
    return bank


def _assessments(version: CourseVersion, bank: QuestionBank) -> tuple[Assessment, Assessment]:
    found = {
        a.kind: a
        for a in db.session.scalars(
            select(Assessment).where(Assessment.course_id == version.course_id)
        )
    }
    theory = found.get("theory") or Assessment(
        course_id=version.course_id,
        bank_id=bank.id,
        title="Ujian Teori",
        kind="theory",
        published=True,
        pass_mark=70,
        time_limit_minutes=30,
        max_attempts=3,
        review_marks="after_submit",
        review_answers="after_submit",
        review_feedback="after_submit",
    )
    db.session.add(theory)
    db.session.flush()
    practical_test = found.get("practical") or Assessment(
        course_id=version.course_id,
        title="Uji Praktik",
        kind="practical",
        published=True,
        requires_id=theory.id,
    )
    db.session.add(practical_test)
    db.session.flush()
    assessor = find_user(ASSESSOR)
    if assessor and not db.session.scalar(
        select(AssessorAssignment.id).where(AssessorAssignment.assessment_id == practical_test.id)
    ):
        db.session.add(AssessorAssignment(assessment_id=practical_test.id, assessor_id=assessor.id))
        db.session.flush()
    return theory, practical_test


def _enrol(user: User, version: CourseVersion) -> Enrollment:
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user.id,
            Enrollment.course_id == version.course_id,
            Enrollment.withdrawn_at.is_(None),
        )
    )
    if enrollment is None:
        enrollment = Enrollment(
            user_id=user.id,
            course_id=version.course_id,
            course_version_id=version.id,
            status="active",
            activated_at=utcnow(),
        )
        db.session.add(enrollment)
        db.session.flush()
    return enrollment


def _graduate(
    report: SeedReport, version: CourseVersion, theory: Assessment, practical_test: Assessment
) -> None:
    email, name = GRADUATE
    user = find_user(email) or create_user(
        email=email, password=DEMO_PASSWORD, full_name=name, roles=["trainee"]
    )
    if ("trainee", email, DEMO_PASSWORD) not in report.accounts:
        report.accounts.append(("trainee", email, DEMO_PASSWORD))
    enrollment = _enrol(user, version)
    if enrollment.status == "completed":
        return
    done = set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(LessonProgress.enrollment_id == enrollment.id)
        )
    )
    for lesson in db.session.scalars(select(Lesson).where(Lesson.version_id == version.id)):
        if lesson.id not in done:
            db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=lesson.id))
    db.session.flush()
    pass_assessments(user, enrollment, theory, practical_test)


def make_competent(user: User, enrollment: Enrollment) -> None:
    """`user` passes the assessments this step made for the enrolment's course (the alumni
    the placement step adds hold competency certificates too)."""
    found = {
        a.kind: a
        for a in db.session.scalars(
            select(Assessment).where(Assessment.course_id == enrollment.course_id)
        )
    }
    pass_assessments(user, enrollment, found["theory"], found["practical"])


def pass_assessments(
    user: User, enrollment: Enrollment, theory: Assessment, practical_test: Assessment
) -> None:
    """`user` passes the demo exam and has every unit of the demo practical judged K (what is
    done already is left as it is)."""
    if not results.passed(theory, user.id):
        attempt, _created = attempts.start_attempt(user, theory)
        answers = {name: answer for _t, name, _d, answer in QUESTIONS}
        for question, _saved in attempts.questions_for_display(attempt):
            shown = attempts.shown_answer(attempt, question, answers[question.name])
            attempts.save_answer(user, attempt.id, question.id, shown, 1)
        attempts.submit_attempt(user, attempt.id)
    assessor = find_user(ASSESSOR)
    for code, judgement in results.unit_status(practical_test, enrollment).items():
        if judgement is None or judgement.result != "K":
            unit = find(CompetencyUnit, code=code)
            practical.record_judgement(
                assessor,
                practical_test,
                enrollment,
                unit.id,
                result="K",
                evidence="Observasi langsung dan portofolio: semua KUK terpenuhi.",
                judged_on=utcnow().astimezone(JAKARTA).date(),
                place="Bengkel TIK BBPVP Bandung",
            )


def seed_assessments(report: SeedReport) -> None:
    version = demo_version()
    bank = _bank(version)
    theory, practical_test = _assessments(version, bank)
    trainee = find_user(TRAINEE)
    if trainee is not None:
        _enrol(trainee, version)
    _graduate(report, version, theory, practical_test)
    report.lines.append(
        f"Assessments: theory exam /assessments/{theory.id}, "
        f"practical /assessments/{practical_test.id}"
    )
