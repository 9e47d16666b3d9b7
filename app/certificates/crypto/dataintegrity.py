"""W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite.

Implements Data Integrity EdDSA Cryptosuites v1.0, section 3.3: RFC 8785 (JCS)
canonicalisation, SHA-256 hashing of the proof configuration and of the document, and a
pure Ed25519 signature over ``SHA-256(proofConfig) || SHA-256(document)``, carried as a
multibase base58btc ``proofValue``.

Verification never raises for malformed input: it returns a ``VerificationResult`` with
``verified=False``, the checks that were made and a reason. Lengths are checked before the
costly steps: a verificationMethod longer than a DID URL may be is refused before any key
is resolved, a proofValue longer than a signature's 88 base58 characters before decoding.
"""

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .didkey import MAX_DID_URL_LENGTH
from .multibase import MultibaseError, decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
SIGNATURE_LENGTH = 64

PROOF_GENERATION_ERROR = "PROOF_GENERATION_ERROR"
PROOF_VERIFICATION_ERROR = "PROOF_VERIFICATION_ERROR"
MALFORMED_PROOF_ERROR = "MALFORMED_PROOF_ERROR"

# XML Schema 1.1 dateTime (the timezone is optional there; Data Integrity uses UTC "Z").
_XSD_DATETIME = re.compile(
    r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
)

KeyResolver = Callable[[str], Ed25519PublicKey]


class ProofError(ValueError):
    """A proof cannot be generated or verified; ``code`` is the Data Integrity error type."""

    def __init__(self, message: str, code: str = PROOF_VERIFICATION_ERROR) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class VerificationResult:
    """Outcome of verify_proof: ``checks`` maps each check made (in order) to its outcome."""

    verified: bool
    checks: dict[str, bool] = field(default_factory=dict)
    reason: str | None = None
    error_code: str | None = None
    verification_method: str | None = None
    verified_document: dict[str, Any] | None = None


