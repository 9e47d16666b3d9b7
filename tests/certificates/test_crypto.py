"""Multibase, eddsa-jcs-2022 Data Integrity proofs, DIDs and key handling."""

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)

from app.certificates.crypto import dataintegrity as di
from app.certificates.crypto import didkey, keys, multibase

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "eddsa-jcs-2022"
ISSUER = "did:web:kompeten.example:institutions:blk-bandung"
CREATED = "2025-01-15T03:00:00Z"


def vector_text(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def vector_json(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vector() -> dict[str, Any]:
    signed = vector_json("signedJCS.json")
    return {
        "keys": vector_json("keyPair.json"),
        "config": vector_json("proofConfigJCS.json"),
        "signed": signed,
        "unsigned": {key: value for key, value in signed.items() if key != "proof"},
    }


def test_vector_intermediate_values(vector: dict[str, Any]) -> None:
    private_key = multibase.decode_ed25519_private_multikey(vector["keys"]["privateKeyMultibase"])
    public_multikey = multibase.encode_ed25519_public_multikey(private_key.public_key())
    assert public_multikey == vector["keys"]["publicKeyMultibase"]

    canonical_doc = di.transform(vector["unsigned"], vector["config"])
    assert canonical_doc.decode() == vector_text("canonDocJCS.txt")
    assert hashlib.sha256(canonical_doc).hexdigest() == vector_text("docHashJCS.txt")

    canonical_config = di.proof_configuration(vector["config"])
    assert canonical_config.decode() == vector_text("proofCanonJCS.txt")
    assert hashlib.sha256(canonical_config).hexdigest() == vector_text("proofHashJCS.txt")

    hash_data = di.hash_data(canonical_doc, canonical_config)
    assert hash_data.hex() == vector_text("combinedHashJCS.txt")

    signature = private_key.sign(hash_data)
    assert signature.hex() == vector_text("sigHexJCS.txt")
    assert multibase.encode_base58btc(signature) == vector_text("sigBTC58JCS.txt")


def test_vector_create_proof_reproduces_signed_document(vector: dict[str, Any]) -> None:
    private_key = multibase.decode_ed25519_private_multikey(vector["keys"]["privateKeyMultibase"])
    signed = di.create_proof(
        vector["unsigned"],
        private_key,
        vector["config"]["verificationMethod"],
        vector["config"]["created"],
    )
    assert signed == vector["signed"]
    assert signed["proof"]["proofValue"] == vector_text("sigBTC58JCS.txt")
    assert "proof" not in vector["unsigned"]


def test_vector_signed_document_verifies(vector: dict[str, Any]) -> None:
    # The vector's issuer is an https URL while its key is a did:key, hence no issuer check.
    result = di.verify_proof(vector["signed"], didkey.resolve_did_key, check_issuer=False)
    assert result.verified, result.reason
    assert result.reason is None
    assert result.checks["signature"] is True
    assert result.verified_document == vector["unsigned"]


@pytest.fixture(scope="module")
def issuer_key() -> dict[str, Any]:
    private_key = keys.generate_ed25519_key()
    multikey = multibase.encode_ed25519_public_multikey(private_key.public_key())
    document = didkey.build_did_document(ISSUER, [("key-1", multikey)])
    return {"private": private_key, "did_document": document, "method": f"{ISSUER}#key-1"}


def credential(name: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{hashlib.sha256(name.encode()).hexdigest()[:32]}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "BLK Bandung"},
        "validFrom": "2025-01-15T00:00:00Z",
        "name": "Junior Web Programmer",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "hashed": True, "salt": "s4lt"}],
            "achievement": {
                "id": "urn:kompeten:jwp",
                "name": f"Junior Web Programmer {name}",
                "description": "Menulis kode – Ağır ürün ñ",
                "hours": 240,
            },
        },
    }


