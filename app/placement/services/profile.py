"""The job seeker profile and its per-item consents."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.errors import ValidationFailed
from app.extensions import db
from app.placement.models.profile import CONSENT_ITEMS, JobSeekerProfile
from app.placement.services.common import COUNTRY_CODES

log = logging.getLogger(__name__)

LANGUAGE_LEVEL = re.compile(r"^(N[1-5]|[ABC][12]|native)$")
TEXT_LIMITS = {"education": 200, "experience": 4000, "skills": 4000, "city": 80, "province": 80}


def profile_of(user: User) -> JobSeekerProfile | None:
    return db.session.scalar(select(JobSeekerProfile).where(JobSeekerProfile.user_id == user.id))


def parse_languages(raw: str | dict | None) -> dict[str, str]:
    """`ja:N4, en:B1` (or a dict) -> {"ja": "N4", "en": "B1"}."""
    if not raw:
        return {}
    pairs = (
        raw.items()
        if isinstance(raw, dict)
        else (
            part.split(":", 1) if ":" in part else (part, "")
            for part in str(raw).replace(";", ",").split(",")
            if part.strip()
        )
    )
    out: dict[str, str] = {}
    for lang, level in pairs:
        lang, level = str(lang).strip().lower(), str(level).strip()
        level = level if level == "native" else level.upper()
        if not re.fullmatch(r"[a-z]{2}", lang) or not LANGUAGE_LEVEL.match(level):
            raise ValidationFailed(
                _("Write languages as code:level, for example ja:N4, en:B1."),
                details={"languages": ["invalid"]},
            )
        out[lang] = level
    return out


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name in fields:
            value = (fields[name] or "").strip()
            if len(value) > limit:
                raise ValidationFailed(_("This text is too long."), details={name: ["too_long"]})
            clean[name] = value
    if "desired_sectors" in fields:
        clean["desired_sectors"] = sorted({s.strip() for s in fields["desired_sectors"] or [] if s})
    if "abroad_countries" in fields:
        countries = sorted({c.strip().upper() for c in fields["abroad_countries"] or [] if c})
        if set(countries) - COUNTRY_CODES:
            raise ValidationFailed(
                _("Choose countries from the list."), details={"abroad_countries": ["invalid"]}
            )
        clean["abroad_countries"] = countries
    if "languages" in fields:
        clean["languages"] = parse_languages(fields["languages"])
    if "consents" in fields:
        consents = fields["consents"] or {}
        unknown = set(consents) - set(CONSENT_ITEMS)
        if unknown:
            raise ValidationFailed(
                _("Unknown profile item."), details={"consents": sorted(unknown)}
            )
        clean["consents"] = {item: bool(consents.get(item)) for item in CONSENT_ITEMS}
    for flag in ("willing_abroad", "open_to_offers"):
        if flag in fields:
            clean[flag] = bool(fields[flag])
    return clean


def save_profile(user: User, **fields: Any) -> JobSeekerProfile:
    clean = _clean(fields)
    profile = profile_of(user)
    if profile is None:
        profile = JobSeekerProfile(user_id=user.id, consents={}, languages={})
        db.session.add(profile)
    for name, value in clean.items():
        setattr(profile, name, value)
    db.session.flush()
    log.info("user %s saved their job seeker profile", user.id)
    return profile
