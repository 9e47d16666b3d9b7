"""Multibase and Multikey encodings used by Data Integrity proofs and DID documents.

Only the two multibase encodings the W3C specifications need are supported: base58btc
(prefix ``z``) for keys and proof values, and base64url without padding (prefix ``u``) for
status lists. Multikey values are a multicodec varint header followed by the raw key bytes.
"""

import base64
import binascii

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
)

BASE58BTC_PREFIX = "z"
BASE64URL_PREFIX = "u"

# Multicodec headers (unsigned varints): ed25519-pub 0xed, ed25519-priv 0x1300.
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_PRIV_HEADER = b"\x80\x26"
ED25519_KEY_LENGTH = 32


class MultibaseError(ValueError):
    """A value is not valid multibase, or not the multibase/multikey kind expected."""


def encode_base58btc(data: bytes) -> str:
    """Encode bytes as multibase base58btc: ``z`` followed by the Bitcoin alphabet."""
    return BASE58BTC_PREFIX + base58.b58encode(data).decode("ascii")


def decode_base58btc(value: str) -> bytes:
    """Decode a multibase base58btc string; raise MultibaseError if it is not one."""
    if not isinstance(value, str) or not value.startswith(BASE58BTC_PREFIX):
        raise MultibaseError("not a multibase base58btc value (expected prefix 'z')")
    body = value[1:]
    if not body:
        raise MultibaseError("empty multibase base58btc value")
    try:
        return base58.b58decode(body.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise MultibaseError(f"invalid base58btc characters: {exc}") from exc


def encode_base64url(data: bytes) -> str:
    """Encode bytes as multibase base64url without padding: ``u`` followed by the text."""
    return BASE64URL_PREFIX + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(value: str) -> bytes:
    """Decode a multibase base64url (no padding) string; raise MultibaseError if invalid."""
    if not isinstance(value, str) or not value.startswith(BASE64URL_PREFIX):
        raise MultibaseError("not a multibase base64url value (expected prefix 'u')")
    body = value[1:]
    if "=" in body:
        raise MultibaseError("multibase base64url must not be padded")
    try:
        raw = body.encode("ascii")
        return base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise MultibaseError(f"invalid base64url data: {exc}") from exc


def _strip_header(data: bytes, header: bytes, what: str) -> bytes:
    if not data.startswith(header):
        raise MultibaseError(f"not an {what} multikey (wrong multicodec header)")
    key = data[len(header) :]
    if len(key) != ED25519_KEY_LENGTH:
        raise MultibaseError(f"{what} key must be {ED25519_KEY_LENGTH} bytes, got {len(key)}")
    return key


def encode_ed25519_public_multikey(key: Ed25519PublicKey) -> str:
    """Return the Multikey ``publicKeyMultibase`` (``z6Mk...``) of an Ed25519 public key."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base58btc(ED25519_PUB_HEADER + raw)


def decode_ed25519_public_multikey(value: str) -> Ed25519PublicKey:
    """Parse a Multikey ``publicKeyMultibase`` into an Ed25519 public key."""
    raw = _strip_header(decode_base58btc(value), ED25519_PUB_HEADER, "Ed25519 public")
    return Ed25519PublicKey.from_public_bytes(raw)


def decode_ed25519_private_multikey(value: str) -> Ed25519PrivateKey:
    """Parse a Multikey secret key (multicodec 0x1300) into an Ed25519 private key."""
    raw = _strip_header(decode_base58btc(value), ED25519_PRIV_HEADER, "Ed25519 private")
    return Ed25519PrivateKey.from_private_bytes(raw)
