"""Competency units (SKKNI): validation of their codes, upkeep, search and CSV import.

Codes come in two forms, both accepted:
- the older sector form `TIK.OP02.001.01`: sector letters, sub-sector (two letters and two
  digits), unit number, version;
- the current KBLI-based form `J.620100.004.01`: KBLI category letter, six-digit KBLI code,
  unit number, version.

CSV import: a header row `code,title_id,title_en,element,criterion`, then one row per
performance criterion (KUK); rows of one unit share its code, rows of one element share its
title. The whole file is checked first and either imported entirely or not at all.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select

from app.audit.services import record
from app.auth.models import User
from app.courses.models import CompetencyUnit
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db

log = logging.getLogger(__name__)

UNIT_CODE_SECTOR = re.compile(r"^[A-Z]{2,4}\.[A-Z]{2}\d{2}\.\d{3}\.\d{2}$")
UNIT_CODE_KBLI = re.compile(r"^[A-Z]\.\d{6}\.\d{3}\.\d{2}$")
CSV_COLUMNS = ("code", "title_id", "title_en", "element", "criterion")
MAX_CSV_ROWS = 20_000
MAX_ELEMENTS = 50
MAX_CRITERIA = 50


def is_unit_code(code: str) -> bool:
    return bool(UNIT_CODE_SECTOR.match(code) or UNIT_CODE_KBLI.match(code))


def code_problem(raw: Any) -> str | None:
    """None if `raw` is a valid unit code (after trimming and upper-casing), else a reason."""
    if not isinstance(raw, str) or not raw.strip():
        return "required"
    return None if is_unit_code(raw.strip().upper()) else "invalid"


def clean_code(raw: Any) -> str:
    problem = code_problem(raw)
    if problem:
        raise ValidationFailed(
            _("A unit code looks like TIK.OP02.001.01 or J.620100.004.01."),
            details={"code": [problem]},
        )
    return raw.strip().upper()


def elements_problem(elements: Any) -> str | None:
    if not isinstance(elements, list) or len(elements) > MAX_ELEMENTS:
        return "invalid"
    for element in elements:
        if not isinstance(element, dict) or set(element) - {"title", "criteria"}:
            return "invalid"
        title, criteria = element.get("title"), element.get("criteria", [])
        if not isinstance(title, str) or not title.strip() or len(title) > 500:
            return "element_title"
        if not isinstance(criteria, list) or len(criteria) > MAX_CRITERIA:
            return "criteria"
        if any(not isinstance(c, str) or not c.strip() or len(c) > 1000 for c in criteria):
            return "criteria"
    return None


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if "code" in fields:
        problem = code_problem(fields["code"])
        if problem:
            errors["code"] = [problem]
        else:
            clean["code"] = fields["code"].strip().upper()
    for name in ("title_id", "title_en"):
        if name in fields:
            value = fields[name]
            if value is not None and not isinstance(value, str):
                errors[name] = ["invalid"]
                continue
            value = (value or "").strip()
            if (name == "title_id" and not value) or len(value) > 300:
                errors[name] = ["required" if not value else "too_long"]
            clean[name] = value
    if "elements" in fields:
        problem = elements_problem(fields["elements"])
        if problem:
            errors["elements"] = [problem]
        else:
            clean["elements"] = [
                {
                    "title": e["title"].strip(),
                    "criteria": [c.strip() for c in e.get("criteria", [])],
                }
                for e in fields["elements"]
            ]
    if errors:
        message = (
            _("A unit code looks like TIK.OP02.001.01 or J.620100.004.01.")
            if "code" in errors
            else _("Some unit details are not valid.")
        )
        raise ValidationFailed(message, details=errors)
    return clean


def create_unit(
    user: User,
    *,
    code: str,
    title_id: str,
    title_en: str = "",
    elements: Sequence[dict[str, Any]] = (),
) -> CompetencyUnit:
    clean = _clean_fields(
        {"code": code, "title_id": title_id, "title_en": title_en, "elements": list(elements)}
    )
    if unit_by_code(clean["code"]) is not None:
        raise Conflict(
            _("The unit %(code)s already exists.", code=clean["code"]), details={"code": ["taken"]}
        )
    unit = CompetencyUnit(
        institution_id=None if user.is_admin else user.institution_id,
        created_by_id=user.id,
        **clean,
    )
    db.session.add(unit)
    db.session.flush()
    record("unit.create", actor=user, target=unit, after={"code": unit.code})
    return unit


def update_unit(user: User, unit: CompetencyUnit, **fields: Any) -> CompetencyUnit:
    fields.pop("code", None)  # a unit's code is its identity: certificates cite it
    for name, value in _clean_fields(fields).items():
        setattr(unit, name, value)
    db.session.flush()
    record("unit.update", actor=user, target=unit, after={"code": unit.code})
    return unit


def unit_by_code(code: str) -> CompetencyUnit | None:
    return db.session.scalar(select(CompetencyUnit).where(CompetencyUnit.code == code))


def get_unit(unit_id: int) -> CompetencyUnit:
    unit = db.session.get(CompetencyUnit, unit_id)
    if unit is None:
        raise NotFound(_("Competency unit not found."))
    return unit


def search_units(q: str = "", page: int = 1, per_page: int = 30) -> Pagination:
    query = select(CompetencyUnit)
    text = q.strip()
    if text:
        query = query.where(
            or_(
                CompetencyUnit.code.icontains(text, autoescape=True),
                CompetencyUnit.title_id.icontains(text, autoescape=True),
                CompetencyUnit.title_en.icontains(text, autoescape=True),
            )
        )
    return db.paginate(
        query.order_by(CompetencyUnit.code), page=page, per_page=per_page, error_out=False
    )


# CSV import ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _parse_csv(data: bytes) -> dict[str, dict[str, Any]]:
    """Rows grouped into units, or ValidationFailed naming every bad row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            _("Save the CSV file as UTF-8."), details={"file": ["encoding"]}
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if tuple(header[: len(CSV_COLUMNS)]) != CSV_COLUMNS:
        raise ValidationFailed(
            _("The first row must be: %(columns)s", columns=",".join(CSV_COLUMNS)),
            details={"file": ["header"]},
        )
    reader.fieldnames = header
    units: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_CSV_ROWS + 1:
            raise ValidationFailed(
                _("The file has too many rows."), details={"file": ["too_many_rows"]}
            )
        values = {name: (row.get(name) or "").strip() for name in CSV_COLUMNS}
        if not any(values.values()):
            continue
        problems = []
        if code_problem(values["code"]):
            problems.append("code")
        if values["criterion"] and not values["element"]:
            problems.append("element")
        code = values["code"].upper()
        unit = units.setdefault(
            code, {"title_id": "", "title_en": "", "elements": {}, "row": number}
        )
        for name in ("title_id", "title_en"):
            if values[name]:
                if unit[name] and unit[name] != values[name]:
                    problems.append(name)
                unit[name] = values[name]
        if values["element"]:
            criteria = unit["elements"].setdefault(values["element"], [])
            if values["criterion"]:
                criteria.append(values["criterion"])
        if problems:
            errors[str(number)] = problems
    for unit in units.values():
        if not unit["title_id"]:
            errors.setdefault(str(unit["row"]), []).append("title_id")
        unit["elements"] = [{"title": t, "criteria": c} for t, c in unit["elements"].items()]
        if elements_problem(unit["elements"]):
            errors.setdefault(str(unit["row"]), []).append("elements")
    if errors:
        raise ValidationFailed(
            _(
                "Some rows of the CSV file are not valid: %(rows)s",
                rows=", ".join(sorted(errors, key=int)[:20]),
            ),
            details={"rows": errors},
        )
    if not units:
        raise ValidationFailed(_("The CSV file has no units."), details={"file": ["empty"]})
    return units


