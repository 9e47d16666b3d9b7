"""eddsa-rdfc-2022 Data Integrity proofs: the W3C vector, pinned contexts, safe mode, proof sets."""

from __future__ import annotations

import copy
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.certificates.crypto import dataintegrity as di
from app.certificates.crypto import keys, multibase, rdfc, rdfc_canon
from app.certificates.crypto.statuslist import build_status_list_credential, new_bitstring
from app.certificates.models import CredentialKey
from app.certificates.services.keys import private_key, verification_method
from app.extensions import db as _db

from .conftest import issue

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
RDFC_VECTOR = VECTORS / "eddsa-rdfc-2022"
VC = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER = "did:web:kompeten.example:institutions:blk-bandung"
METHOD = f"{ISSUER}#key-1"
CREATED = "2025-01-15T03:00:00Z"
BASE = "https://kompeten.example"
CRYPTO = rdfc.CRYPTOSUITE


def vector_text(name: str) -> str:
    return (RDFC_VECTOR / name).read_text(encoding="utf-8").strip()


def vector_json(name: str) -> Any:
    return json.loads((RDFC_VECTOR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vector() -> dict[str, Any]:
    pair = vector_json("keyPair.json")
    return {
        "pair": pair,
        "key": multibase.decode_ed25519_private_multikey(pair["privateKeyMultibase"]),
        "config": vector_json("proofConfigDataInt.json"),
        "unsigned": vector_json("unsigned.json"),
        "signed": vector_json("signedDataInt.json"),
    }


@pytest.fixture(scope="module")
def signing_key() -> Any:
    return keys.generate_ed25519_key()


def trust(key: Any) -> Any:
    return lambda method: key.public_key()


def ob_credential() -> dict[str, Any]:
    """An OpenBadgeCredential shaped like the one services/credential.py builds."""
    status = f"{BASE}/institutions/blk-bandung/status"
    return {
        "@context": [VC, OB],
        "id": "urn:uuid:0b6f5a8e-6c1d-4c39-9a39-0c2f0e6b7a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Sertifikat Kompetensi: Juru Las",
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "BLK Bandung"},
        "validFrom": "2025-01-15T03:00:00Z",
        "validUntil": "2028-01-15T03:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": "sha256$" + "ab" * 32,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "00" * 16,
                }
            ],
            "achievement": {
                "id": f"{BASE}/achievements/7/v1",
                "type": ["Achievement"],
                "name": "Juru Las",
                "description": "Juru Las (120 JP), BLK Bandung: 2 unit kompetensi SKKNI.",
                "criteria": {"narrative": "Dinyatakan Kompeten (K) pada setiap unit."},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Menerapkan K3",
                        "targetCode": "C.25LAS00.001.1",
                        "targetFramework": "SKKNI",
                        "targetUrl": "https://skkni.kemnaker.go.id/",
                    }
                ],
            },
        },
        "credentialStatus": [
            {
                "id": f"{status}/revocation.json#17",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "17",
                "statusListCredential": f"{status}/revocation.json",
            }
        ],
    }


# --- the shipped contexts ---------------------------------------------------------------


def test_shipped_contexts_are_the_vector_copies() -> None:
    shipped = {p.name for p in rdfc_canon.CONTEXTS_DIR.iterdir() if p.name != "README.md"}
    assert shipped == set(rdfc_canon.CONTEXT_FILES.values())
    for name in shipped:
        copy_bytes = (rdfc_canon.CONTEXTS_DIR / name).read_bytes()
        assert copy_bytes == (VECTORS / "contexts" / name).read_bytes(), name


def test_the_loader_serves_shipped_contexts_and_refuses_any_other_url() -> None:
    loaded = rdfc.load_context(VC)
    assert loaded["documentUrl"] == VC
    assert loaded["document"]["@context"]["@protected"] is True
    with pytest.raises(rdfc.ContextError, match="is not one of the contexts Kompeten ships"):
        rdfc.load_context("https://www.w3.org/2018/credentials/v1")


