"""W3C Bitstring Status List v1.0 encoding, bit order and index allocation."""

import gzip
import random
import secrets

import pytest

from app.certificates.crypto import statuslist
from app.certificates.crypto.multibase import decode_base64url, encode_base64url

LIST_ID = "https://kompeten.example/institutions/blk-bandung/status/1"
ISSUER = "did:web:kompeten.example:institutions:blk-bandung"


def test_round_trip_keeps_every_set_bit() -> None:
    bits = statuslist.new_bitstring()
    chosen = {0, 7, 8, 4242, 131_071}
    for index in chosen:
        statuslist.set_bit(bits, index)
    encoded = statuslist.encode_list(bits)
    assert encoded.startswith("u")
    decoded = statuslist.decode_list(encoded)
    assert len(decoded) * 8 == statuslist.MIN_BITS
    assert {i for i in range(statuslist.MIN_BITS) if statuslist.get_bit(decoded, i)} == chosen
    statuslist.set_bit(decoded, 4242, False)
    assert not statuslist.get_bit(decoded, 4242)


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte() -> None:
    bits = statuslist.new_bitstring()
    statuslist.set_bit(bits, 0)
    statuslist.set_bit(bits, 9)
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000


def test_empty_list_matches_the_specification_shape() -> None:
    encoded = statuslist.encode_list(statuslist.new_bitstring())
    assert gzip.decompress(decode_base64url(encoded, 1024)) == bytes(16_384)
    # Deterministic: no timestamp in the GZIP header.
    assert encoded == statuslist.encode_list(statuslist.new_bitstring())


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("zabc", "not multibase base64url"),
        ("u!!!", "not multibase base64url"),
        (encode_base64url(b"not gzip"), "not valid GZIP"),
        (encode_base64url(gzip.compress(bytes(100))), "shorter than"),
        (encode_base64url(gzip.compress(bytes(16_384))[:-20]), "truncated"),
        (encode_base64url(gzip.compress(bytes(statuslist.MAX_DECODED_BYTES + 1))), "larger"),
    ],
)
def test_decode_rejects_bad_lists(encoded: str, message: str) -> None:
    with pytest.raises(statuslist.StatusListError, match=message):
        statuslist.decode_list(encoded)


@pytest.mark.parametrize("size", [8, statuslist.MIN_BITS - 8, statuslist.MIN_BITS + 3])
def test_lists_must_be_large_enough(size: int) -> None:
    with pytest.raises(statuslist.StatusListError):
        statuslist.new_bitstring(size)


@pytest.mark.parametrize("index", [-1, statuslist.MIN_BITS, True, "3"])
def test_out_of_range_index(index: object) -> None:
    with pytest.raises(statuslist.StatusListError):
        statuslist.get_bit(statuslist.new_bitstring(), index)  # type: ignore[arg-type]


def test_allocate_index_avoids_used_indexes() -> None:
    rng = secrets.SystemRandom()
    used: set[int] = set()
    for _ in range(200):
        index = statuslist.allocate_index(used, rng=rng)
        assert 0 <= index < statuslist.MIN_BITS
        assert index not in used
        used.add(index)


def test_allocate_index_finds_the_last_free_slot() -> None:
    size = statuslist.MIN_BITS
    used = set(range(size)) - {77_777}
    assert statuslist.allocate_index(used, size, rng=random.Random(1)) == 77_777
    with pytest.raises(statuslist.StatusListFull):
        statuslist.allocate_index(used | {77_777}, size)


def test_status_list_credential_and_entry() -> None:
    bits = statuslist.new_bitstring()
    statuslist.set_bit(bits, 94_567)
    vc = statuslist.build_status_list_credential(
        LIST_ID, ISSUER, "2025-01-15T00:00:00Z", "revocation", bits
    )
    assert vc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert vc["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    subject = vc["credentialSubject"]
    assert subject["id"] == LIST_ID + "#list"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert statuslist.read_status(vc, 94_567) is True
    assert statuslist.read_status(vc, 94_566) is False
    entry = statuslist.status_list_entry(LIST_ID, 94_567, "revocation")
    assert entry == {
        "id": LIST_ID + "#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_ID,
    }
    with pytest.raises(statuslist.StatusListError):
        statuslist.build_status_list_credential(LIST_ID, ISSUER, "x", "expired", bits)  # type: ignore[arg-type]