def canonicalize(value: Any) -> bytes:
    """RFC 8785 canonical JSON bytes of a JSON-compatible value."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, RecursionError, TypeError) as exc:
        raise ProofError(f"value cannot be canonicalised (RFC 8785): {exc}") from exc


def is_xsd_datetime(value: Any) -> bool:
    """Whether ``value`` is a string in XML Schema dateTime form."""
    return isinstance(value, str) and _XSD_DATETIME.fullmatch(value) is not None


def parse_xsd_datetime(value: Any) -> datetime:
    """An XML Schema dateTime as an aware datetime (UTC when it names no timezone).

    Raises ValueError, saying why, for anything else: not that form, a day the month does
    not have, or a year outside 0001-9999 (XML Schema allows 99999 and -0001; no datetime
    holds them, so no validity period that uses them can be checked).
    """
    if not is_xsd_datetime(value):
        raise ValueError("not an XML Schema dateTime (e.g. 2026-01-31T08:00:00Z)")
    year = value[: value.index("-", 1)]
    if year.startswith("-") or len(year) != 4 or year == "0000":
        raise ValueError(f"the year {year} is outside 0001-9999")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _check_suite(options: dict[str, Any], code: str) -> None:
    if options.get("type") != PROOF_TYPE:
        raise ProofError(f"proof type must be {PROOF_TYPE!r}, got {options.get('type')!r}", code)
    if options.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"cryptosuite must be {CRYPTOSUITE!r}, got {options.get('cryptosuite')!r}", code
        )


def transform(unsecured_document: dict[str, Any], options: dict[str, Any]) -> bytes:
    """Section 3.3.3: the JCS canonical form of the unsecured document."""
    _check_suite(options, PROOF_VERIFICATION_ERROR)
    return canonicalize(unsecured_document)


def proof_configuration(options: dict[str, Any], code: str = PROOF_GENERATION_ERROR) -> bytes:
    """Section 3.3.5: the JCS canonical form of the proof options (without proofValue)."""
    _check_suite(options, code)
    if "created" in options and not is_xsd_datetime(options["created"]):
        raise ProofError(f"proof 'created' is not an XML Schema dateTime: {options['created']!r}")
    return canonicalize(options)


def hash_data(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """Section 3.3.4: SHA-256(canonical proof config) || SHA-256(canonical document)."""
    return (
        hashlib.sha256(canonical_proof_config).digest()
        + hashlib.sha256(transformed_document).digest()
    )


def create_proof(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
    **extra_options: Any,
) -> dict[str, Any]:
    """Sign ``document`` (section 3.3.1) and return a copy of it with a ``proof`` added.

    ``extra_options`` are further proof options (``expires``, ``domain``, ``challenge``,
    ``nonce``, ``id``...) that become part of the signed proof configuration.
    """
    if not isinstance(document, dict):
        raise ProofError("the document must be a JSON object", PROOF_GENERATION_ERROR)
    if "proof" in document:
        raise ProofError("the document already carries a proof", PROOF_GENERATION_ERROR)
    unsecured = copy.deepcopy(document)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
        **copy.deepcopy(extra_options),
    }
    if "@context" in unsecured:
        proof["@context"] = copy.deepcopy(unsecured["@context"])
    canonical_config = proof_configuration(proof)
    transformed = transform(unsecured, proof)
    signature = private_key.sign(hash_data(transformed, canonical_config))
    proof["proofValue"] = encode_base58btc(signature)
    unsecured["proof"] = proof
    return unsecured


def _controller_of(verification_method: str) -> str:
    return verification_method.split("#", 1)[0]


def _issuer_id(document: dict[str, Any]) -> Any:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


class _Checker:
    """Records checks as they are made and stops at the first failure."""

    def __init__(self) -> None:
        self.checks: dict[str, bool] = {}
        self.method: str | None = None

    def require(
        self, name: str, ok: bool, reason: str, code: str = PROOF_VERIFICATION_ERROR
    ) -> None:
        self.checks[name] = ok
        if not ok:
            raise ProofError(reason, code)


def verify_proof(
    signed: dict[str, Any],
    resolve_key: KeyResolver,
    expected_proof_purpose: str = "assertionMethod",
    check_issuer: bool = True,
) -> VerificationResult:
    """Verify the ``eddsa-jcs-2022`` proof of ``signed`` (section 3.3.2).

    ``resolve_key`` maps a verificationMethod id to its public key and raises (any
    exception) when it does not know or no longer trusts the key. With ``check_issuer``,
    the key's controller (the DID before ``#``) must be the credential's issuer.
    """
    checker = _Checker()
    try:
        unsecured = _verify(signed, resolve_key, expected_proof_purpose, check_issuer, checker)
    except ProofError as exc:
        return VerificationResult(False, checker.checks, str(exc), exc.code, checker.method)
    return VerificationResult(True, checker.checks, None, None, checker.method, unsecured)


def _verify(
    signed: Any,
    resolve_key: KeyResolver,
    expected_proof_purpose: str,
    check_issuer: bool,
    checker: _Checker,
) -> dict[str, Any]:
    malformed = MALFORMED_PROOF_ERROR
    checker.require(
        "document", isinstance(signed, dict), "document is not a JSON object", malformed
    )
    proof = signed.get("proof")
    checker.require(
        "proof_present", isinstance(proof, dict), "document has no single proof object", malformed
    )
    proof_value = proof.get("proofValue")
    method = proof.get("verificationMethod")
    checker.require(
        "proof_fields",
        isinstance(proof_value, str) and isinstance(method, str) and bool(method),
        "proof lacks a string proofValue or verificationMethod",
        malformed,
    )
    checker.require(
        "proof_fields",
        len(method) <= MAX_DID_URL_LENGTH,
        f"verificationMethod is {len(method)} characters, more than {MAX_DID_URL_LENGTH}",
        malformed,
    )
    checker.method = method
    checker.require(
        "proof_type",
        proof.get("type") == PROOF_TYPE,
        f"proof type is {proof.get('type')!r}, expected {PROOF_TYPE!r}",
        PROOF_VERIFICATION_ERROR,
    )
    checker.require(
        "cryptosuite",
        proof.get("cryptosuite") == CRYPTOSUITE,
        f"cryptosuite is {proof.get('cryptosuite')!r}, expected {CRYPTOSUITE!r}",
        PROOF_VERIFICATION_ERROR,
    )
    checker.require(
        "proof_purpose",
        proof.get("proofPurpose") == expected_proof_purpose,
        f"proofPurpose is {proof.get('proofPurpose')!r}, expected {expected_proof_purpose!r}",
        PROOF_VERIFICATION_ERROR,
    )
    checker.require(
        "created",
        "created" not in proof or is_xsd_datetime(proof["created"]),
        "proof 'created' is not an XML Schema dateTime",
        malformed,
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
    checker.require("proof_value", len(proof_bytes) == SIGNATURE_LENGTH, reason, malformed)

    if "@context" in options:
        proof_context = options["@context"]
        doc_context = signed.get("@context")
        proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
        doc_list = doc_context if isinstance(doc_context, list) else [doc_context]
        checker.require(
            "context",
            doc_list[: len(proof_list)] == proof_list,
            "the document @context does not start with the proof @context",
            PROOF_VERIFICATION_ERROR,
        )
        unsecured["@context"] = proof_context

    if check_issuer:
        issuer = _issuer_id(signed)
        checker.require(
            "issuer",
            issuer == _controller_of(method),
            f"verificationMethod {method!r} is not controlled by issuer {issuer!r}",
            PROOF_VERIFICATION_ERROR,
        )

    try:
        public_key = resolve_key(method)
    except Exception as exc:  # the resolver's own failure modes are not ours to enumerate
        checker.require(
            "key_resolved",
            False,
            f"unknown or untrusted key {method!r}: {exc}",
            PROOF_VERIFICATION_ERROR,
        )
    checker.require(
        "key_resolved",
        isinstance(public_key, Ed25519PublicKey),
        f"verificationMethod {method!r} is not an Ed25519 key",
        PROOF_VERIFICATION_ERROR,
    )

    transformed = transform(unsecured, options)
    canonical_config = proof_configuration(options, PROOF_VERIFICATION_ERROR)
    try:
        public_key.verify(proof_bytes, hash_data(transformed, canonical_config))
        valid = True
    except InvalidSignature:
        valid = False
    checker.require(
        "signature",
        valid,
        "signature does not match the document and proof",
        PROOF_VERIFICATION_ERROR,
    )
    return unsecured
