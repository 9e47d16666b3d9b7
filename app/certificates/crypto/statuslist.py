"""W3C Bitstring Status List v1.0: revocation and suspension bits for credentials.

A status list is a bitstring of at least 131,072 bits (16 KiB). Bit 0 is the most
significant bit of the first byte. It is published GZIP-compressed and multibase
base64url-encoded (``u...``) in a BitstringStatusListCredential. Credentials get random
indexes so that their position in the list says nothing about when they were issued.

A list from elsewhere is bounded before it costs anything: its text before base64 decoding,
and its GZIP data while it inflates (a small gzip bomb never grows past MAX_DECODED_BYTES).
"""

import gzip
import secrets
import zlib
from typing import Any, Literal

from .multibase import MultibaseError, decode_base64url, encode_base64url

MIN_BITS = 131_072
# 16,777,216 entries, 128 times the minimum; inflating a bomb to this takes milliseconds.
MAX_DECODED_BYTES = 2 * 1024 * 1024
# GZIP adds a few bytes per 16 KiB to data it cannot compress: even random bits fit this.
MAX_COMPRESSED_BYTES = MAX_DECODED_BYTES + 64 * 1024
CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

StatusPurpose = Literal["revocation", "suspension"]
STATUS_PURPOSES: tuple[str, ...] = ("revocation", "suspension")


class StatusListError(ValueError):
    """An encoded list is malformed or too short, or an index is out of range."""


class StatusListFull(StatusListError):
    """No free index is left in a status list."""


def new_bitstring(size_bits: int = MIN_BITS) -> bytearray:
    """An all-zero bitstring of ``size_bits`` bits (a multiple of 8, at least 131,072)."""
    if size_bits < MIN_BITS or size_bits % 8:
        raise StatusListError(f"a status list holds a multiple of 8 and >= {MIN_BITS} bits")
    return bytearray(size_bits // 8)


def _locate(bits: bytes | bytearray, index: int) -> tuple[int, int]:
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(bits) * 8:
        raise StatusListError(f"status list index {index!r} is out of range")
    return index // 8, 7 - index % 8


def get_bit(bits: bytes | bytearray, index: int) -> bool:
    """The status bit at ``index`` (bit 0 = leftmost bit of the first byte)."""
    byte, shift = _locate(bits, index)
    return bool(bits[byte] >> shift & 1)


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    """Set or clear the status bit at ``index`` in place."""
    byte, shift = _locate(bits, index)
    if value:
        bits[byte] |= 1 << shift
    else:
        bits[byte] &= ~(1 << shift) & 0xFF


def encode_list(bits: bytes | bytearray) -> str:
    """GZIP then multibase base64url (``u`` prefix): the ``encodedList`` value."""
    if len(bits) * 8 < MIN_BITS:
        raise StatusListError(f"a status list holds at least {MIN_BITS} bits")
    return encode_base64url(gzip.compress(bytes(bits), mtime=0))


def decode_list(encoded: str) -> bytearray:
    """Decode an ``encodedList``; fails on bad encoding, bad GZIP, a list under 16 KiB, GZIP
    data over MAX_COMPRESSED_BYTES or a list that would inflate past MAX_DECODED_BYTES."""
    try:
        compressed = decode_base64url(encoded, MAX_COMPRESSED_BYTES)
    except MultibaseError as exc:
        raise StatusListError(f"encodedList is not multibase base64url: {exc}") from exc
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        bits = inflater.decompress(compressed, MAX_DECODED_BYTES)
    except zlib.error as exc:
        raise StatusListError(f"encodedList is not valid GZIP data: {exc}") from exc
    if inflater.unconsumed_tail:
        raise StatusListError("decoded status list is larger than allowed")
    if not inflater.eof:
        raise StatusListError("encodedList GZIP data is truncated")
    if len(bits) * 8 < MIN_BITS:
        raise StatusListError(f"status list is shorter than {MIN_BITS} bits")
    return bytearray(bits)


def allocate_index(
    used: set[int],
    size_bits: int = MIN_BITS,
    rng: secrets.SystemRandom | None = None,
) -> int:
    """A random index in ``[0, size_bits)`` that is not in ``used``.

    The caller records the index under a uniqueness constraint; a concurrent allocation
    of the same index is then retried by the caller.
    """
    if len(used) >= size_bits:
        raise StatusListFull(f"all {size_bits} status list indexes are in use")
    rng = rng or secrets.SystemRandom()
    for _ in range(64):
        index = rng.randrange(size_bits)
        if index not in used:
            return index
    free = [index for index in range(size_bits) if index not in used]
    if not free:
        raise StatusListFull(f"all {size_bits} status list indexes are in use")
    return rng.choice(free)


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise StatusListError(f"statusPurpose must be one of {STATUS_PURPOSES}, not {purpose!r}")


def build_status_list_credential(
    list_id: str,
    issuer: str,
    valid_from: str,
    purpose: StatusPurpose,
    bits: bytes | bytearray,
    valid_until: str | None = None,
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential publishing ``bits`` at ``list_id``."""
    _check_purpose(purpose)
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_id}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }
    if valid_until:
        credential["validUntil"] = valid_until
    return credential


def status_list_entry(list_id: str, index: int, purpose: StatusPurpose) -> dict[str, Any]:
    """The ``credentialStatus`` entry pointing a credential at ``index`` of ``list_id``."""
    _check_purpose(purpose)
    if index < 0:
        raise StatusListError("status list index must not be negative")
    return {
        "id": f"{list_id}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_id,
    }


def read_status(credential: dict[str, Any], index: int) -> bool:
    """The status bit at ``index`` in a (verified) BitstringStatusListCredential."""
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
        raise StatusListError("not a BitstringStatusListCredential")
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListError("status list credential has no encodedList")
    return get_bit(decode_list(encoded), index)
