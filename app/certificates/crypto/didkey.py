"""DID helpers: ``did:key`` for Ed25519, ``did:web`` identifiers and their DID documents.

An institution's issuer DID is a ``did:web``; its DID document lists every signing key it
has ever used as a ``Multikey`` verification method, so that old certificates still verify.
A key that was compromised stays listed with a ``revoked`` timestamp (Controlled
Identifiers v1.0) and is dropped from ``assertionMethod``; resolving it fails.

DID Core sets no length; a DID URL from outside longer than MAX_DID_URL_LENGTH is refused
before it is parsed, looked up or its key decoded.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .multibase import (
    MultibaseError,
    decode_ed25519_public_multikey,
    encode_ed25519_public_multikey,
)

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
DID_KEY_PREFIX = "did:key:"
DID_WEB_PREFIX = "did:web:"
# A did:key URL is 105 characters; a did:web with a host and a few path segments a few dozen.
MAX_DID_URL_LENGTH = 2048


class DidError(ValueError):
    """A DID or verification method cannot be parsed or resolved to a usable key."""


def _check_length(did_url: str) -> None:
    if len(did_url) > MAX_DID_URL_LENGTH:
        raise DidError(
            f"a DID URL of {len(did_url)} characters is longer than {MAX_DID_URL_LENGTH}"
        )


@dataclass(frozen=True)
class KeyEntry:
    """A key to list in a DID document.

    ``key_id`` is a fragment (``key-1``, ``#key-1``) or a full ``did#fragment`` URL;
    ``revoked`` is an XML Schema dateTime when the key must no longer be trusted.
    """

    key_id: str
    public_key_multibase: str
    revoked: str | None = None


def did_key_from_public_key(key: Ed25519PublicKey) -> str:
    """The ``did:key:z6Mk...`` identifier of an Ed25519 public key."""
    return DID_KEY_PREFIX + encode_ed25519_public_multikey(key)


def did_key_verification_method(key: Ed25519PublicKey) -> str:
    """The verification method id of a did:key: ``did:key:z6Mk...#z6Mk...``."""
    multikey = encode_ed25519_public_multikey(key)
    return f"{DID_KEY_PREFIX}{multikey}#{multikey}"


def resolve_did_key(verification_method: str) -> Ed25519PublicKey:
    """Resolve a ``did:key`` DID or verification method id to its Ed25519 public key."""
    if not isinstance(verification_method, str):
        raise DidError(f"not a did:key: {verification_method!r}")
    _check_length(verification_method)
    if not verification_method.startswith(DID_KEY_PREFIX):
        raise DidError(f"not a did:key: {verification_method!r}")
    did, _, fragment = verification_method.partition("#")
    multikey = did[len(DID_KEY_PREFIX) :]
    if fragment and fragment != multikey:
        raise DidError("did:key fragment does not match the key it identifies")
    try:
        return decode_ed25519_public_multikey(multikey)
    except (MultibaseError, ValueError) as exc:
        raise DidError(f"did:key does not hold an Ed25519 Multikey: {exc}") from exc


def did_web(host: str, *path: str) -> str:
    """Build a ``did:web`` from a host (with optional port) and path segments."""
    if not host:
        raise DidError("did:web needs a host")
    segments = [quote(host, safe="")] + [quote(part, safe="") for part in path if part]
    return DID_WEB_PREFIX + ":".join(segments)


def did_web_document_url(did: str) -> str:
    """The HTTPS URL of a did:web's DID document (``/.well-known/did.json`` without path)."""
    _check_length(did)
    if not did.startswith(DID_WEB_PREFIX) or "#" in did:
        raise DidError(f"not a did:web: {did!r}")
    host, *path = did[len(DID_WEB_PREFIX) :].split(":")
    if not host:
        raise DidError(f"did:web without host: {did!r}")
    base = "https://" + unquote(host)
    if not path:
        return base + "/.well-known/did.json"
    return base + "/" + "/".join(unquote(part) for part in path) + "/did.json"


def _absolute_key_id(did: str, key_id: str) -> str:
    if key_id.startswith(did + "#"):
        return key_id
    if ":" in key_id:
        raise DidError(f"key id {key_id!r} does not belong to {did!r}")
    return f"{did}#{key_id.lstrip('#')}"


def build_did_document(did: str, keys: Iterable[KeyEntry | tuple[Any, ...]]) -> dict[str, Any]:
    """A DID document listing ``keys`` as Multikey verification methods.

    ``keys`` holds KeyEntry values or ``(key_id, public_key_multibase[, revoked])`` tuples.
    Keys that are not revoked are listed under ``assertionMethod`` and ``authentication``.
    """
    methods: list[dict[str, Any]] = []
    active: list[str] = []
    for item in keys:
        entry = item if isinstance(item, KeyEntry) else KeyEntry(*item)
        decode_ed25519_public_multikey(entry.public_key_multibase)
        method: dict[str, Any] = {
            "id": _absolute_key_id(did, entry.key_id),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": entry.public_key_multibase,
        }
        if entry.revoked:
            method["revoked"] = entry.revoked
        else:
            active.append(method["id"])
        methods.append(method)
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": active,
        "authentication": list(active),
    }


def resolve_from_did_document(
    document: dict[str, Any],
    verification_method: str,
    relationship: str = "assertionMethod",
) -> Ed25519PublicKey:
    """Return the public key of ``verification_method`` from a DID document.

    Fails (DidError) if the method is absent, controlled by another DID, revoked, not a
    Multikey, or not listed under ``relationship``.
    """
    did = document.get("id") if isinstance(document, dict) else None
    if not isinstance(did, str) or not isinstance(verification_method, str):
        raise DidError("malformed DID document or verification method")
    _check_length(verification_method)
    if verification_method.split("#", 1)[0] != did:
        raise DidError(f"{verification_method!r} does not belong to {did!r}")
    methods = document.get("verificationMethod")
    method = next(
        (m for m in methods or [] if isinstance(m, dict) and m.get("id") == verification_method),
        None,
    )
    if method is None:
        raise DidError(f"{verification_method!r} is not listed in the DID document")
    if method.get("revoked"):
        raise DidError(f"{verification_method!r} was revoked at {method['revoked']}")
    if method.get("type") != "Multikey" or method.get("controller") != did:
        raise DidError(f"{verification_method!r} is not a Multikey controlled by {did!r}")
    listed = document.get(relationship)
    if not isinstance(listed, list) or verification_method not in listed:
        raise DidError(f"{verification_method!r} is not authorised for {relationship}")
    try:
        return decode_ed25519_public_multikey(method.get("publicKeyMultibase", ""))
    except (MultibaseError, ValueError) as exc:
        raise DidError(f"{verification_method!r} has no Ed25519 publicKeyMultibase") from exc
