import marshmallow as ma

from app.auth.models import User
from app.schemas_common import Int32


class TokenRequestSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=254))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))
    name = ma.fields.String(load_default="API", validate=ma.validate.Length(max=100))


class TokenCreatedSchema(ma.Schema):
    id = Int32(required=True)
    token = ma.fields.String(required=True, metadata={"description": "Shown once; keep it safe."})
    token_type = ma.fields.String(required=True, metadata={"example": "Bearer"})
    expires_at = ma.fields.DateTime(required=True)


class TokenSchema(ma.Schema):
    id = Int32(required=True)
    name = ma.fields.String(required=True)
    prefix = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)
    expires_at = ma.fields.DateTime(required=True)
    last_used_at = ma.fields.DateTime(allow_none=True)
    revoked_at = ma.fields.DateTime(allow_none=True)


class InstitutionRefSchema(ma.Schema):
    id = Int32(required=True)
    name = ma.fields.String(required=True)
    slug = ma.fields.String(required=True)


class MeSchema(ma.Schema):
    id = Int32(required=True)
    email = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    locale = ma.fields.String(required=True)
    roles = ma.fields.Method("get_roles", required=True)
    institution = ma.fields.Nested(InstitutionRefSchema, allow_none=True)

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.roles)
