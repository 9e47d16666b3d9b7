"""An issued certificate checked by independent tools (poppler, zbar), and tampering:
one byte in a stored PDF, one field in a credential, a proof moved to another credential."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess

import pytest

from app.certificates.services import pdfstore
from tests.certificates.conftest import fetch, issue
from tests.pages import headline


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def _tools() -> list[str]:
    return [t for t in ("pdfsig", "pdftoppm", "zbarimg", "pdfdetach") if shutil.which(t) is None]


@pytest.mark.skipif(bool(_tools()), reason=f"missing tools: {_tools()}")
def test_an_issued_certificate_passes_pdfsig_zbarimg_and_pdfdetach(
    app, client, completed, tmp_path
):
    cert = issue(app, completed(full_name="Ni Luh Putu Ayu Ñoman"))
    pdf = client.get(f"/v/{cert.code}/certificate.pdf").data
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf)

    output = _run("pdfsig", str(path)).stdout
    assert re.search(r"Signature Validation: Signature is Valid\.", output), output
    assert "Total document signed" in output

    _run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p"))
    [page] = tmp_path.glob("p*.png")
    decoded = _run("zbarimg", "--raw", "-q", str(page)).stdout.strip().splitlines()
    assert decoded == [f"http://kompeten.test/v/{cert.code}"]

    out = tmp_path / "attachments"
    out.mkdir()
    assert _run("pdfdetach", "-saveall", "-o", str(out), str(path)).returncode == 0
    served = client.get(f"/v/{cert.code}/credential.json").data
    assert (out / "credential.json").read_bytes() == served


def _upload(client, data: bytes, name: str = "file.pdf"):
    return client.post(
        "/verify", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_the_genuine_pdf_verifies_and_one_changed_byte_does_not(app, client, completed):
    cert = issue(app, completed())
    genuine = client.get(f"/v/{cert.code}/certificate.pdf").data
    with app.app_context():
        from app.certificates.services.upload import verify_upload

        result = verify_upload(genuine)
        assert (result["genuine"], result["unmodified"], result["current"]) == (True, True, True)
        assert result["certificate"].id == cert.id
        tampered = bytearray(genuine)
        tampered[len(tampered) // 2] ^= 0x01
        bad = verify_upload(bytes(tampered))
        assert bad["genuine"] is False and bad["unmodified"] is False
        assert bad["reasons"], bad
    page = _upload(client, genuine).get_data(as_text=True)
    assert 'data-genuine="true"' in page
    assert headline(page, "data-verdict") == ("valid", "SAH / VALID")
    page = _upload(client, bytes(tampered)).get_data(as_text=True)
    assert 'data-genuine="false"' in page
    assert headline(page, "data-verdict") == ("invalid", "TIDAK SAH / NOT GENUINE")


def test_a_changed_byte_in_the_stored_pdf_is_never_served(app, client, completed):
    cert = issue(app, completed())
    with app.app_context():
        path = pdfstore.pdf_path(fetch(app, cert.id))
    data = bytearray(path.read_bytes())
    data[1000] ^= 0x01
    path.write_bytes(bytes(data))
    assert client.get(f"/v/{cert.code}/certificate.pdf").status_code == 404


def _verify_json(client, document) -> dict:
    return client.post("/credentials/verify", json={"verifiableCredential": document}).get_json()


def test_one_changed_field_in_the_credential_fails_with_a_reason(app, client, completed):
    cert = issue(app, completed(), with_pdf=False)
    assert _verify_json(client, cert.credential)["verified"] is True
    changed = copy.deepcopy(cert.credential)
    changed["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] = "J.999999.999.99"
    result = _verify_json(client, changed)
    assert result["verified"] is False
    assert "signature does not match" in result["reason"]
    page = _upload(client, json.dumps(changed).encode(), "credential.json").get_data(as_text=True)
    assert 'data-genuine="false"' in page


def test_a_proof_moved_to_another_credential_fails_with_a_reason(app, client, completed):
    institution_cert = issue(app, completed(), with_pdf=False)
    other = issue(app, completed(institution=institution_cert.institution), with_pdf=False)
    moved = copy.deepcopy(other.credential)
    moved["proof"] = copy.deepcopy(institution_cert.credential["proof"])
    result = _verify_json(client, moved)
    assert result["verified"] is False and "signature" in result["reason"]


def test_a_credential_from_the_wrong_issuer_fails(app, client, completed):
    cert = issue(app, completed(), with_pdf=False)
    forged = copy.deepcopy(cert.credential)
    forged["issuer"]["id"] = "did:web:evil.example"
    result = _verify_json(client, forged)
    assert result["verified"] is False and "not controlled by issuer" in result["reason"]


def test_a_credential_changed_in_the_database_fails_even_after_a_good_verification(
    app, client, completed
):
    """The signature check is remembered per content: a changed credential is new content."""
    from app.certificates.models import Certificate
    from app.extensions import db

    cert = issue(app, completed(), with_pdf=False)
    first = client.get(f"/api/v1/verify/{cert.code}").get_json()
    assert first["status"] == "valid" and first["checks"]["signature"] is True
    with app.app_context():
        row = db.session.get(Certificate, cert.id)
        changed = copy.deepcopy(row.credential)
        changed["credentialSubject"]["achievement"]["name"] = "Ahli Nuklir"
        row.credential = changed
        db.session.commit()
    second = client.get(f"/api/v1/verify/{cert.code}").get_json()
    assert second["status"] == "invalid"
    assert second["checks"]["signature"] is False
    assert second["reasons"]


def test_a_snapshot_changed_in_the_database_shows_on_the_next_scan(app, client, completed):
    """The remembered public fields are keyed by the stored snapshot's content too."""
    from app.certificates.models import Certificate
    from app.extensions import db

    cert = issue(app, completed(), with_pdf=False)
    assert client.get(f"/api/v1/verify/{cert.code}").get_json()["certificate"]["holder_name"]
    with app.app_context():
        row = db.session.get(Certificate, cert.id)
        row.snapshot = dict(row.snapshot, holder_name="Nama Yang Dikoreksi")
        db.session.commit()
    body = client.get(f"/api/v1/verify/{cert.code}").get_json()
    assert body["certificate"]["holder_name"] == "Nama Yang Dikoreksi"
    assert "Nama Yang Dikoreksi" in client.get(f"/v/{cert.code}").get_data(as_text=True)


def test_a_stored_proof_naming_another_key_fails_with_a_reason(app, client, completed):
    """A scan trusts only the key the certificate was recorded as issued with."""
    from app.certificates.models import Certificate
    from app.extensions import db

    cert = issue(app, completed(), with_pdf=False)
    with app.app_context():
        row = db.session.get(Certificate, cert.id)
        changed = copy.deepcopy(row.credential)
        changed["proof"]["verificationMethod"] = changed["proof"]["verificationMethod"].replace(
            "#key-1", "#key-2"
        )
        row.credential = changed
        db.session.commit()
    body = client.get(f"/api/v1/verify/{cert.code}").get_json()
    assert body["status"] == "invalid" and body["checks"]["signature"] is False
    assert "not the key" in body["reasons"][0]
