"""Reading an uploaded question file within the size limit (ASSESSMENT_IMPORT_MAX_BYTES)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.errors import AppError, ValidationFailed


class TooLarge(AppError):
    status = 413
    code = "too_large"


def max_bytes() -> int:
    return int(current_app.config.get("ASSESSMENT_IMPORT_MAX_BYTES", 1024 * 1024))


def too_large() -> TooLarge:
    return TooLarge(
        _("The file is too large. The limit is %(kb)s KB.", kb=max_bytes() // 1024),
        details={"file": ["too_large"]},
    )


def read_upload(storage: FileStorage | None) -> bytes:
    """The file's bytes; 422 when none was sent, 413 past the limit (read no further)."""
    if storage is None or not storage.filename:
        raise ValidationFailed(_("Choose a file to import."), details={"file": ["required"]})
    data = storage.stream.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise too_large()
    if not data:
        raise ValidationFailed(_("The file is empty."), details={"file": ["empty"]})
    return data
