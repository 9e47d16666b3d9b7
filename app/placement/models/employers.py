"""Employers' company profiles, their vacancies, applications and placements.

A company's vacancies are public only once a platform admin has verified the company. An
application moves applied -> shortlisted -> interviewed -> hired or rejected; the move is a
conditional UPDATE on the current status, so two officers clicking at once cannot both win.
A hire records a Placement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.courses.models import CompetencyUnit

APPLICATION_STATUSES = ("applied", "shortlisted", "interviewed", "hired", "rejected")
# status -> the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "applied": ("shortlisted", "rejected"),
    "shortlisted": ("interviewed", "rejected"),
    "interviewed": ("hired", "rejected"),
    "hired": (),
    "rejected": (),
}


class Company(db.Model):
    __tablename__ = "placement_companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    province: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    vacancies: Mapped[list[Vacancy]] = relationship(back_populates="company", order_by="Vacancy.id")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Vacancy(db.Model):
    __tablename__ = "placement_vacancies"
    __table_args__ = (
        CheckConstraint("openings >= 1", name="openings_positive"),
        CheckConstraint("location_type IN ('domestic', 'overseas')", name="location_known"),
        CheckConstraint(
            "(location_type = 'domestic' AND country = 'ID')"
            " OR (location_type = 'overseas' AND country <> 'ID')",
            name="country_consistent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("placement_companies.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    province: Mapped[str] = mapped_column(String(80), default="")
    sector: Mapped[str] = mapped_column(String(40), default="")
    openings: Mapped[int] = mapped_column(default=1)
    closes_on: Mapped[date] = mapped_column(Date, index=True)
    location_type: Mapped[str] = mapped_column(String(10), default="domestic")
    country: Mapped[str] = mapped_column(String(2), default="ID")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    company: Mapped[Company] = relationship(back_populates="vacancies")
    unit_links: Mapped[list[VacancyUnit]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="VacancyUnit.id"
    )

    def unit_codes(self, kind: str) -> list[str]:
        return [link.unit.code for link in self.unit_links if link.kind == kind]

    def is_open(self, today: date) -> bool:
        return self.company.is_verified and self.closes_on >= today


class VacancyUnit(db.Model):
    __tablename__ = "placement_vacancy_units"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "unit_id"),
        CheckConstraint("kind IN ('required', 'preferred')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("placement_vacancies.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("competency_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))

    vacancy: Mapped[Vacancy] = relationship(back_populates="unit_links")
    unit: Mapped[CompetencyUnit] = relationship(lazy="joined")


class Application(db.Model):
    __tablename__ = "placement_applications"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "user_id"),
        CheckConstraint(
            "status IN ('applied', 'shortlisted', 'interviewed', 'hired', 'rejected')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("placement_vacancies.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="applied")
    cover_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    vacancy: Mapped[Vacancy] = relationship()
    user: Mapped[User] = relationship()
    certificate_links: Mapped[list[ApplicationCertificate]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )

    @property
    def certificate_ids(self) -> list[int]:
        return sorted(link.certificate_id for link in self.certificate_links)


class ApplicationCertificate(db.Model):
    """A certificate the applicant chose to show. Only the reference is kept: its status is
    read live (app.placement.verified) whenever the employer looks."""

    __tablename__ = "placement_application_certificates"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("placement_applications.id", ondelete="CASCADE"), primary_key=True
    )
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    application: Mapped[Application] = relationship(back_populates="certificate_links")


class Placement(db.Model):
    __tablename__ = "placement_placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("placement_applications.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("placement_companies.id"), index=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("placement_vacancies.id"))
    country: Mapped[str] = mapped_column(String(2), default="ID")
    hired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship()
    company: Mapped[Company] = relationship()
