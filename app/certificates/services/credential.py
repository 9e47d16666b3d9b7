"""The Open Badges 3.0 credential of a certificate: its shape, its identity hash, its proof."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from flask import current_app

from app.certificates.crypto.dataintegrity import create_proof
from app.certificates.crypto.statuslist import status_list_entry
from app.certificates.models import CredentialKey
from app.certificates.services.keys import private_key, verification_method, xsd
from app.institutions.models import Institution

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
PURPOSES = ("revocation", "suspension")
SKKNI_URL = "https://skkni.kemnaker.go.id/"
# Open Badges 3.0 achievementType: a training certificate attests a completed course; a
# competency certificate attests competence judged unit by unit.
ACHIEVEMENT_TYPES = {"training": "Course", "competency": "Competency"}


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def status_list_url(institution: Institution, purpose: str) -> str:
    return f"{base_url()}/institutions/{institution.slug}/status/{purpose}.json"


def identity_hash(email: str, salt: str) -> str:
    """Open Badges `identityHash`: sha256 of the normalised e-mail followed by the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def new_salt() -> str:
    return secrets.token_hex(16)


def build_credential(
    *,
    credential_id: str,
    issuer_did: str,
    institution: Institution,
    snapshot: dict[str, Any],
    email: str,
    salt: str,
    valid_from: datetime,
    valid_until: datetime,
    revocation_index: int,
    suspension_index: int,
    achievement_id: str,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for a certificate's snapshot. Its words say what
    was done: a training certificate that the training was completed (no judgement, no
    assessor); a competency certificate that each unit was judged Competent, and by what."""
    title = snapshot["course_title"]
    units = snapshot["units"]
    kind = snapshot["certificate_kind"]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": f"{document_name(kind)}: {title}",
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": institution.name},
        "validFrom": xsd(valid_from),
        "validUntil": xsd(valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": ACHIEVEMENT_TYPES[kind],
                "name": title,
                "description": _description(kind, title, snapshot["hours"], institution, units),
                "criteria": {"narrative": _narrative(kind, units)},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": unit["title_id"],
                        "targetCode": unit["code"],
                        "targetFramework": "SKKNI",
                        "targetUrl": SKKNI_URL,
                    }
                    for unit in units
                ],
            },
        },
        "credentialStatus": [
            status_list_entry(
                status_list_url(institution, "revocation"), revocation_index, "revocation"
            ),
            status_list_entry(
                status_list_url(institution, "suspension"), suspension_index, "suspension"
            ),
        ],
    }


def stored_kind(snapshot: dict[str, Any]) -> str:
    """The kind frozen in a certificate's snapshot. Certificates issued before the kind
    existed were all worded as competency certificates."""
    return snapshot.get("certificate_kind", "competency")


def document_name(kind: str) -> str:
    return "Sertifikat Kompetensi" if kind == "competency" else "Sertifikat Pelatihan"


def _description(
    kind: str, title: str, hours: int, institution: Institution, units: list[dict[str, Any]]
) -> str:
    if kind == "competency":
        return (
            f"{title} ({hours} JP), {institution.name}: "
            f"{len(units)} unit kompetensi SKKNI dinyatakan Kompeten."
        )
    return (
        f"{title} ({hours} JP), {institution.name}: pelatihan diselesaikan "
        f"({len(units)} unit kompetensi SKKNI dipelajari, tanpa uji kompetensi)."
    )


def _unit_line(unit: dict[str, Any]) -> str:
    if unit["method"] == "practical":
        return (
            f"{unit['code']}: K, uji praktik “{unit['assessment']}”, asesor {unit['assessor']}, "
            f"{unit['assessed_on']}"
        )
    return f"{unit['code']}: K, uji teori “{unit['assessment']}” lulus"


def _narrative(kind: str, units: list[dict[str, Any]]) -> str:
    if kind == "competency":
        results = "; ".join(_unit_line(unit) for unit in units)
        return (
            "Menyelesaikan pelatihan dan dinyatakan Kompeten (K) pada setiap unit kompetensi "
            "berikut melalui asesmen. / Completed the training and was judged Competent in "
            f"every unit below by assessment. Hasil / Results: {results}."
        )
    return (
        "Menyelesaikan pelatihan; sertifikat ini bukan pernyataan kompetensi: unit-unit "
        "berikut dipelajari, tidak diuji. / Completed the training; this is not a statement "
        "of competence: the units below were studied, not assessed."
    )


def sign(document: dict[str, Any], key: CredentialKey, created: datetime) -> dict[str, Any]:
    """Add an eddsa-jcs-2022 DataIntegrityProof made with the institution key."""
    return create_proof(document, private_key(key), verification_method(key), xsd(created))
