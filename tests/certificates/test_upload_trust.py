"""Who vouches for an uploaded certificate (issue 11, item 3).

An institution admin imported a home-made document-signing certificate, signed a PDF that
shows another name and embeds another institution's genuine credential, and the upload page
said SAH / VALID. A PDF is now checked against the document-signing certificates of the
institution whose key verifies its credential only, every check is shown, the headline is
the most severe outcome, and the page and `POST /credentials/verify` say exactly who
signed a credential."""

from __future__ import annotations

import copy
import html
import io
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from app.certificates.crypto import keys as keycrypto
from app.certificates.crypto.dataintegrity import create_proof
from app.certificates.crypto.didkey import did_key_from_public_key, did_key_verification_method
from app.certificates.models import Certificate, DocumentSigningCert
from app.certificates.pdf.render import render_certificate_html
from app.certificates.pdf.sign import sign_pdf
from app.certificates.services import keys, lifecycle, pdfstore
from app.certificates.services.upload import verify_upload
from app.certificates.services.verification import verify_credential
from app.db import utcnow
from app.extensions import db
from tests.certificates.conftest import fetch, issue

VALID = "SAH / VALID"
NOT_GENUINE = "TIDAK SAH / NOT GENUINE"


def _upload(client, data: bytes, name: str = "sertifikat.pdf") -> str:
    response = client.post(
        "/verify", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def headline(page: str) -> str:
    """The verdict exactly as the large status line shows it."""
    [line] = re.findall(r'<p class="status[^"]*"[^>]*>(.*?)</p>', page, re.S)
    return _text(line)


def checks(page: str) -> dict[str, tuple[bool, str]]:
    """Each check on the page: name -> (passed, its bilingual sentence)."""
    found = re.findall(
        r'<li class="[^"]*" data-check="([a-z_]+)" data-ok="(true|false)">(.*?)</li>', page, re.S
    )
    return {name: (ok == "true", _text(body)) for name, ok, body in found}


def signer_line(page: str) -> str:
    [line] = re.findall(r'<p class="signer"[^>]*>(.*?)</p>', page, re.S)
    return _text(line)


@pytest.fixture
def institution_b(make_institution):
    return make_institution(name="BBPVP Bandung", slug="bbpvp-bandung")


@pytest.fixture
def genuine(app, client, completed, institution_b):
    """(certificate, its PDF as Kompeten issued it) of institution B."""
    cert = issue(app, completed(institution=institution_b, full_name="Rina Kurniasih"))
    pdf = client.get(f"/v/{cert.code}/certificate.pdf").data
    assert pdf.startswith(b"%PDF")
    return cert, pdf


def _home_made_material(name: str) -> keycrypto.SigningMaterial:
    """Mallory's own RSA key and self-signed certificate, named after the victim."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return keycrypto.generate_document_signing_certificate(name, key=key)


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _forged_pdf(app, cert: Certificate, material: keycrypto.SigningMaterial) -> bytes:
    """A PDF showing MALLORY PALSU, embedding B's genuine credential, signed (pyHanko) with
    the home-made certificate."""
    with app.test_request_context():
        cert = db.session.get(Certificate, cert.id)
        context = {**pdfstore.render_context(cert), "holder_name": "MALLORY PALSU"}
        unsigned = pdfstore.renderer().render_pdf(
            render_certificate_html(context), pdfstore.credential_bytes(cert.credential)
        )
    return sign_pdf(unsigned, material, signer_name="BBPVP Bandung")


def test_a_certificate_one_institution_imported_never_vouches_for_anothers_pdf(
    app, client, client_as, make_institution, genuine, institution_b
):
    cert, _pdf = genuine
    institution_a = make_institution(name="LPK Mallory")
    admin_a = client_as("institution_admin", institution=institution_a)
    material = _home_made_material("BBPVP Bandung")
    response = admin_a.post(
        "/certificates/admin/keys/import",
        data={
            "certificate": (
                io.BytesIO(keycrypto.certificate_to_pem(material.certificate)),
                "c.pem",
            ),
            "key": (io.BytesIO(_pem_key(material.key)), "k"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        imported = db.session.scalars(
            db.select(DocumentSigningCert).where(DocumentSigningCert.source == "imported")
        ).all()
        assert [row.institution_id for row in imported] == [institution_a.id]

    forged = _forged_pdf(app, cert, material)
    page = _upload(client, forged)

    assert headline(page) == NOT_GENUINE
    found = checks(page)
    assert found["pdf_signature"][0] is True
    assert found["pdf_signer"] == (
        False,
        "✘ Sertifikat penanda tangan PDF / PDF signing certificate: PDF ditandatangani oleh "
        "Common Name: BBPVP Bandung, Organization: BBPVP Bandung, Country: ID, yang bukan "
        "sertifikat penanda tangan dokumen milik BBPVP Bandung, penerbit kredensialnya. The "
        "PDF is signed by Common Name: BBPVP Bandung, Organization: BBPVP Bandung, Country: "
        "ID, which is not a document-signing certificate of BBPVP Bandung, the issuer of its "
        "credential.",
    )
    assert found["credential"][0] is True  # B's credential is genuine: the PDF is not
    assert found["on_record"] == (
        False,
        "✘ Sesuai catatan Kompeten / On record at Kompeten: Berkas ini berbeda dari PDF yang "
        "diterbitkan Kompeten. The file differs from the PDF Kompeten issued.",
    )
    assert "MALLORY PALSU" not in page
    with app.app_context():
        result = verify_upload(forged)
    assert result["verdict"] == "invalid" and result["genuine"] is False
    assert result["reasons"][0].startswith("the PDF is signed by Common Name: BBPVP Bandung")


def test_an_institutions_pdfs_are_checked_against_its_own_certificates_only(
    app, make_institution, genuine, institution_b
):
    institution_a = make_institution()
    material = _home_made_material("BBPVP Bandung")
    with app.test_request_context():
        a = db.session.get(type(institution_b), institution_a.id)
        keys.import_document_cert(
            a, keycrypto.certificate_to_pem(material.certificate), key_pem=_pem_key(material.key)
        )
        db.session.flush()
        b = db.session.get(type(institution_b), institution_b.id)
        assert material.certificate in keys.document_signing_certificates(a)
        assert material.certificate not in keys.document_signing_certificates(b)
        db.session.rollback()


def test_the_genuine_pdf_is_valid_with_every_check_passed(client, genuine, institution_b):
    _cert, pdf = genuine
    page = _upload(client, pdf)
    assert headline(page) == VALID
    found = checks(page)
    assert list(found) == [
        "pdf_signature",
        "pdf_signer",
        "credential",
        "signer",
        "on_record",
        "status",
    ]
    assert all(ok for ok, _ in found.values()), found
    did = "did:web:kompeten.test:institutions:bbpvp-bandung"
    assert signer_line(page) == (
        f"Kredensial ditandatangani oleh lembaga di Kompeten: BBPVP Bandung ({did}). "
        f"The credential is signed by an institution in Kompeten: BBPVP Bandung ({did})."
    )
    assert 'data-known="true"' in page and "Rina Kurniasih" in page


def test_a_revoked_genuine_pdf_shows_the_most_severe_outcome(app, client, genuine):
    cert, pdf = genuine
    with app.app_context():
        lifecycle.change("revoke", db.session.get(Certificate, cert.id), "data error", None)
        db.session.commit()
    page = _upload(client, pdf)
    assert headline(page) == "DICABUT / REVOKED"
    assert checks(page)["status"] == (
        False,
        "✘ Status / Status: Sertifikat telah dicabut. The certificate has been revoked.",
    )


def _appended(pdf: bytes) -> bytes:
    """The genuine PDF with an incremental update after its signature (as an editor saves)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    writer.root["/Lang"] = generic.pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _flipped(pdf: bytes) -> bytes:
    position = pdf.index(b"WeasyPrint")
    return pdf[:position] + b"w" + pdf[position + 1 :]


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        (
            _appended,
            "✘ Tanda tangan PDF / PDF signature: Ada isi yang ditambahkan ke berkas setelah "
            "ditandatangani. Content was added to the file after signing.",
        ),
        (
            _flipped,
            "✘ Tanda tangan PDF / PDF signature: Dokumen diubah setelah ditandatangani. The "
            "document was changed after signing.",
        ),
    ],
    ids=["content-added", "byte-changed"],
)
def test_a_pdf_changed_after_signing_is_not_genuine(client, genuine, change, sentence):
    _cert, pdf = genuine
    page = _upload(client, change(pdf))
    assert headline(page) == NOT_GENUINE
    found = checks(page)
    assert found["pdf_signature"] == (False, sentence)
    assert found["on_record"][0] is False


