"""The instructor's cohort progress table (trainee x lesson) and its CSV export.

Columns are the lessons of one version (the published one unless asked otherwise). Trainees
still on an older version are matched by lesson key, which a lesson keeps across versions.
Three queries, whatever the numbers of trainees and lessons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, defer

from app.auth.models import User
from app.courses.models import (
    Cohort,
    Course,
    CourseVersion,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
)
from app.csvsafe import to_csv
from app.extensions import db


@dataclass
class ProgressRow:
    enrollment: Enrollment
    done_keys: set[str] = field(default_factory=set)
    percent: int = 0


@dataclass
class ProgressTable:
    version: CourseVersion
    lessons: list[Lesson]
    rows: list[ProgressRow]


def cohort_progress(
    course: Course, version: CourseVersion, cohort: Cohort | None = None
) -> ProgressTable:
    lessons = list(
        db.session.scalars(
            select(Lesson)
            .join(Module, Module.id == Lesson.module_id)
            .options(defer(Lesson.body))
            .where(Lesson.version_id == version.id)
            .order_by(Module.position, Lesson.position)
        )
    )
    query = (
        select(Enrollment)
        .join(User, User.id == Enrollment.user_id)
        .options(contains_eager(Enrollment.user))
        .where(Enrollment.course_id == course.id, Enrollment.status != "withdrawn")
        .order_by(User.full_name, Enrollment.id)
    )
    if cohort is not None:
        query = query.where(Enrollment.cohort_id == cohort.id)
    enrollments = list(db.session.scalars(query))
    rows = {e.id: ProgressRow(e) for e in enrollments}
    if rows:
        done = db.session.execute(
            select(LessonProgress.enrollment_id, Lesson.key)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.enrollment_id.in_(list(rows)))
        )
        for enrollment_id, key in done:
            rows[enrollment_id].done_keys.add(key)
    keys = {lesson.key for lesson in lessons}
    for row in rows.values():
        row.percent = round(100 * len(row.done_keys & keys) / len(keys)) if keys else 0
    return ProgressTable(version, lessons, list(rows.values()))


def progress_csv(table: ProgressTable, headings: list[str]) -> str:
    titles = [lesson.title for lesson in table.lessons]
    return to_csv(
        [*headings, *titles],
        (
            [
                row.enrollment.user.full_name,
                row.enrollment.user.email,
                row.enrollment.status,
                row.percent,
                row.enrollment.completed_at.isoformat() if row.enrollment.completed_at else "",
                *("1" if lesson.key in row.done_keys else "0" for lesson in table.lessons),
            ]
            for row in table.rows
        ),
    )
