"""VC-API: `POST /credentials/verify` (public), `POST /credentials/issue` (OAuth 2.0 client
credentials, scope issue:credentials) and the token endpoint `POST /oauth/token` (Authlib).
Errors use the JSON envelope; malformed input gets a 4xx with the reason, never a 5xx.

Input is bounded before any heavy work: a body past CREDENTIAL_MAX_BYTES is refused (413)
on its Content-Length, or on the bytes actually read when it is chunked, before it is
parsed; the credential's shape is bounded (422) before it is canonicalised or signed.

What a hostile or malformed *request* gets, and what a credential that does not verify
gets, follow the W3C VC-API: a request that cannot be taken as one (not JSON, too large,
nested or sized past the bounds, no credential object with a proof) is a 4xx envelope (the
VC-API's 400 "invalid input", in this API's house codes: 400 unparsable, 413 too large, 422
invalid); a well-formed request whose credential fails a check (a malformed or overlong
proofValue or key, a bad signature, a validFrom of year 99999) is a 200 with
`verified: false` and the rule it broke in `errors`, so a verifier always learns why."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps
from typing import Any

from authlib.integrations.flask_oauth2 import current_token
from authlib.oauth2 import OAuth2Error
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import request
from flask.views import MethodView

from app.audit.services import record
from app.certificates import vcapi_blp as blp
from app.certificates.api.oauth import authorization, require_oauth
from app.certificates.crypto.dataintegrity import ProofError, create_proof
from app.certificates.crypto.didkey import did_key_from_public_key, did_key_verification_method
from app.certificates.crypto.multibase import decode_ed25519_public_multikey
from app.certificates.models import ISSUE_SCOPE, OAuthClient
from app.certificates.routes.common import verify_limit
from app.certificates.schemas import (
    OAuthTokenRequestSchema,
    OAuthTokenResponseSchema,
    VcIssueRequestSchema,
    VcIssueResponseSchema,
    VcVerifyRequestSchema,
    VcVerifyResponseSchema,
)
from app.certificates.services import intake, keys, verification
from app.db import utcnow
from app.errors import Forbidden, Unauthorized, ValidationFailed
from app.extensions import limiter

OAUTH = [{"oauth2": [ISSUE_SCOPE]}]


@blp.before_request
def _bound_the_body() -> None:
    """Refuse a body past CREDENTIAL_MAX_BYTES unread on its Content-Length, or, chunked,
    once one byte past the limit has been read; what is read is what the parser gets."""
    limit = intake.credential_max_bytes()
    if request.content_length is not None and request.content_length > limit:
        raise intake.too_large(request.content_length)
    request.max_content_length = limit + 1  # werkzeug stops reading there
    if len(request.get_data(cache=True)) > limit:
        raise intake.too_large()


def _checked_dates(credential: dict[str, Any]) -> None:
    """422 naming each validFrom / validUntil that is not a date a verifier can compare."""
    _dates, problems = intake.validity_dates(credential)
    if problems:
        raise ValidationFailed(
            "The credential's validity dates cannot be used: "
            + "; ".join(f"{name}: {problem}" for name, problem in problems.items()),
            details={name: [problem] for name, problem in problems.items()},
        )


@blp.route("/credentials/verify", endpoint="verify")
class VerifyCredential(MethodView):
    decorators = [limiter.limit(verify_limit)]

    @blp.arguments(VcVerifyRequestSchema)
    @blp.response(200, VcVerifyResponseSchema)
    @blp.alt_response(400, description="Malformed JSON, or nested too deeply to parse")
    @blp.alt_response(413, description="Body larger than CREDENTIAL_MAX_BYTES (256 KiB)")
    @blp.alt_response(
        422, description="Not a credential with a proof, or past a bound (details name it)"
    )
    @blp.alt_response(429, description="Too many requests")
    def post(self, body: dict):
        """Verify a credential whose issuer is a did:key or one of our did:web issuers.

        A request that is not a credential within the bounds (at most 256 KiB, nesting 64
        deep, 1,000 items per array, 256 members per object, 64 Ki characters per string,
        10,000 values) is refused with a 4xx envelope before any work, as the VC-API's 400
        "invalid input". A credential that fails a check (a proofValue or key that is not
        an Ed25519 signature or key, a bad signature, a validFrom or validUntil no date can
        hold, such as the year 99999) gets 200 with `verified: false` and the rule broken.
        """
        result = verification.verify_credential(body["verifiableCredential"])
        result.pop("certificate", None)
        return result


def oauth_client_required(view: Callable) -> Callable:
    """A bearer token of an OAuth 2.0 client with the scope issue:credentials (401 without a
    valid token, 403 without the scope), checked before the body is read."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            require_oauth.acquire_token([ISSUE_SCOPE])
        except OAuth2Error as error:
            if error.error == "insufficient_scope":
                raise Forbidden("The token lacks the issue:credentials scope.") from error
            raise Unauthorized(
                "A valid OAuth 2.0 bearer token (client credentials) is required.",
                details={"oauth_error": error.error},
            ) from error
        return view(*args, **kwargs)

    return wrapper


