"""Hostile credentials through every way in: the VC-API's verify and issue, an uploaded JSON
file, the credential embedded in an uploaded PDF, and the offline `verify-file` (issue 11,
item 1 and the dates of item 8). Each gets its 4xx envelope, or `verified: false` naming the
rule it broke, and never a 500 or the quadratic or unbounded work behind it. Time is
measured by `python -m bench abuse`, never asserted here."""

from __future__ import annotations

import base64
import html
import io
import json
from typing import Any

import pytest
from flask_babel import force_locale
from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.writer import PdfFileWriter
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.audit.models import AuditEvent
from app.certificates.crypto.didkey import did_key_from_public_key, did_key_verification_method
from app.certificates.crypto.keys import generate_ed25519_key
from app.certificates.crypto.multibase import encode_base58btc
from app.certificates.services import intake
from app.certificates.services.clients import create_client
from app.errors import ValidationFailed
from app.extensions import db
from tests.pages import elements

_KEY = generate_ed25519_key().public_key()
HOSTILE = "@HOSTILE@"


def _doc(raw: str | None = None, *, with_proof: bool = True, **fields: Any) -> bytes:
    """A credential's JSON text: `raw` JSON text replaces credentialSubject.evidence; a
    `proof` dict updates the proof; other fields update the credential."""
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": did_key_verification_method(_KEY),
        "proofPurpose": "assertionMethod",
        "proofValue": encode_base58btc(bytes(range(64))),  # well formed, does not verify
        **fields.pop("proof", {}),
    }
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did_key_from_public_key(_KEY),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:alice", "evidence": HOSTILE},
        **fields,
    }
    if with_proof:
        document["proof"] = proof
    text = json.dumps(document)
    return text.replace(json.dumps(HOSTILE), raw if raw is not None else "null").encode()


HUGE_DID = "did:key:z6Mk" + "2" * 60_000
LONG_DID = "did:key:z6Mk" + "2" * 2_000

# name -> credential JSON text (with its proof, without for issue)
CASES: dict[str, Any] = {
    "proofValue of 600,000 characters": lambda p: _doc(proof={"proofValue": "z" + "2" * 600_000}),
    "proofValue of 60,000 characters": lambda p: _doc(proof={"proofValue": "z" + "2" * 60_000}),
    "14 MB array of zeros": lambda p: _doc("[" + "0," * 7_000_000 + "0]", with_proof=p),
    "array of 2,000 items": lambda p: _doc(json.dumps([0] * 2_000), with_proof=p),
    "nested 100,000 deep": lambda p: _doc("[" * 100_000 + "]" * 100_000, with_proof=p),
    "nested 100 deep": lambda p: _doc("[" * 100 + "]" * 100, with_proof=p),
    "multikey of 60,000 characters": lambda p: _doc(
        issuer=HUGE_DID, proof={"verificationMethod": HUGE_DID}, with_proof=p
    ),
    "multikey of 2,000 characters": lambda p: _doc(
        issuer=LONG_DID, proof={"verificationMethod": LONG_DID}, with_proof=p
    ),
    "integer of 5,000 digits": lambda p: _doc("1" + "0" * 4_999, with_proof=p),
    "validFrom in the year 99999": lambda p: _doc(validFrom="99999-01-01T00:00:00Z", with_proof=p),
    "validUntil in the year -0001": lambda p: _doc(
        validUntil="-0001-12-31T00:00:00Z", with_proof=p
    ),
}

TOO_LARGE = "The credential is larger than 256 KB."
NOT_JSON = "The file is not credential JSON."
ITEMS = "An array in the credential holds more than 1000 items (at /credentialSubject/evidence)."
DEPTH = "The credential nests deeper than 64 levels"
PROOF_VALUE = "base58btc value is 60000 characters; 64 bytes take at most 88"
DID_URL = "more than 2048"
MULTIKEY = "34 bytes take at most 47"
YEAR_FROM = "validFrom cannot be checked: the year 99999 is outside 0001-9999"
YEAR_UNTIL = "validUntil cannot be checked: the year -0001 is outside 0001-9999"
FALSE = "verified: false"

