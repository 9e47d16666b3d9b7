"""The courses seed step: a published course with real-looking SKKNI units, three modules
and the demo trainee part-way through; running it again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.courses.models import CompetencyUnit, Course, Enrollment, Lesson, LessonProgress
from app.courses.seed import seed_courses
from app.courses.services import progress
from app.courses.services.units import is_unit_code
from app.extensions import db as _db
from app.seed import SeedReport, seed_foundation

MODELS = (CompetencyUnit, Course, Lesson, Enrollment, LessonProgress)


def _counts() -> list[int]:
    return [_db.session.scalar(select(func.count()).select_from(m)) for m in MODELS]


def test_seed_courses_twice(app, db, monkeypatch):
    # the demo accounts' password hashing is the foundation's to test, and slow
    monkeypatch.setattr("app.auth.services.hash_password", lambda password: "not-a-hash")
    with app.test_request_context():
        report = SeedReport()
        seed_foundation(report)
        seed_courses(report)
        _db.session.commit()
        first = _counts()
        seed_courses(SeedReport())
        _db.session.commit()
        assert _counts() == first
        assert any("/courses/" in line for line in report.lines)

        course = _db.session.scalar(select(Course).where(Course.code == "JWD"))
        version = course.published_version
        assert course.status == "published" and version.hours == 160
        assert len(version.modules) == 3
        assert all(len(module.lessons) == 3 for module in version.modules)
        assert len(version.units) == 8 and all(is_unit_code(u.code) for u in version.units)
        assert {u.code[:2] for u in version.units} == {"J.", "TI"}  # both code forms
        record = _db.session.scalar(select(Enrollment).where(Enrollment.course_id == course.id))
        assert record.user.email == "peserta@demo.kompeten.id"
        assert record.cohort is not None and record.status == "active"
        assert 0 < progress.progress(record, version.modules).percent < 100
