"""Grading on the server: per question, per competency unit and in total; hand grades for
essays; regrading every affected attempt when a question's key is corrected."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.assessments.models import Answer, Assessment, Attempt, Question
from app.assessments.questions import GradingError, QuestionError, registry
from app.assessments.services.results import reevaluate
from app.audit.services import record
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, ValidationFailed
from app.extensions import db

log = logging.getLogger(__name__)


def questions_of(attempt: Attempt) -> dict[int, Question]:
    rows = db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))
    return {question.id: question for question in rows}


def _answers(attempt: Attempt) -> dict[int, Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    return {answer.question_id: answer for answer in rows}


def _grade_answer(question: Question, answer: Answer) -> None:
    """Auto-grade one answer; a hand grade already given to an essay is kept."""
    qtype = registry.get(question.type_key)
    if answer.graded_by_id is not None:
        answer.max_score = question.definition["points"]
        return
    try:
        grade = qtype.grade(question.definition, answer.value)
    except QuestionError:
        grade = qtype.grade(question.definition, None)
    answer.score = grade.score
    answer.max_score = grade.max_score
    answer.correct = grade.correct
    answer.needs_manual = grade.needs_manual
    answer.feedback = grade.feedback


def grade_attempt(attempt: Attempt) -> Attempt:
    """(Re)compute every answer's grade and the attempt's totals. Unanswered questions get an
    empty answer row scored 0, so statistics see every question of every attempt."""
    questions = questions_of(attempt)
    answers = _answers(attempt)
    for question_id in attempt.question_ids:
        answer = answers.get(question_id)
        if answer is None:
            answer = Answer(attempt_id=attempt.id, question_id=question_id, value=None, seq=0)
            db.session.add(answer)
            answers[question_id] = answer
        _grade_answer(questions[question_id], answer)
    db.session.flush()
    totals(attempt, questions, answers)
    return attempt


def totals(attempt: Attempt, questions: dict[int, Question], answers: dict[int, Answer]) -> None:
    score = maximum = 0.0
    pending = False
    units: dict[str, dict[str, float]] = {}
    for question_id in attempt.question_ids:
        answer = answers[question_id]
        points = float(answer.max_score or 0)
        got = float(answer.score or 0)
        pending = pending or (answer.needs_manual and answer.score is None)
        score += got
        maximum += points
        for unit in questions[question_id].units:
            entry = units.setdefault(unit.code, {"score": 0.0, "max_score": 0.0})
            entry["score"] = round(entry["score"] + got, 6)
            entry["max_score"] = round(entry["max_score"] + points, 6)
    attempt.score = round(score, 6)
    attempt.max_score = round(maximum, 6)
    attempt.percent = round(100 * score / maximum, 2) if maximum else 0.0
    attempt.needs_manual = pending
    attempt.passed = None if pending else attempt.percent >= attempt.assessment.pass_mark
    attempt.unit_results = units


def grade_manually(grader: User, answer: Answer, score: float, feedback: str | None) -> Answer:
    """A grader's score for an answer that needs one (essays)."""
    attempt = answer.attempt
    if attempt.in_progress:
        raise Conflict(_("The attempt has not been submitted yet."))
    qtype = registry.get(answer.question.type_key)
    try:
        grade = qtype.grade_manual(answer.question.definition, score, feedback=feedback or None)
    except GradingError as error:
        raise ValidationFailed(
            _("The score is not valid for this question."), details={"score": [str(error)]}
        ) from None
    before = {"score": answer.score, "attempt_percent": attempt.percent}
    answer.score = grade.score
    answer.max_score = grade.max_score
    answer.feedback = grade.feedback
    answer.needs_manual = False
    answer.graded_by_id = grader.id
    answer.graded_at = utcnow()
    db.session.flush()
    totals(attempt, questions_of(attempt), _answers(attempt))
    record(
        "assessment.answer_graded",
        actor=grader,
        target=answer,
        before=before,
        after={"score": answer.score, "attempt_percent": attempt.percent},
    )
    after_grading(attempt)
    return answer


def manual_queue(assessment: Assessment) -> list[Answer]:
    """Answers of submitted attempts that wait for a hand grade, oldest first."""
    return list(
        db.session.scalars(
            select(Answer)
            .join(Attempt, Attempt.id == Answer.attempt_id)
            .where(
                Attempt.assessment_id == assessment.id,
                Attempt.status == "submitted",
                Answer.needs_manual.is_(True),
                Answer.graded_by_id.is_(None),
            )
            .order_by(Attempt.submitted_at, Answer.id)
        )
    )


def regrade_question(actor: User, question: Question, before: dict[str, Any]) -> list[Attempt]:
    """After a question's key changed: regrade every submitted attempt that contains it, and
    audit who changed what and each attempt's result before and after."""
    affected = [
        attempt
        for attempt in db.session.scalars(
            select(Attempt)
            .join(Answer, Answer.attempt_id == Attempt.id)
            .where(Answer.question_id == question.id, Attempt.status == "submitted")
        ).unique()
    ]
    record(
        "assessment.question_corrected",
        actor=actor,
        target=question,
        before={"version": question.version - 1, "definition": before},
        after={"version": question.version, "definition": question.definition},
    )
    for attempt in affected:
        old = {"score": attempt.score, "percent": attempt.percent, "passed": attempt.passed}
        grade_attempt(attempt)
        new = {"score": attempt.score, "percent": attempt.percent, "passed": attempt.passed}
        if old != new:
            record(
                "assessment.attempt_regraded", actor=actor, target=attempt, before=old, after=new
            )
        after_grading(attempt)
    log.info(
        "question %s corrected by %s: %d attempts regraded", question.id, actor.id, len(affected)
    )
    return affected


def after_grading(attempt: Attempt) -> None:
    """Let the courses feature re-evaluate completion of the trainee's enrolment."""
    reevaluate(attempt.user_id, attempt.assessment.course_id)


def review_allows(assessment: Assessment, attempt: Attempt, option: str, now: datetime) -> bool:
    """Whether a review option ("never", "after_submit", "after_close") allows showing
    something now. "after_close" needs a close time that has passed."""
    if attempt.in_progress or option == "never":
        return False
    if option == "after_submit":
        return True
    return assessment.closes_at is not None and now >= assessment.closes_at