@dataclass
class UnitsImport:
    """A CSV file of units, read and checked: its rows by code, and the units it updates."""

    rows: dict[str, dict[str, Any]]
    existing: dict[str, CompetencyUnit]


def read_units_csv(data: bytes) -> UnitsImport:
    """Parse and check a CSV file of units (ValidationFailed if any row is not valid)."""
    rows = _parse_csv(data)
    existing = {
        unit.code: unit
        for unit in db.session.scalars(
            select(CompetencyUnit).where(CompetencyUnit.code.in_(list(rows)))
        )
    }
    return UnitsImport(rows, existing)


def import_units(user: User, plan: UnitsImport) -> ImportReport:
    """Create the new units and update the existing ones; all or nothing."""
    parsed, existing = plan.rows, plan.existing
    report = ImportReport()
    for code, fields in parsed.items():
        values = {name: fields[name] for name in ("title_id", "title_en", "elements")}
        unit = existing.get(code)
        if unit is None:
            db.session.add(
                CompetencyUnit(
                    code=code,
                    institution_id=None if user.is_admin else user.institution_id,
                    created_by_id=user.id,
                    **values,
                )
            )
            report.created.append(code)
        else:
            for name, value in values.items():
                setattr(unit, name, value)
            report.updated.append(code)
    db.session.flush()
    record(
        "unit.import",
        actor=user,
        target_type="CompetencyUnit",
        after={"created": len(report.created), "updated": len(report.updated)},
    )
    log.info(
        "user %s imported units: %s created, %s updated",
        user.id,
        len(report.created),
        len(report.updated),
    )
    return report
