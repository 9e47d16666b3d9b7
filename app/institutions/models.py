"""Training institutions: UPTP, BLK, LPK and BLK Komunitas."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

INSTITUTION_TYPES = ("UPTP", "BLK", "LPK", "BLK_KOMUNITAS")
INSTITUTION_TYPE_LABELS = {
    "UPTP": "UPTP (Unit Pelaksana Teknis Pusat)",
    "BLK": "BLK (Balai Latihan Kerja)",
    "LPK": "LPK (Lembaga Pelatihan Kerja)",
    "BLK_KOMUNITAS": "BLK Komunitas",
}


class Institution(db.Model):
    __tablename__ = "institutions"
    __table_args__ = (
        CheckConstraint("type IN ('UPTP', 'BLK', 'LPK', 'BLK_KOMUNITAS')", name="type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(300), default="")
    logo_path: Mapped[str | None] = mapped_column(String(300))
    # Prefix of human certificate numbers, e.g. "BLKBDG".
    number_prefix: Mapped[str] = mapped_column(String(12), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    staff: Mapped[list[User]] = relationship(back_populates="institution")

    @property
    def type_label(self) -> str:
        return INSTITUTION_TYPE_LABELS.get(self.type, self.type)

    def __repr__(self) -> str:
        return f"<Institution {self.slug}>"
