"""Competency units, courses and their frozen versions, modules, lessons and attachments.

A Course is the stable identity (institution + code, instructors, enrolment settings). Its
content lives in CourseVersions: one draft at most, one published at most (both enforced by
partial unique indexes), any number archived. Publishing freezes a version; the services
refuse to change a version that is not a draft. Modules and lessons carry a `key` that stays
the same when a version is copied, so progress follows a lesson from one version to the next.
Enrolment and progress live in `learning.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.courses.vocab import sector_label
from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.institutions.models import Institution

COURSE_STATUSES = ("draft", "published", "archived")
VERSION_STATUSES = ("draft", "published", "archived")
# The document a course leads to. A training certificate (Sertifikat Pelatihan) says the
# training was completed; a competency certificate (Sertifikat Kompetensi) says every unit
# was assessed and judged K, so its course cannot be published until an assessment covers
# every unit (see coverage.py).
CERTIFICATE_KINDS = ("training", "competency")

course_instructors = Table(
    "course_instructors",
    db.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CompetencyUnit(db.Model):
    """An SKKNI unit (unit kompetensi). Codes are unique platform-wide: SKKNI is national.

    `elements` is a list of {"title": str, "criteria": [str, ...]}: the unit's elements and
    their performance criteria (kriteria unjuk kerja, KUK), in order.
    """

    __tablename__ = "competency_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title_id: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    elements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The institution whose staff maintain it (None: the platform admins).
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def title(self, locale: str = "id") -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_id

    def __repr__(self) -> str:
        return f"<CompetencyUnit {self.code}>"


class Course(db.Model):
    """A course's stable identity. Codes are unique per institution (two BLKs may both run
    a course coded "JWD"); the catalogue always shows the institution beside the code."""

    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status_known"),
        CheckConstraint(
            "certificate_kind IN ('training', 'competency')", name="certificate_kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    # Self-paced: study any time, no cohort. Otherwise trainees join a cohort (angkatan).
    self_paced: Mapped[bool] = mapped_column(default=True)
    # Trainees may enrol themselves (otherwise only staff enrol them).
    self_enrolment: Mapped[bool] = mapped_column(default=True)
    certificate_kind: Mapped[str] = mapped_column(String(12), default="training")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institution: Mapped[Institution] = relationship()
    instructors: Mapped[list[User]] = relationship(
        secondary=course_instructors, order_by="User.full_name"
    )
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course",
        order_by="CourseVersion.number",
        cascade="all, delete-orphan",
        foreign_keys="CourseVersion.course_id",
    )
    published_version: Mapped[CourseVersion | None] = relationship(
        primaryjoin=lambda: and_(
            CourseVersion.course_id == Course.id, CourseVersion.status == "published"
        ),
        viewonly=True,
        uselist=False,
    )
    draft_version: Mapped[CourseVersion | None] = relationship(
        primaryjoin=lambda: and_(
            CourseVersion.course_id == Course.id, CourseVersion.status == "draft"
        ),
        viewonly=True,
        uselist=False,
    )

    @property
    def leads_to_competency(self) -> bool:
        return self.certificate_kind == "competency"

    def has_instructor(self, user: User) -> bool:
        return any(instructor.id == user.id for instructor in self.instructors)

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class CourseVersion(db.Model):
    """The content of a course at one version. Frozen once published."""

    __tablename__ = "course_versions"
    __table_args__ = (
        UniqueConstraint("course_id", "number"),
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("level BETWEEN 1 AND 9", name="level_kkni"),
        CheckConstraint("hours >= 0 AND hours <= 5000", name="hours_range"),
        CheckConstraint("validity_months BETWEEN 1 AND 120", name="validity_range"),
        Index(
            "uq_course_versions_one_draft",
            "course_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
        Index(
            "uq_course_versions_one_published",
            "course_id",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
        Index("ix_course_versions_status_sector_level", "status", "sector", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="draft")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(default=2)
    hours: Mapped[int] = mapped_column(default=0)  # JP, jam pelajaran
    language: Mapped[str] = mapped_column(String(5), default="id")
    validity_months: Mapped[int] = mapped_column(default=36)
    cover_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    course: Mapped[Course] = relationship(back_populates="versions", foreign_keys=[course_id])
    cover: Mapped[Attachment | None] = relationship(foreign_keys=[cover_attachment_id])
    modules: Mapped[list[Module]] = relationship(
        back_populates="version", order_by="Module.position", cascade="all, delete-orphan"
    )
    unit_links: Mapped[list[CourseVersionUnit]] = relationship(
        back_populates="version",
        order_by="CourseVersionUnit.position",
        cascade="all, delete-orphan",
    )

    @property
    def units(self) -> list[CompetencyUnit]:
        return [link.unit for link in self.unit_links]

    @property
    def sector_label(self) -> str:
        return sector_label(self.sector)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def __repr__(self) -> str:
        return f"<CourseVersion {self.course_id} v{self.number}>"


class CourseVersionUnit(db.Model):
    """The competency units a course version covers, in order: certificates list them."""

    __tablename__ = "course_version_units"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("course_versions.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("competency_units.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column()

    version: Mapped[CourseVersion] = relationship(back_populates="unit_links")
    unit: Mapped[CompetencyUnit] = relationship(lazy="joined")


class Module(db.Model):
    __tablename__ = "course_modules"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        UniqueConstraint("version_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[CourseVersion] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )


class Lesson(db.Model):
    """A lesson: Markdown content rendered safely on display (see content.py)."""

    __tablename__ = "course_lessons"
    __table_args__ = (
        UniqueConstraint("module_id", "position"),
        UniqueConstraint("version_id", "key"),
        CheckConstraint("duration_minutes BETWEEN 0 AND 6000", name="duration_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The version, again: lessons are listed and checked by version without a join.
    version_id: Mapped[int] = mapped_column(
        ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(default=10)
    # Completion rule: a required lesson must be completed for the course to be complete.
    required: Mapped[bool] = mapped_column(default=True)

    module: Mapped[Module] = relationship(back_populates="lessons")
    version: Mapped[CourseVersion] = relationship()


class Attachment(db.Model):
    """An uploaded image or file of a course, shared by all its versions (files are never
    changed, so frozen versions keep working). Lessons refer to it by `name`
    (`![plan](attachment:plan.png)`); the file is stored under the random `token`."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
