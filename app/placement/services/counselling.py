"""Career counselling: sessions, recommended courses for missing units, follow-ups, caseload."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.auth.models import User
from app.courses.models import CourseVersion
from app.courses.services.validation import units_for_codes
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import local_today
from app.placement import verified
from app.placement.matching import GapPlan, courses_closing
from app.placement.models.counselling import READINESS, ROUTES, CounsellingSession, Recommendation
from app.placement.permissions import can_counsel, can_see_session
from app.placement.services.common import course_offers, split_codes

log = logging.getLogger(__name__)


def find_job_seeker(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.has_role("trainee"):
        raise ValidationFailed(
            _("No job seeker has this e-mail address."), details={"email": ["unknown"]}
        )
    return user


@dataclass
class Suggestion:
    missing: list[str]
    plan: GapPlan
    versions: dict[int, CourseVersion]

    @property
    def courses(self) -> list[tuple[CourseVersion, tuple[str, ...]]]:
        return [(self.versions[cid], closes) for cid, closes in self.plan.courses]


def suggest_courses(job_seeker: User | None, target_codes: list[str]) -> Suggestion:
    """The target units the person lacks (not covered by a valid certificate) and the
    catalogue courses that close them."""
    units = units_for_codes(split_codes(target_codes), "units")
    have = set(verified.verified_units(job_seeker)) if job_seeker else set()
    missing = [unit.code for unit in units if unit.code not in have]
    offers, versions = course_offers()
    return Suggestion(missing, courses_closing(missing, offers), versions)


def record_session(
    officer: User,
    job_seeker: User,
    *,
    readiness: str,
    route: str,
    intake: str = "",
    notes: str = "",
    target_units: list[str] | None = None,
    course_ids: list[int] | None = None,
    follow_up_on: date | None = None,
) -> CounsellingSession:
    errors: dict[str, list[str]] = {}
    if route not in ROUTES:
        errors["route"] = ["invalid"]
    if readiness not in READINESS:
        errors["readiness"] = ["invalid"]
    if follow_up_on is not None and follow_up_on < local_today():
        errors["follow_up_on"] = ["past"]
    if len(intake) > 4000 or len(notes) > 4000:
        errors["notes"] = ["too_long"]
    if errors:
        raise ValidationFailed(_("Some of the session details are not valid."), details=errors)
    suggestion = suggest_courses(job_seeker, target_units or [])
    chosen = list(dict.fromkeys(course_ids or []))
    if not chosen:
        chosen = suggestion.plan.course_ids
    unknown = [cid for cid in chosen if cid not in suggestion.versions]
    if unknown:
        raise ValidationFailed(
            _("Recommend only published courses from the catalogue."),
            details={"courses": {"unknown": unknown}},
        )
    session = CounsellingSession(
        job_seeker_id=job_seeker.id,
        officer_id=officer.id,
        institution_id=officer.institution_id,
        intake=intake.strip(),
        readiness=readiness,
        route=route,
        notes=notes.strip(),
        missing_units=suggestion.missing,
        follow_up_on=follow_up_on,
    )
    missing = set(suggestion.missing)
    for position, course_id in enumerate(chosen):
        units = {u.code for u in suggestion.versions[course_id].units}
        session.recommendations.append(
            Recommendation(
                course_id=course_id, position=position, closes_units=sorted(units & missing)
            )
        )
    db.session.add(session)
    db.session.flush()
    record("placement.counselling_recorded", actor=officer, target=session, after={"route": route})
    log.info("officer %s counselled user %s: %s", officer.id, job_seeker.id, route)
    return session


def get_session(user: User, session_id: int) -> CounsellingSession:
    session = db.session.get(CounsellingSession, session_id)
    if session is None or not can_see_session(user, session):
        raise NotFound(_("No such counselling session."))
    return session


def complete_follow_up(officer: User, session: CounsellingSession) -> CounsellingSession:
    if not can_counsel(officer) or session.institution_id != officer.institution_id:
        raise NotFound(_("No such counselling session."))
    done = db.session.execute(
        CounsellingSession.__table__.update()
        .where(
            CounsellingSession.id == session.id,
            CounsellingSession.follow_up_done_at.is_(None),
        )
        .values(follow_up_done_at=utcnow())
    )
    if done.rowcount != 1:
        raise Conflict(_("This follow-up was already recorded."))
    db.session.refresh(session)
    return session


@dataclass
class CaseloadRow:
    session: CounsellingSession
    overdue: bool


def caseload(officer: User, today: date | None = None) -> list[CaseloadRow]:
    """The latest session of each job seeker counselled at the officer's institution,
    overdue follow-ups first, then by follow-up date."""
    today = today or local_today()
    latest = (
        select(func.max(CounsellingSession.id))
        .where(CounsellingSession.institution_id == officer.institution_id)
        .group_by(CounsellingSession.job_seeker_id)
    )
    sessions = db.session.scalars(
        select(CounsellingSession)
        .where(CounsellingSession.id.in_(latest))
        .options(selectinload(CounsellingSession.job_seeker))
    )
    rows = [CaseloadRow(s, s.is_overdue(today)) for s in sessions]
    return sorted(
        rows,
        key=lambda r: (not r.overdue, r.session.follow_up_on or date.max, r.session.id),
    )


def plan_of(user: User) -> list[CounsellingSession]:
    """A job seeker's own sessions, newest first."""
    return list(
        db.session.scalars(
            select(CounsellingSession)
            .where(CounsellingSession.job_seeker_id == user.id)
            .options(
                selectinload(CounsellingSession.recommendations).selectinload(Recommendation.course)
            )
            .order_by(CounsellingSession.id.desc())
        )
    )
