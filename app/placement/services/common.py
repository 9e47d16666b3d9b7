"""Helpers shared by the placement services: dates in Jakarta, unit codes, course offers."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.courses.models import Course, CourseVersion
from app.extensions import db
from app.placement.matching import CourseOffer

COUNTRY_CODES = frozenset(
    [
        "JP",
        "KR",
        "TW",
        "HK",
        "SG",
        "MY",
        "BN",
        "SA",
        "AE",
        "QA",
        "KW",
        "DE",
        "NL",
        "AU",
        "NZ",
        "US",
        "CA",
        "GB",
        "PL",
        "HU",
        "TR",
        "ID",
    ]
)


def split_codes(raw: str | Iterable[str] | None) -> list[str]:
    """Unit codes from a list or from text separated by commas, spaces or new lines."""
    if raw is None:
        return []
    parts = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}
    for part in parts:
        code = str(part).strip().upper()
        if code:
            seen[code] = None
    return list(seen)


def published_versions() -> list[CourseVersion]:
    return list(
        db.session.scalars(
            select(CourseVersion)
            .join(Course, Course.id == CourseVersion.course_id)
            .where(CourseVersion.status == "published", Course.status == "published")
            .options(selectinload(CourseVersion.unit_links), selectinload(CourseVersion.course))
            .order_by(CourseVersion.course_id)
        )
    )


def course_offers() -> tuple[list[CourseOffer], dict[int, CourseVersion]]:
    """Every published course as a matching offer, and its published version by course id."""
    versions = published_versions()
    offers = [
        CourseOffer(id=v.course_id, units=frozenset(u.code for u in v.units), hours=v.hours or 0)
        for v in versions
    ]
    return offers, {v.course_id: v for v in versions}
