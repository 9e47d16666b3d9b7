"""Sharing curricula: export a course as one package, import it into another institution,
and get the same course back; bad packages are refused and write nothing."""

from __future__ import annotations

import io
import json
import os
import zipfile
from hashlib import sha256

import pytest

from app.courses.models import Attachment, CompetencyUnit, Course, CourseVersion, Lesson, Module
from app.extensions import db
from tests.conftest import count_rows
from tests.courses.conftest import PDF_BYTES, png_bytes

MODELS = (Course, CourseVersion, Module, Lesson, Attachment, CompetencyUnit)


def counts(app):
    return [count_rows(app, model) for model in MODELS]


def _rich_course(app, client_as, make_course, make_unit):
    """A course with two published versions, a draft, units, an image, a PDF and a cover."""
    unit_a = make_unit("J.620100.004.02")
    unit_b = make_unit("TIK.OP01.002.01", title_id="Kode etik TIK", title_en="ICT ethics")
    built = make_course(modules=2, lessons=2, unit_ids=(unit_a.id, unit_b.id), code="JWD")
    author = client_as(user=built.instructor)
    url = f"/courses/{built.id}"
    for data, name in ((png_bytes(), "denah.png"), (PDF_BYTES, "lembar-kerja.pdf")):
        author.post(
            f"{url}/attachments",
            data={"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
    author.post(f"{url}/modules", data={"title": "Modul tiga"})
    with app.app_context():
        module_id = db.session.get(Course, built.id).draft_version.modules[-1].id
    author.post(
        f"{url}/modules/{module_id}/lessons/new",
        data={"title": "Tambahan", "body": "[Lembar kerja](attachment:lembar-kerja.pdf)",
              "duration_minutes": "10", "required": "y"},
    )  # fmt: skip
    assert author.post(f"{url}/publish").status_code == 303
    author.post(f"{url}/draft")
    return built, author


def _export(browser, course_id: int) -> bytes:
    with browser.get(f"/courses/{course_id}/export") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        return response.get_data()


def _manifest(package: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        data = json.loads(archive.read("course.json"))
    data.pop("exported_at")
    data.pop("source")
    return data


def _files(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("attachments/")}


def test_round_trip_gives_the_same_course(
    app, client_as, make_course, make_unit, make_institution, make_user
):
    built, author = _rich_course(app, client_as, make_course, make_unit)
    with app.app_context():
        version = db.session.get(Course, built.id).draft_version
    author.post(
        f"/courses/{built.id}/lessons/{built.lesson_ids[0]}/edit",
        data={"title": "Denah", "body": "![Denah](attachment:denah.png)", "duration_minutes": "5"},
    )
    package = _export(author, built.id)
    first = _manifest(package)
    assert [v["status"] for v in first["versions"]] == ["archived", "published", "draft"]
    assert {a["name"] for a in first["attachments"]} == {"denah.png", "lembar-kerja.pdf"}
    assert version is not None

    elsewhere = make_institution()
    importer = client_as(user=make_user("instructor", institution=elsewhere))
    response = importer.post(
        "/courses/import",
        data={"file": (io.BytesIO(package), "jwd.zip"), "institution": elsewhere.id, "code": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].split("/")[2])
    assert new_id != built.id
    again = _export(importer, new_id)
    assert _manifest(again) == first
    assert _files(again) == _files(package)
    # the imported course's lesson shows its own copy of the image
    page = importer.get(f"/courses/{new_id}/versions/3").get_data(as_text=True)
    assert "Modul tiga" in page
    # units were reused, not duplicated
    assert count_rows(app, CompetencyUnit) == 2


def test_import_through_the_api_under_a_new_code(
    app, client, client_as, make_course, make_unit, token_for
):
    built, author = _rich_course(app, client_as, make_course, make_unit)
    package = _export(author, built.id)
    headers = token_for(built.instructor)
    clash = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(package), "jwd.zip")},
        headers=headers,
    )
    assert clash.status_code == 409
    ok = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(package), "jwd.zip"), "code": "JWD-COPY"},
        headers=headers,
    )
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["code"] == "JWD-COPY"
    with client.get(f"/api/v1/courses/{built.id}/export", headers=headers) as response:
        assert response.mimetype == "application/zip"


