"""Course completion: the one service that decides it, and the registry of requirements it
checks.

Every requirement is a function `fn(enrollment) -> (met, detail)`; the course is complete
when all of them are met. This module registers "lessons" (every required lesson of the
enrolment's version is done). Other features add their own at import time, e.g.

    from app.courses.services.completion import register_requirement
    register_requirement("assessments", required_assessments_passed)

A requirement that does not apply to a course returns (True, ...). Call
`evaluate_completion(enrollment)` whenever something a requirement looks at changes (the
lesson service does; an assessment service should after a passing attempt). When the
enrolment becomes complete, a conditional UPDATE marks it and `course_completed` is sent;
the UPDATE matches only once, so the signal cannot be sent twice, even by racing requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, select, update

from app.courses.models import Enrollment, Lesson, LessonProgress
from app.courses.signals import course_completed
from app.db import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

Requirement = Callable[[Enrollment], tuple[bool, Any]]
_REQUIREMENTS: dict[str, Requirement] = {}


def register_requirement(name: str, fn: Requirement) -> None:
    """Add (or replace, by name) a completion requirement."""
    _REQUIREMENTS[name] = fn


def unregister_requirement(name: str) -> None:
    _REQUIREMENTS.pop(name, None)


@dataclass
class CompletionResult:
    complete: bool
    newly_completed: bool = False
    details: dict[str, tuple[bool, Any]] = field(default_factory=dict)


def required_lessons_done(enrollment: Enrollment) -> tuple[bool, dict[str, int]]:
    """Every lesson marked required in the enrolment's version has been completed."""
    required = db.session.scalar(
        select(func.count())
        .select_from(Lesson)
        .where(Lesson.version_id == enrollment.course_version_id, Lesson.required.is_(True))
    )
    done = db.session.scalar(
        select(func.count())
        .select_from(LessonProgress)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(
            LessonProgress.enrollment_id == enrollment.id,
            Lesson.version_id == enrollment.course_version_id,
            Lesson.required.is_(True),
        )
    )
    return (done or 0) >= (required or 0), {"required": required or 0, "done": done or 0}


register_requirement("lessons", required_lessons_done)


def evaluate_completion(enrollment: Enrollment) -> CompletionResult:
    """Decide whether the enrolment is complete; mark it and announce it the first time."""
    if enrollment.status == "completed":
        return CompletionResult(complete=True)
    if enrollment.status != "active":
        return CompletionResult(complete=False)
    details = {name: fn(enrollment) for name, fn in _REQUIREMENTS.items()}
    if not all(met for met, _detail in details.values()):
        return CompletionResult(complete=False, details=details)
    now = utcnow()
    result = db.session.execute(
        update(Enrollment)
        .where(
            Enrollment.id == enrollment.id,
            Enrollment.completed_at.is_(None),
            Enrollment.status == "active",
        )
        .values(status="completed", completed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(enrollment)
        return CompletionResult(complete=enrollment.status == "completed", details=details)
    db.session.refresh(enrollment)
    log.info(
        "enrolment %s of user %s completed course %s",
        enrollment.id,
        enrollment.user_id,
        enrollment.course_id,
    )
    sender = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    course_completed.send(sender, enrollment=enrollment)
    return CompletionResult(complete=True, newly_completed=True, details=details)
