"""Verifying certificates and credentials: the status rule, any eddsa-jcs-2022 credential
(VC-API), and uploaded PDF or JSON files (a scan by code is in scan.py). Status and expiry
are read at verification time from the database, so a revocation shows on the very next
scan.

Every credential from outside is bounded (intake.py) before any heavy work, whichever way it
came: the VC-API, an uploaded JSON or PDF, `verify-file`."""

from __future__ import annotations

import hashlib
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
from app.certificates.pdf.sign import (
    PdfSignatureCheck,
    extract_embedded_file,
    verify_pdf_signature,
)
from app.certificates.services.intake import (
    check_document_bounds,
    credential_max_bytes,
    parse_credential_json,
    validity_dates,
)
from app.certificates.services.keys import (
    document_signing_certificates,
    institution_for_did,
    issuer_did,
    key_for_did_key,
)
from app.db import utcnow
from app.errors import AppError, NotFound, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution

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


def _check(check: str, ok: bool, detail: str, reason: str | None = None, **params: str) -> dict:
    """One line of an upload's verdict: ``detail`` names the sentence shown for it (with
    ``params``), ``reason`` says in English why it failed."""
    return {"name": check, "ok": ok, "detail": detail, "params": params, "reason": reason}


def verify_upload(data: bytes, now: datetime | None = None) -> dict[str, Any]:
    """An employer's uploaded PDF or credential JSON: genuine, unmodified and current?

    Every check is listed with its outcome; the ``verdict`` is the most severe outcome of
    them all, so it is "valid" only when every check passed."""
    if data.startswith(b"%PDF"):
        return _verify_pdf(data, now)
    result = verify_credential(parse_credential_json(data), now)
    checks = [_credential_check(result), _signer_check(result["signer"], result)]
    cert = result["certificate"]
    if cert is not None:
        checks.append(_check("on_record", True, "credential_on_record"))
    else:
        checks.append(
            _check(
                "on_record",
                False,
                "credential_not_on_record",
                "this credential is not one Kompeten issued",
            )
        )
    return _upload_result("json", checks, cert, result["signer"], now)


def _credential_check(result: dict[str, Any] | None) -> dict:
    if result is None:
        return _check("credential", False, "no_credential", "the PDF carries no credential")
    if not result["results"]["proof"]:
        return _check("credential", False, "proof_fails", "; ".join(result["errors"]))
    return _check("credential", True, "proof_verifies")


def _signer_check(signer: dict[str, Any], result: dict[str, Any] | None) -> dict:
    if result is None or not result["results"]["proof"]:
        return _check("signer", False, "signer_unverified", "no key verifies the credential")
    if signer["kompetenIssuer"]:
        return _check("signer", True, "signer_institution", did=signer["id"], name=signer["name"])
    return _check(
        "signer",
        False,
        "signer_unknown_key",
        f"the credential is signed by an unknown key {signer['id']}",
        did=signer["id"] or "",
    )


def _embedded_credential(
    data: bytes, now: datetime | None
) -> tuple[dict[str, Any] | None, dict | None]:
    """(the embedded credential's verification or None, a check when it cannot be read)."""
    embedded = extract_embedded_file(data, max_bytes=credential_max_bytes())
    if embedded is None:
        return None, None
    try:
        document = parse_credential_json(embedded)
    except AppError as exc:
        return None, _check("credential", False, "credential_unreadable", exc.message)
    try:
        return verify_credential(document, now), None
    except ValidationFailed as exc:
        return None, _check("credential", False, "credential_malformed", exc.message)


def _verify_pdf(data: bytes, now: datetime | None) -> dict[str, Any]:
    """The PDF is checked against the document-signing certificates of the institution
    whose key verifies the embedded credential, and of no other."""
    result, unreadable = _embedded_credential(data, now)
    signer = result["signer"] if result else credential_signer(None, False)
    institution = signer["institution"]
    roots = document_signing_certificates(institution) if institution is not None else []
    signature = verify_pdf_signature(data, roots)
    cert = result["certificate"] if result else None
    checks = [
        _pdf_signature_check(signature),
        _pdf_signer_check(signature, institution),
        unreadable or _credential_check(result),
        _signer_check(signer, result),
        _pdf_on_record_check(data, cert),
    ]
    return _upload_result("pdf", checks, cert, signer, now)


def _pdf_signature_check(signature: PdfSignatureCheck) -> dict:
    if signature.sound:
        return _check("pdf_signature", True, "pdf_sound")
    return _check(
        "pdf_signature", False, f"pdf_{signature.problem}", signature.reason or "not signed"
    )


def _pdf_signer_check(signature: PdfSignatureCheck, institution: Institution | None) -> dict:
    if institution is None:
        return _check(
            "pdf_signer",
            False,
            "pdf_signer_no_institution",
            "no institution in Kompeten signed the embedded credential, so no "
            "document-signing certificate vouches for this PDF",
        )
    if signature.signer_subject is None:
        return _check("pdf_signer", False, "pdf_signer_none", "the PDF has no signature to check")
    params = {"name": institution.name, "subject": signature.signer_subject}
    if not signature.trusted:
        return _check(
            "pdf_signer",
            False,
            "pdf_signer_foreign",
            f"the PDF is signed by {signature.signer_subject}, which is not a "
            f"document-signing certificate of {institution.name}",
            **params,
        )
    if signature.problem == "policy":
        return _check("pdf_signer", False, "pdf_signer_policy", signature.reason, **params)
    return _check("pdf_signer", True, "pdf_signer_institution", **params)


def _pdf_on_record_check(data: bytes, cert: Certificate | None) -> dict:
    if cert is None:
        return _check(
            "on_record",
            False,
            "pdf_not_on_record",
            "the embedded credential is not one Kompeten issued",
        )
    if cert.pdf_sha256 is None:
        return _check(
            "on_record",
            False,
            "pdf_no_record",
            "Kompeten holds no PDF of this certificate to compare the file with",
        )
    if cert.pdf_sha256 != hashlib.sha256(data).hexdigest():
        return _check(
            "on_record", False, "pdf_differs", "the file differs from the PDF Kompeten issued"
        )
    return _check("on_record", True, "pdf_on_record")


def _upload_result(
    kind: str,
    checks: list[dict],
    cert: Certificate | None,
    signer: dict[str, Any],
    now: datetime | None,
) -> dict[str, Any]:
    status = certificate_status(cert, now) if cert is not None else None
    if status is not None:
        reason = None if status == "valid" else f"the certificate is {status}"
        checks.append(_check("status", status == "valid", f"status_{status}", reason))
    failed = {check["name"] for check in checks if not check["ok"]}
    verdict = "invalid" if failed - {"status"} else (status or "invalid")
    return {
        "kind": kind,
        "verdict": verdict,
        "checks": checks,
        "signer": {key: value for key, value in signer.items() if key != "institution"},
        "genuine": not failed - {"on_record", "status"},
        "unmodified": "on_record" not in failed,
        "current": status == "valid",
        "status": status,
        "certificate": cert,
        "reasons": [check["reason"] for check in checks if not check["ok"]],
    }
