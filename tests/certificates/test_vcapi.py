"""VC-API: verify any eddsa-jcs-2022 credential; issue with OAuth 2.0 client credentials."""

from __future__ import annotations

import base64

import pytest

from app.certificates.crypto.dataintegrity import create_proof
from app.certificates.crypto.didkey import did_key_from_public_key, did_key_verification_method
from app.certificates.crypto.keys import generate_ed25519_key
from app.certificates.services.clients import create_client, revoke_client
from app.extensions import db

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:alice", "name": "Alice"},
}


def _did_key_credential() -> dict:
    key = generate_ed25519_key()
    document = {**CREDENTIAL, "issuer": did_key_from_public_key(key.public_key())}
    method = did_key_verification_method(key.public_key())
    return create_proof(document, key, method, "2026-01-01T00:00:00Z")


def test_any_did_key_credential_verifies(client):
    body = client.post("/credentials/verify", json={"verifiableCredential": _did_key_credential()})
    assert body.status_code == 200
    result = body.get_json()
    assert result["verified"] is True and "proof" in result["checks"]
    assert result["errors"] == []


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 422),
        ({"verifiableCredential": "not an object"}, 422),
        ({"verifiableCredential": {"issuer": "did:key:z"}}, 422),
        ({"verifiableCredential": {"proof": {"proofValue": "zz"}}}, 200),
        ({"verifiableCredential": {"proof": {}, "issuer": {"id": 5}}}, 200),
    ],
)
def test_malformed_input_gets_a_4xx_envelope_or_a_reason(client, payload, status):
    response = client.post("/credentials/verify", json=payload)
    assert response.status_code == status
    body = response.get_json()
    if status == 200:
        assert body["verified"] is False and body["reason"]
    else:
        assert body["error"]["code"] == "validation_failed"


def test_non_json_gets_400(client):
    response = client.post("/credentials/verify", data="{nope", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


def test_an_unknown_did_web_issuer_is_refused(client):
    credential = _did_key_credential()
    credential["issuer"] = "did:web:elsewhere.example"
    result = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert result.get_json()["verified"] is False


@pytest.fixture
def oauth_client(app, make_institution):
    institution = make_institution()
    with app.app_context():
        client, secret = create_client(db.session.merge(institution), "SIAKAD", None)
        db.session.commit()
        return client.client_id, secret, institution


def _token(client, client_id: str, secret: str, scope: str = "issue:credentials"):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": scope},
        headers={"Authorization": f"Basic {basic}"},
    )


def test_an_institution_system_gets_a_token_and_issues(app, client, oauth_client):
    client_id, secret, institution = oauth_client
    token = _token(client, client_id, secret)
    assert token.status_code == 200, token.data
    access = token.get_json()["access_token"]
    issued = client.post(
        "/credentials/issue",
        json={"credential": {**CREDENTIAL, "id": "urn:uuid:1"}},
        headers={"Authorization": f"Bearer {access}"},
    )
    assert issued.status_code == 201, issued.data
    signed = issued.get_json()["verifiableCredential"]
    assert signed["issuer"] == f"did:web:kompeten.test:institutions:{institution.slug}"
    result = client.post("/credentials/verify", json={"verifiableCredential": signed}).get_json()
    assert result["verified"] is True


def test_the_did_key_form_of_the_issuer_is_accepted(app, client, oauth_client):
    client_id, secret, institution = oauth_client
    access = _token(client, client_id, secret).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    client.post("/credentials/issue", json={"credential": CREDENTIAL}, headers=headers)
    document = client.get(f"/institutions/{institution.slug}/did.json").get_json()
    [did_key] = document["alsoKnownAs"]
    issued = client.post(
        "/credentials/issue",
        json={"credential": {**CREDENTIAL, "issuer": did_key}},
        headers=headers,
    )
    signed = issued.get_json()["verifiableCredential"]
    assert signed["proof"]["verificationMethod"].startswith(did_key + "#")
    result = client.post("/credentials/verify", json={"verifiableCredential": signed}).get_json()
    assert result["verified"] is True
    other = client.post(
        "/credentials/issue",
        json={"credential": {**CREDENTIAL, "issuer": "did:web:other.example"}},
        headers=headers,
    )
    assert other.status_code == 422


def test_issue_refuses_without_a_valid_token(app, client, oauth_client):
    client_id, secret, _institution = oauth_client
    assert client.post("/credentials/issue", json={"credential": CREDENTIAL}).status_code == 401
    wrong = client.post(
        "/credentials/issue",
        json={"credential": CREDENTIAL},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "unauthorized"
    assert _token(client, client_id, "wrong-secret").status_code == 401
    assert _token(client, client_id, secret, scope="admin").status_code == 400


def test_a_revoked_client_loses_its_tokens(app, client, oauth_client):
    from sqlalchemy import func, select

    from app.certificates.models import OAuthClient, OAuthToken

    client_id, secret, _institution = oauth_client
    access = _token(client, client_id, secret).get_json()["access_token"]
    with app.app_context():
        row = db.session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        revoke_client(row, None)
        db.session.commit()
    issued = client.post(
        "/credentials/issue",
        json={"credential": CREDENTIAL},
        headers={"Authorization": f"Bearer {access}"},
    )
    assert issued.status_code == 401
    with app.app_context():
        tokens_before = db.session.scalar(select(func.count()).select_from(OAuthToken))
    # RFC 6749 5.2: a client that authenticated through the Authorization header and failed
    # gets 401 invalid_client (Authlib answers so for client_secret_basic).
    refused = _token(client, client_id, secret)
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "invalid_client"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OAuthToken)) == tokens_before


def test_the_vc_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/credentials/verify", "/credentials/issue", "/oauth/token"):
        assert path in paths
    assert "/api/v1/verify/{code}" in paths


# Past the credential's depth bound (64) the parsed body is invalid (422, naming the bound);
# nested past what the JSON parser recurses through, it never parses (400).
@pytest.mark.parametrize(
    ("depth", "status", "code"), [(100, 422, "validation_failed"), (5000, 400, "bad_request")]
)
def test_deeply_nested_json_gets_a_4xx_not_a_5xx(client, depth, status, code):
    body = '{"verifiableCredential": ' + '{"a":' * depth + "1" + "}" * depth + "}"
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_numbers_jcs_cannot_canonicalise_fail_with_a_reason(client):
    credential = {**_did_key_credential(), "big": 2**60}
    result = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert result.status_code == 200
    assert result.get_json()["verified"] is False and "RFC 8785" in result.get_json()["reason"]
