"""Hostile course packages: ZIP bombs, lying headers, encrypted members, unknown compression
methods, a course.json nested too deep. Each gets a 422 in the envelope, saying what is
wrong, and leaves nothing on disk or in the database."""

from __future__ import annotations

import io
import json
import os
import random
import struct
import zipfile
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from app.courses.models import Attachment, CompetencyUnit, Course, CourseVersion, Lesson, Module
from tests.conftest import count_rows
from tests.courses.conftest import PDF_BYTES, png_bytes

MODELS = (Course, CourseVersion, Module, Lesson, Attachment, CompetencyUnit)
PDF_HEAD = b"%PDF-1.4\n"


def _noise(size: int, seed: int = 1) -> bytes:
    """A PDF that does not compress: its size is what the ZIP holds."""
    return PDF_HEAD + random.Random(seed).randbytes(size - len(PDF_HEAD))


def _zeros(size: int) -> bytes:
    """A PDF that compresses about a thousand times."""
    return PDF_HEAD + bytes(size - len(PDF_HEAD))


def _manifest(files: dict[str, bytes]) -> dict[str, Any]:
    """A valid manifest listing `files` (name -> content) besides a PNG cover."""
    listed = {"cover.png": png_bytes(), **files}
    lesson = {"key": "l1", "title": "Pelajaran", "body": "Isi", "duration_minutes": 10,
              "required": True}  # fmt: skip
    return {
        "format": "kompeten-course",
        "format_version": 1,
        "exported_at": "2026-01-05T03:00:00+00:00",
        "source": {"institution": "blk-asal", "base_url": "https://kompeten.example"},
        "course": {
            "code": "JWD",
            "status": "published",
            "self_paced": True,
            "self_enrolment": True,
            "archived_at": None,
        },
        "units": [],
        "attachments": [
            {
                "name": name,
                "content_type": "image/png" if name.endswith(".png") else "application/pdf",
                "size": len(data),
                "sha256": sha256(data).hexdigest(),
            }
            for name, data in listed.items()
        ],
        "versions": [
            {
                "number": 1,
                "status": "published",
                "title": "Junior Web Developer",
                "summary": "",
                "sector": "tik",
                "level": 2,
                "hours": 40,
                "language": "id",
                "validity_months": 36,
                "cover": "cover.png",
                "created_at": "2026-01-01T00:00:00+00:00",
                "published_at": "2026-01-02T00:00:00+00:00",
                "archived_at": None,
                "units": [],
                "modules": [{"key": "m1", "title": "Dasar", "summary": "", "lessons": [lesson]}],
            },
        ],
    }


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _package(files: dict[str, bytes], manifest: dict[str, Any] | None = None, **extra) -> bytes:
    """A package of `files` under attachments/, with `extra` members beside them."""
    manifest = manifest or _manifest(files)
    members = {"course.json": json.dumps(manifest).encode(), "attachments/cover.png": png_bytes()}
    members.update({f"attachments/{name}": data for name, data in files.items()})
    members.update(extra)
    return _zip(members)


# Central directory and local header fields: (offset, struct format).
_CENTRAL = {"flags": (8, "<H"), "method": (10, "<H"), "compress_size": (20, "<I"),
            "file_size": (24, "<I")}  # fmt: skip
_LOCAL = {"flags": (6, "<H"), "method": (8, "<H"), "compress_size": (18, "<I"),
          "file_size": (22, "<I")}  # fmt: skip


def _entry(data: bytes, name: str) -> tuple[int, int]:
    """Offsets of `name`'s central directory entry and of its local header."""
    encoded, at = name.encode(), data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == encoded:
            return at, struct.unpack_from("<I", data, at + 42)[0]
        at = data.find(b"PK\x01\x02", at + 1)
    raise KeyError(name)


def _patch(data: bytes, name: str, **values: int) -> bytes:
    """Make the headers of member `name` say something else (both copies of each field)."""
    out = bytearray(data)
    central, local = _entry(data, name)
    for field, value in values.items():
        offset, fmt = _CENTRAL[field]
        struct.pack_into(fmt, out, central + offset, value)
        offset, fmt = _LOCAL[field]
        struct.pack_into(fmt, out, local + offset, value)
    return bytes(out)


def _break_deflate(data: bytes, name: str) -> bytes:
    """Turn the first deflate block of `name` into the reserved block type."""
    out = bytearray(data)
    _central, local = _entry(data, name)
    name_length, extra_length = struct.unpack_from("<HH", data, local + 26)
    out[local + 30 + name_length + extra_length] = 0xFF
    return bytes(out)


def _encrypted() -> bytes:
    package = _package({"lembar.pdf": PDF_BYTES})
    return _patch(package, "attachments/lembar.pdf", flags=0x1)


def _method_99() -> bytes:
    return _patch(_package({"lembar.pdf": PDF_BYTES}), "attachments/lembar.pdf", method=99)


def _lying_compressed_size() -> bytes:
    """Each member claims to compress no better than 1:1, so only the upload's real size
    gives the 3 MiB of zeros away."""
    data = _zeros(3 * 1024 * 1024)
    return _patch(_package({"nol.pdf": data}), "attachments/nol.pdf", compress_size=len(data))


def _under_declared() -> bytes:
    data = _noise(300_000)
    return _patch(_package({"acak.pdf": data}), "attachments/acak.pdf", file_size=1000)


