"""Verifying an uploaded certificate PDF or credential JSON (the upload page, `verify-file`):
every check listed with its outcome, and a verdict that is the most severe of them."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from app.certificates.models import Certificate
from app.certificates.pdf.sign import (
    PdfSignatureCheck,
    extract_embedded_file,
    verify_pdf_signature,
)
from app.certificates.services.intake import credential_max_bytes, parse_credential_json
from app.certificates.services.keys import document_signing_certificates
from app.certificates.services.verification import (
    certificate_status,
    credential_signer,
    verify_credential,
)
from app.errors import AppError, ValidationFailed
from app.institutions.models import Institution


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