def test_an_unsigned_pdf_with_a_genuine_credential_is_not_genuine(app, client, genuine):
    cert, _pdf = genuine
    with app.test_request_context():
        cert = db.session.get(Certificate, cert.id)
        unsigned = pdfstore.renderer().render_pdf(
            render_certificate_html(pdfstore.render_context(cert)),
            pdfstore.credential_bytes(cert.credential),
        )
    page = _upload(client, unsigned)
    assert headline(page) == NOT_GENUINE
    found = checks(page)
    assert found["pdf_signature"] == (
        False,
        "✘ Tanda tangan PDF / PDF signature: PDF ini tidak ditandatangani. The PDF is not signed.",
    )
    assert found["pdf_signer"][0] is False and found["credential"][0] is True


def _did_key_credential(name: str = "BBPVP Bandung") -> tuple[dict, str]:
    """A credential self-signed with a fresh did:key, its issuer named like an institution."""
    key = keycrypto.generate_ed25519_key()
    did = did_key_from_public_key(key.public_key())
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": {"id": did, "name": name},
        "credentialSubject": {"id": "did:example:mallory", "name": "MALLORY PALSU"},
    }
    method = did_key_verification_method(key.public_key())
    return create_proof(document, key, method, "2026-01-01T00:00:00Z"), did


