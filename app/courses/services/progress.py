"""Lesson progress: completing lessons, resuming, per-module and course percentages, and
moving an enrolment to the course's latest version with its progress."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.courses.models import Enrollment, Lesson, LessonProgress, Module
from app.courses.services.completion import CompletionResult, evaluate_completion
from app.errors import Conflict, NotFound
from app.extensions import db

log = logging.getLogger(__name__)


def _studying(enrollment: Enrollment, lesson: Lesson) -> None:
    if not enrollment.can_study:
        raise Conflict(_("This enrolment is not active."), details={"status": [enrollment.status]})
    if lesson.version_id != enrollment.course_version_id:
        raise NotFound(_("Lesson not found."))


def complete_lesson(user: User, enrollment: Enrollment, lesson: Lesson) -> CompletionResult:
    """Mark a lesson done (idempotent) and let the completion service decide the rest."""
    if enrollment.user_id != user.id:
        raise NotFound(_("Enrolment not found."))
    _studying(enrollment, lesson)
    exists = db.session.scalar(
        select(LessonProgress.id).where(
            LessonProgress.enrollment_id == enrollment.id, LessonProgress.lesson_id == lesson.id
        )
    )
    if exists is None:
        # A double click may race to the same row: the unique constraint keeps one.
        with suppress(IntegrityError), db.session.begin_nested():
            db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=lesson.id))
    enrollment.last_lesson_id = lesson.id
    db.session.flush()
    return evaluate_completion(enrollment)


def record_visit(enrollment: Enrollment, lesson: Lesson) -> None:
    """Remember where the trainee is, to resume there."""
    if (
        enrollment.can_study
        and lesson.version_id == enrollment.course_version_id
        and enrollment.last_lesson_id != lesson.id
    ):
        enrollment.last_lesson_id = lesson.id
        db.session.flush()


def move_to_latest(user: User, enrollment: Enrollment) -> Enrollment:
    """Move a trainee to the course's latest published version, keeping the progress of
    every lesson that is still there (lessons keep their key across versions)."""
    if enrollment.user_id != user.id:
        raise NotFound(_("Enrolment not found."))
    if enrollment.status != "active":
        raise Conflict(_("Only an active enrolment can move to a new version."))
    latest = enrollment.course.published_version
    if latest is None or latest.id == enrollment.course_version_id:
        raise Conflict(_("You are already on the latest version."), details={"version": ["latest"]})
    old_keys = dict(
        db.session.execute(
            select(Lesson.key, Lesson.id)
            .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
            .where(
                LessonProgress.enrollment_id == enrollment.id,
                Lesson.version_id == enrollment.course_version_id,
            )
        ).all()
    )
    new_by_key = dict(
        db.session.execute(
            select(Lesson.key, Lesson.id).where(Lesson.version_id == latest.id)
        ).all()
    )
    last_key = enrollment.last_lesson.key if enrollment.last_lesson else None
    for key in old_keys:
        if key in new_by_key:
            db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=new_by_key[key]))
    enrollment.course_version_id = latest.id
    enrollment.last_lesson_id = new_by_key.get(last_key) if last_key else None
    db.session.flush()
    db.session.expire(enrollment, ["course_version", "last_lesson"])
    log.info("enrolment %s moved to version %s", enrollment.id, latest.number)
    evaluate_completion(enrollment)
    return enrollment


@dataclass
class ModuleProgress:
    module: Module
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class CourseProgress:
    done_ids: set[int]
    modules: list[ModuleProgress] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(m.done for m in self.modules)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def done_lesson_ids(enrollment: Enrollment) -> set[int]:
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(
                LessonProgress.enrollment_id == enrollment.id,
                Lesson.version_id == enrollment.course_version_id,
            )
        )
    )


def progress(enrollment: Enrollment, modules: list[Module]) -> CourseProgress:
    """Per-module and course progress, from the modules (with lessons) already loaded."""
    done = done_lesson_ids(enrollment)
    result = CourseProgress(done_ids=done)
    for module in modules:
        ids = [lesson.id for lesson in module.lessons]
        result.modules.append(ModuleProgress(module, len(done.intersection(ids)), len(ids)))
    return result


def resume_lesson(enrollment: Enrollment, modules: list[Module], done: set[int]) -> Lesson | None:
    """Where to continue: the last lesson visited, else the first one not done."""
    lessons = [lesson for module in modules for lesson in module.lessons]
    for lesson in lessons:
        if lesson.id == enrollment.last_lesson_id:
            return lesson
    return next(
        (lesson for lesson in lessons if lesson.id not in done), lessons[0] if lessons else None
    )


def neighbours(modules: list[Module], lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after `lesson` in the outline, across modules."""
    lessons = [entry for module in modules for entry in module.lessons]
    index = next(i for i, entry in enumerate(lessons) if entry.id == lesson.id)
    return (
        lessons[index - 1] if index > 0 else None,
        lessons[index + 1] if index + 1 < len(lessons) else None,
    )


def percents(enrollments: list[Enrollment]) -> dict[int, int]:
    """Course progress (percent of lessons done) of many enrolments, in two queries."""
    if not enrollments:
        return {}
    version_ids = {e.course_version_id for e in enrollments}
    totals = dict(
        db.session.execute(
            select(Lesson.version_id, func.count())
            .where(Lesson.version_id.in_(version_ids))
            .group_by(Lesson.version_id)
        ).all()
    )
    done = dict(
        db.session.execute(
            select(LessonProgress.enrollment_id, func.count())
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .join(Enrollment, Enrollment.id == LessonProgress.enrollment_id)
            .where(
                LessonProgress.enrollment_id.in_([e.id for e in enrollments]),
                Lesson.version_id == Enrollment.course_version_id,
            )
            .group_by(LessonProgress.enrollment_id)
        ).all()
    )
    return {
        e.id: round(100 * done.get(e.id, 0) / totals[e.course_version_id])
        if totals.get(e.course_version_id)
        else 0
        for e in enrollments
    }
