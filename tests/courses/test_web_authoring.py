"""Authoring in the browser (without JavaScript): create, outline, edit, reorder, upload,
preview, publish, new drafts, and the clear errors of bad input."""

from __future__ import annotations

import io
import os

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.courses.models import Attachment, Course, CourseVersion, Lesson, Module
from app.extensions import db as _db
from tests.conftest import count_rows
from tests.courses.conftest import PDF_BYTES, png_bytes

COURSE_FORM = {
    "code": "jwd-01",
    "title": "Junior Web Developer",
    "summary": "Membangun situs web sederhana.",
    "sector": "tik",
    "level": "2",
    "hours": "120",
    "language": "id",
    "validity_months": "36",
    "unit_codes": "",
    "self_paced": "y",
    "self_enrolment": "y",
}


def _create(browser, **changes):
    data = {**COURSE_FORM, **changes}
    data.setdefault("institution", str(browser.user.institution_id))
    return browser.post("/courses/new", data=data)


def _course(app, code="JWD-01") -> Course:
    with app.app_context():
        course = _db.session.scalar(select(Course).where(Course.code == code))
        _ = [(v.modules, [m.lessons for m in v.modules]) for v in course.versions]
        return course


def test_instructor_builds_and_publishes_a_course(app, client_as, make_unit):
    unit = make_unit("J.620100.004.02")
    author = client_as("instructor")
    response = _create(author, unit_codes=unit.code)
    assert response.status_code == 303
    course = _course(app)
    assert course.status == "draft"
    url = f"/courses/{course.id}"
    assert author.post(f"{url}/modules", data={"title": "Dasar HTML"}).status_code == 303
    module_id = _course(app).versions[0].modules[0].id
    new_lesson = f"{url}/modules/{module_id}/lessons/new"
    assert author.get(new_lesson).status_code == 200
    for title in ("Struktur dokumen", "Tautan dan gambar"):
        data = {
            "title": title,
            "body": "## Isi\n\nTeks.",
            "duration_minutes": "20",
            "required": "y",
        }
        assert author.post(new_lesson, data=data).status_code == 303
    page = author.get(f"{url}/author").get_data(as_text=True)
    assert "Struktur dokumen" in page and "Tautan dan gambar" in page
    preview = author.get(f"{url}/versions/1")
    assert preview.status_code == 200
    assert "Dasar HTML" in preview.get_data(as_text=True)
    assert author.post(f"{url}/publish").status_code == 303
    course = _course(app)
    assert course.status == "published"
    assert course.versions[0].status == "published"
    assert course.versions[0].published_at is not None
    catalogue = author.get("/courses?q=junior").get_data(as_text=True)
    assert "Junior Web Developer" in catalogue


def test_reorder_modules_and_lessons_with_buttons(app, client_as, make_course):
    built = make_course(modules=3, lessons=3, publish=False)
    author = client_as(user=built.instructor)
    url = f"/courses/{built.id}"
    first, second, third = built.module_ids
    author.post(f"{url}/modules/{third}/move", data={"direction": "up"})
    a, b, c = built.lesson_ids[:3]
    author.post(f"{url}/lessons/{a}/move", data={"direction": "down"})
    with app.app_context():
        modules = _db.session.scalars(
            select(Module).where(Module.version_id == built.version_id).order_by(Module.position)
        ).all()
        assert [m.id for m in modules] == [first, third, second]
        assert [lesson.id for lesson in modules[0].lessons] == [b, a, c]


def test_move_a_lesson_to_another_module(app, client_as, make_course):
    built = make_course(modules=2, lessons=2, publish=False)
    author = client_as(user=built.instructor)
    lesson_id = built.lesson_ids[0]
    response = author.post(
        f"/courses/{built.id}/lessons/{lesson_id}/move", data={"module": built.module_ids[1]}
    )
    assert response.status_code == 303
    with app.app_context():
        lesson = _db.session.get(Lesson, lesson_id)
        assert lesson.module_id == built.module_ids[1]
        assert [item.position for item in lesson.module.lessons] == [1, 2, 3]


