"""Catalogue search and the loaders behind the course and lesson pages.

Every loader issues a fixed number of queries whatever the size of the course (eager loads,
lesson bodies deferred in outlines): the page tests count them with 5 lessons and with 500.
Search uses case-insensitive substring matches; on PostgreSQL a pg_trgm index on the title
would speed it further once there are tens of thousands of courses.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from app.courses.models import (
    CompetencyUnit,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Lesson,
    Module,
)
from app.courses.vocab import LEVELS, SECTORS, sectors_matching
from app.extensions import db
from app.institutions.models import Institution

PER_PAGE = 20


@dataclass
class CatalogueQuery:
    q: str = ""
    institution: str = ""  # slug
    province: str = ""
    sector: str = ""
    level: int | None = None
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class CatalogueItem:
    course: Course
    version: CourseVersion
    institution: Institution


@dataclass
class CataloguePage:
    items: list[CatalogueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"


def search(query: CatalogueQuery) -> CataloguePage:
    """Published courses matching the query, by title; two SQL queries."""
    version = aliased(CourseVersion)
    statement = (
        select(Course, version, Institution)
        .join(version, and_(version.course_id == Course.id, version.status == "published"))
        .join(Institution, Institution.id == Course.institution_id)
        .where(Course.status == "published")
    )
    text = query.q.strip()[:100]
    if text:
        pattern = _like(text)
        unit_match = exists().where(
            CourseVersionUnit.version_id == version.id,
            CompetencyUnit.id == CourseVersionUnit.unit_id,
            or_(
                CompetencyUnit.code.ilike(pattern, escape="\\"),
                CompetencyUnit.title_id.ilike(pattern, escape="\\"),
                CompetencyUnit.title_en.ilike(pattern, escape="\\"),
            ),
        )
        conditions = [
            version.title.ilike(pattern, escape="\\"),
            Course.code.ilike(pattern, escape="\\"),
            unit_match,
        ]
        sectors = sectors_matching(text)
        if sectors:
            conditions.append(version.sector.in_(sectors))
        statement = statement.where(or_(*conditions))
    if query.institution:
        statement = statement.where(Institution.slug == query.institution)
    if query.province:
        statement = statement.where(Institution.province == query.province)
    if query.sector in SECTORS:
        statement = statement.where(version.sector == query.sector)
    if query.level in LEVELS:
        statement = statement.where(version.level == query.level)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = max(query.page, 1)
    rows = db.session.execute(
        statement.order_by(version.title, Course.id)
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    ).all()
    items = [CatalogueItem(course, version_row, inst) for course, version_row, inst in rows]
    return CataloguePage(items, total, page, query.per_page)


def filter_choices() -> tuple[list[Institution], list[str]]:
    """Institutions and provinces that have published courses (one query)."""
    institutions = list(
        db.session.scalars(
            select(Institution)
            .where(
                Institution.id.in_(
                    select(Course.institution_id).where(Course.status == "published")
                )
            )
            .order_by(Institution.name)
        )
    )
    provinces = sorted({institution.province for institution in institutions})
    return institutions, provinces


def load_course(course_id: int) -> Course | None:
    return db.session.scalar(
        select(Course)
        .options(joinedload(Course.institution), selectinload(Course.instructors))
        .where(Course.id == course_id)
    )


def load_version(version_id: int) -> CourseVersion | None:
    """A version with its outline (lesson bodies deferred), units and cover."""
    return db.session.scalar(
        select(CourseVersion)
        .options(
            selectinload(CourseVersion.modules)
            .selectinload(Module.lessons)
            .options(defer(Lesson.body)),
            selectinload(CourseVersion.unit_links).joinedload(CourseVersionUnit.unit),
            joinedload(CourseVersion.cover),
        )
        .where(CourseVersion.id == version_id)
    )


def version_by_number(course_id: int, number: int) -> CourseVersion | None:
    return db.session.scalar(
        select(CourseVersion).where(
            CourseVersion.course_id == course_id, CourseVersion.number == number
        )
    )


def lesson_in_course(course_id: int, lesson_id: int) -> Lesson | None:
    """A lesson with its body, if it belongs to one of the course's versions."""
    return db.session.scalar(
        select(Lesson)
        .join(CourseVersion, CourseVersion.id == Lesson.version_id)
        .where(Lesson.id == lesson_id, CourseVersion.course_id == course_id)
    )