# name -> (status, envelope code or FALSE, text in the message, details or errors)
VERIFY = {
    "proofValue of 600,000 characters": (413, "too_large", TOO_LARGE),
    "proofValue of 60,000 characters": (200, FALSE, PROOF_VALUE),
    "14 MB array of zeros": (413, "too_large", TOO_LARGE),
    "array of 2,000 items": (422, "validation_failed", ITEMS),
    "nested 100,000 deep": (400, "bad_request", "The JSON is nested too deeply."),
    "nested 100 deep": (422, "validation_failed", DEPTH),
    "multikey of 60,000 characters": (200, FALSE, DID_URL),
    "multikey of 2,000 characters": (200, FALSE, MULTIKEY),
    "integer of 5,000 digits": (400, "bad_request", "4300 digits"),
    "validFrom in the year 99999": (200, FALSE, YEAR_FROM),
    "validUntil in the year -0001": (200, FALSE, YEAR_UNTIL),
}
ISSUE = {
    "proofValue of 600,000 characters": (413, "too_large", TOO_LARGE),
    "14 MB array of zeros": (413, "too_large", TOO_LARGE),
    "array of 2,000 items": (422, "validation_failed", ITEMS),
    "nested 100,000 deep": (400, "bad_request", "The JSON is nested too deeply."),
    "nested 100 deep": (422, "validation_failed", DEPTH),
    "multikey of 60,000 characters": (422, "validation_failed", "must be this institution"),
    "integer of 5,000 digits": (400, "bad_request", "4300 digits"),
    "validFrom in the year 99999": (422, "validation_failed", "the year 99999 is outside"),
    "validUntil in the year -0001": (422, "validation_failed", "the year -0001 is outside"),
}
# name -> what the upload page and verify-file say
UPLOAD_JSON = {
    "proofValue of 600,000 characters": TOO_LARGE,
    "proofValue of 60,000 characters": PROOF_VALUE,
    "14 MB array of zeros": TOO_LARGE,
    "array of 2,000 items": ITEMS,
    "nested 100,000 deep": NOT_JSON,
    "nested 100 deep": DEPTH,
    "multikey of 60,000 characters": DID_URL,
    "multikey of 2,000 characters": MULTIKEY,
    "integer of 5,000 digits": NOT_JSON,
    "validFrom in the year 99999": YEAR_FROM,
    "validUntil in the year -0001": YEAR_UNTIL,
}
# The PDF path reports the first failed check of the embedded credential: with a signature
# that does not verify, the dates are not what it names (it only must not fail).
UPLOAD_PDF = {
    **UPLOAD_JSON,
    "validFrom in the year 99999": "signature does not match",
    "validUntil in the year -0001": "signature does not match",
}


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


def _expect(response, status: int, code: str, text: str) -> None:
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    if code == FALSE:
        assert body["verified"] is False and body["results"]
        assert any(text in error for error in body["errors"]), body["errors"]
    else:
        assert body["error"]["code"] == code
        assert text in body["error"]["message"] + json.dumps(body["error"]["details"])


@pytest.mark.parametrize("name", VERIFY)
def test_verify_api(client, name):
    body = b'{"verifiableCredential": ' + CASES[name](True) + b"}"
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    _expect(response, *VERIFY[name])


@pytest.fixture
def bearer(app, client, make_institution) -> dict[str, str]:
    with app.app_context():
        oauth, secret = create_client(db.session.merge(make_institution()), "SIAKAD", None)
        db.session.commit()
        client_id = oauth.client_id
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "issue:credentials"},
        headers={"Authorization": f"Basic {basic}"},
    ).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _issued(app) -> int:
    with app.app_context():
        issued = select(func.count()).where(AuditEvent.action == "vcapi.issue")
        return db.session.scalar(issued)


@pytest.mark.parametrize("name", ISSUE)
def test_issue_api(app, client, bearer, name):
    body = b'{"credential": ' + CASES[name](False) + b"}"
    response = client.post(
        "/credentials/issue", data=body, content_type="application/json", headers=bearer
    )
    _expect(response, *ISSUE[name])
    assert _issued(app) == 0


