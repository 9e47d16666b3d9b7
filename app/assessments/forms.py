"""Web forms (CSRF-protected). The attempt page itself is read field by field by
answer_form.py, because its inputs depend on each question's type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

REQUIRED = _l("This field is required.")


class JudgementForm(FlaskForm):
    result = RadioField(
        _l("Result"),
        choices=[
            SelectChoice("K", _l("Kompeten (K)")),
            SelectChoice("BK", _l("Belum Kompeten (BK)")),
        ],
        validators=[DataRequired(REQUIRED)],
    )
    evidence = TextAreaField(
        _l("Evidence notes"), validators=[DataRequired(REQUIRED), Length(max=10000)]
    )
    judged_on = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=200)])


class AppealForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you appeal?"), validators=[DataRequired(REQUIRED), Length(max=5000)]
    )


class ManualGradeForm(FlaskForm):
    score = FloatField(_l("Score"), validators=[InputRequired(REQUIRED), NumberRange(min=0)])
    feedback = TextAreaField(_l("Feedback"), validators=[Length(max=5000)])


class BankForm(FlaskForm):
    name = StringField(_l("Bank name"), validators=[DataRequired(REQUIRED), Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(_l("Question file"))
    text = TextAreaField(
        _l("Or write the questions here"),
        description=_l(
            "In GIFT, one question per paragraph, e.g. ::Name:: Question text {=right ~wrong}"
        ),
        validators=[Length(max=200_000)],
    )
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice("gift", _l("GIFT")), SelectChoice("moodle_xml", _l("Moodle XML"))],
        default="gift",
        validators=[DataRequired(REQUIRED)],
    )

    def validate(  # type: ignore[override]
        self, extra_validators: dict[str, list[Callable[..., object]]] | None = None
    ) -> bool:
        if not super().validate(extra_validators):
            return False
        if (
            not (self.file.data and getattr(self.file.data, "filename", ""))
            and not (self.text.data or "").strip()
        ):
            self.file.errors = [_l("Choose a file or write the questions.")]
            return False
        return True


class AssignAssessorForm(FlaskForm):
    assessor_id = SelectField(_l("Assessor"), coerce=int)
    cohort_id = SelectField(_l("Cohort"), coerce=int)


class QuestionEditForm(FlaskForm):
    definition = TextAreaField(
        _l("Question (JSON)"), validators=[DataRequired(REQUIRED), Length(max=100_000)]
    )


class ConfirmImportForm(FlaskForm):
    content = TextAreaField(validators=[DataRequired(REQUIRED)])
    format = StringField(validators=[DataRequired(REQUIRED)])


REVIEW_CHOICES = [
    SelectChoice("never", _l("Never")),
    SelectChoice("after_submit", _l("After the attempt is submitted")),
    SelectChoice("after_close", _l("After the assessment closes")),
]


def jakarta_to_utc(value: datetime | None) -> datetime | None:
    """A time typed in the form (Western Indonesian Time) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(UTC)


def utc_to_jakarta(value: datetime | None) -> datetime | None:
    """A stored UTC time as the naive WIB time the form shows."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo("Asia/Jakarta")).replace(tzinfo=None)


class AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = RadioField(
        _l("Kind"),
        choices=[
            SelectChoice("quiz", _l("Quiz")),
            SelectChoice("theory", _l("Theory exam")),
            SelectChoice("practical", _l("Practical assessment")),
        ],
        default="theory",
        validators=[DataRequired(REQUIRED)],
    )
    bank_id = SelectField(_l("Question bank"), coerce=int)
    requires_id = SelectField(_l("Must be passed first"), coerce=int)
    required = BooleanField(_l("Required for completing the course"), default=True)
    published = BooleanField(_l("Published (trainees can see it)"))
    pass_mark = FloatField(
        _l("Pass mark (%)"), default=70, validators=[InputRequired(REQUIRED), NumberRange(0, 100)]
    )
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"), validators=[Optional(), NumberRange(1, 1440)]
    )
    max_attempts = IntegerField(
        _l("Attempts allowed"), validators=[Optional(), NumberRange(1, 100)]
    )
    opens_at = DateTimeLocalField(_l("Opens (WIB)"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes (WIB)"), validators=[Optional()])
    grading_method = RadioField(
        _l("Grade that counts"),
        choices=[
            SelectChoice("highest", _l("The highest attempt")),
            SelectChoice("last", _l("The last attempt")),
        ],
        default="highest",
    )
    shuffle_questions = BooleanField(_l("Shuffle the questions"), default=True)
    shuffle_choices = BooleanField(_l("Shuffle the choices"), default=True)
    review_marks = SelectField(_l("Show marks"), choices=REVIEW_CHOICES, default="after_submit")
    review_answers = SelectField(
        _l("Show correct answers"), choices=REVIEW_CHOICES, default="after_close"
    )
    review_feedback = SelectField(
        _l("Show feedback"), choices=REVIEW_CHOICES, default="after_close"
    )
