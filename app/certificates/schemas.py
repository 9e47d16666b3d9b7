"""Marshmallow schemas of the certificates JSON API: output schemas are whitelists."""

from __future__ import annotations

import marshmallow as ma

from app.schemas_common import Int32


class UnitSchema(ma.Schema):
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)


class PublicCertificateSchema(ma.Schema):
    number = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": ["training", "competency"]})
    document = ma.fields.String(
        required=True,
        metadata={
            "description": "Which document it is: Sertifikat Pelatihan (training) or "
            "Sertifikat Kompetensi (competency)",
        },
    )
    holder_name = ma.fields.String(required=True)
    qualification = ma.fields.String(required=True)
    course_version = Int32(allow_none=True)
    hours = Int32(required=True)
    units = ma.fields.List(ma.fields.Nested(UnitSchema), required=True)
    assessor = ma.fields.String(allow_none=True)
    issuer = ma.fields.String(required=True)
    issued_at = ma.fields.String(required=True)
    valid_from = ma.fields.String(required=True)
    valid_until = ma.fields.String(required=True)
    revoked_at = ma.fields.String(allow_none=True)
    suspended_at = ma.fields.String(allow_none=True)
    superseded_by = ma.fields.String(allow_none=True)


class ChecksSchema(ma.Schema):
    signature = ma.fields.Boolean(required=True)
    issuer_key = ma.fields.Boolean(required=True)
    status = ma.fields.Boolean(required=True)
    dates = ma.fields.Boolean(required=True)


class VerifyResultSchema(ma.Schema):
    status = ma.fields.String(
        required=True,
        metadata={"enum": ["valid", "revoked", "suspended", "expired", "superseded", "invalid"]},
    )
    checks = ma.fields.Nested(ChecksSchema, required=True)
    reasons = ma.fields.List(ma.fields.String(), required=True)
    certificate = ma.fields.Nested(PublicCertificateSchema, required=True)
    verify_url = ma.fields.String(required=True)
    pdf_url = ma.fields.String(required=True)
    credential_url = ma.fields.String(required=True)


class CertificateSchema(ma.Schema):
    id = Int32(required=True)
    number = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    holder_name = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    unit_codes = ma.fields.List(ma.fields.String(), required=True)
    issued_at = ma.fields.DateTime(required=True)
    valid_until = ma.fields.DateTime(required=True)
    verify_url = ma.fields.String(required=True)
    pdf_url = ma.fields.String(required=True)
    credential_url = ma.fields.String(required=True)
    superseded_by_id = Int32(allow_none=True)


class IssueSchema(ma.Schema):
    enrollment_id = Int32(required=True)


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class ReissueSchema(ReasonSchema):
    holder_name = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


class CohortJobSchema(ma.Schema):
    cohort_id = Int32(required=True)


class JobSchema(ma.Schema):
    id = Int32(required=True)
    status = ma.fields.String(required=True)
    total = Int32(required=True)
    done = Int32(required=True)
    failed = Int32(required=True)
    percent = Int32(required=True)


class VcVerifyRequestSchema(ma.Schema):
    verifiableCredential = ma.fields.Dict(required=True)
    options = ma.fields.Dict(load_default=dict)


class VcSignerSchema(ma.Schema):
    """Who signed: read from the key that verified the proof, never from the issuer's name."""

    id = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The institution's did:web, or the DID of an unknown key"},
    )
    name = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The Kompeten institution's name; null for an unknown key"},
    )
    kompetenIssuer = ma.fields.Boolean(
        required=True,
        metadata={"description": "Whether a Kompeten institution's key verified the proof"},
    )


class VcVerifyResponseSchema(ma.Schema):
    verified = ma.fields.Boolean(required=True)
    checks = ma.fields.List(ma.fields.String(), required=True)
    results = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Boolean(), required=True)
    warnings = ma.fields.List(ma.fields.String(), required=True)
    errors = ma.fields.List(ma.fields.String(), required=True)
    reason = ma.fields.String(allow_none=True)
    signer = ma.fields.Nested(VcSignerSchema, required=True)


class VcIssueRequestSchema(ma.Schema):
    credential = ma.fields.Dict(required=True)
    options = ma.fields.Dict(load_default=dict)


class VcIssueResponseSchema(ma.Schema):
    verifiableCredential = ma.fields.Dict(required=True)


class OAuthTokenRequestSchema(ma.Schema):
    grant_type = ma.fields.String(required=True, metadata={"example": "client_credentials"})
    scope = ma.fields.String(metadata={"example": "issue:credentials"})
    client_id = ma.fields.String()
    client_secret = ma.fields.String()


class OAuthTokenResponseSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    token_type = ma.fields.String(required=True)
    expires_in = Int32(required=True)
    scope = ma.fields.String()
