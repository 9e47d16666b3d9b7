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
    """The unsigned OpenBadgeCredential for a certificate's snapshot."""
    title = snapshot["course_title"]
    units = snapshot["units"]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": f"Sertifikat Kompetensi: {title}",
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
                "name": title,
                "description": (
                    f"{title} ({snapshot['hours']} JP), {institution.name}: "
                    f"{len(units)} unit kompetensi SKKNI dinyatakan Kompeten."
                ),
                "criteria": {
                    "narrative": "Menyelesaikan pelatihan dan dinyatakan Kompeten (K) pada "
                    "setiap unit kompetensi berikut oleh asesor. / Completed the training and "
                    "was judged Competent in every unit below."
                },
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


def sign(document: dict[str, Any], key: CredentialKey, created: datetime) -> dict[str, Any]:
    """Add an eddsa-jcs-2022 DataIntegrityProof made with the institution key."""
    return create_proof(document, private_key(key), verification_method(key), xsd(created))
