"""Question banks, assessments, attempts, answers and practical judgements.

Integrity lives in the database as well as in code:

- an attempt's number is unique per (assessment, user), and at most one attempt per
  (assessment, user) is in progress (a partial unique index), so two racing starts can never
  create two attempts;
- an answer is unique per (attempt, question) and carries the client's sequence number, so a
  replayed older save never overwrites a newer one (see attempts.save_answer);
- a practical judgement is never updated: a reassessment is a new row with the next round and
  `supersedes_id` pointing at the judgement it replaces.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.courses.models import CompetencyUnit, Course

KINDS = ("quiz", "theory", "practical")
GRADING_METHODS = ("highest", "last")
REVIEW_WHEN = ("never", "after_submit", "after_close")
RESULTS = ("K", "BK")

question_units = Table(
    "assessment_question_units",
    db.metadata,
    Column(
        "question_id", ForeignKey("assessment_questions.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("unit_id", ForeignKey("competency_units.id", ondelete="CASCADE"), primary_key=True),
)


class QuestionBank(db.Model):
    __tablename__ = "question_banks"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="bank", order_by="Question.id", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """A question: a type key from the registry and its validated definition."""

    __tablename__ = "assessment_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(
        ForeignKey("question_banks.id", ondelete="CASCADE"), index=True
    )
    type_key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(255))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bank: Mapped[QuestionBank] = relationship(back_populates="questions")
    units: Mapped[list[CompetencyUnit]] = relationship(
        secondary=question_units, order_by="CompetencyUnit.code"
    )


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("kind IN ('quiz', 'theory', 'practical')", name="kind_known"),
        CheckConstraint("grading_method IN ('highest', 'last')", name="grading_known"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_range"),
        CheckConstraint("max_attempts IS NULL OR max_attempts >= 1", name="max_attempts_positive"),
        CheckConstraint(
            "time_limit_minutes IS NULL OR time_limit_minutes >= 1", name="time_limit_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_modules.id", ondelete="SET NULL")
    )
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("question_banks.id"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default="quiz")
    required: Mapped[bool] = mapped_column(default=True)
    published: Mapped[bool] = mapped_column(default=False)
    pass_mark: Mapped[float] = mapped_column(Float, default=70.0)  # percent
    time_limit_minutes: Mapped[int | None] = mapped_column()
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    max_attempts: Mapped[int | None] = mapped_column()
    grading_method: Mapped[str] = mapped_column(String(10), default="highest")
    # [{"unit_id": int, "count": int}]: questions drawn at random per unit; empty: all.
    draw: Mapped[list[dict[str, int]]] = mapped_column(JSON, default=list)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_choices: Mapped[bool] = mapped_column(default=True)
    review_marks: Mapped[str] = mapped_column(String(14), default="after_submit")
    review_answers: Mapped[str] = mapped_column(String(14), default="after_close")
    review_feedback: Mapped[str] = mapped_column(String(14), default="after_close")
    # A practical may require this (theory) assessment to be passed first.
    requires_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    bank: Mapped[QuestionBank | None] = relationship()
    requires: Mapped[Assessment | None] = relationship(remote_side="Assessment.id")

    @property
    def is_practical(self) -> bool:
        return self.kind == "practical"


class Attempt(db.Model):
    __tablename__ = "assessment_attempts"
    __table_args__ = (
        UniqueConstraint("assessment_id", "user_id", "number"),
        CheckConstraint("status IN ('in_progress', 'submitted')", name="status_known"),
        Index(
            "uq_assessment_attempts_one_open",
            "assessment_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="in_progress")
    seed: Mapped[int] = mapped_column()
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(12))  # trainee | overdue
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column()  # None while a hand grade is pending
    needs_manual: Mapped[bool] = mapped_column(default=False)
    # {unit_code: {"score": float, "max_score": float}}
    unit_results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    assessment: Mapped[Assessment] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", order_by="Answer.id")

    @property
    def in_progress(self) -> bool:
        return self.status == "in_progress"


class Answer(db.Model):
    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    seq: Mapped[int] = mapped_column(default=0)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool | None] = mapped_column()
    needs_manual: Mapped[bool] = mapped_column(default=False)
    feedback: Mapped[str | None] = mapped_column(Text)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class AssessorAssignment(db.Model):
    """An assessor assigned to a practical assessment, for one cohort or (None) all."""

    __tablename__ = "assessor_assignments"
    __table_args__ = (UniqueConstraint("assessment_id", "assessor_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))

    assessor: Mapped[User] = relationship()


class Judgement(db.Model):
    """One assessor's K/BK for one unit of one enrolment. Never updated."""

    __tablename__ = "practical_judgements"
    __table_args__ = (
        UniqueConstraint("assessment_id", "enrollment_id", "unit_id", "round"),
        CheckConstraint("result IN ('K', 'BK')", name="result_known"),
        CheckConstraint("round >= 1", name="round_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("competency_units.id"))
    round: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("practical_judgements.id"), unique=True
    )
    result: Mapped[str] = mapped_column(String(2))
    evidence: Mapped[str] = mapped_column(Text)
    judged_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    assessor: Mapped[User] = relationship()
    unit: Mapped[CompetencyUnit] = relationship()
    appeal: Mapped[Appeal | None] = relationship(
        back_populates="judgement", uselist=False, foreign_keys="Appeal.judgement_id"
    )


class Appeal(db.Model):
    """A trainee's appeal (banding) of a BK; settled by a second assessor's judgement."""

    __tablename__ = "practical_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    judgement_id: Mapped[int] = mapped_column(
        ForeignKey("practical_judgements.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("practical_judgements.id"))

    judgement: Mapped[Judgement] = relationship(
        back_populates="appeal", foreign_keys=[judgement_id]
    )

    @property
    def is_open(self) -> bool:
        return self.resolved_by_id is None
