"""The employment survey (survei kebekerjaan): one row per certificate and wave (3, 6, 12
months after issuance). The e-mailed link is signed and carries the row's random nonce; the
answer is written by a conditional UPDATE on `answered_at IS NULL`, so a link works once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

EMPLOYMENT_STATUSES = (
    "employed_formal",
    "employed_informal",
    "self_employed",
    "unemployed",
    "studying",
)
WORKING = ("employed_formal", "employed_informal", "self_employed")
WAGE_BANDS = ("lt_2m", "2m_4m", "4m_6m", "6m_10m", "gt_10m")
_STATUS_LIST = ", ".join(f"'{s}'" for s in EMPLOYMENT_STATUSES)


class EmploymentSurvey(db.Model):
    __tablename__ = "employment_surveys"
    __table_args__ = (
        UniqueConstraint("certificate_id", "wave_months"),
        CheckConstraint(f"status IS NULL OR status IN ({_STATUS_LIST})", name="status_known"),
        CheckConstraint("relevance IS NULL OR relevance BETWEEN 1 AND 5", name="relevance_range"),
        CheckConstraint(
            "months_to_job IS NULL OR months_to_job BETWEEN 0 AND 120", name="months_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"), index=True
    )
    wave_months: Mapped[int] = mapped_column()
    nonce: Mapped[str] = mapped_column(String(43), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The answer
    status: Mapped[str | None] = mapped_column(String(20))
    employer_name: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(40))
    wage_band: Mapped[str | None] = mapped_column(String(10))
    relevance: Mapped[int | None] = mapped_column()
    months_to_job: Mapped[int | None] = mapped_column()

    user: Mapped[User] = relationship()

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at <= now
