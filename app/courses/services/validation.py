"""Checks of course details shared by the services, the API and the package import.
They return cleaned values or raise ValidationFailed naming every field at fault."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.courses.models import CompetencyUnit
from app.courses.vocab import LANGUAGES, LEVELS, SECTORS
from app.errors import ValidationFailed
from app.extensions import db

COURSE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{1,39}$")
VERSION_FIELDS = (
    "title",
    "summary",
    "sector",
    "level",
    "hours",
    "language",
    "validity_months",
)


def clean_code(raw: str) -> str:
    code = (raw or "").strip().upper()
    if not COURSE_CODE.match(code):
        raise ValidationFailed(
            _("Use 2 to 40 letters, digits, dots, dashes or underscores for the course code."),
            details={"code": ["invalid"]},
        )
    return code


def text_field(value: Any, field: str, limit: int, errors: dict, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field] = ["invalid"]
        return ""
    if required and not text:
        errors[field] = ["required"]
    elif len(text) > limit:
        errors[field] = ["too_long"]
    return text


def number_field(value: Any, field: str, low: int, high: int, errors: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = ["out_of_range"]
        return low
    return value


def clean_version_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Check the content fields given (any subset of VERSION_FIELDS); all errors at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            clean[name] = text_field(value, name, 200, errors, required=True)
        elif name == "summary":
            clean[name] = text_field(value, name, 5000, errors)
        elif name == "sector":
            if value not in SECTORS:
                errors[name] = ["unknown"]
            clean[name] = value
        elif name == "language":
            if value not in LANGUAGES:
                errors[name] = ["unknown"]
            clean[name] = value
        elif name == "level":
            clean[name] = number_field(value, name, LEVELS[0], LEVELS[-1], errors)
        elif name == "hours":
            clean[name] = number_field(value, name, 0, 5000, errors)
        elif name == "validity_months":
            clean[name] = number_field(value, name, 1, 120, errors)
        else:
            errors[name] = ["unknown_field"]
    if errors:
        raise ValidationFailed(_("Some course details are not valid."), details=errors)
    return clean


def units_for_codes(codes: Iterable[str], field: str = "unit_codes") -> list[CompetencyUnit]:
    """The units with these codes (trimmed, upper-cased, each once) in the given order. Any
    unknown code is a 422 whose details name them under `field`: {field: {"unknown": [...]}}."""
    wanted = []
    for code in codes:
        code = code.strip().upper()
        if code and code not in wanted:
            wanted.append(code)
    if not wanted:
        return []
    found = {
        unit.code: unit
        for unit in db.session.scalars(
            select(CompetencyUnit).where(CompetencyUnit.code.in_(wanted))
        )
    }
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ValidationFailed(
            _("Unknown competency units: %(codes)s", codes=", ".join(missing)),
            details={field: {"unknown": missing}},
        )
    return [found[code] for code in wanted]
