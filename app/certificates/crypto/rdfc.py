"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.

Implements Data Integrity EdDSA Cryptosuites v1.0, section 3.2: the document and the proof
configuration (the proof options with the document's ``@context``) are canonicalised with
RDF Dataset Canonicalization (RDFC-1.0, pyld's URDNA2015) to N-Quads, hashed with SHA-256
and signed with Ed25519 over ``SHA-256(proofConfig) || SHA-256(document)``; the signature is a
multibase base58btc ``proofValue``.

Canonicalisation (``rdfc_canon``) uses only the JSON-LD contexts shipped with the app and runs
in safe mode: what the canonical form would not carry is an error at signing and at
verification, never a silent drop. Verification never raises for malformed input: it returns a
``VerificationResult`` with the reason.
"""

import copy
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .dataintegrity import (
    MALFORMED_PROOF_ERROR,
    PROOF_GENERATION_ERROR,
    PROOF_TYPE,
    PROOF_VERIFICATION_ERROR,
    SIGNATURE_LENGTH,
    KeyResolver,
    ProofError,
    VerificationResult,
    _Checker,
    _controller_of,
    _issuer_id,
    hash_data,
    is_xsd_datetime,
)
from .multibase import MultibaseError, decode_base58btc, encode_base58btc
from .rdfc_canon import (
    PROOF_TRANSFORMATION_ERROR,
    ContextError,
    UnsafeDocumentError,
    canonicalize,
    load_context,
)

__all__ = [
    "CRYPTOSUITE",
    "PROOF_TRANSFORMATION_ERROR",
    "ContextError",
    "UnsafeDocumentError",
    "canonicalize",
    "create_proof",
    "load_context",
    "proof_configuration",
    "transform",
    "verify_proof",
]

CRYPTOSUITE = "eddsa-rdfc-2022"


def _check_suite(options: dict[str, Any], code: str) -> None:
    if options.get("type") != PROOF_TYPE:
        raise ProofError(f"proof type must be {PROOF_TYPE!r}, got {options.get('type')!r}", code)
    if options.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"cryptosuite must be {CRYPTOSUITE!r}, got {options.get('cryptosuite')!r}", code
        )


def transform(
    unsecured_document: dict[str, Any],
    options: dict[str, Any],
    code: str = PROOF_TRANSFORMATION_ERROR,
) -> bytes:
    """Section 3.2.3: the RDFC-1.0 canonical form of the unsecured document."""
    _check_suite(options, code)
    return canonicalize(unsecured_document, code)


def proof_configuration(
    options: dict[str, Any],
    unsecured_document: dict[str, Any],
    code: str = PROOF_GENERATION_ERROR,
) -> bytes:
    """Section 3.2.5: the RDFC-1.0 canonical form of the proof options with the document's
    ``@context`` (without proofValue)."""
    _check_suite(options, code)
    if "created" in options and not is_xsd_datetime(options["created"]):
        raise ProofError(
            f"proof 'created' is not an XML Schema dateTime: {options['created']!r}", code
        )
    config = copy.deepcopy(options)
    if "@context" in unsecured_document:
        config["@context"] = copy.deepcopy(unsecured_document["@context"])
    return canonicalize(config, code)


def _existing_proofs(document: dict[str, Any]) -> list[Any]:
    if "proof" not in document:
        return []
    existing = document["proof"]
    proofs = existing if isinstance(existing, list) else [existing]
    if not proofs or not all(isinstance(proof, dict) for proof in proofs):
        raise ProofError(
            "the document's proof is not a proof object or a set of them", PROOF_GENERATION_ERROR
        )
    return copy.deepcopy(proofs)


def create_proof(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
    **extra_options: Any,
) -> dict[str, Any]:
    """Sign ``document`` (section 3.2.1) and return a copy of it with the proof added.

    A document that already carries proofs gets a proof set (Data Integrity section 4.2):
    the new proof signs the document without them, and joins them in ``proof``.
    ``extra_options`` are further proof options (``expires``, ``domain``, ``challenge``,
    ``nonce``, ``id``...) that become part of the signed proof configuration.
    """
    if not isinstance(document, dict):
        raise ProofError("the document must be a JSON object", PROOF_GENERATION_ERROR)
    if "previousProof" in extra_options:
        raise ProofError("proof chains (previousProof) are not supported", PROOF_GENERATION_ERROR)
    existing = _existing_proofs(document)
    unsecured = {key: copy.deepcopy(value) for key, value in document.items() if key != "proof"}
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
        **copy.deepcopy(extra_options),
    }
    canonical_config = proof_configuration(proof, unsecured, PROOF_GENERATION_ERROR)
    transformed = transform(unsecured, proof, PROOF_GENERATION_ERROR)
    proof["proofValue"] = encode_base58btc(
        private_key.sign(hash_data(transformed, canonical_config))
    )
    secured = copy.deepcopy(unsecured)
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


def verify_proof(
    signed: dict[str, Any],
    resolve_key: KeyResolver,
    expected_proof_purpose: str = "assertionMethod",
    check_issuer: bool = True,
) -> VerificationResult:
    """Verify the ``eddsa-rdfc-2022`` proof of ``signed`` (section 3.2.2).

    ``proof`` may be one proof or a proof set; exactly one of them must be an
    ``eddsa-rdfc-2022`` proof, and it is checked against the document without any proof.
    ``resolve_key`` maps a verificationMethod id to its public key and raises (any exception)
    when it does not know or no longer trusts the key. With ``check_issuer``, the key's
    controller (the DID before ``#``) must be the credential's issuer.
    """
    checks = _Checker()
    try:
        unsecured = _verify(signed, resolve_key, expected_proof_purpose, check_issuer, checks)
    except ProofError as exc:
        return VerificationResult(False, checks.checks, str(exc), exc.code, checks.method)
    return VerificationResult(True, checks.checks, None, None, checks.method, unsecured)


def _select_proof(signed: dict[str, Any], checks: _Checker) -> dict[str, Any]:
    proof = signed.get("proof")
    proofs = proof if isinstance(proof, list) else [proof]
    checks.require(
        "proof_present",
        bool(proofs) and all(isinstance(item, dict) for item in proofs),
        "document has no proof object or set of proof objects",
        MALFORMED_PROOF_ERROR,
    )
    ours = [item for item in proofs if item.get("cryptosuite") == CRYPTOSUITE]
    found = sorted({str(item.get("cryptosuite")) for item in proofs})
    checks.require(
        "cryptosuite",
        len(ours) == 1,
        f"expected one {CRYPTOSUITE!r} proof, found {len(ours)} (cryptosuites: {', '.join(found)})",
    )
    return ours[0]


def _verify(
    signed: Any,
    resolve_key: KeyResolver,
    expected_proof_purpose: str,
    check_issuer: bool,
    checks: _Checker,
) -> dict[str, Any]:
    checks.require(
        "document", isinstance(signed, dict), "document is not a JSON object", MALFORMED_PROOF_ERROR
    )
    proof = _select_proof(signed, checks)
    proof_value = proof.get("proofValue")
    method = proof.get("verificationMethod")
    checks.require(
        "proof_fields",
        isinstance(proof_value, str) and isinstance(method, str) and bool(method),
        "proof lacks a string proofValue or verificationMethod",
        MALFORMED_PROOF_ERROR,
    )
    checks.method = method
    checks.require(
        "proof_type",
        proof.get("type") == PROOF_TYPE,
        f"proof type is {proof.get('type')!r}, expected {PROOF_TYPE!r}",
    )
    checks.require(
        "proof_purpose",
        proof.get("proofPurpose") == expected_proof_purpose,
        f"proofPurpose is {proof.get('proofPurpose')!r}, expected {expected_proof_purpose!r}",
    )
    checks.require(
        "created",
        "created" not in proof or is_xsd_datetime(proof["created"]),
        "proof 'created' is not an XML Schema dateTime",
        MALFORMED_PROOF_ERROR,
    )
    checks.require(
        "no_chain",
        "previousProof" not in proof,
        "proof chains (previousProof) are not supported",
    )
    unsecured = {key: value for key, value in signed.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        proof_bytes = decode_base58btc(proof_value, SIGNATURE_LENGTH)
    except MultibaseError as exc:
        proof_bytes = b""
        reason = f"malformed proofValue: {exc}"
    else:
        reason = f"malformed proofValue: signature is {len(proof_bytes)} bytes, expected 64"
    checks.require(
        "proof_value", len(proof_bytes) == SIGNATURE_LENGTH, reason, MALFORMED_PROOF_ERROR
    )

    if "@context" in options:
        proof_context = options["@context"]
        doc_context = signed.get("@context")
        proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
        doc_list = doc_context if isinstance(doc_context, list) else [doc_context]
        checks.require(
            "context",
            doc_list[: len(proof_list)] == proof_list,
            "the document @context does not start with the proof @context",
        )
        unsecured["@context"] = proof_context

    if check_issuer:
        issuer = _issuer_id(signed)
        checks.require(
            "issuer",
            issuer == _controller_of(method),
            f"verificationMethod {method!r} is not controlled by issuer {issuer!r}",
        )
    try:
        public_key = resolve_key(method)
    except Exception as exc:  # the resolver's own failure modes are not ours to enumerate
        checks.require("key_resolved", False, f"unknown or untrusted key {method!r}: {exc}")
    checks.require(
        "key_resolved",
        isinstance(public_key, Ed25519PublicKey),
        f"verificationMethod {method!r} is not an Ed25519 key",
    )

    try:
        transformed = transform(unsecured, options, PROOF_VERIFICATION_ERROR)
        canonical_config = proof_configuration(options, unsecured, PROOF_VERIFICATION_ERROR)
    except ProofError as exc:
        checks.require("canonical", False, str(exc), exc.code)
    checks.checks["canonical"] = True
    try:
        public_key.verify(proof_bytes, hash_data(transformed, canonical_config))
        valid = True
    except InvalidSignature:
        valid = False
    checks.require("signature", valid, "signature does not match the document and proof")
    return unsecured
