"""Marshmallow schemas of the placement JSON API. Output schemas are whitelists."""

from __future__ import annotations

import marshmallow as ma

from app.placement.models.counselling import READINESS, ROUTES
from app.placement.models.employers import APPLICATION_STATUSES
from app.placement.models.profile import CONSENT_ITEMS
from app.placement.models.survey import EMPLOYMENT_STATUSES, WAGE_BANDS
from app.schemas_common import Int32

V = ma.validate
CODES = ma.fields.List(ma.fields.String(validate=V.Length(max=32)), load_default=list)


class ProfileSchema(ma.Schema):
    education = ma.fields.String(validate=V.Length(max=200))
    experience = ma.fields.String(validate=V.Length(max=4000))
    skills = ma.fields.String(validate=V.Length(max=4000))
    city = ma.fields.String(validate=V.Length(max=80))
    province = ma.fields.String(validate=V.Length(max=80))
    desired_sectors = ma.fields.List(ma.fields.String(validate=V.Length(max=40)))
    willing_abroad = ma.fields.Boolean()
    abroad_countries = ma.fields.List(ma.fields.String(validate=V.Length(equal=2)))
    languages = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    consents = ma.fields.Dict(
        keys=ma.fields.String(validate=V.OneOf(CONSENT_ITEMS)), values=ma.fields.Boolean()
    )
    open_to_offers = ma.fields.Boolean()


class CounsellingInSchema(ma.Schema):
    job_seeker_email = ma.fields.Email(required=True)
    readiness = ma.fields.String(required=True, validate=V.OneOf(READINESS))
    route = ma.fields.String(required=True, validate=V.OneOf(ROUTES))
    intake = ma.fields.String(load_default="", validate=V.Length(max=4000))
    notes = ma.fields.String(load_default="", validate=V.Length(max=4000))
    target_units = CODES
    course_ids = ma.fields.List(Int32(), load_default=list)
    follow_up_on = ma.fields.Date(load_default=None, allow_none=True)


class RecommendationSchema(ma.Schema):
    course_id = Int32()
    course_code = ma.fields.Function(lambda r: r.course.code)
    closes_units = ma.fields.List(ma.fields.String())


class SessionSchema(ma.Schema):
    id = Int32()
    job_seeker_id = Int32()
    institution_id = Int32()
    readiness = ma.fields.String()
    route = ma.fields.String()
    missing_units = ma.fields.List(ma.fields.String())
    recommendations = ma.fields.List(ma.fields.Nested(RecommendationSchema))
    follow_up_on = ma.fields.Date(allow_none=True)
    follow_up_done_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


class CaseloadRowSchema(ma.Schema):
    session = ma.fields.Nested(SessionSchema)
    overdue = ma.fields.Boolean()


class VacancyInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=V.Length(min=1, max=200))
    description = ma.fields.String(load_default="", validate=V.Length(max=4000))
    city = ma.fields.String(load_default="", validate=V.Length(max=80))
    province = ma.fields.String(load_default="", validate=V.Length(max=80))
    sector = ma.fields.String(load_default="", validate=V.Length(max=40))
    openings = Int32(load_default=1)
    closes_on = ma.fields.Date(required=True)
    location_type = ma.fields.String(
        load_default="domestic", validate=V.OneOf(("domestic", "overseas"))
    )
    country = ma.fields.String(load_default="ID", validate=V.Length(equal=2))
    required_units = CODES
    preferred_units = CODES


class VacancySchema(ma.Schema):
    id = Int32()
    title = ma.fields.String()
    company = ma.fields.Function(lambda v: v.company.name)
    city = ma.fields.String()
    province = ma.fields.String()
    sector = ma.fields.String()
    openings = Int32()
    closes_on = ma.fields.Date()
    location_type = ma.fields.String()
    country = ma.fields.String()
    required_units = ma.fields.Function(lambda v: v.unit_codes("required"))
    preferred_units = ma.fields.Function(lambda v: v.unit_codes("preferred"))


class ExplanationSchema(ma.Schema):
    required_share = ma.fields.Float()
    percent = Int32()
    matched_required = ma.fields.List(ma.fields.String())
    missing_required = ma.fields.List(ma.fields.String())
    matched_preferred = ma.fields.List(ma.fields.String())
    missing_preferred = ma.fields.List(ma.fields.String())
    place = Int32()
    sector = Int32()


class CandidateMatchSchema(ma.Schema):
    rank = Int32()
    user_id = Int32(
        allow_none=True, metadata={"description": "null unless applied or consented to name"}
    )
    name = ma.fields.String(
        allow_none=True, metadata={"description": "null unless applied or consented to name"}
    )
    applied = ma.fields.Boolean()
    application_id = Int32(allow_none=True)
    status = ma.fields.String(allow_none=True)
    profile = ma.fields.Dict()
    explanation = ma.fields.Nested(ExplanationSchema)


class GapCourseSchema(ma.Schema):
    course_id = Int32()
    title = ma.fields.String()
    closes_units = ma.fields.List(ma.fields.String())


class VacancyMatchSchema(ma.Schema):
    rank = Int32()
    vacancy = ma.fields.Nested(VacancySchema)
    explanation = ma.fields.Nested(ExplanationSchema)
    gap_courses = ma.fields.List(ma.fields.Nested(GapCourseSchema))
    uncovered_units = ma.fields.List(ma.fields.String())


class ApplyInSchema(ma.Schema):
    certificate_ids = ma.fields.List(Int32(), load_default=list)
    cover_note = ma.fields.String(load_default="", validate=V.Length(max=2000))


class LiveCertificateSchema(ma.Schema):
    id = Int32()
    number = ma.fields.String()
    code = ma.fields.String()
    title = ma.fields.String()
    unit_codes = ma.fields.List(ma.fields.String())
    valid_until = ma.fields.DateTime()
    status = ma.fields.String(metadata={"description": "Read live at each request."})


class ApplicationSchema(ma.Schema):
    id = Int32()
    vacancy_id = Int32()
    user_id = Int32()
    status = ma.fields.String()
    created_at = ma.fields.DateTime()
    certificates = ma.fields.List(ma.fields.Nested(LiveCertificateSchema))


class StatusInSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=V.OneOf(APPLICATION_STATUSES))


class SurveyAnswerSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=V.OneOf(EMPLOYMENT_STATUSES))
    employer_name = ma.fields.String(load_default="", validate=V.Length(max=200))
    sector = ma.fields.String(load_default=None, allow_none=True)
    wage_band = ma.fields.String(load_default=None, allow_none=True, validate=V.OneOf(WAGE_BANDS))
    relevance = Int32(required=True, validate=V.Range(min=1, max=5))
    months_to_job = Int32(load_default=None, allow_none=True)


class SurveyAnsweredSchema(ma.Schema):
    id = Int32()
    wave_months = Int32()
    answered_at = ma.fields.DateTime()


class CandidateSchema(ma.Schema):
    id = Int32()
    programme_id = Int32()
    programme = ma.fields.Function(lambda c: c.programme.name)
    country = ma.fields.Function(lambda c: c.programme.country)
    status = ma.fields.String()
    progress = ma.fields.Function(lambda c: [{"stage": s, "result": r} for s, r in c.progress()])


class DashboardSchema(ma.Schema):
    total = ma.fields.Dict()
    groups = ma.fields.Dict()
    blk_komunitas = ma.fields.Dict()
    response_rates = ma.fields.List(ma.fields.Dict())