def sign(issuer_key: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    return di.create_proof(document, issuer_key["private"], issuer_key["method"], CREATED)


def resolver(issuer_key: dict[str, Any]):
    return lambda method: didkey.resolve_from_did_document(issuer_key["did_document"], method)


def test_sign_and_verify_with_did_web_document(issuer_key: dict[str, Any]) -> None:
    signed = sign(issuer_key, credential("a"))
    assert signed["proof"]["@context"] == signed["@context"]
    result = di.verify_proof(signed, resolver(issuer_key))
    assert result.verified, result.reason
    assert result.verification_method == issuer_key["method"]
    assert all(result.checks.values())


def test_changed_field_fails_with_reason(issuer_key: dict[str, Any]) -> None:
    signed = sign(issuer_key, credential("a"))
    signed["credentialSubject"]["achievement"]["hours"] = 241
    result = di.verify_proof(signed, resolver(issuer_key))
    assert not result.verified
    assert result.checks["signature"] is False
    assert "signature does not match" in (result.reason or "")


def test_proof_moved_to_another_credential_fails(issuer_key: dict[str, Any]) -> None:
    first, second = sign(issuer_key, credential("a")), sign(issuer_key, credential("b"))
    second["proof"] = first["proof"]
    result = di.verify_proof(second, resolver(issuer_key))
    assert not result.verified
    assert result.checks["signature"] is False


def _set(path: list[str], value: Any):
    def mutate(document: dict[str, Any]) -> Any:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return document

    return mutate


def _unknown_key(method: str) -> Ed25519PublicKey:
    raise LookupError(f"no key {method}")


MALFORMED = [
    ("not an object", lambda d: ["not", "a", "dict"], "not a JSON object"),
    ("no proof", lambda d: {k: v for k, v in d.items() if k != "proof"}, "no single proof"),
    ("proof set", lambda d: {**d, "proof": [d["proof"]]}, "no single proof"),
    ("proofValue number", _set(["proof", "proofValue"], 12), "lacks a string proofValue"),
    ("proofValue not multibase", _set(["proof", "proofValue"], "abc"), "malformed proofValue"),
    ("proofValue bad base58", _set(["proof", "proofValue"], "z0OIl"), "malformed proofValue"),
    ("proofValue short", _set(["proof", "proofValue"], "z3mJ"), "expected 64"),
    ("wrong cryptosuite", _set(["proof", "cryptosuite"], "eddsa-rdfc-2022"), "cryptosuite"),
    ("wrong type", _set(["proof", "type"], "Ed25519Signature2020"), "proof type"),
    ("wrong purpose", _set(["proof", "proofPurpose"], "authentication"), "proofPurpose"),
    ("bad created", _set(["proof", "created"], "yesterday"), "dateTime"),
    ("context mismatch", _set(["@context"], ["https://www.w3.org/ns/credentials/v2"]), "@context"),
    ("other issuer", _set(["issuer", "id"], "did:web:evil.example"), "not controlled by"),
    ("foreign key", _set(["proof", "verificationMethod"], ISSUER + "#key-9"), "not listed"),
    ("unsupported JSON number", _set(["credentialSubject", "big"], 2**60), "canonicalised"),
]


@pytest.mark.parametrize(
    ("mutate", "reason"), [(m, r) for _, m, r in MALFORMED], ids=[name for name, _, _ in MALFORMED]
)
def test_malformed_input_returns_reason(issuer_key: dict[str, Any], mutate, reason: str) -> None:
    tampered = mutate(copy.deepcopy(sign(issuer_key, credential("a"))))
    result = di.verify_proof(tampered, resolver(issuer_key))
    assert not result.verified
    assert result.error_code
    assert reason in (result.reason or ""), result.reason


@pytest.mark.parametrize("junk", [None, 0, -1.5, "", [], {}, ["x"], {"id": 1}])
def test_no_field_value_makes_verification_raise(issuer_key: dict[str, Any], junk: Any) -> None:
    signed = sign(issuer_key, credential("a"))
    for key in [*signed, *(f"proof.{name}" for name in signed["proof"])]:
        tampered = copy.deepcopy(signed)
        target, name = (tampered["proof"], key[6:]) if key.startswith("proof.") else (tampered, key)
        target[name] = junk
        result = di.verify_proof(tampered, resolver(issuer_key))
        assert not result.verified and result.reason, key


def test_resolver_failure_is_reported(issuer_key: dict[str, Any]) -> None:
    result = di.verify_proof(sign(issuer_key, credential("a")), _unknown_key)
    assert not result.verified
    assert result.checks["key_resolved"] is False
    assert "unknown or untrusted key" in (result.reason or "")


def test_create_proof_rejects_document_with_proof(issuer_key: dict[str, Any]) -> None:
    with pytest.raises(di.ProofError):
        sign(issuer_key, sign(issuer_key, credential("a")))


def test_canonicalisation_uses_rfc8785() -> None:
    value = {"b": [1.0, 1e21, "é"], "a": {"€": 1, "z": None}}
    assert di.canonicalize(value) == rfc8785.dumps(value)
    assert di.canonicalize(value) == '{"a":{"z":null,"€":1},"b":[1,1e+21,"é"]}'.encode()


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x00\x01", bytes(range(256))])
def test_multibase_round_trips(data: bytes) -> None:
    assert multibase.decode_base58btc(multibase.encode_base58btc(data), len(data)) == data
    encoded = multibase.encode_base64url(data)
    assert encoded.startswith("u") and "=" not in encoded
    assert multibase.decode_base64url(encoded, len(data)) == data


@pytest.mark.parametrize("value", ["", "z", "u===", "mAAAA", "zI0", "z6MkhaXg", 5])
def test_multikey_rejects_malformed(value: Any) -> None:
    with pytest.raises(multibase.MultibaseError):
        multibase.decode_ed25519_public_multikey(value)


def test_private_multikey_is_not_a_public_key(vector: dict[str, Any]) -> None:
    with pytest.raises(multibase.MultibaseError):
        multibase.decode_ed25519_public_multikey(vector["keys"]["privateKeyMultibase"])


def test_did_key_round_trip(vector: dict[str, Any]) -> None:
    public = multibase.decode_ed25519_public_multikey(vector["keys"]["publicKeyMultibase"])
    method = didkey.did_key_verification_method(public)
    assert method == vector["config"]["verificationMethod"]
    assert didkey.did_key_from_public_key(public) == method.split("#")[0]
    assert didkey.resolve_did_key(method) == public
    with pytest.raises(didkey.DidError):
        didkey.resolve_did_key(method.split("#")[0] + "#other")


def test_did_document_keeps_old_keys_and_drops_revoked() -> None:
    old, new, bad = (keys.generate_ed25519_key() for _ in range(3))
    entries = [
        didkey.KeyEntry("key-1", multibase.encode_ed25519_public_multikey(old.public_key())),
        ("#key-2", multibase.encode_ed25519_public_multikey(new.public_key())),
        (
            f"{ISSUER}#key-3",
            multibase.encode_ed25519_public_multikey(bad.public_key()),
            "2025-02-01T00:00:00Z",
        ),
    ]
    document = didkey.build_did_document(ISSUER, entries)
    assert document["@context"] == [didkey.DID_CONTEXT, didkey.MULTIKEY_CONTEXT]
    assert [m["type"] for m in document["verificationMethod"]] == ["Multikey"] * 3
    assert document["assertionMethod"] == [f"{ISSUER}#key-1", f"{ISSUER}#key-2"]
    assert document["authentication"] == document["assertionMethod"]
    assert document["verificationMethod"][2]["revoked"] == "2025-02-01T00:00:00Z"
    resolved = didkey.resolve_from_did_document(document, f"{ISSUER}#key-1")
    assert resolved == old.public_key()
    with pytest.raises(didkey.DidError, match="revoked"):
        didkey.resolve_from_did_document(document, f"{ISSUER}#key-3")
    with pytest.raises(didkey.DidError):
        didkey.resolve_from_did_document(document, "did:web:other.example#key-1")


def test_did_web_urls() -> None:
    did = didkey.did_web("kompeten.example:8443", "institutions", "blk-bandung")
    assert did == "did:web:kompeten.example%3A8443:institutions:blk-bandung"
    assert didkey.did_web_document_url(did) == (
        "https://kompeten.example:8443/institutions/blk-bandung/did.json"
    )
    assert didkey.did_web_document_url("did:web:example.org") == (
        "https://example.org/.well-known/did.json"
    )


def test_private_key_encryption_round_trip() -> None:
    kek = keys.generate_kek()
    raw = keys.ed25519_private_bytes(keys.generate_ed25519_key())
    blob = keys.encrypt_private_key(raw, kek, "key-1")
    assert raw not in blob
    assert keys.decrypt_private_key(blob, kek, "key-1") == raw
    with pytest.raises(keys.KeyMaterialError):
        keys.decrypt_private_key(blob, kek, "key-2")
    with pytest.raises(keys.KeyMaterialError):
        keys.decrypt_private_key(blob, keys.generate_kek(), "key-1")
    with pytest.raises(keys.KeyMaterialError):
        keys.encrypt_private_key(raw, b"short", "key-1")


@pytest.fixture(scope="module")
def signing_material() -> keys.SigningMaterial:
    now = dt.datetime(2025, 1, 15, tzinfo=dt.UTC)
    return keys.generate_document_signing_certificate("BLK Bandung – Jawa Barat", now=now)


def test_document_signing_certificate(signing_material: keys.SigningMaterial) -> None:
    cert = signing_material.certificate
    assert signing_material.key.key_size == 3072
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        "BLK Bandung – Jawa Barat"
    )
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert cert.not_valid_after_utc.year - cert.not_valid_before_utc.year == 10
    der = keys.private_key_to_der(signing_material.key)
    assert keys.private_key_from_der(der).public_key() == signing_material.key.public_key()


def test_load_imported_signing_material(signing_material: keys.SigningMaterial) -> None:
    key, cert = signing_material.key, signing_material.certificate
    key_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(b"pw"))
    loaded = keys.load_pem_signing_material(keys.certificate_to_pem(cert), key_pem, b"pw")
    assert loaded.certificate == cert
    p12 = pkcs12.serialize_key_and_certificates(b"kompeten", key, cert, None, NoEncryption())
    assert keys.load_pkcs12_signing_material(p12).certificate == cert
    other = keys.generate_document_signing_certificate("Other", key=None)
    with pytest.raises(keys.KeyMaterialError, match="does not match"):
        keys.load_pem_signing_material(
            keys.certificate_to_pem(other.certificate),
            key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()),
        )
