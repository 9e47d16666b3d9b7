from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SelectField, ValidationError
from wtforms.validators import NumberRange, Optional

from app.audit.queries import matches_known_action, well_formed_action


class AuditFilterForm(FlaskForm):
    """The filters of the audit page: a GET form, so no CSRF token. The action is one of
    the choices set before validation, or a prefix of them ending in `.`."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validate_choice=False, validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)], default=1)

    def validate_action(self, field: Field) -> None:
        value = field.data or ""
        known = [choice[0] for choice in field.choices if choice[0]]
        if not well_formed_action(value) or not matches_known_action(value, known):
            raise ValidationError(_l("Choose an action from the list."))

    def validate_until(self, field: Field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
