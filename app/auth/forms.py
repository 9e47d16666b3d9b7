from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

REQUIRED = _l("This field is required.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Keep me logged in"))


class RegisterForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=8, max=256, message=_l("Use at least 8 characters.")),
        ],
        description=_l(
            "At least 8 characters. A long phrase is easy to remember and hard to guess."
        ),
    )
    role = RadioField(
        _l("I am"),
        choices=[
            SelectChoice("trainee", _l("A trainee or job seeker")),
            SelectChoice("employer", _l("An employer")),
        ],
        default="trainee",
        validators=[DataRequired(REQUIRED)],
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=8, max=256, message=_l("Use at least 8 characters.")),
        ],
    )


class LanguageForm(FlaskForm):
    locale = RadioField(
        _l("Language"),
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
        validators=[DataRequired(REQUIRED)],
    )


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(REQUIRED), Length(max=100)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""


class StaffForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=8, max=256, message=_l("Use at least 8 characters.")),
        ],
    )
    instructor = BooleanField(_l("Instructor"))
    assessor = BooleanField(_l("Assessor"))
    placement_officer = BooleanField(_l("Placement officer"))
    institution_admin = BooleanField(_l("Institution admin"))
