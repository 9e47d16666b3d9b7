"""Catalogue search and the loaders behind the course and lesson pages.

Every loader issues a fixed number of queries whatever the size of the course (eager loads,
lesson bodies deferred in outlines): the page tests count them with 5 lessons and with 500.
Search uses case-insensitive substring matches; on PostgreSQL a pg_trgm index on the title
would speed it further once there are tens of thousands of courses.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload

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


def search(query: CatalogueQuery) -> Pagination:
    """Published courses matching the query, by title; two SQL queries. The page's items
    are CatalogueItems."""
    statement = (
        select(CourseVersion)
        .join(Course, Course.id == CourseVersion.course_id)
        .join(Institution, Institution.id == Course.institution_id)
        .where(Course.status == "published", CourseVersion.status == "published")
        .options(contains_eager(CourseVersion.course).contains_eager(Course.institution))
    )
    text = query.q.strip()[:100]
    if text:
        unit_match = exists().where(
            CourseVersionUnit.version_id == CourseVersion.id,
            CompetencyUnit.id == CourseVersionUnit.unit_id,
            or_(
                CompetencyUnit.code.icontains(text, autoescape=True),
                CompetencyUnit.title_id.icontains(text, autoescape=True),
                CompetencyUnit.title_en.icontains(text, autoescape=True),
            ),
        )
        conditions = [
            CourseVersion.title.icontains(text, autoescape=True),
            Course.code.icontains(text, autoescape=True),
            unit_match,
        ]
        sectors = sectors_matching(text)
        if sectors:
            conditions.append(CourseVersion.sector.in_(sectors))
        statement = statement.where(or_(*conditions))
    if query.institution:
        statement = statement.where(Institution.slug == query.institution)
    if query.province:
        statement = statement.where(Institution.province == query.province)
    if query.sector in SECTORS:
        statement = statement.where(CourseVersion.sector == query.sector)
    if query.level in LEVELS:
        statement = statement.where(CourseVersion.level == query.level)
    page = db.paginate(
        statement.order_by(CourseVersion.title, Course.id),
        page=query.page,
        per_page=query.per_page,
        max_per_page=None,
        error_out=False,
    )
    page.items = [
        CatalogueItem(version.course, version, version.course.institution) for version in page.items
    ]
    return page


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