# --- the W3C vc-di-eddsa test vector ------------------------------------------------------


def test_vector_intermediate_values(vector: dict[str, Any]) -> None:
    public = multibase.encode_ed25519_public_multikey(vector["key"].public_key())
    assert public == vector["pair"]["publicKeyMultibase"]

    canonical_doc = rdfc.transform(vector["unsigned"], vector["config"])
    assert canonical_doc.decode() == vector_text("canonDocDataInt.txt") + "\n"
    assert hashlib.sha256(canonical_doc).hexdigest() == vector_text("docHashDataInt.txt")

    options = {key: value for key, value in vector["config"].items() if key != "@context"}
    canonical_config = rdfc.proof_configuration(options, vector["unsigned"])
    assert canonical_config.decode() == vector_text("proofCanonDataInt.txt") + "\n"
    assert hashlib.sha256(canonical_config).hexdigest() == vector_text("proofHashDataInt.txt")

    combined = di.hash_data(canonical_doc, canonical_config)
    assert combined.hex() == vector_text("combinedHashDataInt.txt")
    signature = vector["key"].sign(combined)
    assert signature.hex() == vector_text("sigHexDataInt.txt")
    assert multibase.encode_base58btc(signature) == vector_text("sigBTC58DataInt.txt")


def test_vector_create_proof_reproduces_the_signed_credential(vector: dict[str, Any]) -> None:
    config = vector["config"]
    signed = rdfc.create_proof(
        vector["unsigned"], vector["key"], config["verificationMethod"], config["created"]
    )
    assert signed == vector["signed"]
    assert signed["proof"]["proofValue"] == vector_text("sigBTC58DataInt.txt")


def test_vector_signed_credential_verifies(vector: dict[str, Any]) -> None:
    result = rdfc.verify_proof(vector["signed"], trust(vector["key"]), check_issuer=False)
    assert result.verified, result.reason
    assert result.verification_method == vector["config"]["verificationMethod"]
    assert result.verified_document == vector["unsigned"]
    assert all(result.checks.values())


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Alumni Credential (forged)"),
        (("credentialSubject", "alumniOf"), "Another School"),
        (("credentialSubject", "id"), "did:example:someone-else"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("proof", "created"), "2023-02-25T00:00:00Z"),
    ],
)
def test_a_tampered_vector_credential_fails(
    vector: dict[str, Any], path: tuple[str, ...], value: str
) -> None:
    tampered = copy.deepcopy(vector["signed"])
    target = tampered
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    result = rdfc.verify_proof(tampered, trust(vector["key"]), check_issuer=False)
    assert not result.verified
    assert result.reason == "signature does not match the document and proof"
    assert result.checks["signature"] is False


def test_a_context_that_changes_the_meaning_fails(vector: dict[str, Any]) -> None:
    changed = copy.deepcopy(vector["signed"])
    changed["@context"] = [VC, {"@vocab": "https://attacker.example/vocab#"}]
    result = rdfc.verify_proof(changed, trust(vector["key"]), check_issuer=False)
    assert not result.verified
    assert result.reason == "signature does not match the document and proof"


@pytest.mark.parametrize(
    ("context", "reason"),
    [
        ([VC], "does not define 'alumniOf'"),
        ([VC, "https://attacker.example/context.jsonld"], "is not one of the contexts"),
        ([VC, {"name": "https://attacker.example/name"}], "protected term redefinition"),
    ],
)
def test_a_changed_context_fails_with_the_reason(
    vector: dict[str, Any], context: list[Any], reason: str
) -> None:
    changed = copy.deepcopy(vector["signed"])
    changed["@context"] = context
    result = rdfc.verify_proof(changed, trust(vector["key"]), check_issuer=False)
    assert not result.verified
    assert reason in result.reason
    assert result.checks["canonical"] is False


