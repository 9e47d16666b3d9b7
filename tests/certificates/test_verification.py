"""Verification: the QR page, its JSON twin, downloads, the uniform not-found, rate limits,
life after issue (revoke, suspend, reinstate, reissue, expiry) and status lists."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.certificates.crypto.statuslist import read_status
from app.certificates.models import Certificate
from app.certificates.services import lifecycle
from app.db import utcnow
from app.extensions import db
from tests.certificates.conftest import fetch, issue
from tests.pages import headline


@pytest.fixture
def pdf_cert(app, completed):
    return issue(app, completed(full_name="Rina Kurniasih", email="rina@contoh.id"))


def _change(app, cert_id: int, action: str, **kwargs):
    with app.app_context():
        cert = db.session.get(Certificate, cert_id)
        result = lifecycle.change(action, cert, kwargs.pop("reason", "data error"), None, **kwargs)
        db.session.commit()
        return result.id


def test_the_qr_page_says_valid_with_public_fields_only(client, pdf_cert):
    page = client.get(f"/v/{pdf_cert.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert headline(html, "data-status") == ("valid", "SAH / VALID")
    assert "Rina Kurniasih" in html and pdf_cert.number in html
    assert "rina@contoh.id" not in html and "identityHash" not in html
    for unit in pdf_cert.unit_codes:
        assert unit in html


def test_a_scan_by_an_anonymous_employer_sets_no_cookie(client, pdf_cert):
    """The page is bilingual, so it needs no language switch and no session: scanning a
    QR leaves nothing behind in the employer's browser."""
    page = client.get(f"/v/{pdf_cert.code}")
    assert page.status_code == 200
    assert "Set-Cookie" not in page.headers
    assert 'name="csrf_token"' not in page.get_data(as_text=True)


def test_the_json_twin_gives_status_fields_and_checks(client, pdf_cert):
    body = client.get(f"/api/v1/verify/{pdf_cert.code}").get_json()
    assert body["status"] == "valid"
    assert body["checks"] == {"signature": True, "issuer_key": True, "status": True, "dates": True}
    assert body["certificate"]["number"] == pdf_cert.number
    assert "email" not in json.dumps(body)


def test_the_json_twin_matches_its_documented_schema(app, client, pdf_cert):
    """The scan path serialises without a schema dump, so hold it to the schema here."""
    from app.certificates.schemas import VerifyResultSchema

    body = client.get(f"/api/v1/verify/{pdf_cert.code}").get_json()
    schema = VerifyResultSchema()
    assert schema.validate(body) == {}
    assert set(body) == set(schema.fields)
    assert set(body["certificate"]) == set(schema.fields["certificate"].schema.fields)
    page = f"{app.config['BASE_URL'].rstrip('/')}/v/{pdf_cert.code}"
    assert (body["verify_url"], body["pdf_url"], body["credential_url"]) == (
        page,
        f"{page}/certificate.pdf",
        f"{page}/credential.json",
    )
    assert (
        client.get(body["pdf_url"].removeprefix(app.config["BASE_URL"].rstrip("/"))).status_code
        == 200
    )


def test_downloads_serve_the_stored_files(client, pdf_cert):
    import hashlib

    pdf = client.get(f"/v/{pdf_cert.code}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == pdf_cert.pdf_sha256
    credential = client.get(f"/v/{pdf_cert.code}/credential.json")
    assert credential.get_json() == pdf_cert.credential


@pytest.mark.parametrize("code", ["nope", "A" * 22, "abc-def.ghi", "x" * 300])
def test_an_unknown_code_gets_one_uniform_not_found(client, code):
    page = client.get(f"/v/{code}")
    api = client.get(f"/api/v1/verify/{code}")
    document = client.get(f"/v/{code}/credential.json")
    assert page.status_code == api.status_code == document.status_code == 404
    assert api.get_json() == document.get_json()
    assert api.get_json() == client.get("/api/v1/no/such/path").get_json()


def test_hammering_the_page_gets_429(app, client, completed):
    cert = issue(app, completed(), with_pdf=False)
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.get(f"/api/v1/verify/{cert.code}").status_code for _ in range(4)]
        pages = [client.get(f"/v/{cert.code}").status_code for _ in range(4)]
        limited = client.get(f"/api/v1/verify/{cert.code}").get_json()
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "60 per minute"
    assert statuses == pages == [200, 200, 200, 429]
    assert limited["error"]["code"] == "rate_limited"


