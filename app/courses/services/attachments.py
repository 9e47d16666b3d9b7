"""Course attachments: upload (checked, stored under a random name), listing, and who may
download them."""

from __future__ import annotations

import hashlib
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.courses.models import Attachment, Course
from app.courses.services import content, storage
from app.errors import AppError, TooLarge, ValidationFailed
from app.extensions import db

log = logging.getLogger(__name__)


def limits() -> tuple[int, int]:
    """The largest file and the largest image (COURSE_ATTACHMENT_MAX_BYTES, ..._IMAGE_...)."""
    config = current_app.config
    return config["COURSE_ATTACHMENT_MAX_BYTES"], config["COURSE_IMAGE_MAX_BYTES"]


def _unique_name(course_id: int, name: str) -> str:
    taken = set(
        db.session.scalars(select(Attachment.name).where(Attachment.course_id == course_id))
    )
    if name not in taken:
        return name
    stem, _dot, ext = name.rpartition(".")
    number = 2
    while f"{stem}-{number}.{ext}" in taken:
        number += 1
    return f"{stem}-{number}.{ext}"


def _upload_error(refused: content.UploadRefused) -> AppError:
    """A clear, translated error for a refused upload."""
    if refused.reason == "too_large":
        megabytes = max(int(refused.detail or 0) // (1024 * 1024), 1)
        return TooLarge(
            _("The file is too large. The limit is %(mb)s MB.", mb=megabytes),
            details={"file": ["too_large"]},
        )
    messages = {
        "empty": _("The file is empty."),
        "svg": _("SVG images are not accepted. Upload a PNG, JPEG, GIF or WebP image."),
        "type": _("This type of file is not accepted. Upload PNG, JPEG, GIF, WebP or PDF."),
        "disguised": _("The file name does not match its content."),
        "damaged": _("The image is damaged or not really an image."),
        "name": _("Give the file a name."),
    }
    return ValidationFailed(messages[refused.reason], details={"file": [refused.reason]})


def add_attachment(user: User, course: Course, filename: str, data: bytes) -> Attachment:
    """Check and store an upload. If any check fails, nothing is written."""
    max_bytes, max_image_bytes = limits()
    try:
        name, content_type = content.check_upload(
            filename or "", data, max_bytes=max_bytes, max_image_bytes=max_image_bytes
        )
    except content.UploadRefused as refused:
        raise _upload_error(refused) from refused
    attachment = store(course.id, name, content_type, data, uploaded_by_id=user.id)
    log.info(
        "user %s uploaded %s (%s, %s bytes) to course %s",
        user.id,
        attachment.name,
        content_type,
        len(data),
        course.id,
    )
    return attachment


def store(
    course_id: int, name: str, content_type: str, data: bytes, uploaded_by_id: int | None = None
) -> Attachment:
    """Record and write checked content. The row is flushed first, so a database refusal
    leaves no file behind."""
    digest = hashlib.sha256(data).hexdigest()
    attachment = _record(course_id, name, content_type, len(data), digest, uploaded_by_id)
    storage.write(attachment.token, data)
    return attachment


def store_staged(
    course_id: int,
    name: str,
    content_type: str,
    staged: storage.Staged,
    uploaded_by_id: int | None = None,
) -> Attachment:
    """Record checked content that waits on disk, and move it into place (never into
    memory). The row is flushed first, as in `store`."""
    attachment = _record(course_id, name, content_type, staged.size, staged.sha256, uploaded_by_id)
    storage.adopt(attachment.token, staged)
    return attachment


def _record(
    course_id: int,
    name: str,
    content_type: str,
    size: int,
    sha256: str,
    uploaded_by_id: int | None,
) -> Attachment:
    attachment = Attachment(
        course_id=course_id,
        token=storage.new_token(),
        name=_unique_name(course_id, name),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def for_course(course_id: int) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment).where(Attachment.course_id == course_id).order_by(Attachment.name)
        )
    )


def by_token(token: str) -> Attachment | None:
    return db.session.scalar(select(Attachment).where(Attachment.token == token))
