"""Marshmallow schemas of the assessments API. Output schemas are whitelists: learner-facing
ones name no answer key, correctness flag or feedback; those appear only inside `result`,
built by views.result_view as far as the review options allow."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.assessments.models import GRADING_METHODS, KINDS, REVIEW_WHEN
from app.schemas_common import Int32


class ChoiceViewSchema(ma.Schema):
    id = fields.String()
    text_html = fields.String()


class LearnerQuestionSchema(ma.Schema):
    id = Int32()
    position = Int32()
    type = fields.String()
    stem_html = fields.String()
    points = fields.Float()
    choices = fields.List(fields.Nested(ChoiceViewSchema), allow_none=True)
    prompts = fields.List(fields.Nested(ChoiceViewSchema), allow_none=True)
    options = fields.List(fields.Nested(ChoiceViewSchema), allow_none=True)
    answer = fields.Raw(allow_none=True, metadata={"description": "Your saved answer"})
    seq = Int32(metadata={"description": "Sequence number of the saved answer"})


class UnitResultSchema(ma.Schema):
    code = fields.String()
    score = fields.Float()
    max_score = fields.Float()


class ResultSchema(ma.Schema):
    submitted_at = fields.DateTime()
    closed_by = fields.String()
    marks_visible = fields.Boolean()
    answers_visible = fields.Boolean()
    feedback_visible = fields.Boolean()
    score = fields.Float()
    max_score = fields.Float()
    percent = fields.Float()
    passed = fields.Boolean(allow_none=True)
    pending_manual = fields.Boolean()
    units = fields.List(fields.Nested(UnitResultSchema))
    review = fields.List(
        fields.Dict(),
        metadata={"description": "Per question, only what the review options allow now"},
    )


class AttemptSchema(ma.Schema):
    id = Int32()
    assessment_id = Int32()
    title = fields.String()
    number = Int32()
    status = fields.String()
    started_at = fields.DateTime()
    deadline = fields.DateTime(allow_none=True)
    now = fields.DateTime(metadata={"description": "The server's clock"})
    grace_seconds = Int32()
    questions = fields.List(fields.Nested(LearnerQuestionSchema))
    result = fields.Nested(ResultSchema)


class AnswerInSchema(ma.Schema):
    value = fields.Raw(required=True, allow_none=True)
    seq = Int32(required=True, strict=True, validate=validate.Range(min=1))


class AnswerSavedSchema(ma.Schema):
    question_id = Int32()
    seq = Int32(metadata={"description": "The sequence number now stored"})
    applied = fields.Boolean(
        metadata={
            "description": "True when the stored answer is the one sent (also on a resend of"
            " the same seq and value); false when a newer answer was kept"
        }
    )
    saved_at = fields.DateTime()


class AssessmentSchema(ma.Schema):
    id = Int32()
    course_id = Int32()
    module_id = Int32(allow_none=True)
    title = fields.String()
    kind = fields.String()
    required = fields.Boolean()
    published = fields.Boolean()
    pass_mark = fields.Float()
    time_limit_minutes = Int32(allow_none=True)
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    max_attempts = Int32(allow_none=True)
    grading_method = fields.String()
    review_marks = fields.String()
    review_answers = fields.String()
    review_feedback = fields.String()


class DrawRuleSchema(ma.Schema):
    unit_id = Int32(required=True)
    count = Int32(required=True, validate=validate.Range(min=1, max=200))


class AssessmentInSchema(ma.Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(load_default="quiz", validate=validate.OneOf(KINDS))
    module_id = Int32(allow_none=True)
    bank_id = Int32(allow_none=True)
    required = fields.Boolean(load_default=True)
    published = fields.Boolean(load_default=False)
    pass_mark = fields.Float(load_default=70.0, validate=validate.Range(min=0, max=100))
    time_limit_minutes = Int32(allow_none=True, validate=validate.Range(min=1, max=1440))
    opens_at = fields.AwareDateTime(allow_none=True)
    closes_at = fields.AwareDateTime(allow_none=True)
    max_attempts = Int32(allow_none=True, validate=validate.Range(min=1, max=100))
    grading_method = fields.String(load_default="highest", validate=validate.OneOf(GRADING_METHODS))
    draw = fields.List(fields.Nested(DrawRuleSchema), load_default=list)
    shuffle_questions = fields.Boolean(load_default=True)
    shuffle_choices = fields.Boolean(load_default=True)
    review_marks = fields.String(load_default="after_submit", validate=validate.OneOf(REVIEW_WHEN))
    review_answers = fields.String(load_default="after_close", validate=validate.OneOf(REVIEW_WHEN))
    review_feedback = fields.String(
        load_default="after_close", validate=validate.OneOf(REVIEW_WHEN)
    )
    requires_id = Int32(allow_none=True)


class QuestionInSchema(ma.Schema):
    type = fields.String(required=True)
    name = fields.String(load_default="", validate=validate.Length(max=255))
    definition = fields.Dict(required=True)
    unit_ids = fields.List(Int32(), load_default=list)


class QuestionUpdateSchema(ma.Schema):
    definition = fields.Dict(required=True)
    unit_ids = fields.List(Int32(), load_default=None, allow_none=True)


class QuestionSchema(ma.Schema):
    """For authors only: includes the key."""

    id = Int32()
    bank_id = Int32()
    type_key = fields.String(data_key="type")
    name = fields.String()
    definition = fields.Dict()
    version = Int32()
    updated_at = fields.DateTime()
    unit_codes = fields.Function(lambda q: [unit.code for unit in q.units])


class ImportErrorSchema(ma.Schema):
    line_or_index = Int32()
    message = fields.String()


class ImportInSchema(ma.Schema):
    format = fields.String(required=True, validate=validate.OneOf(("gift", "moodle_xml")))
    dry_run = fields.Boolean(load_default=False)


class ImportResultSchema(ma.Schema):
    imported = Int32()
    dry_run = fields.Boolean()
    question_ids = fields.List(Int32())
    errors = fields.List(fields.Nested(ImportErrorSchema))


class ManualGradeInSchema(ma.Schema):
    score = fields.Float(required=True, allow_nan=False)
    feedback = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class JudgementInSchema(ma.Schema):
    enrollment_id = Int32(required=True)
    unit_id = Int32(required=True)
    result = fields.String(required=True, validate=validate.OneOf(("K", "BK")))
    evidence = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    judged_on = fields.Date(required=True)
    place = fields.String(required=True, validate=validate.Length(min=1, max=200))


class JudgementSchema(ma.Schema):
    id = Int32()
    enrollment_id = Int32()
    unit_code = fields.Function(lambda j: j.unit.code)
    round = Int32()
    supersedes_id = Int32(allow_none=True)
    result = fields.String()
    evidence = fields.String()
    judged_on = fields.Date()
    place = fields.String()
    assessor_name = fields.Function(lambda j: j.assessor.full_name)


class AppealInSchema(ma.Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AppealSchema(ma.Schema):
    id = Int32()
    judgement_id = Int32()
    reason = fields.String()
    created_at = fields.DateTime()
    resolved_by_id = Int32(allow_none=True)


class ItemStatSchema(ma.Schema):
    question_id = Int32()
    name = fields.String()
    attempts = Int32()
    facility = fields.Float()
    discrimination = fields.Float(allow_none=True)


class UnitRateSchema(ma.Schema):
    code = fields.String()
    passed = Int32()
    attempts = Int32()
    rate = fields.Float()


class StatisticsSchema(ma.Schema):
    items = fields.List(fields.Nested(ItemStatSchema))
    units = fields.List(fields.Nested(UnitRateSchema))


class BankInSchema(ma.Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class BankSchema(ma.Schema):
    id = Int32()
    course_id = Int32()
    name = fields.String()


class AssignmentInSchema(ma.Schema):
    assessor_id = Int32(required=True)
    cohort_id = Int32(load_default=None, allow_none=True)


class AssignmentSchema(ma.Schema):
    id = Int32()
    assessment_id = Int32()
    assessor_id = Int32()
    cohort_id = Int32(allow_none=True)
