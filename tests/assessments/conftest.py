"""A small world for assessment tests: an institution with an instructor and an assessor, a
published course version with two SKKNI units, a question bank, a theory exam and a
practical, and an enrolled trainee. Objects are returned detached; use their ids."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask

from app.assessments.models import (
    Assessment,
    AssessorAssignment,
    Attempt,
    Question,
    QuestionBank,
)
from app.courses.models import CompetencyUnit, Course, CourseVersion, CourseVersionUnit, Enrollment
from app.db import utcnow
from app.extensions import db as _db

SINGLE = {
    "stem": "Perintah untuk menyalin berkas di Linux?",
    "choices": [
        {"id": "a", "text": "cp", "correct": True, "feedback": "Tepat, cp menyalin"},
        {"id": "b", "text": "mv", "correct": False, "feedback": "mv memindahkan"},
        {"id": "c", "text": "rm", "correct": False},
    ],
}
TRUE_FALSE = {"stem": "HTTP port 80 adalah default.", "correct": True}
NUMERIC = {"stem": "2 + 2 = ?", "value": 4, "tolerance": 0}
ESSAY = {"stem": "Jelaskan pengertian basis data."}


def question_defs() -> list[tuple[str, dict[str, Any], int]]:
    """(type, definition, unit index)."""
    return [
        ("single_choice", SINGLE, 0),
        ("true_false", TRUE_FALSE, 0),
        ("numeric", NUMERIC, 1),
    ]


def build_world(app: Flask, make_user: Callable, make_institution: Callable, **options: Any):
    from app.assessments.questions import registry

    institution = make_institution()
    instructor = make_user("instructor", institution=institution)
    assessor = make_user("assessor", institution=institution, full_name="Dewi Asesor")
    assessor2 = make_user("assessor", institution=institution, full_name="Bayu Asesor")
    trainee = make_user("trainee", full_name="Andi Peserta")
    with app.app_context():
        units = [CompetencyUnit(code=f"J.620100.00{n}.01", title_id=f"Unit {n}") for n in (1, 2)]
        course = Course(institution_id=institution.id, code="JWD", status="published")
        _db.session.add_all([*units, course])
        _db.session.flush()
        version = CourseVersion(
            course_id=course.id, number=1, status="published", title="Junior Web Dev", sector="tik"
        )
        _db.session.add(version)
        _db.session.flush()
        for position, unit in enumerate(units):
            _db.session.add(
                CourseVersionUnit(version_id=version.id, unit_id=unit.id, position=position)
            )
        bank = QuestionBank(course_id=course.id, name="Bank")
        _db.session.add(bank)
        _db.session.flush()
        defs = options.get("questions") or question_defs()
        questions = []
        for type_key, definition, unit_index in defs:
            clean = registry.get(type_key).validate_definition(definition)
            question = Question(
                bank_id=bank.id,
                type_key=type_key,
                name=type_key,
                definition=clean,
                units=[units[unit_index]],
            )
            _db.session.add(question)
            questions.append(question)
        exam = Assessment(
            course_id=course.id,
            bank_id=bank.id,
            title="Ujian Teori",
            kind="theory",
            published=True,
            pass_mark=60,
            time_limit_minutes=options.get("time_limit", 30),
            max_attempts=options.get("max_attempts", 3),
            review_marks="after_submit",
            review_answers=options.get("review_answers", "after_close"),
            review_feedback=options.get("review_feedback", "after_close"),
            shuffle_questions=True,
        )
        _db.session.add(exam)
        _db.session.flush()
        practical = Assessment(
            course_id=course.id,
            title="Praktik",
            kind="practical",
            published=True,
            requires_id=exam.id if options.get("require_theory") else None,
        )
        _db.session.add(practical)
        _db.session.flush()
        for person in (assessor, assessor2):
            _db.session.add(AssessorAssignment(assessment_id=practical.id, assessor_id=person.id))
        enrollment = Enrollment(
            user_id=trainee.id,
            course_id=course.id,
            course_version_id=version.id,
            status="active",
            activated_at=utcnow(),
        )
        _db.session.add(enrollment)
        _db.session.commit()
        return SimpleNamespace(
            institution_id=institution.id,
            instructor=instructor,
            assessor=assessor,
            assessor2=assessor2,
            trainee=trainee,
            course_id=course.id,
            version_id=version.id,
            unit_ids=[u.id for u in units],
            unit_codes=[u.code for u in units],
            bank_id=bank.id,
            question_ids=[q.id for q in questions],
            exam_id=exam.id,
            practical_id=practical.id,
            enrollment_id=enrollment.id,
        )


@pytest.fixture
def world(app: Flask, db: Any, make_user: Callable, make_institution: Callable):
    return build_world(app, make_user, make_institution)


@pytest.fixture
def make_world(app: Flask, db: Any, make_user: Callable, make_institution: Callable):
    return lambda **options: build_world(app, make_user, make_institution, **options)


def save_as_learner(user: Any, attempt_id: int, question_id: int, value: Any, seq: int):
    """`attempts.save_answer` with choices named by their authored ids, sent as the tokens
    the learner is shown (inside an app context)."""
    from app.assessments.services import attempts

    attempt = _db.session.get(Attempt, attempt_id)
    question = _db.session.get(Question, question_id)
    shown = value if question is None else attempts.shown_answer(attempt, question, value)
    return attempts.save_answer(user, attempt_id, question_id, shown, seq)


def choice_token(question_view: dict, text: str) -> str:
    """The id under which the learner's view of a question shows the choice with `text`."""
    return next(c["id"] for c in question_view["choices"] if c["text_html"] == text)


def token_of(app: Flask, attempt_id: int, question_id: int, choice_id: str) -> str:
    """The token the learner of an attempt is shown for one authored choice id."""
    from app.assessments.services import attempts

    with app.app_context():
        attempt = _db.session.get(Attempt, attempt_id)
        question = _db.session.get(Question, question_id)
        return attempts.item_tokens(attempt, question)(choice_id)