def test_editing_a_published_course_works_on_a_new_draft(app, client_as, make_course):
    built = make_course(modules=1, lessons=1)
    author = client_as(user=built.instructor)
    url = f"/courses/{built.id}"
    assert author.post(f"{url}/modules", data={"title": "Modul baru"}).status_code == 303
    course = _course(app, built.code)
    assert [(v.number, v.status) for v in course.versions] == [(1, "published"), (2, "draft")]
    assert [m.title for m in course.versions[0].modules] == ["Modul 1"]
    assert [m.title for m in course.versions[1].modules] == ["Modul 1", "Modul baru"]
    draft_module = course.versions[1].modules[1]
    lesson_url = f"{url}/modules/{draft_module.id}/lessons/new"
    author.post(lesson_url, data={"title": "Baru", "body": "x", "duration_minutes": "5"})
    assert author.post(f"{url}/publish").status_code == 303
    course = _course(app, built.code)
    assert [(v.number, v.status) for v in course.versions] == [(1, "archived"), (2, "published")]
    # the frozen lesson of version 1 cannot be edited
    old_lesson = built.lesson_ids[0]
    response = author.post(
        f"{url}/lessons/{old_lesson}/edit",
        data={"title": "Diubah", "body": "", "duration_minutes": "5"},
    )
    assert response.status_code == 409
    with app.app_context():
        assert _db.session.get(Lesson, old_lesson).title == "Pelajaran 1.1"


def test_edit_details_goes_to_the_draft(app, client_as, make_course, make_unit):
    unit = make_unit("TIK.OP02.001.01")
    built = make_course()
    author = client_as(user=built.instructor)
    data = {**COURSE_FORM, "title": "Judul Baru", "unit_codes": unit.code, "cover": ""}
    assert author.get(f"/courses/{built.id}/details").status_code == 200
    assert author.post(f"/courses/{built.id}/details", data=data).status_code == 303
    course = _course(app, built.code)
    assert course.versions[0].title != "Judul Baru"
    assert course.versions[1].title == "Judul Baru"
    with app.app_context():
        draft = _db.session.get(CourseVersion, course.versions[1].id)
        assert [u.code for u in draft.units] == ["TIK.OP02.001.01"]


