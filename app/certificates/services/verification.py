"""Verifying certificates and credentials: the status rule, any eddsa-jcs-2022 credential
(VC-API); uploaded PDF or JSON files are in upload.py, a scan by code in scan.py. Status and expiry
are read at verification time from the database, so a revocation shows on the very next
scan.

Every credential from outside is bounded (intake.py) before any heavy work, whichever way it
came: the VC-API, an uploaded JSON or PDF, `verify-file`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask_babel import gettext as _
from sqlalchemy import select

from app.certificates.crypto.dataintegrity import verify_proof
from app.certificates.crypto.didkey import DID_KEY_PREFIX, DidError, resolve_did_key
from app.certificates.crypto.multibase import decode_ed25519_public_multikey
from app.certificates.models import Certificate, CredentialKey
from app.certificates.services.intake import (
    check_document_bounds,
    validity_dates,
)
from app.certificates.services.keys import (
    institution_for_did,
    issuer_did,
    key_for_did_key,
)
from app.db import utcnow
from app.errors import NotFound, ValidationFailed
from app.extensions import db

STATUSES = ("valid", "revoked", "suspended", "expired", "superseded", "invalid")


def status_at(
    now: datetime,
    *,
    revoked_at: datetime | None,
    suspended_at: datetime | None,
    superseded_by_id: int | None,
    valid_from: datetime,
    valid_until: datetime,
) -> str:
    """The one status rule: revoked, suspended, superseded, expired (or not yet valid), valid."""
    if revoked_at is not None:
        return "revoked"
    if suspended_at is not None:
        return "suspended"
    if superseded_by_id is not None:
        return "superseded"
    if now >= valid_until or now < valid_from:
        return "expired"
    return "valid"


def certificate_status(cert: Certificate, now: datetime | None = None) -> str:
    """'valid', 'revoked', 'suspended', 'expired' or 'superseded', computed now."""
    return status_at(
        now or utcnow(),
        revoked_at=cert.revoked_at,
        suspended_at=cert.suspended_at,
        superseded_by_id=cert.superseded_by_id,
        valid_from=cert.valid_from,
        valid_until=cert.valid_until,
    )


def well_formed_code(code: Any) -> bool:
    return isinstance(code, str) and 10 <= len(code) <= 40 and code.isalnum()


def by_code(code: str) -> Certificate:
    """The certificate with this code; one uniform not-found for anything else."""
    cert = None
    if well_formed_code(code):
        cert = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if cert is None:
        raise NotFound(_("The page or item you asked for was not found."))
    return cert


def compromise_reason(
    fragment: str, compromised_at: datetime | None, issued_at: datetime | None
) -> str | None:
    """Why a key no longer vouches for a certificate issued at `issued_at`, or None."""
    if compromised_at is None:
        return None
    if issued_at is not None and issued_at < compromised_at:
        return None
    since = compromised_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"the signing key {fragment} is compromised since {since}"


def _compromised_for(key: CredentialKey | None, issued_at: datetime | None) -> str | None:
    return None if key is None else compromise_reason(key.fragment, key.compromised_at, issued_at)


def key_resolver(issued_at: datetime | None) -> Callable[[str], Ed25519PublicKey]:
    """Resolve did:key and our own did:web keys from the database (never over HTTP).

    A key compromised at T resolves only for a certificate we recorded as issued before T.
    """

    def resolve(method: str) -> Ed25519PublicKey:
        did, _, fragment = method.partition("#")
        if did.startswith(DID_KEY_PREFIX):
            public = resolve_did_key(method)
            problem = _compromised_for(key_for_did_key(did[len(DID_KEY_PREFIX) :]), issued_at)
            if problem:
                raise DidError(problem)
            return public
        institution = institution_for_did(did)
        if institution is None:
            raise DidError(f"{did!r} is not a did:key or one of our issuers")
        key = db.session.scalar(
            select(CredentialKey).where(
                CredentialKey.institution_id == institution.id,
                CredentialKey.number == _key_number(fragment),
            )
        )
        if key is None:
            raise DidError(f"{method!r} is not listed in the issuer's DID document")
        problem = _compromised_for(key, issued_at)
        if problem:
            raise DidError(problem)
        return decode_ed25519_public_multikey(key.public_key_multibase)

    return resolve


def _key_number(fragment: str) -> int:
    prefix, _, number = fragment.partition("-")
    return int(number) if prefix == "key" and number.isdigit() else -1


def _ours(document: dict[str, Any]) -> Certificate | None:
    uid = document.get("id")
    if not isinstance(uid, str):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.credential_uid == uid[:64]))


def credential_signer(method: str | None, verified: bool) -> dict[str, Any]:
    """Who signed a credential, read from the key that verified its proof (never from the
    issuer name it claims): ``id`` is the institution's did:web when the key is one of a
    Kompeten institution's, else the key's own DID; ``kompetenIssuer`` says which."""
    did = (method or "").partition("#")[0] or None
    institution = None
    if verified and did is not None:
        if did.startswith(DID_KEY_PREFIX):
            key = key_for_did_key(did[len(DID_KEY_PREFIX) :])
            institution = key.institution if key is not None else None
        else:
            institution = institution_for_did(did)
    if institution is None:
        return {"id": did, "name": None, "kompetenIssuer": False, "institution": None}
    return {
        "id": issuer_did(institution),
        "name": institution.name,
        "kompetenIssuer": True,
        "institution": institution,
    }


def verify_credential(document: Any, now: datetime | None = None) -> dict[str, Any]:
    """VC-API verification of an eddsa-jcs-2022 credential: proof, status, validity, and
    who signed it (``signer``; its ``institution`` is for callers here, not for output)."""
    if not isinstance(document, dict):
        raise ValidationFailed("The verifiableCredential must be a JSON object.")
    check_document_bounds(document)
    if not isinstance(document.get("proof"), dict):
        raise ValidationFailed("The credential has no proof object.")
    now = now or utcnow()
    cert = _ours(document)
    recorded = cert is not None and cert.credential == document
    proof = verify_proof(document, key_resolver(cert.issued_at if recorded else None))
    signer = credential_signer(proof.verification_method, proof.verified)
    results: dict[str, bool] = {"proof": proof.verified}
    errors = [] if proof.verified else [proof.reason or "the proof does not verify"]
    warnings: list[str] = []
    if proof.verified and not signer["kompetenIssuer"]:
        warnings.append(
            f"the credential is signed by an unknown key {signer['id']}, "
            "not by an institution in Kompeten"
        )
    if cert is not None and recorded:
        status = certificate_status(cert, now)
        results["credentialStatus"] = status not in ("revoked", "suspended", "superseded")
        if not results["credentialStatus"]:
            errors.append(f"the credential is {status}")
    elif document.get("credentialStatus"):
        warnings.append("the credential's status is not recorded here and was not checked")
    dates, problems = validity_dates(document)
    errors.extend(f"{name} cannot be checked: {problem}" for name, problem in problems.items())
    results["validity"] = not problems
    if ("validFrom" in dates and now < dates["validFrom"]) or (
        "validUntil" in dates and now >= dates["validUntil"]
    ):
        results["validity"] = False
        errors.append("the credential is outside its validity period")
    verified = all(results.values())
    return {
        "verified": verified,
        "checks": list(results),
        "results": results,
        "warnings": warnings,
        "errors": errors,
        "reason": None if verified else errors[0],
        "signer": signer,
        "certificate": cert if recorded else None,
    }
