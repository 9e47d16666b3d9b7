"""Overseas apprenticeship programmes (pemagangan luar negeri), their prerequisites and
selection stages, and each candidate's progress through them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.courses.models import Course
    from app.institutions.models import Institution

STAGES = ("documents", "test", "interview", "medical", "language_training")
STAGE_RESULTS = ("pending", "passed", "failed")
CANDIDATE_STATUSES = ("in_selection", "selected", "not_selected", "withdrawn")


class OverseasProgramme(db.Model):
    __tablename__ = "overseas_programmes"
    __table_args__ = (CheckConstraint("min_hours >= 0", name="min_hours_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2, e.g. JP
    partner: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="")  # e.g. "ja"
    min_language_level: Mapped[str] = mapped_column(String(5), default="")  # e.g. "N4"
    min_hours: Mapped[int] = mapped_column(default=0)  # JP of completed training
    stages: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(STAGES))
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    institution: Mapped[Institution | None] = relationship()
    course_links: Mapped[list[ProgrammeCourse]] = relationship(
        cascade="all, delete-orphan", order_by="ProgrammeCourse.course_id"
    )
    candidates: Mapped[list[OverseasCandidate]] = relationship(
        back_populates="programme", order_by="OverseasCandidate.id"
    )

    @property
    def courses(self) -> list[Course]:
        return [link.course for link in self.course_links]


class ProgrammeCourse(db.Model):
    """A course a candidate must have completed before selection."""

    __tablename__ = "overseas_programme_courses"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("overseas_programmes.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )

    course: Mapped[Course] = relationship()


class OverseasCandidate(db.Model):
    __tablename__ = "overseas_candidates"
    __table_args__ = (
        UniqueConstraint("programme_id", "user_id"),
        CheckConstraint(
            "status IN ('in_selection', 'selected', 'not_selected', 'withdrawn')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("overseas_programmes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    status: Mapped[str] = mapped_column(String(14), default="in_selection")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[OverseasProgramme] = relationship(back_populates="candidates")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    results: Mapped[list[StageResult]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", order_by="StageResult.id"
    )

    def result_for(self, stage: str) -> StageResult | None:
        return next((r for r in self.results if r.stage == stage), None)

    def progress(self) -> list[tuple[str, str]]:
        """(stage, result) for every stage of the programme, in order."""
        out = []
        for stage in self.programme.stages:
            found = self.result_for(stage)
            out.append((stage, found.result if found else "pending"))
        return out


class StageResult(db.Model):
    __tablename__ = "overseas_stage_results"
    __table_args__ = (
        UniqueConstraint("candidate_id", "stage"),
        CheckConstraint("result IN ('pending', 'passed', 'failed')", name="result_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("overseas_candidates.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(10), default="pending")
    note: Mapped[str] = mapped_column(String(500), default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    candidate: Mapped[OverseasCandidate] = relationship(back_populates="results")
