"""Marshmallow schemas of the courses JSON API. Input schemas check shape (the services
check the rules); output schemas are whitelists: what they do not name never leaves."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for
from flask_smorest.fields import Upload

from app.courses.models import CERTIFICATE_KINDS
from app.courses.vocab import LANGUAGES, LEVELS, SECTORS, sector_label
from app.schemas_common import Int32

STATES = ("draft", "published", "archived")


class _In(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# Output ----------------------------------------------------------------------------------


class CourseInstitutionSchema(ma.Schema):
    id = Int32(required=True)
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    province = ma.fields.String(required=True)


class CourseUnitSchema(ma.Schema):
    id = Int32(required=True)
    code = ma.fields.String(required=True, metadata={"example": "J.620100.004.02"})
    title_id = ma.fields.String(required=True)
    title_en = ma.fields.String(required=True)


class UnitElementSchema(ma.Schema):
    title = ma.fields.String(required=True)
    criteria = ma.fields.List(ma.fields.String(), required=True)


class UnitDetailSchema(CourseUnitSchema):
    elements = ma.fields.List(ma.fields.Nested(UnitElementSchema), required=True)


class LessonOutlineSchema(ma.Schema):
    id = Int32(required=True)
    key = ma.fields.String(required=True)
    position = Int32(required=True)
    title = ma.fields.String(required=True)
    duration_minutes = Int32(required=True)
    required = ma.fields.Boolean(required=True)


class ModuleOutlineSchema(ma.Schema):
    id = Int32(required=True)
    key = ma.fields.String(required=True)
    position = Int32(required=True)
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    lessons = ma.fields.List(ma.fields.Nested(LessonOutlineSchema), required=True)


class CourseVersionSchema(ma.Schema):
    id = Int32(required=True)
    number = Int32(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(STATES)})
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    sector = ma.fields.String(required=True, metadata={"enum": list(SECTORS)})
    sector_label = ma.fields.Method("get_sector_label", required=True)
    level = Int32(required=True, metadata={"description": "KKNI level 1-9"})
    hours = Int32(required=True, metadata={"description": "Training hours (JP)"})
    language = ma.fields.String(required=True)
    validity_months = Int32(required=True)
    cover_url = ma.fields.Method("get_cover_url", allow_none=True)
    published_at = ma.fields.DateTime(allow_none=True)
    units = ma.fields.List(ma.fields.Nested(CourseUnitSchema), required=True)
    modules = ma.fields.List(ma.fields.Nested(ModuleOutlineSchema), required=True)

    def get_sector_label(self, version: Any) -> str:
        return sector_label(version.sector)

    def get_cover_url(self, version: Any) -> str | None:
        return url_for("courses.file", token=version.cover.token) if version.cover else None


class CourseSummarySchema(ma.Schema):
    """A course in the catalogue."""

    id = Int32(required=True)
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    sector = ma.fields.String(required=True)
    level = Int32(required=True)
    hours = Int32(required=True)
    language = ma.fields.String(required=True)
    version = Int32(required=True)
    self_paced = ma.fields.Boolean(required=True)
    institution = ma.fields.Nested(CourseInstitutionSchema, required=True)


class CataloguePageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CourseSummarySchema), required=True)
    total = Int32(required=True)
    page = Int32(required=True)
    pages = Int32(required=True)


class InstructorRefSchema(ma.Schema):
    id = Int32(required=True)
    full_name = ma.fields.String(required=True)


class VersionRefSchema(ma.Schema):
    number = Int32(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(STATES)})
    published_at = ma.fields.DateTime(allow_none=True)


class CourseDetailSchema(ma.Schema):
    id = Int32(required=True)
    code = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": list(STATES)})
    self_paced = ma.fields.Boolean(required=True)
    self_enrolment = ma.fields.Boolean(required=True)
    certificate_kind = ma.fields.String(required=True, metadata={"enum": list(CERTIFICATE_KINDS)})
    institution = ma.fields.Nested(CourseInstitutionSchema, required=True)
    instructors = ma.fields.List(ma.fields.Nested(InstructorRefSchema), required=True)
    version = ma.fields.Nested(
        CourseVersionSchema,
        required=True,
        metadata={
            "description": "The published version; for editors of a draft course, the latest."
        },
    )
    versions = ma.fields.List(ma.fields.Nested(VersionRefSchema), required=True)


class LessonContentSchema(LessonOutlineSchema):
    module_id = Int32(required=True)
    version = Int32(required=True, metadata={"description": "Version number"})
    body = ma.fields.String(required=True, metadata={"description": "Markdown source"})
    html = ma.fields.String(required=True, metadata={"description": "Sanitised HTML"})


class CourseAttachmentSchema(ma.Schema):
    id = Int32(required=True)
    name = ma.fields.String(required=True)
    content_type = ma.fields.String(required=True)
    size = Int32(required=True)
    sha256 = ma.fields.String(required=True)
    url = ma.fields.Method("get_url", required=True)
    markdown = ma.fields.Method("get_markdown", required=True)

    def get_url(self, item: Any) -> str:
        return url_for("courses.file", token=item.token)

    def get_markdown(self, item: Any) -> str:
        prefix = "!" if item.is_image else ""
        return f"{prefix}[{item.name}](attachment:{item.name})"


class CourseCohortSchema(ma.Schema):
    id = Int32(required=True)
    name = ma.fields.String(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    capacity = Int32(allow_none=True)
    seats_taken = Int32(required=True)
    enrolment_open = ma.fields.Boolean(required=True)


class CourseEnrollmentSchema(ma.Schema):
    id = Int32(required=True)
    user_id = Int32(required=True)
    course_id = Int32(required=True)
    cohort_id = Int32(allow_none=True)
    version = ma.fields.Method("get_version_number", required=True)
    status = ma.fields.String(
        required=True, metadata={"enum": ["active", "waiting", "completed", "withdrawn"]}
    )
    created_at = ma.fields.DateTime(required=True)
    completed_at = ma.fields.DateTime(allow_none=True)
    last_lesson_id = Int32(allow_none=True)

    def get_version_number(self, enrollment: Any) -> int:
        return enrollment.course_version.number


class ModuleProgressSchema(ma.Schema):
    module_id = Int32(required=True)
    done = Int32(required=True)
    total = Int32(required=True)
    percent = Int32(required=True)


class CourseProgressSchema(ma.Schema):
    enrollment = ma.fields.Nested(CourseEnrollmentSchema, required=True)
    done = Int32(required=True)
    total = Int32(required=True)
    percent = Int32(required=True)
    completed_lesson_ids = ma.fields.List(Int32(), required=True)
    resume_lesson_id = Int32(allow_none=True)
    modules = ma.fields.List(ma.fields.Nested(ModuleProgressSchema), required=True)
    newly_completed = ma.fields.Boolean(
        load_default=False, metadata={"description": "This call completed the course."}
    )


class UnitPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UnitDetailSchema), required=True)
    total = Int32(required=True)
    page = Int32(required=True)
    pages = Int32(required=True)


class UnitImportResultSchema(ma.Schema):
    created = ma.fields.List(ma.fields.String(), required=True)
    updated = ma.fields.List(ma.fields.String(), required=True)


# Input -----------------------------------------------------------------------------------


class CatalogueArgsSchema(_In):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))
    institution = ma.fields.String(load_default="", metadata={"description": "Institution slug"})
    province = ma.fields.String(load_default="")
    sector = ma.fields.String(load_default="", validate=ma.validate.OneOf(["", *SECTORS]))
    level = Int32(load_default=None, validate=ma.validate.OneOf(LEVELS))
    page = Int32(load_default=1, validate=ma.validate.Range(min=1, max=10000))
    per_page = Int32(load_default=20, validate=ma.validate.Range(min=1, max=100))


class CourseCreateSchema(_In):
    institution_id = Int32(
        metadata={"description": "Platform admins only; others create in their own institution."}
    )
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=2, max=40))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    summary = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    sector = ma.fields.String(required=True, validate=ma.validate.OneOf(list(SECTORS)))
    level = Int32(load_default=2, strict=True, validate=ma.validate.OneOf(LEVELS))
    hours = Int32(load_default=0, strict=True, validate=ma.validate.Range(min=0, max=5000))
    language = ma.fields.String(load_default="id", validate=ma.validate.OneOf(list(LANGUAGES)))
    validity_months = Int32(
        load_default=36, strict=True, validate=ma.validate.Range(min=1, max=120)
    )
    unit_codes = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=32)), load_default=list
    )
    self_paced = ma.fields.Boolean(load_default=True)
    self_enrolment = ma.fields.Boolean(load_default=True)
    certificate_kind = ma.fields.String(
        load_default="training",
        validate=ma.validate.OneOf(list(CERTIFICATE_KINDS)),
        metadata={
            "description": "The document it leads to: a training certificate (the training "
            "was completed) or a competency certificate (every unit assessed and judged K; "
            "publishing then needs an assessment covering every unit)."
        },
    )


class CourseUpdateSchema(_In):
    """Details go to the draft version (created if needed); self_paced, self_enrolment and
    certificate_kind are course settings and change at once."""

    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    summary = ma.fields.String(validate=ma.validate.Length(max=5000))
    sector = ma.fields.String(validate=ma.validate.OneOf(list(SECTORS)))
    level = Int32(strict=True, validate=ma.validate.OneOf(LEVELS))
    hours = Int32(strict=True, validate=ma.validate.Range(min=0, max=5000))
    language = ma.fields.String(validate=ma.validate.OneOf(list(LANGUAGES)))
    validity_months = Int32(strict=True, validate=ma.validate.Range(min=1, max=120))
    unit_codes = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=32)))
    cover_attachment_id = Int32(allow_none=True)
    self_paced = ma.fields.Boolean()
    self_enrolment = ma.fields.Boolean()
    certificate_kind = ma.fields.String(
        validate=ma.validate.OneOf(list(CERTIFICATE_KINDS)),
        metadata={
            "description": "The document it leads to: a training certificate (the training "
            "was completed) or a competency certificate (every unit assessed and judged K; "
            "publishing then needs an assessment covering every unit)."
        },
    )


class CourseInstructorsSchema(_In):
    user_ids = ma.fields.List(Int32(), required=True)


class ModuleInputSchema(_In):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    summary = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class ModuleUpdateSchema(_In):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    summary = ma.fields.String(validate=ma.validate.Length(max=5000))


class LessonInputSchema(_In):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    body = ma.fields.String(load_default="", validate=ma.validate.Length(max=200_000))
    duration_minutes = Int32(
        load_default=10, strict=True, validate=ma.validate.Range(min=0, max=6000)
    )
    required = ma.fields.Boolean(load_default=True)


class LessonUpdateSchema(_In):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    body = ma.fields.String(validate=ma.validate.Length(max=200_000))
    duration_minutes = Int32(strict=True, validate=ma.validate.Range(min=0, max=6000))
    required = ma.fields.Boolean()
    module_id = Int32(metadata={"description": "Move to this module of the same draft"})


class OutlineOrderSchema(_In):
    ids = ma.fields.List(
        Int32(),
        required=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "Every module (or lesson) id exactly once, in the new order."},
    )


class CourseUploadSchema(ma.Schema):
    file = Upload(required=True)


class CourseImportFormSchema(_In):
    institution_id = Int32()
    code = ma.fields.String(validate=ma.validate.Length(min=2, max=40))


class CourseCohortInputSchema(_In):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    capacity = Int32(load_default=None, allow_none=True, strict=True)
    enrolment_open = ma.fields.Boolean(load_default=True)


class CourseCohortUpdateSchema(_In):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    capacity = Int32(allow_none=True, strict=True)
    enrolment_open = ma.fields.Boolean()


class EnrolInputSchema(_In):
    cohort_id = Int32(load_default=None, allow_none=True)
    user_id = Int32(
        load_default=None,
        allow_none=True,
        metadata={"description": "Staff only: enrol this trainee."},
    )


class UnitInputSchema(_In):
    code = ma.fields.String(required=True, metadata={"example": "J.620100.004.02"})
    title_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    title_en = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    elements = ma.fields.List(ma.fields.Nested(UnitElementSchema), load_default=list)


class UnitUpdateSchema(_In):
    title_id = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    title_en = ma.fields.String(validate=ma.validate.Length(max=300))
    elements = ma.fields.List(ma.fields.Nested(UnitElementSchema))


class UnitArgsSchema(_In):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100))
    page = Int32(load_default=1, validate=ma.validate.Range(min=1, max=10000))
