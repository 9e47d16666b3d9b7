"""Multibase and Multikey encodings used by Data Integrity proofs and DID documents.

Only the two multibase encodings the W3C specifications need are supported: base58btc
(prefix ``z``) for keys and proof values, and base64url without padding (prefix ``u``) for
status lists. Multikey values are a multicodec varint header followed by the raw key bytes.

Every decoder is told the most bytes the caller can use and refuses a longer text before
decoding it: base58 decoding costs time quadratic in the length (600,000 characters take
over 30 s), so an Ed25519 signature's 88 characters are all it ever sees.
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


def max_base58_chars(max_bytes: int) -> int:
    """The longest base58 text of at most ``max_bytes`` bytes (a zero byte is one ``1``)."""
    chars, span, needed = 0, 1, 256**max_bytes
    while span < needed:
        chars, span = chars + 1, span * 58
    return chars


def decode_base58btc(value: str, max_bytes: int) -> bytes:
    """Decode a multibase base58btc string of at most ``max_bytes`` bytes.

    Raises MultibaseError if it is not one, or if its text is longer than ``max_bytes``
    bytes can take, before any decoding.
    """
    if not isinstance(value, str) or not value.startswith(BASE58BTC_PREFIX):
        raise MultibaseError("not a multibase base58btc value (expected prefix 'z')")
    body = value[1:]
    if not body:
        raise MultibaseError("empty multibase base58btc value")
    limit = max_base58_chars(max_bytes)
    if len(body) > limit:
        raise MultibaseError(
            f"base58btc value is {len(body)} characters; {max_bytes} bytes take at most {limit}"
        )
    try:
        return base58.b58decode(body.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise MultibaseError(f"invalid base58btc characters: {exc}") from exc


def encode_base64url(data: bytes) -> str:
    """Encode bytes as multibase base64url without padding: ``u`` followed by the text."""
    return BASE64URL_PREFIX + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(value: str, max_bytes: int) -> bytes:
    """Decode a multibase base64url (no padding) string of at most ``max_bytes`` bytes;
    raise MultibaseError if it is invalid or its text is longer than that allows."""
    if not isinstance(value, str) or not value.startswith(BASE64URL_PREFIX):
        raise MultibaseError("not a multibase base64url value (expected prefix 'u')")
    body = value[1:]
    limit = -(-max_bytes * 4 // 3)
    if len(body) > limit:
        raise MultibaseError(
            f"base64url value is {len(body)} characters; {max_bytes} bytes take at most {limit}"
        )
    if "=" in body:
        raise MultibaseError("multibase base64url must not be padded")
    try:
        raw = body.encode("ascii")
        return base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise MultibaseError(f"invalid base64url data: {exc}") from exc


def _decode_multikey(value: str, header: bytes, what: str) -> bytes:
    data = decode_base58btc(value, len(header) + ED25519_KEY_LENGTH)
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
    raw = _decode_multikey(value, ED25519_PUB_HEADER, "Ed25519 public")
    return Ed25519PublicKey.from_public_bytes(raw)


def decode_ed25519_private_multikey(value: str) -> Ed25519PrivateKey:
    """Parse a Multikey secret key (multicodec 0x1300) into an Ed25519 private key."""
    raw = _decode_multikey(value, ED25519_PRIV_HEADER, "Ed25519 private")
    return Ed25519PrivateKey.from_private_bytes(raw)
