"""What a trainee may see of an attempt, built from an explicit list of fields. Answer keys,
correctness flags and feedback are added only when the assessment's review options allow,
checked against the server's clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.assessments.models import Answer, Attempt, Question
from app.assessments.questions import Grade, registry
from app.assessments.services.attempts import (
    grace,
    item_tokens,
    questions_for_display,
    shown_answer,
)
from app.assessments.services.grading import review_allows


def _learner_question(
    question: Question, answer: Answer | None, attempt: Attempt, position: int
) -> dict[str, Any]:
    qtype = registry.get(question.type_key)
    seed = (attempt.seed + question.id) if attempt.assessment.shuffle_choices else None
    view = qtype.learner_view(
        question.definition, shuffle_seed=seed, token=item_tokens(attempt, question)
    )
    return {
        "id": question.id,
        "position": position,
        "type": view["type"],
        "stem_html": view["stem_html"],
        "points": view["points"],
        "choices": view.get("choices"),
        "prompts": view.get("prompts"),
        "options": view.get("options"),
        "answer": None if answer is None else shown_answer(attempt, question, answer.value),
        "seq": 0 if answer is None else answer.seq,
    }


def attempt_view(attempt: Attempt, now: datetime) -> dict[str, Any]:
    """The attempt while it is taken (and, after submit, with what review allows)."""
    questions = [
        _learner_question(question, answer, attempt, position)
        for position, (question, answer) in enumerate(questions_for_display(attempt), start=1)
    ]
    view = {
        "id": attempt.id,
        "assessment_id": attempt.assessment_id,
        "title": attempt.assessment.title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "now": now,
        "grace_seconds": int(grace().total_seconds()),
        "questions": questions,
    }
    if not attempt.in_progress:
        view["result"] = result_view(attempt, now)
    return view


def _strip_feedback(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_feedback(v) for k, v in value.items() if "feedback" not in k}
    if isinstance(value, list):
        return [_strip_feedback(v) for v in value]
    return value


def result_view(attempt: Attempt, now: datetime) -> dict[str, Any]:
    """Marks, answers and feedback, each only as far as the review options allow."""
    assessment = attempt.assessment
    marks = review_allows(assessment, attempt, assessment.review_marks, now)
    answers = review_allows(assessment, attempt, assessment.review_answers, now)
    feedback = review_allows(assessment, attempt, assessment.review_feedback, now)
    result: dict[str, Any] = {
        "submitted_at": attempt.submitted_at,
        "closed_by": attempt.closed_by,
        "marks_visible": marks,
        "answers_visible": answers,
        "feedback_visible": feedback,
    }
    if marks:
        result.update(
            score=attempt.score,
            max_score=attempt.max_score,
            percent=attempt.percent,
            passed=attempt.passed,
            pending_manual=attempt.needs_manual,
            units=[
                {"code": code, "score": entry["score"], "max_score": entry["max_score"]}
                for code, entry in sorted((attempt.unit_results or {}).items())
            ],
        )
    if answers or feedback:
        result["review"] = [
            _review(attempt, q, a, marks, answers, feedback)
            for q, a in questions_for_display(attempt)
        ]
    return result


def _review(
    attempt: Attempt,
    question: Question,
    answer: Answer | None,
    marks: bool,
    answers: bool,
    feedback: bool,
) -> dict[str, Any]:
    qtype = registry.get(question.type_key)
    token = item_tokens(attempt, question)
    grade = Grade(
        score=None if answer is None else answer.score,
        max_score=question.definition["points"],
        correct=None if answer is None else answer.correct,
        needs_manual=bool(answer and answer.needs_manual),
        feedback=None if answer is None else answer.feedback,
    )
    value = None if answer is None else answer.value
    try:
        full = qtype.review_view(question.definition, value, grade, token=token)
    except ValueError:
        full = qtype.review_view(question.definition, None, grade, token=token)
    if not answers:
        full = {
            k: v
            for k, v in full.items()
            if k in ("type", "stem_html", "answer", "feedback_html", "general_feedback_html")
        }
    if not feedback:
        full = _strip_feedback(full)
    if not marks:
        full.pop("score", None)
        full.pop("max_score", None)
    full["id"] = question.id
    return full
