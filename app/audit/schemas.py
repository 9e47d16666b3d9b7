import marshmallow as ma

from app.audit.queries import ACTION_MAX_LENGTH, ACTION_PATTERN, MAX_PER_PAGE, PER_PAGE
from app.schemas_common import Int32


class AuditQuerySchema(ma.Schema):
    action = ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=ACTION_MAX_LENGTH),
            ma.validate.Regexp(
                f"^{ACTION_PATTERN.pattern}$",
                error="Give an action such as auth.login, or a prefix ending in '.'.",
            ),
        ],
        metadata={"description": "An action, e.g. `auth.login`, or a prefix ending in `.`"},
    )
    since = ma.fields.Date(metadata={"description": "From this day (UTC), inclusive"})
    until = ma.fields.Date(metadata={"description": "Until this day (UTC), inclusive"})
    page = Int32(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = Int32(load_default=PER_PAGE, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))

    @ma.validates_schema
    def _days_in_order(self, data: dict, **_kwargs: object) -> None:
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ma.ValidationError("The end date is before the start date.", "until")


class AuditEventSchema(ma.Schema):
    id = Int32(required=True)
    at = ma.fields.DateTime(required=True)
    action = ma.fields.String(required=True)
    actor_id = Int32(allow_none=True)
    actor_email = ma.fields.String(allow_none=True)
    institution_id = Int32(allow_none=True)
    target_type = ma.fields.String(allow_none=True)
    target_id = ma.fields.String(allow_none=True)
    ip = ma.fields.String(allow_none=True)
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class AuditPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AuditEventSchema), required=True)
    page = Int32(required=True)
    per_page = Int32(required=True)
    total = Int32(required=True)