def test_a_did_key_credential_named_like_an_institution_says_who_signed_it(client):
    credential, did = _did_key_credential()
    page = _upload(client, json.dumps(credential).encode(), "credential.json")
    assert headline(page) == NOT_GENUINE
    assert signer_line(page) == (
        f"Kredensial ditandatangani oleh kunci tak dikenal {did}, bukan oleh lembaga di "
        f"Kompeten. The credential is signed by an unknown key {did}, not by an institution "
        "in Kompeten."
    )
    assert 'data-known="false"' in page
    assert "signed by an institution in Kompeten" not in page
    assert "signed by a Kompeten institution" not in page
    found = checks(page)
    assert found["credential"][0] is True and found["signer"][0] is False


def test_a_did_key_credential_embedded_in_a_pdf_has_no_certificate_to_vouch_for_it(app, client):
    credential, did = _did_key_credential()
    material = _home_made_material("BBPVP Bandung")
    with app.test_request_context():
        unsigned = pdfstore.renderer().render_pdf(
            "<p>MALLORY PALSU</p>", json.dumps(credential).encode()
        )
    page = _upload(client, sign_pdf(unsigned, material))
    assert headline(page) == NOT_GENUINE
    assert checks(page)["pdf_signer"] == (
        False,
        "✘ Sertifikat penanda tangan PDF / PDF signing certificate: Kredensial di dalamnya "
        "tidak ditandatangani oleh lembaga di Kompeten, jadi tidak ada sertifikat penanda "
        "tangan dokumen yang menjamin PDF ini. The embedded credential is not signed by an "
        "institution in Kompeten, so no document-signing certificate vouches for this PDF.",
    )
    assert did in signer_line(page)


def test_the_vc_api_names_an_unknown_key_as_the_signer(client):
    credential, did = _did_key_credential()
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 200
    body = response.get_json()
    assert body["verified"] is True
    assert body["signer"] == {"id": did, "name": None, "kompetenIssuer": False}
    assert body["warnings"] == [
        f"the credential is signed by an unknown key {did}, not by an institution in Kompeten"
    ]


