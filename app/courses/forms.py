"""Web forms of the courses feature. They check shape; the services check the rules."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.courses.vocab import DEFAULT_VALIDITY_MONTHS, LANGUAGES, LEVELS, SECTORS, level_label

REQUIRED = _l("This field is required.")


def sector_choices() -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in SECTORS.items()]


def level_choices() -> list[SelectChoice]:
    return [SelectChoice(str(level), level_label(level)) for level in LEVELS]


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in LANGUAGES.items()]


class VersionForm(FlaskForm):
    """The details that belong to a version (frozen on publication)."""

    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5000)])
    sector = SelectField(_l("Sector"), choices=sector_choices)
    level = SelectField(_l("Level"), choices=level_choices, coerce=int, default=2)
    hours = IntegerField(
        _l("Training hours (JP)"),
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=5000)],
    )
    language = SelectField(_l("Language"), choices=language_choices, default="id")
    validity_months = IntegerField(
        _l("Certificate validity (months)"),
        default=DEFAULT_VALIDITY_MONTHS,
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=120)],
    )
    unit_codes = TextAreaField(
        _l("Competency units"),
        description=_l("Unit codes, one per line, e.g. J.620100.004.02."),
    )
    cover = SelectField(_l("Cover image"), choices=[], validate_choice=True)


def certificate_kind_field() -> SelectField:
    return SelectField(
        _l("The course leads to"),
        choices=[
            SelectChoice(
                "training",
                _l("Training certificate (Sertifikat Pelatihan): the training was completed"),
            ),
            SelectChoice(
                "competency",
                _l(
                    "Competency certificate (Sertifikat Kompetensi): every unit assessed and "
                    "judged Competent; an assessment must cover every unit before publishing"
                ),
            ),
        ],
        default="training",
    )


class CourseForm(VersionForm):
    code = StringField(
        _l("Course code"),
        validators=[DataRequired(REQUIRED), Length(max=40)],
        description=_l("Unique within your institution, e.g. JWD-01."),
    )
    institution = SelectField(_l("Institution"), choices=[], coerce=int)
    self_paced = BooleanField(_l("Self-paced (no cohorts)"), default=True)
    self_enrolment = BooleanField(_l("Trainees may enrol themselves"), default=True)
    certificate_kind = certificate_kind_field()


class SettingsForm(FlaskForm):
    self_paced = BooleanField(_l("Self-paced (no cohorts)"))
    self_enrolment = BooleanField(_l("Trainees may enrol themselves"))
    certificate_kind = certificate_kind_field()


class InstructorsForm(FlaskForm):
    instructors = SelectMultipleField(
        _l("Instructors"),
        choices=[],
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class ModuleForm(FlaskForm):
    title = StringField(_l("Module title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5000)])


class LessonForm(FlaskForm):
    title = StringField(_l("Lesson title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    body = TextAreaField(
        _l("Content"),
        validators=[Length(max=200_000)],
        description=_l(
            "Markdown. Images and files: ![description](attachment:name.png). "
            "A video: put its YouTube or Vimeo link alone on a line."
        ),
        render_kw={"rows": 18},
    )
    duration_minutes = IntegerField(
        _l("Estimated duration (minutes)"),
        default=10,
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=6000)],
    )
    required = BooleanField(_l("Required for completion"), default=True)


class MoveLessonForm(FlaskForm):
    module = SelectField(_l("Move to module"), choices=[], coerce=int)


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(REQUIRED)],
        description=_l("PNG, JPEG, GIF or WebP images up to 2 MB; PDF files up to 8 MB."),
    )


class CohortForm(FlaskForm):
    name = StringField(
        _l("Cohort name"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        description=_l("e.g. Angkatan 1 2026"),
    )
    starts_on = DateField(_l("Starts on"), validators=[DataRequired(REQUIRED)])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired(REQUIRED)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Leave empty for no limit."),
    )
    enrolment_open = BooleanField(_l("Open for self-enrolment"), default=True)


class StaffEnrolForm(FlaskForm):
    email = EmailField(_l("Trainee's e-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    cohort = SelectField(_l("Cohort"), choices=[], coerce=int)


class EnrolForm(FlaskForm):
    cohort = SelectField(_l("Cohort"), choices=[], coerce=int)


class UnitForm(FlaskForm):
    code = StringField(
        _l("Unit code"),
        validators=[DataRequired(REQUIRED), Length(max=32)],
        description=_l("TIK.OP02.001.01 or J.620100.004.01"),
    )
    title_id = StringField(
        _l("Title (Indonesian)"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    title_en = StringField(_l("Title (English)"), validators=[Length(max=300)])
    elements = TextAreaField(
        _l("Elements and performance criteria (KUK)"),
        description=_l("One element per line; its criteria below it, each starting with “- ”."),
        render_kw={"rows": 12},
    )


class FileImportForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(REQUIRED)])


class CourseImportForm(FlaskForm):
    file = FileField(
        _l("Course package (.zip)"),
        validators=[FileRequired(REQUIRED)],
    )
    code = StringField(
        _l("New course code"),
        validators=[Length(max=40)],
        description=_l("Leave empty to keep the package's code."),
    )
    institution = SelectField(_l("Institution"), choices=[], coerce=int)


def elements_to_text(elements: list[dict]) -> str:
    lines = []
    for element in elements:
        lines.append(element["title"])
        lines.extend(f"- {criterion}" for criterion in element.get("criteria", []))
    return "\n".join(lines)


def text_to_elements(text: str) -> list[dict]:
    """Element lines, each followed by its criteria as "- " lines. A criterion before any
    element becomes an element of its own, which the service then reports."""
    elements: list[dict] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[0] in "-*•" and elements:
            elements[-1]["criteria"].append(line[1:].strip())
        else:
            elements.append({"title": line, "criteria": []})
    return elements


def cohort_choices(course: Any, cohorts: list[Any], *, staff: bool = False) -> list[SelectChoice]:
    """Cohorts to enrol in (0: none, for self-paced courses). Trainees see open ones only."""
    choices = [SelectChoice("0", _l("No cohort (self-paced)"))] if course.self_paced else []
    for cohort in cohorts:
        if staff or cohort.enrolment_open:
            label = f"{cohort.name} ({cohort.starts_on:%d-%m-%Y} – {cohort.ends_on:%d-%m-%Y})"
            choices.append(SelectChoice(str(cohort.id), label))
    return choices