def test_a_proof_context_the_document_does_not_start_with_fails(vector: dict[str, Any]) -> None:
    signed = copy.deepcopy(vector["signed"])
    signed["proof"]["@context"] = [OB]
    result = rdfc.verify_proof(signed, trust(vector["key"]), check_issuer=False)
    assert not result.verified
    assert result.reason == "the document @context does not start with the proof @context"


# --- safe mode -------------------------------------------------------------------------------


def with_changes(document: dict[str, Any], *path_values: tuple[tuple[str, ...], Any]) -> Any:
    changed = copy.deepcopy(document)
    for path, value in path_values:
        target = changed
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return changed


UNSAFE = [
    pytest.param(((("nickname",), "Las"),), "does not define 'nickname'", id="undefined-property"),
    pytest.param(
        ((("credentialSubject", "achievement", "level"), "Ahli"),),
        "does not define 'level'",
        id="undefined-nested-property",
    ),
    pytest.param(
        ((("@context",), [VC, OB, {"name": "https://attacker.example/name"}]),),
        "protected term redefinition",
        id="redefined-protected-term",
    ),
    pytest.param(
        ((("type",), ["VerifiableCredential", "KompetenCredential"]),),
        "@type 'KompetenCredential' is not an absolute IRI",
        id="undefined-type",
    ),
    pytest.param(
        ((("id",), "sertifikat-17"),),
        "@id 'sertifikat-17' is not an absolute IRI",
        id="relative-id",
    ),
    pytest.param(((("name",), None),), "would not be signed (a null", id="null-value"),
    pytest.param(
        ((("name",), ["Sertifikat", None]),), "would not be signed (a null", id="null-in-a-list"
    ),
    pytest.param(((("@index",), "urutan-1"),), "would not be signed (a null", id="index"),
    pytest.param(
        ((("name",), {"@value": "Sertifikat", "@index": "nama"}),),
        "would not be signed (a null",
        id="index-on-a-value",
    ),
    pytest.param(
        ((("name",), {"@value": "Sertifikat", "@language": "not a tag"}),),
        "'not a tag' is not a well-formed language tag",
        id="malformed-language",
    ),
    pytest.param(
        ((("name",), {"@value": "Sertifikat", "@language": "ar", "@direction": "rtl"}),),
        "@direction is not carried into RDF",
        id="direction",
    ),
    pytest.param(
        ((("@context",), [VC, "https://attacker.example/ob.json"]),),
        "is not one of the contexts Kompeten ships",
        id="unknown-context",
    ),
    pytest.param(((("_:note",), "x"),), "property '_:note' is not an IRI", id="blank-predicate"),
]


@pytest.mark.parametrize(("changes", "reason"), UNSAFE)
def test_signing_refuses_what_the_canonical_form_would_not_carry(
    signing_key: Any, changes: tuple[Any, ...], reason: str
) -> None:
    document = with_changes(ob_credential(), *changes)
    with pytest.raises(di.ProofError) as caught:
        rdfc.create_proof(document, signing_key, METHOD, CREATED)
    assert reason in str(caught.value)
    assert caught.value.code == di.PROOF_GENERATION_ERROR


@pytest.mark.parametrize(("changes", "reason"), UNSAFE)
def test_verification_refuses_what_the_canonical_form_would_not_carry(
    signing_key: Any, changes: tuple[Any, ...], reason: str
) -> None:
    signed = rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED)
    result = rdfc.verify_proof(with_changes(signed, *changes), trust(signing_key))
    assert not result.verified
    assert reason in result.reason
    assert result.error_code == di.PROOF_VERIFICATION_ERROR


def test_undefined_proof_options_are_refused(signing_key: Any) -> None:
    with pytest.raises(rdfc.UnsafeDocumentError, match="does not define 'audience'"):
        rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED, audience="x")


def test_a_document_without_context_is_refused(signing_key: Any) -> None:
    document = {k: v for k, v in ob_credential().items() if k != "@context"}
    with pytest.raises(rdfc.UnsafeDocumentError, match="has no @context"):
        rdfc.create_proof(document, signing_key, METHOD, CREATED)