def test_the_vc_api_names_the_institution_that_signed(app, client, genuine):
    cert, _pdf = genuine
    credential = fetch(app, cert.id).credential
    body = client.post("/credentials/verify", json={"verifiableCredential": credential}).get_json()
    assert body["verified"] is True and body["warnings"] == []
    assert body["signer"] == {
        "id": "did:web:kompeten.test:institutions:bbpvp-bandung",
        "name": "BBPVP Bandung",
        "kompetenIssuer": True,
    }


def test_the_vc_api_names_no_signer_when_the_proof_fails(app, client, genuine):
    cert, _pdf = genuine
    credential = copy.deepcopy(fetch(app, cert.id).credential)
    credential["name"] = "Sertifikat Palsu"
    body = client.post("/credentials/verify", json={"verifiableCredential": credential}).get_json()
    assert body["verified"] is False
    assert body["signer"] == {
        "id": "did:web:kompeten.test:institutions:bbpvp-bandung",
        "name": None,
        "kompetenIssuer": False,
    }


def test_the_genuine_credential_json_is_valid_with_every_check_passed(app, client, genuine):
    cert, _pdf = genuine
    page = _upload(client, client.get(f"/v/{cert.code}/credential.json").data, "c.json")
    assert headline(page) == VALID
    found = checks(page)
    assert list(found) == ["credential", "signer", "on_record", "status"]
    assert all(ok for ok, _ in found.values()), found
    changed = copy.deepcopy(fetch(app, cert.id).credential)
    changed["credentialSubject"]["name"] = "MALLORY PALSU"
    page = _upload(client, json.dumps(changed).encode(), "c.json")
    assert headline(page) == NOT_GENUINE
    assert found["credential"][0] is True and checks(page)["credential"][0] is False


def test_an_institution_signing_with_the_did_key_form_of_its_key_is_named(ctx, institution_b):
    """The did:key an institution lists as alsoKnownAs is that institution, by its did:web."""
    institution = db.session.merge(institution_b)
    key = keys.ensure_credential_key(institution)
    public = keys.private_key(key).public_key()
    did = did_key_from_public_key(public)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:rina"},
    }
    signed = create_proof(
        document, keys.private_key(key), did_key_verification_method(public), keys.xsd(utcnow())
    )
    result = verify_credential(signed)
    assert result["verified"] is True and result["warnings"] == []
    assert {k: v for k, v in result["signer"].items() if k != "institution"} == {
        "id": "did:web:kompeten.test:institutions:bbpvp-bandung",
        "name": "BBPVP Bandung",
        "kompetenIssuer": True,
    }
    db.session.rollback()


@pytest.mark.parametrize(
    ("embedded", "detail"),
    [
        (None, "PDF tidak memuat kredensial. The PDF carries no credential."),
        (
            b"{nope",
            "Kredensial di dalam PDF tidak dapat dibaca: bukan JSON yang sah, terlalu besar, "
            "atau bersarang terlalu dalam. The embedded credential cannot be read: it is not "
            "valid JSON, too large or nested too deeply. (Berkas ini bukan JSON kredensial.)",
        ),
        (
            b"[]",
            "Kredensial di dalam PDF tidak memiliki bukti yang dapat diperiksa. The "
            "embedded credential has no proof that can be checked. (The verifiableCredential "
            "must be a JSON object.)",
        ),
    ],
    ids=["junk", "not-json", "not-a-credential"],
)
def test_a_pdf_without_a_usable_credential_is_not_genuine(app, client, embedded, detail):
    if embedded is None:
        data = b"%PDF-1.7 junk"
    else:
        with app.test_request_context():
            data = pdfstore.renderer().render_pdf("<p>MALLORY PALSU</p>", embedded)
    page = _upload(client, data)
    assert headline(page) == NOT_GENUINE
    assert checks(page)["credential"] == (
        False,
        f"✘ Bukti kredensial / Credential proof: {detail}",
    )
    assert signer_line(page) == (
        "Tidak ada kunci yang memverifikasi kredensial ini, jadi penanda tangannya tidak "
        "diketahui. No key verifies this credential, so who signed it is unknown."
    )
