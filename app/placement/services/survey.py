"""The employment survey: dispatch (waves, reminders, expiry), signed single-use links,
answers, and response rates."""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import mail
from app.auth.models import User
from app.courses.vocab import SECTORS
from app.db import utcnow
from app.errors import AppError, Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.placement import verified
from app.placement.models.survey import EMPLOYMENT_STATUSES, WAGE_BANDS, WORKING, EmploymentSurvey

log = logging.getLogger(__name__)

SALT = "placement-employment-survey"


class LinkExpired(AppError):
    status = 410
    code = "expired"


def waves() -> list[int]:
    raw = str(current_app.config.get("SURVEY_MONTHS", "3,6,12"))
    return sorted({int(part) for part in raw.split(",") if part.strip()})


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(survey: EmploymentSurvey) -> str:
    return _serializer().dumps({"s": survey.id, "n": survey.nonce})


def link_for(survey: EmploymentSurvey) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/survey/{token_for(survey)}"


def survey_for_token(token: str) -> EmploymentSurvey:
    """The survey a link belongs to. A link is valid only with its own survey's nonce."""
    try:
        data = _serializer().loads(token)
        survey = db.session.get(EmploymentSurvey, int(data["s"]))
        nonce = str(data["n"])
    except (BadSignature, KeyError, TypeError, ValueError):
        survey, nonce = None, ""
    if survey is None or not hmac.compare_digest(survey.nonce, nonce):
        raise NotFound(_("This survey link is not valid."))
    return survey


def check_open(survey: EmploymentSurvey, now: datetime | None = None) -> None:
    if survey.is_answered:
        raise Conflict(_("This survey has already been answered. Thank you."))
    if survey.is_expired(now or utcnow()):
        raise LinkExpired(_("This survey link has expired."))


