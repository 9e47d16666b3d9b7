"""Cohorts (angkatan), enrolments and lesson progress.

An Enrollment points at the course version the trainee studies; it stays there until the
trainee chooses to move to the latest published version. At most one enrolment per user and
course is not withdrawn (a partial unique index); a withdrawn trainee may enrol again.
Cohort capacity is counted in `seats_taken`, changed only by conditional UPDATEs
(see enrolment.py), and checked by the database as well.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.courses.models.course import Course, CourseVersion, Lesson

ENROLLMENT_STATUSES = ("active", "waiting", "completed", "withdrawn")


class Cohort(db.Model):
    __tablename__ = "cohorts"
    __table_args__ = (
        UniqueConstraint("course_id", "name"),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint(
            "seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)",
            name="seats_within_capacity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column()  # None: no limit
    seats_taken: Mapped[int] = mapped_column(default=0)
    enrolment_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (
        CheckConstraint(
            "status IN ('active', 'waiting', 'completed', 'withdrawn')", name="status_known"
        ),
        CheckConstraint(
            "(status = 'withdrawn' AND withdrawn_at IS NOT NULL)"
            " OR (status <> 'withdrawn' AND withdrawn_at IS NULL)",
            name="withdrawn_consistent",
        ),
        CheckConstraint(
            "(status = 'completed' AND completed_at IS NOT NULL)"
            " OR (status <> 'completed' AND completed_at IS NULL)",
            name="completed_consistent",
        ),
        Index(
            "uq_enrollments_one_current",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        Index("ix_enrollments_cohort_status", "cohort_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where the trainee left off (resume).
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    last_lesson: Mapped[Lesson | None] = relationship()

    @property
    def can_study(self) -> bool:
        return self.status in ("active", "completed")


class LessonProgress(db.Model):
    """A lesson completed within an enrolment."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("course_lessons.id", ondelete="CASCADE"), index=True
    )
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
