"""An attachment says one thing to caches: private to the browser for an hour when anyone
may fetch it, never stored when a signed-in user fetched it (issue 11, item 14)."""

from __future__ import annotations

import io

from sqlalchemy import select, update

from app.courses.models import Attachment, CourseVersion
from app.extensions import db as _db
from tests.courses.conftest import png_bytes


def test_an_attachment_is_never_both_public_and_private(app, client, client_as, make_course):
    built = make_course(publish=False)
    author = client_as(user=built.instructor)
    author.post(
        f"/courses/{built.id}/attachments",
        data={"file": (io.BytesIO(png_bytes()), "sampul.png")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        item = _db.session.scalar(select(Attachment).where(Attachment.course_id == built.id))
        _db.session.execute(  # it becomes the cover of a published version: public
            update(CourseVersion)
            .where(CourseVersion.course_id == built.id)
            .values(status="published", cover_attachment_id=item.id)
        )
        _db.session.commit()
        token = item.token
    with client.get(f"/courses/files/{token}") as anonymous:
        assert anonymous.status_code == 200
        assert anonymous.headers["Cache-Control"] == "max-age=3600, private"
    with author.get(f"/courses/files/{token}") as signed_in:
        assert signed_in.status_code == 200
        assert signed_in.headers["Cache-Control"] == "no-store"
        assert "Expires" not in signed_in.headers
