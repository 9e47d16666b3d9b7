"""Errors of the courses feature that the shared hierarchy does not have yet."""

from __future__ import annotations

from flask_babel import gettext as _

from app.courses.services.content import UploadRefused
from app.errors import AppError, ValidationFailed


class TooLarge(AppError):
    status = 413
    code = "too_large"


def upload_error(refused: UploadRefused, field: str = "file") -> AppError:
    """A clear, translated error for a refused upload."""
    if refused.reason == "too_large":
        megabytes = max(int(refused.detail or 0) // (1024 * 1024), 1)
        return TooLarge(
            _("The file is too large. The limit is %(mb)s MB.", mb=megabytes),
            details={field: ["too_large"]},
        )
    messages = {
        "empty": _("The file is empty."),
        "svg": _("SVG images are not accepted. Upload a PNG, JPEG, GIF or WebP image."),
        "type": _("This type of file is not accepted. Upload PNG, JPEG, GIF, WebP or PDF."),
        "disguised": _("The file name does not match its content."),
        "damaged": _("The image is damaged or not really an image."),
        "name": _("Give the file a name."),
    }
    return ValidationFailed(messages[refused.reason], details={field: [refused.reason]})
