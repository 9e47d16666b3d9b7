"""Institution keys: the Ed25519 credential key behind the issuer's did:web, and the
document-signing certificate for PAdES. Private keys are kept encrypted with the
key-encryption key (KEY_ENCRYPTION_KEY); keys are made lazily on first issuance."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.certificates.crypto import keys as keycrypto
from app.certificates.crypto.didkey import (
    KeyEntry,
    build_did_document,
    did_key_from_public_key,
    did_web,
)
from app.certificates.crypto.multibase import (
    decode_ed25519_public_multikey,
    encode_ed25519_public_multikey,
)
from app.certificates.models import CredentialKey, DocumentSigningCert
from app.db import utcnow
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution

if TYPE_CHECKING:
    from app.auth.models import User

log = logging.getLogger(__name__)


def _kek() -> str:
    kek = current_app.config.get("KEY_ENCRYPTION_KEY")
    if not kek:
        raise RuntimeError("KEY_ENCRYPTION_KEY is not set: signing keys cannot be used")
    return kek


def _issuers_prefix() -> str:
    return did_web(urlsplit(current_app.config["BASE_URL"]).netloc, "institutions")


def issuer_did(institution: Institution) -> str:
    """`did:web:<host>:institutions:<slug>` (a port is percent-encoded as %3A)."""
    return issuer_did_for_slug(institution.slug)


def issuer_did_for_slug(slug: str) -> str:
    return did_web(urlsplit(current_app.config["BASE_URL"]).netloc, "institutions", slug)


def institution_for_did(did: str) -> Institution | None:
    """Our institution whose issuer DID this is, or None."""
    prefix = _issuers_prefix()
    if not did.startswith(prefix + ":"):
        return None
    slug = did[len(prefix) + 1 :]
    if not slug or ":" in slug:
        return None
    return db.session.scalar(select(Institution).where(Institution.slug == slug))


def verification_method(key: CredentialKey) -> str:
    return f"{issuer_did(key.institution)}#{key.fragment}"


def credential_keys(institution: Institution) -> list[CredentialKey]:
    return list(
        db.session.scalars(
            select(CredentialKey)
            .where(CredentialKey.institution_id == institution.id)
            .order_by(CredentialKey.number)
        )
    )


def current_credential_key(institution: Institution) -> CredentialKey | None:
    return db.session.scalar(
        select(CredentialKey)
        .where(
            CredentialKey.institution_id == institution.id,
            CredentialKey.retired_at.is_(None),
            CredentialKey.compromised_at.is_(None),
        )
        .order_by(CredentialKey.number.desc())
        .limit(1)
    )


def _new_credential_key(institution: Institution, reuse: bool = False) -> CredentialKey:
    """Insert the institution's next key. If a concurrent transaction inserted the same
    number first, use its key (`reuse`, for lazy creation) or try the next number."""
    for _ in range(5):
        number = (
            db.session.scalar(
                select(func.max(CredentialKey.number)).where(
                    CredentialKey.institution_id == institution.id
                )
            )
            or 0
        ) + 1
        private = keycrypto.generate_ed25519_key()
        key = CredentialKey(
            institution_id=institution.id,
            number=number,
            public_key_multibase=encode_ed25519_public_multikey(private.public_key()),
            private_key_encrypted=keycrypto.encrypt_private_key(
                keycrypto.ed25519_private_bytes(private),
                _kek(),
                f"{institution.id}:key-{number}",
            ),
        )
        try:
            with db.session.begin_nested():
                db.session.add(key)
        except IntegrityError:
            current = current_credential_key(institution) if reuse else None
            if current is not None:
                return current
            continue
        log.info("created credential key key-%d for %s", number, institution.slug)
        return key
    raise RuntimeError(f"could not create a credential key for {institution.slug}")


def ensure_credential_key(institution: Institution) -> CredentialKey:
    return current_credential_key(institution) or _new_credential_key(institution, reuse=True)


def private_key(key: CredentialKey) -> Ed25519PrivateKey:
    raw = keycrypto.decrypt_private_key(
        key.private_key_encrypted, _kek(), f"{key.institution_id}:key-{key.number}"
    )
    return keycrypto.ed25519_from_private_bytes(raw)


def current_document_cert(institution: Institution) -> DocumentSigningCert | None:
    return db.session.scalar(
        select(DocumentSigningCert)
        .where(
            DocumentSigningCert.institution_id == institution.id,
            DocumentSigningCert.retired_at.is_(None),
        )
        .order_by(DocumentSigningCert.id.desc())
        .limit(1)
    )


def _store_material(
    institution: Institution, material: keycrypto.SigningMaterial, source: str
) -> DocumentSigningCert:
    for old in db.session.scalars(
        select(DocumentSigningCert).where(
            DocumentSigningCert.institution_id == institution.id,
            DocumentSigningCert.retired_at.is_(None),
        )
    ):
        old.retired_at = utcnow()
    row = DocumentSigningCert(
        institution_id=institution.id,
        certificate_pem=keycrypto.certificate_to_pem(material.certificate).decode(),
        chain_pem="".join(keycrypto.certificate_to_pem(c).decode() for c in material.chain),
        private_key_encrypted=b"",
        source=source,
        subject=material.certificate.subject.rfc4514_string()[:300],
    )
    db.session.add(row)
    db.session.flush()
    row.private_key_encrypted = keycrypto.encrypt_private_key(
        keycrypto.private_key_to_der(material.key), _kek(), f"{institution.id}:doc-{row.id}"
    )
    db.session.flush()
    return row


def ensure_document_cert(institution: Institution) -> DocumentSigningCert:
    current = current_document_cert(institution)
    if current is not None:
        return current
    material = keycrypto.generate_document_signing_certificate(institution.name)
    log.info("created a self-signed document-signing certificate for %s", institution.slug)
    return _store_material(institution, material, "generated")


def signing_material(row: DocumentSigningCert) -> keycrypto.SigningMaterial:
    der = keycrypto.decrypt_private_key(
        row.private_key_encrypted, _kek(), f"{row.institution_id}:doc-{row.id}"
    )
    chain = [x509.load_pem_x509_certificate(block.encode()) for block in _pem_blocks(row.chain_pem)]
    return keycrypto.SigningMaterial(
        key=keycrypto.private_key_from_der(der),
        certificate=keycrypto.certificate_from_pem(row.certificate_pem.encode()),
        chain=chain,
    )


def _pem_blocks(text: str) -> list[str]:
    end = "-----END CERTIFICATE-----"
    return [part.strip() + "\n" + end + "\n" for part in text.split(end) if part.strip()]


def document_signing_certificates(institution: Institution) -> list[x509.Certificate]:
    """Every document-signing certificate this institution ever signed PDFs with.

    These, and not the CAs of imported ones, are what its PDFs are checked against: a CA
    vouches for every certificate it issued, and a certificate one institution imported
    never vouches for another institution's PDFs.
    """
    return [
        keycrypto.certificate_from_pem(row.certificate_pem.encode())
        for row in db.session.scalars(
            select(DocumentSigningCert)
            .where(DocumentSigningCert.institution_id == institution.id)
            .order_by(DocumentSigningCert.id)
        )
    ]


def import_document_cert(
    institution: Institution,
    data: bytes,
    *,
    key_pem: bytes | None = None,
    password: bytes | None = None,
    actor: User | None = None,
) -> DocumentSigningCert:
    """Import a CA-issued certificate: a PKCS#12 file, or PEM certificate(s) plus a PEM key."""
    try:
        if key_pem is not None:
            material = keycrypto.load_pem_signing_material(data, key_pem, password)
        else:
            material = keycrypto.load_pkcs12_signing_material(data, password)
    except (keycrypto.KeyMaterialError, ValueError, TypeError) as exc:
        raise ValidationFailed(f"The certificate cannot be used: {exc}") from exc
    row = _store_material(institution, material, "imported")
    record(
        "certificate_keys.import_document_cert",
        actor=actor,
        institution_id=institution.id,
        target=row,
        after={"subject": row.subject},
    )
    return row