def _signing_identity(client: OAuthClient, issuer_id: Any) -> tuple[str, str]:
    """(issuer id, verificationMethod): our did:web, or the did:key form of our key."""
    institution = client.institution
    key = keys.ensure_credential_key(institution)
    public: Ed25519PublicKey = decode_ed25519_public_multikey(key.public_key_multibase)
    did_web = keys.issuer_did(institution)
    did_key = did_key_from_public_key(public)
    if issuer_id in (None, did_web):
        return did_web, keys.verification_method(key)
    if issuer_id == did_key:
        return did_key, did_key_verification_method(public)
    raise ValidationFailed(
        "The issuer must be this institution's DID.",
        details={"issuer": [f"expected {did_web} or {did_key}"]},
    )


@blp.route("/credentials/issue", endpoint="issue")
class IssueCredential(MethodView):
    @blp.doc(security=OAUTH)
    @oauth_client_required
    @blp.arguments(VcIssueRequestSchema)
    @blp.response(201, VcIssueResponseSchema)
    @blp.alt_response(401, description="No valid OAuth 2.0 token")
    @blp.alt_response(403, description="The token lacks the scope issue:credentials")
    @blp.alt_response(413, description="Body larger than CREDENTIAL_MAX_BYTES (256 KiB)")
    @blp.alt_response(
        422,
        description="Not a credential this institution can sign: past a bound, or a "
        "validFrom / validUntil that is not a dateTime of the years 0001-9999",
    )
    def post(self, body: dict):
        """Sign a credential (eddsa-jcs-2022) with the client's institution key."""
        client: OAuthClient = current_token.client
        intake.check_document_bounds(body["credential"])
        credential = copy.deepcopy(body["credential"])
        if "proof" in credential:
            raise ValidationFailed("The credential already has a proof.")
        _checked_dates(credential)
        issuer = credential.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        issuer_id, method = _signing_identity(client, issuer_id)
        if isinstance(issuer, dict):
            credential["issuer"] = {**issuer, "id": issuer_id}
        else:
            credential["issuer"] = issuer_id
        now = utcnow().replace(microsecond=0)
        credential.setdefault("validFrom", keys.xsd(now))
        key = keys.ensure_credential_key(client.institution)
        try:
            signed = create_proof(credential, keys.private_key(key), method, keys.xsd(now))
        except (ProofError, TypeError, ValueError) as exc:
            raise ValidationFailed(f"The credential cannot be signed: {exc}") from exc
        record(
            "vcapi.issue",
            actor_email=f"oauth:{client.client_id}",
            institution_id=client.institution_id,
            target_type="Credential",
            target_id=str(credential.get("id", ""))[:64] or None,
        )
        return {"verifiableCredential": signed}


@blp.route("/oauth/token", endpoint="token")
class Token(MethodView):
    decorators = [limiter.limit("30 per minute")]

    @blp.doc(
        requestBody={
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": OAuthTokenRequestSchema}},
        },
        description="OAuth 2.0 client credentials grant; authenticate with HTTP Basic "
        "(client_secret_basic) or client_id/client_secret in the form (client_secret_post).",
    )
    @blp.response(200, OAuthTokenResponseSchema)
    @blp.alt_response(400, description="Invalid grant or request (OAuth 2.0 error body)")
    @blp.alt_response(401, description="Client authentication failed (OAuth 2.0 error body)")
    def post(self):
        """Exchange client credentials for a bearer token (a 200 commits the token row)."""
        return authorization.create_token_response()
