"""Company profiles (verified by a platform admin) and their vacancies."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.auth.models import User
from app.courses.services.validation import units_for_codes
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import local_today
from app.placement.models.employers import Company, Vacancy, VacancyUnit
from app.placement.permissions import can_manage_company
from app.placement.services.common import COUNTRY_CODES, split_codes

log = logging.getLogger(__name__)


def company_of(user: User) -> Company | None:
    return db.session.scalar(select(Company).where(Company.owner_id == user.id))


def _text(fields: dict[str, Any], name: str, limit: int, required: bool = False) -> str:
    value = (fields.get(name) or "").strip()
    if required and not value:
        raise ValidationFailed(_("This field is required."), details={name: ["required"]})
    if len(value) > limit:
        raise ValidationFailed(_("This text is too long."), details={name: ["too_long"]})
    return value


def save_company(user: User, **fields: Any) -> Company:
    values = {
        "name": _text(fields, "name", 200, required=True),
        "sector": _text(fields, "sector", 40),
        "city": _text(fields, "city", 80),
        "province": _text(fields, "province", 80),
        "description": _text(fields, "description", 4000),
        "website": _text(fields, "website", 200),
    }
    company = company_of(user)
    if company is None:
        company = Company(owner_id=user.id)
        db.session.add(company)
    elif company.is_verified and values["name"] != company.name:
        # A new name needs a new check: the admin verified the old one.
        company.verified_at = None
        company.verified_by_id = None
    for name, value in values.items():
        setattr(company, name, value)
    db.session.flush()
    log.info("employer %s saved company %s", user.id, company.id)
    return company


def verify_company(admin: User, company: Company) -> Company:
    if company.is_verified:
        raise Conflict(_("This company is already verified."))
    company.verified_at = utcnow()
    company.verified_by_id = admin.id
    db.session.flush()
    record("placement.company_verified", actor=admin, target=company)
    return company


def companies_to_verify() -> list[Company]:
    return list(
        db.session.scalars(
            select(Company).order_by(Company.verified_at.is_not(None), Company.created_at)
        )
    )


def create_vacancy(user: User, company: Company, **fields: Any) -> Vacancy:
    """Validate everything first (unknown unit codes are a 422), then write."""
    errors: dict[str, Any] = {}
    title = _text(fields, "title", 200, required=True)
    openings = fields.get("openings")
    if not isinstance(openings, int) or not 1 <= openings <= 10_000:
        errors["openings"] = ["invalid"]
    closes_on = fields.get("closes_on")
    if not isinstance(closes_on, date) or closes_on < local_today():
        errors["closes_on"] = ["invalid"]
    location_type = fields.get("location_type") or "domestic"
    country = (fields.get("country") or "").strip().upper()
    if location_type == "domestic":
        country = "ID"
    elif location_type != "overseas" or country not in COUNTRY_CODES or country == "ID":
        errors["country"] = ["invalid"]
    if errors:
        raise ValidationFailed(_("Some of the vacancy details are not valid."), details=errors)
    required = units_for_codes(split_codes(fields.get("required_units")), "required_units")
    preferred = units_for_codes(split_codes(fields.get("preferred_units")), "preferred_units")
    both = {u.code for u in required} & {u.code for u in preferred}
    if both:
        raise ValidationFailed(
            _("A unit cannot be both required and preferred."),
            details={"preferred_units": {"duplicate": sorted(both)}},
        )
    vacancy = Vacancy(
        company_id=company.id,
        title=title,
        description=_text(fields, "description", 4000),
        city=_text(fields, "city", 80),
        province=_text(fields, "province", 80),
        sector=_text(fields, "sector", 40),
        openings=openings,
        closes_on=closes_on,
        location_type=location_type,
        country=country,
    )
    vacancy.unit_links = [VacancyUnit(unit=u, kind="required") for u in required] + [
        VacancyUnit(unit=u, kind="preferred") for u in preferred
    ]
    db.session.add(vacancy)
    db.session.flush()
    log.info("employer %s posted vacancy %s", user.id, vacancy.id)
    return vacancy


def public_vacancies(today: date | None = None) -> list[Vacancy]:
    """Open vacancies of verified companies, soonest closing first."""
    today = today or local_today()
    return list(
        db.session.scalars(
            select(Vacancy)
            .join(Company)
            .where(Company.verified_at.is_not(None), Vacancy.closes_on >= today)
            .options(selectinload(Vacancy.unit_links), selectinload(Vacancy.company))
            .order_by(Vacancy.closes_on, Vacancy.id)
        )
    )


def get_public_vacancy(vacancy_id: int, user: User | None = None) -> Vacancy:
    """A vacancy anyone may see (open, verified company), or its own employer's any time."""
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(_("No such vacancy."))
    if vacancy.is_open(local_today()):
        return vacancy
    if user is not None and can_manage_company(user, vacancy.company):
        return vacancy
    raise NotFound(_("No such vacancy."))


def get_own_vacancy(user: User, vacancy_id: int) -> Vacancy:
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None or not can_manage_company(user, vacancy.company):
        raise NotFound(_("No such vacancy."))
    return vacancy