def _tamper(package: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["course.json"])
    change(manifest, members)
    members["course.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _swap_file(manifest, members):
    members["attachments/denah.png"] = b"<svg onload=alert(1)>"


def _all_drafts(manifest, members):
    for version in manifest["versions"]:
        version.update(status="draft", published_at=None)


def _repeat_a_key(manifest, members):
    modules = manifest["versions"][0]["modules"]
    modules[1]["key"] = modules[0]["key"]


def _climbing_name(manifest, members):
    manifest["attachments"][0]["name"] = "../../x.png"


def _lie_about_type(manifest, members):
    for item in manifest["attachments"]:
        if item["name"] == "lembar-kerja.pdf":
            item["content_type"] = "image/png"


BAD = {
    "not a zip": lambda package: b"PK\x03\x04 not really",
    "no manifest": lambda package: _zip({"readme.txt": b"hi"}),
    "unknown field": lambda p: _tamper(p, lambda m, _: m.update(evil=1)),
    "wrong format": lambda p: _tamper(p, lambda m, _: m.update(format="moodle")),
    "malformed unit code": lambda p: _tamper(p, lambda m, _: m["units"][0].update(code="J-6201")),
    "swapped file": lambda p: _tamper(p, _swap_file),
    "type lie": lambda p: _tamper(p, _lie_about_type),
    "missing file": lambda p: _tamper(p, lambda m, files: files.pop("attachments/denah.png")),
    "two drafts": lambda p: _tamper(p, _all_drafts),
    "empty published": lambda p: _tamper(p, lambda m, _: m["versions"][0].update(modules=[])),
    "bad sector": lambda p: _tamper(p, lambda m, _: m["versions"][0].update(sector="sihir")),
    "duplicate keys": lambda p: _tamper(p, _repeat_a_key),
    "path traversal name": lambda p: _tamper(p, _climbing_name),
}  # fmt: skip


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _sample_package() -> bytes:
    """A valid package, built by hand: one published version, two files, two units."""
    image, pdf = png_bytes(), PDF_BYTES

    def described(name: str, kind: str, data: bytes) -> dict:
        return {
            "name": name,
            "content_type": kind,
            "size": len(data),
            "sha256": sha256(data).hexdigest(),
        }

    lesson = {
        "key": "l1",
        "title": "Denah",
        "body": "![Denah](attachment:denah.png)",
        "duration_minutes": 10,
        "required": True,
    }
    manifest = {
        "format": "kompeten-course",
        "format_version": 1,
        "exported_at": "2026-01-05T03:00:00+00:00",
        "source": {"institution": "blk-asal", "base_url": "https://kompeten.example"},
        "course": {"code": "JWD", "status": "published", "self_paced": True,
                   "self_enrolment": True, "archived_at": None},
        "units": [
            {"code": "J.620100.004.02", "title_id": "Data", "title_en": "", "elements": []},
            {"code": "TIK.OP01.002.01", "title_id": "Kode Etik", "title_en": "", "elements": []},
        ],
        "attachments": [
            described("denah.png", "image/png", image),
            described("lembar-kerja.pdf", "application/pdf", pdf),
        ],
        "versions": [
            {"number": 1, "status": "published", "title": "Junior Web Developer", "summary": "",
             "sector": "tik", "level": 2, "hours": 40, "language": "id", "validity_months": 36,
             "cover": "denah.png", "created_at": "2026-01-01T00:00:00+00:00",
             "published_at": "2026-01-02T00:00:00+00:00", "archived_at": None,
             "units": ["J.620100.004.02", "TIK.OP01.002.01"],
             "modules": [
                 {"key": "m1", "title": "Dasar", "summary": "", "lessons": [lesson]},
                 {"key": "m2", "title": "Lanjut", "summary": "",
                  "lessons": [{**lesson, "key": "l2", "title": "Lembar kerja"}]},
             ]},
        ],
    }  # fmt: skip
    return _zip(
        {
            "course.json": json.dumps(manifest).encode(),
            "attachments/denah.png": image,
            "attachments/lembar-kerja.pdf": pdf,
        }
    )


def test_the_sample_package_imports(app, client, make_user, token_for):
    response = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(_sample_package()), "x.zip")},
        headers=token_for(make_user("instructor")),
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"]["cover_url"].startswith("/courses/files/")


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_packages_are_refused_and_write_nothing(app, client, make_user, token_for, case):
    package = BAD[case](_sample_package())
    storage = os.path.join(app.config["STORAGE_DIR"], "attachments")
    os.makedirs(storage, exist_ok=True)
    files_before = set(os.listdir(storage))
    before = counts(app)
    response = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(package), "x.zip"), "code": "COPY"},
        headers=token_for(make_user("instructor")),
    )
    assert response.status_code == 422, (case, response.get_json())
    assert response.get_json()["error"]["code"] == "validation_failed"
    assert counts(app) == before
    assert set(os.listdir(storage)) == files_before


def _rezip(package: bytes, change) -> bytes:
    """The package with its course.json changed by `change(manifest)`."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "course.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            target.writestr(name, data)
    return out.getvalue()


def test_the_certificate_kind_travels_with_the_package(
    app, client, make_course, make_unit, token_for
):
    built = make_course(unit_ids=(make_unit("J.620100.009.01").id,), code="KND")
    with app.app_context():
        db.session.get(Course, built.id).certificate_kind = "competency"
        db.session.commit()
    headers = token_for(built.instructor)
    with client.get(f"/api/v1/courses/{built.id}/export", headers=headers) as response:
        package = response.get_data()
    assert (
        json.loads(zipfile.ZipFile(io.BytesIO(package)).read("course.json"))["course"][
            "certificate_kind"
        ]
        == "competency"
    )

    def imported(data: bytes, code: str) -> str:
        response = client.post(
            "/api/v1/courses/import",
            data={"file": (io.BytesIO(data), "k.zip"), "code": code},
            headers=headers,
        )
        assert response.status_code == 201, response.get_json()
        with app.app_context():
            return db.session.get(Course, response.get_json()["id"]).certificate_kind

    assert imported(package, "KND-COPY") == "competency"
    # a package exported before courses had a kind leads to a training certificate
    older = _rezip(package, lambda m: m["course"].pop("certificate_kind"))
    assert imported(older, "KND-OLD") == "training"
    # and an unknown kind is refused, writing nothing
    unknown = _rezip(package, lambda m: m["course"].update(certificate_kind="x"))
    before = counts(app)
    response = client.post(
        "/api/v1/courses/import",
        data={"file": (io.BytesIO(unknown), "k.zip"), "code": "KND-BAD"},
        headers=headers,
    )
    assert response.status_code == 422
    assert counts(app) == before