def test_upload_an_image_and_use_it_in_a_lesson(app, client_as, make_course, enrol, make_user):
    built = make_course(publish=False, modules=1, lessons=1)
    author = client_as(user=built.instructor)
    url = f"/courses/{built.id}"
    response = author.post(
        f"{url}/attachments",
        data={"file": (io.BytesIO(png_bytes()), "Denah Bengkel.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    with app.app_context():
        item = _db.session.scalar(select(Attachment).where(Attachment.course_id == built.id))
        assert item.name == "denah-bengkel.png" and item.content_type == "image/png"
        token = item.token
    lesson = built.lesson_ids[0]
    author.post(
        f"{url}/lessons/{lesson}/edit",
        data={
            "title": "Denah",
            "body": "![Denah](attachment:denah-bengkel.png)",
            "duration_minutes": "5",
        },
    )
    page = author.get(f"{url}/lessons/{lesson}").get_data(as_text=True)
    assert f'src="/courses/files/{token}"' in page
    with author.get(f"/courses/files/{token}") as image:
        assert image.status_code == 200
        assert image.mimetype == "image/png"
        assert image.data == png_bytes()
        assert image.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in image.headers["Content-Security-Policy"]
        assert image.headers["Content-Disposition"].startswith("inline")
    # other people cannot fetch it
    assert client_as("trainee").get(f"/courses/files/{token}").status_code == 404


def test_a_pdf_is_downloaded_not_displayed(app, client_as, make_course):
    built = make_course(publish=False)
    author = client_as(user=built.instructor)
    author.post(
        f"/courses/{built.id}/attachments",
        data={"file": (io.BytesIO(PDF_BYTES), "modul.pdf")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        token = _db.session.scalar(select(Attachment.token).where(Attachment.course_id == built.id))
    with author.get(f"/courses/files/{token}") as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.mimetype == "application/pdf"


# Bad input: a clear error, nothing written ------------------------------------------------


def test_duplicate_course_code_is_refused(app, client_as, make_course):
    built = make_course(code="JWD-01")
    author = client_as(user=built.instructor)
    before = count_rows(app, Course), count_rows(app, CourseVersion)
    response = _create(author, code="jwd-01")
    assert response.status_code == 422
    assert "sudah memiliki kursus dengan kode" in response.get_data(as_text=True)
    assert (count_rows(app, Course), count_rows(app, CourseVersion)) == before


def test_unknown_unit_code_is_refused(app, client_as):
    author = client_as("instructor")
    response = _create(author, unit_codes="J.999999.999.99")
    assert response.status_code == 422
    assert "J.999999.999.99" in response.get_data(as_text=True)
    assert count_rows(app, Course) == 0


def test_disguised_and_oversized_uploads_write_nothing(app, client_as, make_course, monkeypatch):
    monkeypatch.setitem(app.config, "COURSE_ATTACHMENT_MAX_BYTES", 4096)
    built = make_course(publish=False)
    author = client_as(user=built.instructor)
    storage = app.config["STORAGE_DIR"] + "/attachments"
    files_before = set(os.listdir(storage)) if os.path.isdir(storage) else set()
    uploads = [
        (b"<html><script>alert(1)</script></html>", "foto.png"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg"),
        (png_bytes(), "laporan.pdf"),
        (PDF_BYTES + b"0" * 5000, "besar.pdf"),
    ]
    for data, name in uploads:
        response = author.post(
            f"/courses/{built.id}/attachments",
            data={"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert response.status_code == 200
        assert "flash-error" in response.get_data(as_text=True), name
    assert count_rows(app, Attachment) == 0
    files_after = set(os.listdir(storage)) if os.path.isdir(storage) else set()
    assert files_after == files_before


def test_publishing_an_empty_course_is_refused(app, client_as, make_course):
    built = make_course(modules=0, publish=False)
    author = client_as(user=built.instructor)
    response = author.post(f"/courses/{built.id}/publish", follow_redirects=True)
    assert "belum dapat diterbitkan" in response.get_data(as_text=True)
    with app.app_context():
        assert _db.session.get(Course, built.id).status == "draft"
        assert _db.session.get(CourseVersion, built.version_id).status == "draft"


def test_publishing_a_module_without_lessons_is_refused(app, client_as, make_course):
    built = make_course(modules=1, lessons=0, publish=False)
    author = client_as(user=built.instructor)
    page = author.post(f"/courses/{built.id}/publish", follow_redirects=True).get_data(as_text=True)
    assert "belum memiliki pelajaran" in page
    with app.app_context():
        assert _db.session.get(CourseVersion, built.version_id).status == "draft"


def test_lesson_form_errors_are_shown(app, client_as, make_course):
    built = make_course(publish=False)
    author = client_as(user=built.instructor)
    before = count_rows(app, Lesson)
    response = author.post(
        f"/courses/{built.id}/modules/{built.module_ids[0]}/lessons/new",
        data={"title": "", "body": "x", "duration_minutes": "-3"},
    )
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert count_rows(app, Lesson) == before


def test_archive_and_restore(app, client, client_as, make_course):
    built = make_course(title="Kursus Lama")
    author = client_as(user=built.instructor)
    author.post(f"/courses/{built.id}/archive")
    assert "Kursus Lama" not in client.get("/courses").get_data(as_text=True)
    page = client.get(f"/courses/{built.id}").get_data(as_text=True)
    assert "tidak lagi menerima peserta baru" in page
    author.post(f"/courses/{built.id}/publish")
    assert "Kursus Lama" in client.get("/courses").get_data(as_text=True)
    with app.app_context():
        course = _db.session.get(Course, built.id)
        assert course.status == "published" and course.archived_at is None


def test_a_publish_refused_half_way_leaves_nothing_written(app, client_as, make_course):
    """publish() archives the published version and flushes before its conditional UPDATE
    finds that someone else published the draft meanwhile. The page still redirects (303,
    which commits), so the refused action must be undone by itself, not by the request."""
    built = make_course()
    author = client_as(user=built.instructor)
    assert author.post(f"/courses/{built.id}/draft").status_code == 303
    with app.app_context():
        draft_id = _db.session.scalar(
            select(CourseVersion.id).where(
                CourseVersion.course_id == built.id, CourseVersion.status == "draft"
            )
        )

    def publish_elsewhere(session: Session, _context: object) -> None:
        archived = [
            item
            for item in session.dirty
            if isinstance(item, CourseVersion) and item.id == built.version_id
        ]
        if archived:  # a concurrent publisher takes the draft between the two statements
            session.connection().execute(
                update(CourseVersion).where(CourseVersion.id == draft_id).values(status="archived")
            )

    event.listen(Session, "after_flush", publish_elsewhere)
    try:
        response = author.post(f"/courses/{built.id}/publish", follow_redirects=True)
    finally:
        event.remove(Session, "after_flush", publish_elsewhere)
    assert response.status_code == 200
    assert "baru saja menerbitkan" in response.get_data(as_text=True)
    with app.app_context():
        statuses = dict(
            _db.session.execute(
                select(CourseVersion.id, CourseVersion.status).where(
                    CourseVersion.course_id == built.id
                )
            ).all()
        )
        assert statuses == {built.version_id: "published", draft_id: "draft"}
        assert _db.session.get(Course, built.id).status == "published"