def _status_bit(client, cert, purpose: str) -> bool:
    entry = next(e for e in cert.credential["credentialStatus"] if e["statusPurpose"] == purpose)
    path = entry["statusListCredential"].replace("http://kompeten.test", "")
    return read_status(client.get(path).get_json(), int(entry["statusListIndex"]))


def test_revoke_suspend_and_reinstate_show_on_the_next_verification(app, client, completed):
    cert = issue(app, completed(), with_pdf=False)
    url = f"/api/v1/verify/{cert.code}"
    assert not _status_bit(client, cert, "revocation")
    _change(app, cert.id, "suspend")
    assert client.get(url).get_json()["status"] == "suspended"
    assert "DITANGGUHKAN" in client.get(f"/v/{cert.code}").get_data(as_text=True)
    assert _status_bit(client, cert, "suspension")
    _change(app, cert.id, "reinstate")
    assert client.get(url).get_json()["status"] == "valid"
    assert not _status_bit(client, cert, "suspension")
    _change(app, cert.id, "revoke", reason="fraud")
    body = client.get(url).get_json()
    assert body["status"] == "revoked" and body["checks"]["status"] is False
    page = client.get(f"/v/{cert.code}").get_data(as_text=True)
    assert headline(page, "data-status") == ("revoked", "DICABUT / REVOKED")
    assert _status_bit(client, cert, "revocation")


def test_lifecycle_changes_are_audited_with_reason(app, completed):
    from sqlalchemy import select

    from app.audit.models import AuditEvent

    cert = issue(app, completed(), with_pdf=False)
    _change(app, cert.id, "revoke", reason="forged documents")
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate.revoke")
        )
        assert event.reason == "forged documents" and event.target_id == str(cert.id)


def test_a_reason_is_required(app, completed, ctx):
    from app.errors import ValidationFailed

    cert_id = issue(app, completed(), with_pdf=False).id
    with pytest.raises(ValidationFailed):
        lifecycle.change("revoke", db.session.get(Certificate, cert_id), "  ", None)


def test_expiry_shows_without_any_job(app, client, completed):
    cert = issue(app, completed(), with_pdf=False)
    with app.app_context():
        row = db.session.get(Certificate, cert.id)
        row.valid_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    body = client.get(f"/api/v1/verify/{cert.code}").get_json()
    assert body["status"] == "expired" and body["checks"]["dates"] is False
    assert "KEDALUWARSA" in client.get(f"/v/{cert.code}").get_data(as_text=True)


def test_reissue_supersedes_and_links_to_the_new_certificate(app, client, completed):
    old = issue(app, completed(full_name="Rina Kurnia"), with_pdf=False)
    new_id = _change(app, old.id, "reissue", reason="name misspelt", holder_name="Rina Kurniasih")
    new = fetch(app, new_id)
    assert new.holder_name == "Rina Kurniasih" and new.number != old.number
    assert new.generation == 2 and new.state == "issued"
    page = client.get(f"/v/{old.code}").get_data(as_text=True)
    assert "DIGANTI" in page and f"/v/{new.code}" in page
    assert client.get(f"/api/v1/verify/{old.code}").get_json()["status"] == "superseded"
    assert client.get(f"/api/v1/verify/{new.code}").get_json()["status"] == "valid"
    assert _status_bit(client, old, "revocation")


def test_status_lists_are_signed_and_long_enough(app, client, completed):
    from app.certificates.crypto.dataintegrity import verify_proof
    from app.certificates.crypto.statuslist import MIN_BITS, decode_list
    from app.certificates.services.verification import key_resolver

    cert = issue(app, completed(), with_pdf=False)
    slug = cert.institution.slug
    document = client.get(f"/institutions/{slug}/status/revocation.json").get_json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert len(decode_list(document["credentialSubject"]["encodedList"])) * 8 >= MIN_BITS
    with app.app_context():
        assert verify_proof(document, key_resolver(None)).verified
    missing = client.get(f"/institutions/{slug}/status/other.json")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/institutions/nobody/did.json").get_json()["error"]["code"] == "not_found"
