"""Authoring: question banks, questions (typed through the registry), GIFT / Moodle XML
import, and assessments. Services flush and raise AppError; the caller commits."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.assessments.importers import (
    ImportFormatError,
    ImportResult,
    TooManyQuestions,
    parse_gift,
    parse_moodle_xml,
)
from app.assessments.models import (
    GRADING_METHODS,
    KINDS,
    REVIEW_WHEN,
    Assessment,
    AssessorAssignment,
    Attempt,
    Judgement,
    Question,
    QuestionBank,
)
from app.assessments.questions import QuestionDefinitionError, UnknownQuestionTypeError, registry
from app.assessments.services import uploads
from app.assessments.services.grading import regrade_question
from app.audit.services import record
from app.auth.models import User
from app.courses.models import Cohort, CompetencyUnit, Course, Module
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db

log = logging.getLogger(__name__)

FORMATS = {"gift": parse_gift, "moodle_xml": parse_moodle_xml}


def get_bank(bank_id: int) -> QuestionBank:
    bank = db.session.get(QuestionBank, bank_id)
    if bank is None:
        raise NotFound(_("That question bank was not found."))
    return bank


def get_question(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound(_("That question was not found."))
    return question


def get_assessment(assessment_id: int) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound(_("That assessment was not found."))
    return assessment


def create_bank(user: User, course: Course, name: str) -> QuestionBank:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed(_("Give the bank a name."), details={"name": ["required"]})
    taken = select(QuestionBank.id).where(
        QuestionBank.course_id == course.id, QuestionBank.name == name
    )
    if db.session.scalar(taken) is not None:
        raise _bank_name_taken()
    bank = QuestionBank(course_id=course.id, name=name)
    try:
        with db.session.begin_nested():  # another request may take the name meanwhile
            db.session.add(bank)
    except IntegrityError:
        if db.session.scalar(taken) is not None:
            raise _bank_name_taken() from None
        raise
    log.info("user %s created question bank %s of course %s", user.id, bank.id, course.id)
    return bank


def _bank_name_taken() -> Conflict:
    return Conflict(
        _("This course already has a question bank with that name."), details={"name": ["taken"]}
    )


def _units(course: Course, unit_ids: list[int]) -> list[CompetencyUnit]:
    units = list(db.session.scalars(select(CompetencyUnit).where(CompetencyUnit.id.in_(unit_ids))))
    if len(units) != len(set(unit_ids)):
        raise ValidationFailed(
            _("A competency unit was not found."), details={"unit_ids": ["unknown"]}
        )
    return units


def _validated(type_key: str, definition: Any) -> dict[str, Any]:
    try:
        return registry.get(type_key).validate_definition(definition)
    except UnknownQuestionTypeError:
        raise ValidationFailed(_("Unknown question type."), details={"type": [type_key]}) from None
    except QuestionDefinitionError as error:
        raise ValidationFailed(
            _("The question is not valid."), details={k: [v] for k, v in error.details.items()}
        ) from None


def add_question(
    user: User,
    bank: QuestionBank,
    type_key: str,
    definition: Any,
    name: str = "",
    unit_ids: list[int] | None = None,
) -> Question:
    clean = _validated(type_key, definition)
    question = Question(
        bank_id=bank.id,
        type_key=type_key,
        definition=clean,
        name=(name or clean["stem"])[:255],
        units=_units(bank.course, unit_ids or []),
    )
    db.session.add(question)
    db.session.flush()
    return question


def update_question(
    user: User, question: Question, definition: Any, unit_ids: list[int] | None = None
) -> tuple[Question, list[Attempt]]:
    """Correct a question: a new version, and every submitted attempt with it regraded.
    -> (the question, the attempts regraded)."""
    clean = _validated(question.type_key, definition)
    before = question.definition
    question.definition = clean
    question.version += 1
    question.updated_at = utcnow()
    if unit_ids is not None:
        question.units = _units(question.bank.course, unit_ids)
    db.session.flush()
    return question, regrade_question(user, question, before)


def parse_import(fmt: str, data: bytes | str) -> ImportResult:
    """Parse an upload, a pasted text or a confirmed preview; a file past the size limit is
    a 413, one with more questions than an import may take or that cannot be read at all a
    422 with its reason (ASSESSMENT_IMPORT_MAX_BYTES, ..._MAX_QUESTIONS)."""
    parser = FORMATS.get(fmt)
    if parser is None:
        raise ValidationFailed(_("Unknown import format."), details={"format": [fmt]})
    if len(data.encode() if isinstance(data, str) else data) > uploads.max_bytes():
        raise uploads.too_large()
    limit = current_app.config["ASSESSMENT_IMPORT_MAX_QUESTIONS"]
    try:
        return parser(data, max_questions=limit)
    except TooManyQuestions as error:
        raise ValidationFailed(
            _(
                "The file holds %(n)s questions; at most %(limit)s can be imported at once. "
                "Split it into smaller files.",
                n=error.count,
                limit=error.limit,
            ),
            details={"questions": ["too_many"]},
        ) from None
    except ImportFormatError as error:
        raise ValidationFailed(
            _("The file could not be read."), details={"file": [str(error)]}
        ) from None


def import_questions(
    user: User, bank: QuestionBank, fmt: str, data: bytes | str, unit_ids: list[int] | None = None
) -> tuple[list[Question], ImportResult]:
    """Store what could be imported; if nothing could, refuse with every error."""
    result = parse_import(fmt, data)
    if not result.questions:
        raise ValidationFailed(
            _("No question could be imported from this file."),
            details={"errors": [f"{e.line_or_index}: {e.message}" for e in result.errors]},
        )
    units = _units(bank.course, unit_ids or [])
    stored = []
    for item in result.questions:
        question = Question(
            bank_id=bank.id,
            type_key=item.type_key,
            definition=item.definition,
            name=item.name,
            units=list(units),
        )
        db.session.add(question)
        stored.append(question)
    db.session.flush()
    log.info("user %s imported %d questions into bank %s", user.id, len(stored), bank.id)
    return stored, result


ASSESSMENT_FIELDS = (
    "title",
    "kind",
    "module_id",
    "bank_id",
    "required",
    "published",
    "pass_mark",
    "time_limit_minutes",
    "opens_at",
    "closes_at",
    "max_attempts",
    "grading_method",
    "draw",
    "shuffle_questions",
    "shuffle_choices",
    "review_marks",
    "review_answers",
    "review_feedback",
    "requires_id",
)


def _check_assessment(course: Course, fields: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if fields.get("kind", "quiz") not in KINDS:
        errors["kind"] = ["unknown"]
    if fields.get("grading_method", "highest") not in GRADING_METHODS:
        errors["grading_method"] = ["unknown"]
    for name in ("review_marks", "review_answers", "review_feedback"):
        if fields.get(name, "never") not in REVIEW_WHEN:
            errors[name] = ["unknown"]
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if isinstance(opens, datetime) and isinstance(closes, datetime) and closes <= opens:
        errors["closes_at"] = ["must be after opens_at"]
    module_id = fields.get("module_id")
    if module_id is not None:
        module = db.session.get(Module, module_id)
        if module is None or module.version.course_id != course.id:
            errors["module_id"] = ["not a module of this course"]
    bank_id = fields.get("bank_id")
    if bank_id is not None:
        bank = db.session.get(QuestionBank, bank_id)
        if bank is None or bank.course_id != course.id:
            errors["bank_id"] = ["not a bank of this course"]
    requires_id = fields.get("requires_id")
    if requires_id is not None:
        required = db.session.get(Assessment, requires_id)
        if required is None or required.course_id != course.id or required.is_practical:
            errors["requires_id"] = ["not a test of this course"]
    if errors:
        raise ValidationFailed(_("The assessment settings are not valid."), details=errors)


def create_assessment(user: User, course: Course, **fields: Any) -> Assessment:
    fields = {k: v for k, v in fields.items() if k in ASSESSMENT_FIELDS}
    _check_assessment(course, fields)
    assessment = Assessment(course_id=course.id, **fields)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def update_assessment(user: User, assessment: Assessment, **fields: Any) -> Assessment:
    """Change an assessment's settings. Its kind is fixed once anyone has sat or been judged
    on it, because attempts and judgements mean different things for each kind."""
    fields = {k: v for k, v in fields.items() if k in ASSESSMENT_FIELDS}
    if fields.get("requires_id") == assessment.id:
        raise ValidationFailed(
            _("An assessment cannot be its own prerequisite."),
            details={"requires_id": ["itself"]},
        )
    if fields.get("kind", assessment.kind) != assessment.kind and _has_activity(assessment):
        raise ValidationFailed(
            _("The kind cannot change once trainees have sat or been judged on it."),
            details={"kind": ["in use"]},
        )
    current = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    _check_assessment(assessment.course, {**current, **fields})
    changed = {k: v for k, v in fields.items() if current[k] != v}
    for name, value in changed.items():
        setattr(assessment, name, value)
    if changed:
        record(
            "assessment.update",
            actor=user,
            institution_id=assessment.course.institution_id,
            target=assessment,
            before={k: _plain(current[k]) for k in changed},
            after={k: _plain(v) for k, v in changed.items()},
        )
    db.session.flush()
    return assessment


def _has_activity(assessment: Assessment) -> bool:
    attempt = db.session.scalar(
        select(Attempt.id).where(Attempt.assessment_id == assessment.id).limit(1)
    )
    judgement = db.session.scalar(
        select(Judgement.id).where(Judgement.assessment_id == assessment.id).limit(1)
    )
    return attempt is not None or judgement is not None


def assign_assessor(
    user: User, assessment: Assessment, assessor: User, cohort_id: int | None = None
) -> AssessorAssignment:
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    if not assessment.is_practical or (
        cohort_id is not None and (cohort is None or cohort.course_id != assessment.course_id)
    ):
        raise ValidationFailed(
            _("Assessors are assigned to a practical, for a cohort of its course."),
            details={"cohort_id": ["not a cohort of this practical's course"]},
        )
    if (
        not assessor.has_role("assessor")
        or assessor.institution_id != assessment.course.institution_id
    ):
        raise ValidationFailed(
            _("Only an assessor of this institution can be assigned."),
            details={"assessor_id": ["not an assessor here"]},
        )
    found = db.session.scalar(
        select(AssessorAssignment).where(
            AssessorAssignment.assessment_id == assessment.id,
            AssessorAssignment.assessor_id == assessor.id,
            AssessorAssignment.cohort_id.is_(None)
            if cohort_id is None
            else AssessorAssignment.cohort_id == cohort_id,
        )
    )
    if found is None:
        found = AssessorAssignment(
            assessment_id=assessment.id, assessor_id=assessor.id, cohort_id=cohort_id
        )
        db.session.add(found)
        db.session.flush()
    return found


def course_assessments(course_id: int, *, published_only: bool = False) -> list[Assessment]:
    query = select(Assessment).where(Assessment.course_id == course_id)
    if published_only:
        query = query.where(Assessment.published.is_(True))
    return list(db.session.scalars(query.order_by(Assessment.id)))