def test_a_poison_dataset_is_refused_not_canonicalised_for_hours() -> None:
    # Twelve blank nodes each linked to all the others: only N-degree hashing (factorial in
    # the worst case) tells them apart.
    nodes = [f"_:n{i}" for i in range(12)]
    document = {
        "@context": {"link": {"@id": "urn:example:link", "@type": "@id"}},
        "@id": "urn:example:root",
        "link": [{"@id": node, "link": [n for n in nodes if n != node]} for node in nodes],
    }
    with pytest.raises(rdfc.UnsafeDocumentError, match="poison dataset guard"):
        rdfc.canonicalize(document)


# --- Kompeten's credentials -------------------------------------------------------------------


def test_an_ob3_credential_signs_and_verifies(signing_key: Any) -> None:
    signed = rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED)
    result = rdfc.verify_proof(signed, trust(signing_key))
    assert result.verified, result.reason
    assert result.verified_document == ob_credential()


def test_every_term_of_an_issued_certificate_is_defined_and_signed(
    app: Flask, completed: Any
) -> None:
    cert = issue(app, completed(), with_pdf=False)
    with app.app_context():
        key = _db.session.get(CredentialKey, cert.credential_key.id)
        secret, method = private_key(key), verification_method(key)
    created = cert.credential["proof"]["created"]
    both = rdfc.create_proof(cert.credential, secret, method, created)

    assert [proof["cryptosuite"] for proof in both["proof"]] == ["eddsa-jcs-2022", CRYPTO]
    assert both["proof"][0] == cert.credential["proof"]
    result = rdfc.verify_proof(both, trust(secret))
    assert result.verified, result.reason
    unsigned = {k: v for k, v in cert.credential.items() if k != "proof"}
    assert result.verified_document == unsigned
    nquads = rdfc.canonicalize(unsigned).decode()
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject" in nquads
    assert "https://www.w3.org/ns/credentials/status#statusListIndex" in nquads


@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_a_status_list_credential_signs_and_verifies(signing_key: Any, purpose: Any) -> None:
    list_id = f"{BASE}/institutions/blk-bandung/status/{purpose}.json"
    credential = build_status_list_credential(list_id, ISSUER, CREATED, purpose, new_bitstring())
    signed = rdfc.create_proof(credential, signing_key, METHOD, CREATED)
    assert rdfc.verify_proof(signed, trust(signing_key)).verified


def test_a_message_status_entry_with_status_size_is_covered(signing_key: Any) -> None:
    """The single-entry form item 2 of issue 14 may choose: every term is defined."""
    status = f"{BASE}/institutions/blk-bandung/status/status.json"
    entry = {
        "id": f"{status}#34",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": "34",
        "statusListCredential": status,
        "statusSize": 2,
        "statusMessage": [
            {"status": "0x0", "message": "valid"},
            {"status": "0x1", "message": "revoked"},
            {"status": "0x2", "message": "suspended"},
        ],
        "statusReference": f"{BASE}/docs/status",
    }
    signed = rdfc.create_proof(
        {**ob_credential(), "credentialStatus": entry}, signing_key, METHOD, CREATED
    )
    assert rdfc.verify_proof(signed, trust(signing_key)).verified


# --- proof sets and verification failures ------------------------------------------------------


def test_a_proof_moved_to_another_credential_fails(signing_key: Any) -> None:
    signed = rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED)
    other = with_changes(
        ob_credential(), (("id",), "urn:uuid:5d7a2f3c-1111-4222-8333-444455556666")
    )
    other["proof"] = signed["proof"]
    result = rdfc.verify_proof(other, trust(signing_key))
    assert not result.verified
    assert result.reason == "signature does not match the document and proof"