def test_issue_still_signs_a_credential_within_the_bounds(app, client, bearer):
    credential = _doc(json.dumps([0] * 1_000), with_proof=False, issuer=None)
    body = b'{"credential": ' + credential + b"}"
    response = client.post(
        "/credentials/issue", data=body, content_type="application/json", headers=bearer
    )
    assert response.status_code == 201, response.data[:300]
    assert response.get_json()["verifiableCredential"]["proof"]["proofValue"].startswith("z")
    assert _issued(app) == 1


def _page(client, data: bytes, name: str) -> str:
    # Encoded here: the test client spools a body past 500 KB to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name)})
    response = client.post(
        "/verify", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("name", UPLOAD_JSON)
def test_upload_json(client, name):
    page = _page(client, CASES[name](True), "credential.json")
    assert UPLOAD_JSON[name] in page
    assert "valid" not in [verdict for verdict, _words in elements(page, "data-verdict")]


def pdf_embedding(credential: bytes) -> bytes:
    """An (unsigned) PDF whose credential.json is `credential`, FlateDecode-compressed:
    14 MB of zeros compress to 14 KB, a bomb for whatever inflates it whole."""
    writer = PdfFileWriter()
    data = embed.EmbeddedFileObject.from_file_data(
        writer, credential, compress=True, mime_type="application/json"
    )
    embed.embed_file(writer, embed.FileSpec(file_spec_string="credential.json", embedded_data=data))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name", UPLOAD_PDF)
def test_upload_pdf(client, name):
    page = _page(client, pdf_embedding(CASES[name](True)), "certificate.pdf")
    assert UPLOAD_PDF[name] in page
    assert "valid" not in [verdict for verdict, _words in elements(page, "data-verdict")]


@pytest.mark.parametrize("name", UPLOAD_JSON)
def test_verify_file(app, tmp_path, name):
    path = tmp_path / "credential.json"
    path.write_bytes(CASES[name](True))
    result = app.test_cli_runner().invoke(args=["verify-file", str(path)])
    assert result.exit_code == 1
    assert UPLOAD_JSON[name] in result.output
    assert "Traceback" not in result.output


def test_verify_file_refuses_a_file_larger_than_an_upload_unread(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 1025)
    result = app.test_cli_runner().invoke(args=["verify-file", str(path)])
    assert result.exit_code == 1
    assert "is 1025 bytes; an upload may be at most 1024 (MAX_CONTENT_LENGTH)" in result.output


def test_a_chunked_body_is_stopped_at_the_limit(client):
    body = b'{"verifiableCredential": {"a": "' + b"x" * 300_000 + b'"}}'
    response = client.post(
        "/credentials/verify",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn says of its input
        headers={"Transfer-Encoding": "chunked"},
    )
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and error["details"] == {"limit_bytes": 262144}


def test_the_body_limit_is_configuration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CREDENTIAL_MAX_BYTES", 2048)
    body = b'{"verifiableCredential": ' + _doc(json.dumps([0] * 1_000)) + b"}"
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["details"] == {"bytes": len(body), "limit_bytes": 2048}
    assert response.get_json()["error"]["message"] == "The credential is larger than 2 KB."


def test_the_messages_are_translated_into_indonesian(app):
    document = json.loads(CASES["array of 2,000 items"](True))
    with app.test_request_context(), force_locale("id"):
        with pytest.raises(ValidationFailed) as raised:
            intake.check_document_bounds(document)
        assert raised.value.message == (
            "Sebuah larik dalam kredensial berisi lebih dari 1000 butir "
            "(di /credentialSubject/evidence)."
        )
        assert intake.too_large().message == "Kredensial lebih besar dari 256 KB."


def test_the_choice_is_documented_in_the_openapi_description(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    verify = paths["/credentials/verify"]["post"]
    assert {"400", "413", "422"} <= set(verify["responses"])
    assert "verified: false" in verify["description"]
    assert "413" in paths["/credentials/issue"]["post"]["responses"]
