"""Institution keys: the DID document, encryption at rest, rotation, compromise, imports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.certificates.crypto import keys as keycrypto
from app.certificates.crypto.didkey import resolve_from_did_document
from app.certificates.models import Certificate, CredentialKey, DocumentSigningCert
from app.certificates.services import keys
from app.errors import ValidationFailed
from app.extensions import db
from tests.certificates.conftest import issue
from tests.pages import headline


def _status(client, cert) -> dict:
    return client.get(f"/api/v1/verify/{cert.code}").get_json()


def test_the_did_document_lists_the_key_as_multikey(app, client, completed):
    cert = issue(app, completed(), with_pdf=False)
    slug = cert.institution.slug
    document = client.get(f"/institutions/{slug}/did.json").get_json()
    did = f"did:web:kompeten.test:institutions:{slug}"
    assert document["id"] == did
    [method] = document["verificationMethod"]
    assert method["type"] == "Multikey" and method["id"] == f"{did}#key-1"
    assert document["assertionMethod"] == [f"{did}#key-1"]
    assert resolve_from_did_document(document, cert.credential["proof"]["verificationMethod"])


def test_the_issuer_did_percent_encodes_a_port(app):
    from app.institutions.models import Institution

    with app.test_request_context():
        app.config["BASE_URL"] = "http://127.0.0.1:5000"
        try:
            assert keys.issuer_did(Institution(slug="blk-x")) == (
                "did:web:127.0.0.1%3A5000:institutions:blk-x"
            )
        finally:
            app.config["BASE_URL"] = "http://kompeten.test"


def test_private_keys_are_encrypted_at_rest(app, completed):
    cert = issue(app, completed(), with_pdf=False)
    with app.app_context():
        key = db.session.get(CredentialKey, cert.credential_key_id)
        raw = keycrypto.ed25519_private_bytes(keys.private_key(key))
        assert raw not in key.private_key_encrypted
        with pytest.raises(keycrypto.KeyMaterialError):
            keycrypto.decrypt_private_key(key.private_key_encrypted, keycrypto.generate_kek(), "x")
        doc = db.session.query(DocumentSigningCert).filter_by(institution_id=key.institution_id)
        assert all(b"PRIVATE KEY" not in row.private_key_encrypted for row in doc)


def test_rotation_keeps_old_certificates_valid(app, client, completed, make_institution):
    institution = make_institution()
    old = issue(app, completed(institution=institution), with_pdf=False)
    with app.app_context():
        keys.rotate_keys(db.session.merge(institution), document=False)
        db.session.commit()
    new = issue(app, completed(institution=institution), with_pdf=False)
    assert new.credential["proof"]["verificationMethod"].endswith("#key-2")
    assert _status(client, old)["status"] == _status(client, new)["status"] == "valid"
    document = client.get(f"/institutions/{institution.slug}/did.json").get_json()
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == ["key-1", "key-2"]
    assert len(document["assertionMethod"]) == 2


def test_a_compromised_key_fails_only_what_it_signed_after(
    app, client, completed, make_institution
):
    institution = make_institution()
    before = issue(app, completed(institution=institution), with_pdf=False)
    after = issue(app, completed(institution=institution), with_pdf=False)
    with app.app_context():
        row = db.session.get(Certificate, after.id)
        moment = row.issued_at - timedelta(microseconds=1)
        keys.compromise_key(db.session.get(CredentialKey, row.credential_key_id), moment, "leak")
        db.session.commit()
    assert _status(client, before)["status"] == "valid"
    bad = _status(client, after)
    assert bad["status"] == "invalid" and bad["checks"]["issuer_key"] is False
    assert "compromised" in bad["reasons"][0]
    page = client.get(f"/v/{after.code}").get_data(as_text=True)
    assert headline(page, "data-status") == ("invalid", "TIDAK SAH / NOT GENUINE")
    fresh = issue(app, completed(institution=institution), with_pdf=False)
    assert fresh.credential["proof"]["verificationMethod"].endswith("#key-2")
    assert _status(client, fresh)["status"] == "valid"
    document = client.get(f"/institutions/{institution.slug}/did.json").get_json()
    assert "revoked" in document["verificationMethod"][0]
    vc = client.post("/credentials/verify", json={"verifiableCredential": after.credential})
    assert vc.get_json()["verified"] is False
    vc = client.post("/credentials/verify", json={"verifiableCredential": before.credential})
    assert vc.get_json()["verified"] is True


def test_a_ca_certificate_can_be_imported_as_pkcs12(app, make_institution, ctx):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    institution = db.session.merge(make_institution())
    material = keycrypto.generate_document_signing_certificate("BLK dari CA")
    p12 = pkcs12.serialize_key_and_certificates(
        b"blk", material.key, material.certificate, None, BestAvailableEncryption(b"rahasia")
    )
    row = keys.import_document_cert(institution, p12, password=b"rahasia")
    assert row.source == "imported" and keys.current_document_cert(institution).id == row.id
    assert keys.signing_material(row).certificate == material.certificate
    with pytest.raises(ValidationFailed):
        keys.import_document_cert(institution, p12, password=b"wrong")


def test_a_pem_certificate_and_key_can_be_imported(app, make_institution, ctx):
    institution = db.session.merge(make_institution())
    material = keycrypto.generate_document_signing_certificate("BLK PEM")
    row = keys.import_document_cert(
        institution,
        keycrypto.certificate_to_pem(material.certificate),
        key_pem=_pem(material.key),
    )
    assert row.source == "imported"


def _pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