def _many_members() -> bytes:
    return _package({"lembar.pdf": PDF_BYTES}, **{f"extra/{n}.txt": b"x" for n in range(6)})


def _understated_count() -> bytes:
    """60 members, while the end record says 1: ZipFile reads the directory by its size."""
    data = bytearray(_package({}, **{f"extra/{n}.txt": b"x" for n in range(60)}))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 1, 1)
    return bytes(data)


def _padded_manifest() -> bytes:
    manifest = _manifest({})
    manifest["versions"][0]["summary"] = _noise(20_000).hex()
    return _package({}, manifest)


def _nested(depth: int) -> bytes:
    manifest = _manifest({})
    manifest["source"]["institution"] = "@"
    text = json.dumps(manifest).replace('"@"', "[" * depth + "]" * depth)
    return _zip({"course.json": text.encode(), "attachments/cover.png": png_bytes()})


# case -> (package builder, config overrides, the problem reported, words of the message
# in Indonesian, the default language)
HOSTILE = {
    "too many members": (_many_members, {"COURSE_IMPORT_MAX_MEMBERS": 5},
                         "too_many_members", "lebih dari 5 berkas"),
    "a member count that lies": (_understated_count, {"COURSE_IMPORT_MAX_MEMBERS": 5},
                                 "too_many_members", "lebih dari 5 berkas"),
    "too large unpacked": (lambda: _package({f"{n}.pdf": _noise(90_000, n) for n in range(3)}),
                           {"COURSE_IMPORT_MAX_TOTAL_BYTES": 200_000}, "too_large",
                           "terlalu besar setelah diekstrak"),
    "one file too large": (lambda: _package({"besar.pdf": _noise(60_000)}),
                           {"COURSE_ATTACHMENT_MAX_BYTES": 50_000}, "member_too_large",
                           "attachments/besar.pdf"),
    "an unlisted file too large": (
        lambda: _package({}, **{"attachments/diam.pdf": _noise(60_000)}),
        {"COURSE_ATTACHMENT_MAX_BYTES": 50_000}, "member_too_large", "attachments/diam.pdf"),
    "course.json too large": (_padded_manifest, {"COURSE_IMPORT_MAX_MANIFEST_BYTES": 20_000},
                              "member_too_large", "course.json"),
    "a bomb that is a valid package": (lambda: _package({"nol.pdf": _zeros(3 * 1024 * 1024)}),
                                       {}, "ratio", "100 kali"),
    "compressed sizes that lie": (_lying_compressed_size, {}, "ratio", "100 kali"),
    "sizes that lie": (_under_declared, {}, "damaged", "rusak"),
    "broken deflate data": (lambda: _break_deflate(_package({"acak.pdf": _noise(50_000)}),
                                                   "attachments/acak.pdf"),
                            {}, "damaged", "rusak"),
    "encrypted member": (_encrypted, {}, "encrypted", "terenkripsi"),
    "compression method 99": (_method_99, {}, "compression_method", "metode kompresi"),
    "course.json nested 100,000 deep": (lambda: _nested(100_000), {}, "too_deep", "10 tingkat"),
    "course.json nested 50 deep": (lambda: _nested(50), {}, "too_deep", "10 tingkat"),
}  # fmt: skip


def _storage(app) -> set[str]:
    folder = os.path.join(app.config["STORAGE_DIR"], "attachments")
    os.makedirs(folder, exist_ok=True)
    return set(os.listdir(folder))


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_packages_are_refused_and_write_nothing(
    app, client, make_user, token_for, monkeypatch, case
):
    build, limits, problem, words = HOSTILE[case]
    for name, value in limits.items():
        monkeypatch.setitem(app.config, name, value)
    package = build()
    headers = token_for(make_user("instructor"))
    files_before, rows_before = _storage(app), [count_rows(app, m) for m in MODELS]

    response = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(package), "x.zip"), "code": "COPY"},
        headers=headers,
    )

    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"]["package"]["problem"] == problem
    assert words in error["message"]
    assert _storage(app) == files_before
    assert [count_rows(app, m) for m in MODELS] == rows_before


def test_a_valid_import_leaves_only_its_own_files(app, client, make_user, token_for):
    """Files are moved out of staging into place, and the staging folder goes."""
    pdf = _noise(200_000)
    before = _storage(app)
    response = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(_package({"lembar.pdf": pdf})), "x.zip")},
        headers=token_for(make_user("instructor")),
    )
    assert response.status_code == 201, response.get_json()
    added = _storage(app) - before
    assert len(added) == 2
    assert not any(name.startswith(".") for name in added)
    folder = Path(app.config["STORAGE_DIR"]) / "attachments"
    assert {(folder / name).read_bytes() for name in added} == {pdf, png_bytes()}


def test_the_import_page_shows_the_refusal(app, client_as, make_institution, make_user):
    institution = make_institution()
    author = client_as(user=make_user("instructor", institution=institution))
    before, courses = _storage(app), count_rows(app, Course)
    response = author.post(
        "/courses/import",
        data={"file": (io.BytesIO(_encrypted()), "x.zip"), "institution": institution.id},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "terenkripsi" in page  # the Indonesian message, on the form
    assert "Traceback" not in page
    assert _storage(app) == before
    assert count_rows(app, Course) == courses
