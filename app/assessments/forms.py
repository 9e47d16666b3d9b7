"""Web forms (CSRF-protected). The attempt page itself is read field by field by
answer_form.py, because its inputs depend on each question's type."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, FloatField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

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
    file = FileField(_l("Question file"), validators=[DataRequired(REQUIRED)])
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice("gift", _l("GIFT")), SelectChoice("moodle_xml", _l("Moodle XML"))],
        default="gift",
        validators=[DataRequired(REQUIRED)],
    )


class ConfirmImportForm(FlaskForm):
    content = TextAreaField(validators=[DataRequired(REQUIRED)])
    format = StringField(validators=[DataRequired(REQUIRED)])
