"""Signed BitstringStatusListCredentials, one per institution and purpose, built from the
certificate rows at request time: the list and the verification page read the same state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from app.certificates.crypto.statuslist import build_status_list_credential, new_bitstring, set_bit
from app.certificates.models import Certificate
from app.certificates.services import credential as cred
from app.certificates.services.keys import current_credential_key, issuer_did, xsd
from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from app.institutions.models import Institution


def flagged_indexes(institution: Institution, purpose: str) -> list[int]:
    if purpose == "revocation":
        column = Certificate.revocation_index
        flagged = or_(
            Certificate.revoked_at.is_not(None), Certificate.superseded_by_id.is_not(None)
        )
    elif purpose == "suspension":
        column = Certificate.suspension_index
        flagged = Certificate.suspended_at.is_not(None)
    else:
        raise NotFound("No such status list.")
    return list(
        db.session.scalars(
            select(column).where(Certificate.institution_id == institution.id, flagged)
        )
    )


def status_list_credential(institution: Institution, purpose: str) -> dict[str, Any]:
    """The signed status list of `purpose` ('revocation' or 'suspension')."""
    indexes = flagged_indexes(institution, purpose)
    key = current_credential_key(institution)
    if key is None:
        raise NotFound("No such status list.")
    bits = new_bitstring()
    for index in indexes:
        set_bit(bits, index)
    now = utcnow().replace(microsecond=0)
    unsigned = build_status_list_credential(
        cred.status_list_url(institution, purpose),
        issuer_did(institution),
        xsd(now),
        purpose,  # type: ignore[arg-type]
        bits,
    )
    return cred.sign(unsigned, key, now)
