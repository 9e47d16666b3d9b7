"""Web forms for placement. Choices are SelectChoice objects (tuples are deprecated)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.courses.vocab import SECTORS
from app.placement import vocab
from app.placement.models.overseas import STAGE_RESULTS
from app.placement.models.profile import CONSENT_ITEMS

REQUIRED = _l("This field is required.")


def choices(table: dict, blank: str | None = None) -> list[SelectChoice]:
    out = [SelectChoice("", blank)] if blank is not None else []
    return out + [SelectChoice(key, label) for key, label in table.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(FlaskForm):
    education = StringField(_l("Education"), validators=[Length(max=200)])
    experience = TextAreaField(_l("Experience"), validators=[Length(max=4000)])
    skills = TextAreaField(_l("Skills"), validators=[Length(max=4000)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    province = StringField(_l("Province"), validators=[Length(max=80)])
    desired_sectors = MultiCheckboxField(_l("Desired sectors"), choices=choices(SECTORS))
    willing_abroad = BooleanField(_l("I am willing to work abroad"))
    abroad_countries = MultiCheckboxField(_l("Countries"), choices=choices(vocab.COUNTRY_LABELS))
    languages = StringField(
        _l("Languages"),
        validators=[Length(max=200)],
        description=_l("Code and level, for example ja:N4, en:B1."),
    )
    consents = MultiCheckboxField(
        _l("Employers may see"),
        choices=[SelectChoice(item, vocab.ITEM_LABELS[item]) for item in CONSENT_ITEMS],
    )
    open_to_offers = BooleanField(_l("Employers may find me for vacancies I have not applied for"))


class CounsellingForm(FlaskForm):
    email = EmailField(_l("Job seeker's e-mail"), validators=[DataRequired(REQUIRED)])
    intake = TextAreaField(_l("Intake"), validators=[Length(max=4000)])
    readiness = RadioField(
        _l("Readiness"),
        choices=choices(vocab.READINESS_LABELS),
        validators=[InputRequired(REQUIRED)],
    )
    route = RadioField(
        _l("Route decided"),
        choices=choices(vocab.ROUTE_LABELS),
        validators=[InputRequired(REQUIRED)],
    )
    target_units = StringField(
        _l("Competency units needed for the work sought"),
        description=_l("Unit codes separated by commas, for example J.620100.004.01."),
    )
    courses = MultiCheckboxField(_l("Recommended courses"), coerce=int, choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)])
    follow_up_on = DateField(_l("Follow-up date"), validators=[Optional()])


class CompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=choices(SECTORS, blank="—"))
    city = StringField(_l("City"), validators=[Length(max=80)])
    province = StringField(_l("Province"), validators=[Length(max=80)])
    website = StringField(_l("Website"), validators=[Length(max=200)])
    description = TextAreaField(_l("About the company"), validators=[Length(max=4000)])


class VacancyForm(FlaskForm):
    title = StringField(_l("Job title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    province = StringField(_l("Province"), validators=[Length(max=80)])
    sector = SelectField(_l("Sector"), choices=choices(SECTORS, blank="—"))
    required_units = StringField(
        _l("Required competency units"),
        description=_l("Unit codes separated by commas, for example J.620100.004.01."),
    )
    preferred_units = StringField(_l("Preferred competency units"))
    openings = IntegerField(
        _l("Openings"), default=1, validators=[InputRequired(REQUIRED), NumberRange(min=1)]
    )
    closes_on = DateField(_l("Closing date"), validators=[InputRequired(REQUIRED)])
    location_type = RadioField(
        _l("Where"),
        choices=[
            SelectChoice("domestic", _l("In Indonesia")),
            SelectChoice("overseas", _l("Abroad")),
        ],
        default="domestic",
    )
    country = SelectField(_l("Country"), choices=choices(vocab.COUNTRY_LABELS, blank="—"))


class ApplyForm(FlaskForm):
    certificate_ids = MultiCheckboxField(_l("Certificates to show"), coerce=int, choices=[])
    cover_note = TextAreaField(_l("A short note to the employer"), validators=[Length(max=2000)])


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=choices(vocab.APPLICATION_LABELS))


class ProgrammeForm(FlaskForm):
    name = StringField(_l("Programme name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    country = SelectField(_l("Country"), choices=choices(vocab.COUNTRY_LABELS))
    partner = StringField(_l("Partner organisation"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"))
    language = StringField(_l("Language code"), validators=[Length(max=5)])
    min_language_level = StringField(_l("Minimum language level"), validators=[Length(max=5)])
    min_hours = IntegerField(_l("Minimum training hours (JP)"), default=0)
    course_ids = MultiCheckboxField(_l("Required courses"), coerce=int, choices=[])
    stages = MultiCheckboxField(_l("Selection stages"), choices=choices(vocab.STAGE_LABELS))


class CandidateForm(FlaskForm):
    email = EmailField(_l("Candidate's e-mail"), validators=[DataRequired(REQUIRED)])


class StageForm(FlaskForm):
    stage = SelectField(_l("Stage"), choices=choices(vocab.STAGE_LABELS))
    result = SelectField(
        _l("Result"),
        choices=[SelectChoice(r, vocab.STAGE_RESULT_LABELS[r]) for r in STAGE_RESULTS],
    )
    note = StringField(_l("Note"), validators=[Length(max=500)])


class SurveyForm(FlaskForm):
    status = RadioField(
        _l("What are you doing now?"),
        choices=choices(vocab.EMPLOYMENT_LABELS),
        validators=[InputRequired(REQUIRED)],
    )
    employer_name = StringField(_l("Employer or business name"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector of your work"), choices=choices(SECTORS, blank="—"))
    wage_band = SelectField(_l("Monthly income"), choices=choices(vocab.WAGE_LABELS, blank="—"))
    months_to_job = IntegerField(
        _l("Months from the end of training to your first job"), validators=[Optional()]
    )
    relevance = RadioField(
        _l("How relevant was the training to your work?"),
        choices=choices(vocab.RELEVANCE_LABELS),
        validators=[InputRequired(REQUIRED)],
    )