def test_a_proof_set_needs_exactly_one_rdfc_proof(signing_key: Any) -> None:
    jcs = di.create_proof(ob_credential(), signing_key, METHOD, CREATED)
    result = rdfc.verify_proof(jcs, trust(signing_key))
    assert not result.verified
    assert (
        result.reason
        == "expected one 'eddsa-rdfc-2022' proof, found 0 (cryptosuites: eddsa-jcs-2022)"
    )

    both = rdfc.create_proof(jcs, signing_key, METHOD, CREATED)
    twice = copy.deepcopy(both)
    twice["proof"].append(both["proof"][1])
    result = rdfc.verify_proof(twice, trust(signing_key))
    assert not result.verified
    assert "found 2" in result.reason


@pytest.mark.parametrize(
    ("change", "reason", "code"),
    [
        (lambda s: s.update(proof="z"), "no proof object", di.MALFORMED_PROOF_ERROR),
        (
            lambda s: s["proof"].pop("proofValue"),
            "lacks a string proofValue",
            di.MALFORMED_PROOF_ERROR,
        ),
        (
            lambda s: s["proof"].update(type="Ed25519Signature2020"),
            "proof type is",
            di.PROOF_VERIFICATION_ERROR,
        ),
        (
            lambda s: s["proof"].update(proofPurpose="authentication"),
            "proofPurpose is",
            di.PROOF_VERIFICATION_ERROR,
        ),
        (
            lambda s: s["proof"].update(created="yesterday"),
            "not an XML Schema dateTime",
            di.MALFORMED_PROOF_ERROR,
        ),
        (lambda s: s["proof"].update(proofValue="z1111"), "signature is", di.MALFORMED_PROOF_ERROR),
        (
            lambda s: s["proof"].update(proofValue="uAAAA"),
            "expected prefix 'z'",
            di.MALFORMED_PROOF_ERROR,
        ),
        (
            lambda s: s["proof"].update(previousProof="urn:x"),
            "proof chains",
            di.PROOF_VERIFICATION_ERROR,
        ),
        (
            lambda s: s["issuer"].update(id="did:web:other.example"),
            "is not controlled by issuer",
            di.PROOF_VERIFICATION_ERROR,
        ),
    ],
)
def test_verification_failures_name_the_check(
    signing_key: Any, change: Any, reason: str, code: str
) -> None:
    signed = rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED)
    change(signed)
    result = rdfc.verify_proof(signed, trust(signing_key))
    assert not result.verified
    assert reason in result.reason
    assert result.error_code == code


def test_an_unknown_key_fails_without_raising(signing_key: Any) -> None:
    signed = rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED)

    def unknown(method: str) -> Any:
        raise LookupError("no such key")

    result = rdfc.verify_proof(signed, unknown)
    assert not result.verified
    assert result.reason == f"unknown or untrusted key {METHOD!r}: no such key"
    other = keys.generate_ed25519_key()
    assert rdfc.verify_proof(signed, trust(other)).reason == (
        "signature does not match the document and proof"
    )


@pytest.mark.parametrize("document", [None, [], "credential", 7])
def test_a_document_that_is_not_an_object_fails_without_raising(
    signing_key: Any, document: Any
) -> None:
    result = rdfc.verify_proof(document, trust(signing_key))
    assert not result.verified
    assert result.reason == "document is not a JSON object"


def test_a_deeply_nested_document_fails_without_raising(signing_key: Any) -> None:
    signed = rdfc.create_proof(ob_credential(), signing_key, METHOD, CREATED)
    nested: dict[str, Any] = {"narrative": "x"}
    for _ in range(5000):
        nested = {"criteria": nested}
    signed["credentialSubject"]["achievement"]["criteria"] = nested
    result = rdfc.verify_proof(signed, trust(signing_key))
    assert not result.verified
    assert result.reason.startswith("JSON-LD processing failed")


def test_concurrent_canonicalisations_agree() -> None:
    expected = rdfc.canonicalize(ob_credential())
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: rdfc.canonicalize(ob_credential()), range(32)))
    assert results == [expected] * 32
