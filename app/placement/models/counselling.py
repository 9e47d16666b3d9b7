"""Career counselling sessions recorded by placement officers (pengantar kerja)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.courses.models import Course
    from app.institutions.models import Institution

ROUTES = (
    "work_now",
    "business_now",
    "training_first",
    "certification_first",
    "entrepreneurship_capital",
)
READINESS = ("ready", "partly_ready", "not_ready")
_ROUTE_LIST = ", ".join(f"'{r}'" for r in ROUTES)
_READINESS_LIST = ", ".join(f"'{r}'" for r in READINESS)


class CounsellingSession(db.Model):
    __tablename__ = "counselling_sessions"
    __table_args__ = (
        CheckConstraint(f"route IN ({_ROUTE_LIST})", name="route_known"),
        CheckConstraint(f"readiness IN ({_READINESS_LIST})", name="readiness_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_seeker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    intake: Mapped[str] = mapped_column(Text, default="")
    readiness: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(30))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The competency units the person lacks for the work they want.
    missing_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    job_seeker: Mapped[User] = relationship(foreign_keys=[job_seeker_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    institution: Mapped[Institution] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Recommendation.position"
    )

    def is_overdue(self, today: date) -> bool:
        return (
            self.follow_up_on is not None
            and self.follow_up_done_at is None
            and self.follow_up_on < today
        )


class Recommendation(db.Model):
    """A catalogue course recommended in a session, with the missing units it closes."""

    __tablename__ = "counselling_recommendations"
    __table_args__ = (UniqueConstraint("session_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("counselling_sessions.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    closes_units: Mapped[list[str]] = mapped_column(JSON, default=list)

    session: Mapped[CounsellingSession] = relationship(back_populates="recommendations")
    course: Mapped[Course] = relationship()