def _clean_answer(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    status = fields.get("status")
    if status not in EMPLOYMENT_STATUSES:
        errors["status"] = ["invalid"]
    working = status in WORKING
    employer = (fields.get("employer_name") or "").strip()
    sector = fields.get("sector") or None
    wage = fields.get("wage_band") or None
    months = fields.get("months_to_job")
    relevance = fields.get("relevance")
    if len(employer) > 200:
        errors["employer_name"] = ["too_long"]
    if sector is not None and sector not in SECTORS:
        errors["sector"] = ["invalid"]
    if wage is not None and wage not in WAGE_BANDS:
        errors["wage_band"] = ["invalid"]
    if not isinstance(relevance, int) or not 1 <= relevance <= 5:
        errors["relevance"] = ["invalid"]
    if working and (not isinstance(months, int) or not 0 <= months <= 120):
        errors["months_to_job"] = ["required"]
    if errors:
        raise ValidationFailed(_("Some answers are missing or not valid."), details=errors)
    return {
        "status": status,
        "employer_name": employer if working else None,
        "sector": sector if working else None,
        "wage_band": wage if working else None,
        "relevance": relevance,
        "months_to_job": months if working else None,
    }


def answer(token: str, **fields: Any) -> EmploymentSurvey:
    """Record the answer once. The conditional UPDATE makes a second answer (or a race of
    two) fail with nothing written; an expired link writes nothing either."""
    survey = survey_for_token(token)
    now = utcnow()
    check_open(survey, now)
    values = _clean_answer(fields)
    done = db.session.execute(
        update(EmploymentSurvey)
        .where(
            EmploymentSurvey.id == survey.id,
            EmploymentSurvey.answered_at.is_(None),
            EmploymentSurvey.expires_at > now,
        )
        .values(answered_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.refresh(survey)
        check_open(survey, now)
        raise Conflict(_("This survey has already been answered. Thank you."))
    db.session.refresh(survey)
    log.info("survey %s answered (wave %s months)", survey.id, survey.wave_months)
    return survey


@dataclass
class DispatchReport:
    sent: int = 0
    reminded: int = 0
    skipped: int = 0
    waves: list[int] = field(default_factory=list)


def _mail(survey: EmploymentSurvey, user: User, reminder: bool) -> None:
    with force_locale(user.locale or "id"):
        subject = (
            _("Reminder: how is work going after your training?")
            if reminder
            else _("How is work going after your training?")
        )
        body = _(
            "Hello %(name)s,\n\nSome months ago you received a competency certificate. "
            "Please tell us in two minutes whether you have found work. No login needed; "
            "the link works once and until %(until)s.\n\n%(link)s\n\nKompeten",
            name=user.full_name,
            until=survey.expires_at.date().isoformat(),
            link=link_for(survey),
        )
    mail.send(survey.email, subject, body)


def dispatch(now: datetime | None = None) -> DispatchReport:
    """Send due survey waves and reminders. Safe to run as often as you like: a wave is sent
    once per certificate (a unique constraint), a reminder once per interval."""
    now = now or utcnow()
    config = current_app.config
    link_days = int(config.get("SURVEY_LINK_DAYS", 30))
    report = DispatchReport(waves=waves())
    for months in report.waves:
        # Due: issued `months` ago, and the wave's answer window has not passed.
        end = now - relativedelta(months=months)
        start = end - timedelta(days=link_days)
        for ref in verified.issued_between(start, end + timedelta(seconds=1)):
            if ref.status in ("revoked", "superseded"):
                report.skipped += 1
                continue
            user = db.session.get(User, ref.user_id)
            survey = EmploymentSurvey(
                user_id=ref.user_id,
                certificate_id=ref.id,
                institution_id=ref.institution_id,
                course_id=ref.course_id,
                wave_months=months,
                nonce=secrets.token_urlsafe(32),
                email=user.email,
                sent_at=now,
                expires_at=now + timedelta(days=link_days),
            )
            try:
                with db.session.begin_nested():
                    db.session.add(survey)
                    db.session.flush()
            except IntegrityError:
                continue  # this wave was sent already
            _mail(survey, user, reminder=False)
            report.sent += 1
    report.reminded = _remind(now)
    log.info("survey dispatch: %s sent, %s reminded", report.sent, report.reminded)
    return report


def _remind(now: datetime) -> int:
    config = current_app.config
    every = timedelta(days=int(config.get("SURVEY_REMINDER_DAYS", 7)))
    most = int(config.get("SURVEY_MAX_REMINDERS", 2))
    due = db.session.scalars(
        select(EmploymentSurvey).where(
            EmploymentSurvey.answered_at.is_(None),
            EmploymentSurvey.expires_at > now,
            EmploymentSurvey.reminders_sent < most,
            func.coalesce(EmploymentSurvey.last_reminded_at, EmploymentSurvey.sent_at)
            <= now - every,
        )
    ).all()
    count = 0
    for survey in due:
        claimed = db.session.execute(
            update(EmploymentSurvey)
            .where(
                EmploymentSurvey.id == survey.id,
                EmploymentSurvey.reminders_sent == survey.reminders_sent,
            )
            .values(reminders_sent=survey.reminders_sent + 1, last_reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            _mail(survey, survey.user, reminder=True)
            count += 1
    return count


def response_rates(institution_id: int | None = None) -> list[dict[str, Any]]:
    """Per wave: surveys sent, answered, and the response rate in percent."""
    statement = select(
        EmploymentSurvey.wave_months,
        func.count(EmploymentSurvey.id),
        func.count(EmploymentSurvey.answered_at),
    ).group_by(EmploymentSurvey.wave_months)
    if institution_id is not None:
        statement = statement.where(EmploymentSurvey.institution_id == institution_id)
    rows = db.session.execute(statement.order_by(EmploymentSurvey.wave_months)).all()
    return [
        {"wave": wave, "sent": sent, "answered": answered, "rate": _pct(answered, sent)}
        for wave, sent, answered in rows
    ]


def _pct(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)
