"""Factories for the courses tests: units, courses built straight into the database (fast,
even with hundreds of lessons), cohorts and enrolments, and a query counter."""

from __future__ import annotations

import io
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.auth.models import User
from app.courses.models import (
    Cohort,
    CompetencyUnit,
    Course,
    CourseVersion,
    CourseVersionUnit,
    Enrollment,
    Lesson,
    Module,
)
from app.courses.signals import course_completed
from app.db import utcnow
from app.extensions import db as _db
from app.institutions.models import Institution


@dataclass
class Built:
    id: int
    code: str
    institution: Institution
    instructor: User
    version_id: int
    module_ids: list[int] = field(default_factory=list)
    lesson_ids: list[int] = field(default_factory=list)


_seq = {"n": 0}


@pytest.fixture(autouse=True)
def _only_listeners_of_the_test() -> Iterator[None]:
    """Completion is announced only to receivers the test connects itself. Other features'
    receivers (the certificates feature issues and signs a certificate) are tested there."""
    others = []
    for receiver in list(course_completed.receivers.values()):
        fn = receiver() if isinstance(receiver, weakref.ref) else receiver
        if fn is not None:
            others.append(fn)
            course_completed.disconnect(fn)
    yield
    for fn in others:
        course_completed.connect(fn)


def _next() -> int:
    _seq["n"] += 1
    return _seq["n"]


@pytest.fixture
def make_unit(app: Flask, db: Any) -> Callable[..., CompetencyUnit]:
    def make(code: str | None = None, **fields: Any) -> CompetencyUnit:
        with app.app_context():
            unit = CompetencyUnit(
                code=code or f"J.620100.{_next() % 1000:03d}.01",
                title_id=fields.pop("title_id", "Menggunakan Struktur Data"),
                title_en=fields.pop("title_en", "Using Data Structures"),
                elements=fields.pop(
                    "elements", [{"title": "Mengidentifikasi data", "criteria": ["Data dikenali"]}]
                ),
                **fields,
            )
            _db.session.add(unit)
            _db.session.commit()
            return unit

    return make


@pytest.fixture
def make_course(
    app: Flask, db: Any, make_user: Callable[..., User], make_institution: Callable[..., Any]
) -> Callable[..., Built]:
    """make_course(modules=2, lessons=2, publish=True) -> Built (ids and the instructor)."""

    def make(
        *,
        institution: Institution | None = None,
        instructor: User | None = None,
        modules: int = 2,
        lessons: int = 2,
        publish: bool = True,
        code: str | None = None,
        title: str | None = None,
        sector: str = "tik",
        level: int = 2,
        self_paced: bool = True,
        self_enrolment: bool = True,
        unit_ids: tuple[int, ...] = (),
        body: str = "Isi pelajaran dengan **Markdown**.",
    ) -> Built:
        institution = institution or make_institution()
        instructor = instructor or make_user("instructor", institution=institution)
        number = _next()
        with app.app_context():
            course = Course(
                institution_id=institution.id,
                code=code or f"C{number:04d}",
                status="published" if publish else "draft",
                self_paced=self_paced,
                self_enrolment=self_enrolment,
            )
            course.instructors = [_db.session.get(User, instructor.id)]
            version = CourseVersion(
                number=1,
                status="published" if publish else "draft",
                title=title or f"Kursus {number}",
                summary="Ringkasan kursus.",
                sector=sector,
                level=level,
                hours=40,
                published_at=utcnow() if publish else None,
            )
            version.unit_links = [
                CourseVersionUnit(unit_id=unit_id, position=i) for i, unit_id in enumerate(unit_ids)
            ]
            for m in range(1, modules + 1):
                module = Module(key=f"m{number}x{m}", position=m, title=f"Modul {m}")
                module.lessons = [
                    Lesson(
                        version=version,
                        key=f"l{number}x{m}x{n}",
                        position=n,
                        title=f"Pelajaran {m}.{n}",
                        body=body,
                        duration_minutes=15,
                    )
                    for n in range(1, lessons + 1)
                ]
                version.modules.append(module)
            course.versions.append(version)
            _db.session.add(course)
            _db.session.commit()
            return Built(
                id=course.id,
                code=course.code,
                institution=institution,
                instructor=instructor,
                version_id=version.id,
                module_ids=[m.id for m in version.modules],
                lesson_ids=[lesson.id for m in version.modules for lesson in m.lessons],
            )

    return make


@pytest.fixture
def make_cohort(app: Flask, db: Any) -> Callable[..., int]:
    def make(course_id: int, capacity: int | None = None, **fields: Any) -> int:
        today = date.today()
        with app.app_context():
            cohort = Cohort(
                course_id=course_id,
                name=fields.pop("name", f"Angkatan {_next()}"),
                starts_on=fields.pop("starts_on", today),
                ends_on=fields.pop("ends_on", today + timedelta(days=60)),
                capacity=capacity,
                **fields,
            )
            _db.session.add(cohort)
            _db.session.commit()
            return cohort.id

    return make


@pytest.fixture
def enrol(app: Flask, db: Any) -> Callable[..., int]:
    """enrol(user, built, cohort_id=None) through the service; returns the enrolment id."""
    from app.courses.services import enrolment

    def make(user: User, built: Built, cohort_id: int | None = None) -> int:
        with app.test_request_context():
            course = _db.session.get(Course, built.id)
            cohort = _db.session.get(Cohort, cohort_id) if cohort_id else None
            record = enrolment.enrol(_db.session.get(User, user.id), course, cohort)
            _db.session.commit()
            return record.id

    return make


def enrollment(app: Flask, enrollment_id: int) -> Enrollment:
    with app.app_context():
        record = _db.session.get(Enrollment, enrollment_id)
        _db.session.expunge(record)
        return record


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (savepoints left out)."""
    statements: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in (
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "WITH",
        ):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
