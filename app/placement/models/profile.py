"""A trainee's job seeker profile. Each item carries its own consent to be shown to employers;
`open_to_offers` is the consent to be matched to vacancies the person did not apply for."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

# The profile items, each shown to an employer only with its own consent.
PROFILE_ITEMS = ("education", "experience", "skills", "location", "sectors", "abroad", "languages")
# What a job seeker may consent to show: their name (and id) to employers who find them
# without an application, and each profile item.
CONSENT_ITEMS = ("name", *PROFILE_ITEMS)


class JobSeekerProfile(db.Model):
    __tablename__ = "placement_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    education: Mapped[str] = mapped_column(String(200), default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    province: Mapped[str] = mapped_column(String(80), default="")
    desired_sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    willing_abroad: Mapped[bool] = mapped_column(default=False)
    abroad_countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 3166 alpha-2
    # {"ja": "N4", "en": "B1"}: language code -> level (JLPT N5..N1, CEFR A1..C2)
    languages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    consents: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    open_to_offers: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    def consented(self, item: str) -> bool:
        return bool((self.consents or {}).get(item))

    def shown_to_employer(self) -> dict[str, Any]:
        """Only the items the job seeker agreed to show."""
        values: dict[str, Any] = {
            "education": self.education,
            "experience": self.experience,
            "skills": self.skills,
            "location": {"city": self.city, "province": self.province},
            "sectors": list(self.desired_sectors or []),
            "abroad": {"willing": self.willing_abroad, "countries": self.abroad_countries},
            "languages": dict(self.languages or {}),
        }
        return {item: values[item] for item in PROFILE_ITEMS if self.consented(item)}
