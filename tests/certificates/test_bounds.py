"""The bounds of the crypto layer, without an app: every decoder refuses a text longer than
its bytes can take before decoding it, JSON past a bound is named with where, and dates no
datetime holds are reported, not raised as anything but ValueError (issue 11, items 1, 8)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.writer import PdfFileWriter

from app.certificates.crypto import dataintegrity as di
from app.certificates.crypto import didkey, jsonbounds, multibase, statuslist
from app.certificates.crypto.keys import generate_ed25519_key
from app.certificates.pdf import sign


@pytest.mark.parametrize(("max_bytes", "chars"), [(1, 2), (32, 44), (34, 47), (64, 88)])
def test_the_longest_base58_text_of_n_bytes(max_bytes: int, chars: int) -> None:
    assert multibase.max_base58_chars(max_bytes) == chars
    longest = multibase.encode_base58btc(b"\xff" * max_bytes)
    assert len(longest) == chars + 1  # the multibase prefix
    assert multibase.decode_base58btc(longest, max_bytes) == b"\xff" * max_bytes
    zeros = multibase.encode_base58btc(bytes(max_bytes))
    assert multibase.decode_base58btc(zeros, max_bytes) == bytes(max_bytes)


def test_base58_refuses_a_text_longer_than_its_bytes_take_before_decoding() -> None:
    with pytest.raises(multibase.MultibaseError, match="600000 characters; 64 bytes take at most"):
        multibase.decode_base58btc("z" + "2" * 600_000, 64)


def test_base64url_refuses_a_text_longer_than_its_bytes_take() -> None:
    assert multibase.decode_base64url(multibase.encode_base64url(bytes(4)), 4) == bytes(4)
    with pytest.raises(multibase.MultibaseError, match="8 characters; 4 bytes take at most 6"):
        multibase.decode_base64url(multibase.encode_base64url(bytes(6)), 4)


@pytest.mark.parametrize(
    "decode",
    [multibase.decode_ed25519_public_multikey, multibase.decode_ed25519_private_multikey],
)
def test_a_huge_multikey_is_refused_on_its_length(decode: Any) -> None:
    with pytest.raises(multibase.MultibaseError, match="34 bytes take at most 47"):
        decode("z6Mk" + "2" * 100_000)


def test_a_did_url_past_the_bound_is_refused_before_it_is_parsed() -> None:
    long_did = "did:key:z6Mk" + "2" * 3_000
    with pytest.raises(didkey.DidError, match="longer than 2048"):
        didkey.resolve_did_key(long_did)
    with pytest.raises(didkey.DidError, match="longer than 2048"):
        didkey.did_web_document_url("did:web:" + "a" * 3_000)
    document = {"id": "did:web:x", "verificationMethod": []}
    with pytest.raises(didkey.DidError, match="longer than 2048"):
        didkey.resolve_from_did_document(document, "did:web:x#" + "k" * 3_000)


def _signed(**proof: Any) -> dict[str, Any]:
    key = generate_ed25519_key()
    document = {"issuer": didkey.did_key_from_public_key(key.public_key()), "name": "x"}
    method = didkey.did_key_verification_method(key.public_key())
    signed = di.create_proof(document, key, method, "2026-01-01T00:00:00Z")
    signed["proof"].update(proof)
    return signed


def test_verify_proof_refuses_an_overlong_proof_value_before_decoding() -> None:
    result = di.verify_proof(_signed(proofValue="z" + "2" * 600_000), didkey.resolve_did_key)
    assert result.verified is False and result.error_code == di.MALFORMED_PROOF_ERROR
    assert "600000 characters; 64 bytes take at most 88" in (result.reason or "")


def test_verify_proof_refuses_an_overlong_verification_method_before_resolving() -> None:
    asked: list[str] = []
    method = "did:key:z6Mk" + "2" * 5_000
    result = di.verify_proof(_signed(verificationMethod=method), asked.append)
    assert result.verified is False and result.error_code == di.MALFORMED_PROOF_ERROR
    assert "5012 characters, more than 2048" in (result.reason or "") and asked == []


def test_status_list_text_is_bounded_before_base64_decoding() -> None:
    limit = -(-statuslist.MAX_COMPRESSED_BYTES * 4 // 3)
    with pytest.raises(statuslist.StatusListError, match=f"take at most {limit}"):
        statuslist.decode_list("u" + "A" * (limit + 1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-31T08:00:00Z", dt.datetime(2026, 1, 31, 8, tzinfo=dt.UTC)),
        ("2026-01-31T08:00:00", dt.datetime(2026, 1, 31, 8, tzinfo=dt.UTC)),
        (
            "0001-01-01T00:00:00+01:00",
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        ("9999-12-31T23:59:59.5Z", dt.datetime(9999, 12, 31, 23, 59, 59, 500_000, tzinfo=dt.UTC)),
    ],
)
def test_xsd_datetimes_a_datetime_holds_are_read(value: str, expected: dt.datetime) -> None:
    assert di.parse_xsd_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("99999-01-01T00:00:00Z", "the year 99999 is outside 0001-9999"),
        ("-0001-01-01T00:00:00Z", "the year -0001 is outside 0001-9999"),
        ("0000-01-01T00:00:00Z", "the year 0000 is outside 0001-9999"),
        ("2026-02-31T00:00:00Z", "day is out of range for month"),
        ("yesterday", "not an XML Schema dateTime"),
        (20260101, "not an XML Schema dateTime"),
    ],
)
def test_dates_no_datetime_holds_say_why(value: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        di.parse_xsd_datetime(value)


@pytest.mark.parametrize(
    ("document", "bound", "pointer"),
    [
        ({"a": [0] * 1_001}, "items", "/a"),
        ({"a": {str(n): n for n in range(257)}}, "members", "/a"),
        ({"a": [{"b": "x" * 65_537}]}, "string", "/a/0/b"),
        ({"a": {"n" * 1_025: 1}}, "name", "/a"),
        ({"a/b~": [[0] * 1_000] * 11}, "values", "/a~1b~0/1"),
        (json.loads("[" * 65 + "]" * 65), "depth", "/0" * 64),
    ],
)
def test_json_past_a_bound_is_named_with_where(document: Any, bound: str, pointer: str) -> None:
    with pytest.raises(jsonbounds.BoundsError) as raised:
        jsonbounds.check_bounds(document)
    assert (raised.value.bound, raised.value.pointer) == (bound, pointer)
    assert raised.value.limit == jsonbounds.LIMITS[bound]


def test_json_at_every_bound_passes() -> None:
    jsonbounds.check_bounds(
        {
            "items": [0] * 1_000,
            "members": {str(n): n for n in range(256)},
            "string": "x" * 65_536,
            "n" * 1_024: 1,
            "deep": json.loads("[" * 63 + "]" * 63),
        }
    )


def test_an_embedded_flate_bomb_is_never_inflated_past_the_limit() -> None:
    writer = PdfFileWriter()
    data = embed.EmbeddedFileObject.from_file_data(writer, bytes(50_000_000), compress=True)
    embed.embed_file(writer, embed.FileSpec(file_spec_string="credential.json", embedded_data=data))
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) < 100_000
    assert sign.extract_embedded_file(out.getvalue(), max_bytes=1_000) == bytes(1_001)
