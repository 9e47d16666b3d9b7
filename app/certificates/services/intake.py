"""Reading a credential from outside, bounded before any heavy work, whichever way it came
(the VC-API, an uploaded JSON file, the file embedded in an uploaded PDF, `verify-file`):
its bytes (CREDENTIAL_MAX_BYTES, 413) before it is parsed, then its shape (nesting, array
and object sizes, string lengths: crypto/jsonbounds.py, 422) before it is canonicalised,
hashed or looked into. The crypto layer bounds the rest where it decodes: a proofValue, a
multikey and a DID URL by length before base58 decoding (quadratic in the length), a status
list before and while it inflates.

Dates are read here too: a validFrom or validUntil that no datetime holds (the year 99999 or
-0001, both XML Schema dateTimes) is named as a problem, never an exception."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.certificates.crypto.dataintegrity import parse_xsd_datetime
from app.certificates.crypto.jsonbounds import BoundsError, check_bounds
from app.errors import AppError, ValidationFailed

DEFAULT_CREDENTIAL_MAX_BYTES = 256 * 1024
VALIDITY_FIELDS = ("validFrom", "validUntil")


class TooLarge(AppError):
    status = 413
    code = "too_large"


_BOUND_MESSAGES = {
    "depth": _l("The credential nests deeper than %(limit)s levels (at %(pointer)s)."),
    "items": _l("An array in the credential holds more than %(limit)s items (at %(pointer)s)."),
    "members": _l("An object in the credential has more than %(limit)s members (at %(pointer)s)."),
    "string": _l("A text in the credential is longer than %(limit)s characters (at %(pointer)s)."),
    "name": _l(
        "A member name in the credential is longer than %(limit)s characters (at %(pointer)s)."
    ),
    "values": _l("The credential holds more than %(limit)s values (at %(pointer)s)."),
}


def credential_max_bytes() -> int:
    return int(current_app.config.get("CREDENTIAL_MAX_BYTES", DEFAULT_CREDENTIAL_MAX_BYTES))


def too_large(size: int | None = None) -> TooLarge:
    """The 413 for a credential, a VC-API body or a file past CREDENTIAL_MAX_BYTES."""
    limit = credential_max_bytes()
    details: dict[str, Any] = {"limit_bytes": limit}
    if size is not None:
        details["bytes"] = size
    return TooLarge(
        _("The credential is larger than %(kb)s KB.", kb=limit // 1024), details=details
    )


def check_document_bounds(document: Any) -> None:
    """422 naming the bound and where, for a credential past any bound of jsonbounds.py."""
    try:
        check_bounds(document)
    except BoundsError as exc:
        pointer = exc.pointer or "/"
        raise ValidationFailed(
            str(_BOUND_MESSAGES[exc.bound] % {"limit": exc.limit, "pointer": pointer}),
            details={"bound": exc.bound, "limit": exc.limit, "pointer": pointer},
        ) from exc


def parse_credential_json(data: bytes) -> Any:
    """A credential JSON from outside (an uploaded file, the file a PDF embeds), bounded
    before anything reads it: its size (413), then the parse (422), then its shape (422)."""
    if len(data) > credential_max_bytes():
        raise too_large(len(data))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: JSONDecodeError, and an integer of more than 4,300 digits
        raise ValidationFailed(_("The file is not credential JSON.")) from exc
    check_document_bounds(document)
    return document


def validity_dates(document: dict[str, Any]) -> tuple[dict[str, datetime], dict[str, str]]:
    """The credential's validFrom and validUntil that are present: (parsed, problems), each
    keyed by field name; a problem says why a present value is not a date that can be
    compared (not a dateTime, a day the month lacks, a year such as 99999 or -0001)."""
    parsed: dict[str, datetime] = {}
    problems: dict[str, str] = {}
    for name in VALIDITY_FIELDS:
        if name not in document:
            continue
        try:
            parsed[name] = parse_xsd_datetime(document[name])
        except ValueError as exc:
            problems[name] = str(exc)
    return parsed, problems
