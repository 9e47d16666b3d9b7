"""Shared helpers for benchmarks: a throwaway database, an app on it, demo certificates."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

QUICK = os.environ.get("BENCH_QUICK") == "1"
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if "://" in url else url


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh PostgreSQL database (dropped afterwards), or a SQLite file if none answers."""
    if ADMIN_URL.startswith("postgres"):
        name = f"kompeten_bench_{uuid.uuid4().hex[:8]}"
        try:
            admin = create_engine(_pg(ADMIN_URL), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:
            print(f"   (no PostgreSQL: {exc.__class__.__name__}; using SQLite)")
        else:
            try:
                yield make_url(_pg(ADMIN_URL)).set(database=name).render_as_string(False)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
            return
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{tmp}/bench.db"


def bench_env(url: str, storage: str, base_url: str = "http://127.0.0.1:5000") -> dict[str, str]:
    """Environment for app processes (gunicorn, workers) on the bench database."""
    env = dict(os.environ)
    env.update(
        KOMPETEN_ENV="development",
        DATABASE_URL=url,
        STORAGE_DIR=storage,
        BASE_URL=base_url,
        RATELIMIT_ENABLED="0",
        CERTIFICATES_JOB_RUNNER="inline",
    )
    env.pop("REDIS_URL", None)
    return env


def make_app(url: str, storage: str, **overrides: Any) -> Any:
    from app import create_app
    from config import DevelopmentConfig

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        STORAGE_DIR = storage
        RATELIMIT_ENABLED = False
        REDIS_URL = None

    for key, value in overrides.items():
        setattr(Config, key, value)
    return create_app(Config)


def populate(app: Any, trainees: int, units: int = 6) -> tuple[int, list[int]]:
    """An institution with keys, a course and `trainees` completed enrolments in a cohort.
    Returns (cohort id, enrolment ids)."""
    from app.auth.models import User, UserRole
    from app.certificates.services.keys import ensure_credential_key, ensure_document_cert
    from app.courses.models import (
        Cohort,
        CompetencyUnit,
        Course,
        CourseVersion,
        CourseVersionUnit,
        Enrollment,
    )
    from app.db import utcnow
    from app.extensions import db
    from app.institutions.models import Institution

    with app.app_context():
        db.create_all()
        institution = Institution(
            name="Balai Besar Pelatihan Vokasi dan Produktivitas Bandung",
            slug="bbpvp-bench",
            type="UPTP",
            province="Jawa Barat",
            city="Bandung",
            number_prefix="BENCH",
            address="Jl. Jenderal Gatot Subroto No. 170, Bandung",
        )
        course = Course(institution=institution, code="JWD", status="published")
        version = CourseVersion(
            course=course,
            number=1,
            status="published",
            title="Junior Web Developer",
            sector="tik",
            level=2,
            hours=160,
            validity_months=36,
            published_at=utcnow(),
        )
        for position in range(1, units + 1):
            unit = CompetencyUnit(
                code=f"J.620100.{position:03d}.01",
                title_id=f"Mengimplementasikan Pemrograman Terstruktur bagian {position}",
                title_en=f"Implementing Structured Programming part {position}",
            )
            version.unit_links.append(CourseVersionUnit(unit=unit, position=position))
        db.session.add(course)
        db.session.flush()
        today = utcnow().date()
        cohort = Cohort(course_id=course.id, name="Angkatan 1", starts_on=today, ends_on=today)
        db.session.add(cohort)
        db.session.flush()
        now = utcnow()
        ids = []
        for n in range(trainees):
            user = User(
                email=f"peserta{n}@bench.kompeten.id",
                full_name=f"Ni Luh Putu Ayu Lestari Ñoman {n}",
                password_hash="x",  # noqa: S106 - bench users never log in
            )
            user.role_rows = [UserRole(role="trainee")]
            db.session.add(user)
            db.session.flush()
            enrollment = Enrollment(
                user_id=user.id,
                course_id=course.id,
                course_version_id=version.id,
                cohort_id=cohort.id,
                status="completed",
                activated_at=now,
                completed_at=now,
            )
            db.session.add(enrollment)
            db.session.flush()
            ids.append(enrollment.id)
        ensure_credential_key(institution)
        ensure_document_cert(institution)
        db.session.commit()
        return cohort.id, ids