def rotate_keys(
    institution: Institution, actor: User | None = None, *, document: bool = True
) -> CredentialKey:
    """Retire the current credential key (it keeps verifying) and make the next one."""
    old = current_credential_key(institution)
    if old is not None:
        old.retired_at = utcnow()
        db.session.flush()
    key = _new_credential_key(institution)
    if document:
        material = keycrypto.generate_document_signing_certificate(institution.name)
        _store_material(institution, material, "generated")
    record(
        "certificate_keys.rotate",
        actor=actor,
        institution_id=institution.id,
        target=key,
        before={"key": old.fragment if old else None},
        after={"key": key.fragment},
    )
    return key


def compromise_key(
    key: CredentialKey, at: datetime, reason: str, actor: User | None = None
) -> CredentialKey:
    """Distrust `key` from `at` on; a new current key replaces it if it was current."""
    if at.tzinfo is None:
        raise ValidationFailed("The compromise time needs a time zone.")
    key.compromised_at = at
    key.retired_at = key.retired_at or utcnow()
    db.session.flush()
    if current_credential_key(key.institution) is None:
        _new_credential_key(key.institution)
    record(
        "certificate_keys.compromise",
        actor=actor,
        institution_id=key.institution_id,
        target=key,
        after={"key": key.fragment, "compromised_at": at.isoformat()},
        reason=reason,
    )
    return key


def find_key(institution: Institution, fragment: str) -> CredentialKey:
    for key in credential_keys(institution):
        if key.fragment == fragment:
            return key
    raise NotFound("No such key.")


def xsd(moment: datetime) -> str:
    """An XML Schema dateTime in UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def did_document(institution: Institution) -> dict[str, Any]:
    """The DID document: every key, with `revoked` set on compromised ones."""
    did = issuer_did(institution)
    entries = [
        KeyEntry(
            key.fragment,
            key.public_key_multibase,
            xsd(key.compromised_at) if key.compromised_at else None,
        )
        for key in credential_keys(institution)
    ]
    document = build_did_document(did, entries)
    current = current_credential_key(institution)
    if current is not None:
        public = decode_ed25519_public_multikey(current.public_key_multibase)
        document["alsoKnownAs"] = [did_key_from_public_key(public)]
    return document


def key_for_did_key(multikey: str) -> CredentialKey | None:
    return db.session.scalar(
        select(CredentialKey).where(CredentialKey.public_key_multibase == multikey)
    )
