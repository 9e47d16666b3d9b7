"""Overseas apprenticeship programmes: prerequisites, candidates and their stages."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User
from app.courses.models import Course, Enrollment
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.placement.models.overseas import (
    STAGE_RESULTS,
    STAGES,
    OverseasCandidate,
    OverseasProgramme,
    ProgrammeCourse,
    StageResult,
)
from app.placement.permissions import can_see_candidate
from app.placement.services.common import COUNTRY_CODES
from app.placement.services.profile import profile_of

log = logging.getLogger(__name__)

LEVEL_ORDER = ["A1", "A2", "B1", "B2", "C1", "C2", "N5", "N4", "N3", "N2", "N1", "native"]


def level_at_least(have: str | None, need: str) -> bool:
    """JLPT N5 (lowest) .. N1 and CEFR A1 .. C2 compare within their own scale."""
    if not need:
        return True
    if not have:
        return False
    if have == "native":
        return True
    if have[0] == "N" and need[0] == "N":
        return int(have[1]) <= int(need[1])
    if have[0] != "N" and need[0] != "N":
        return LEVEL_ORDER.index(have) >= LEVEL_ORDER.index(need)
    return False


def create_programme(user: User, **fields: Any) -> OverseasProgramme:
    errors: dict[str, list[str]] = {}
    name = (fields.get("name") or "").strip()
    if not name or len(name) > 200:
        errors["name"] = ["required"]
    country = (fields.get("country") or "").strip().upper()
    if country not in COUNTRY_CODES or country == "ID":
        errors["country"] = ["invalid"]
    stages = fields.get("stages") or list(STAGES)
    if any(s not in STAGES for s in stages):
        errors["stages"] = ["invalid"]
    min_hours = fields.get("min_hours") or 0
    if not isinstance(min_hours, int) or min_hours < 0:
        errors["min_hours"] = ["invalid"]
    course_ids = sorted(set(fields.get("course_ids") or []))
    courses = list(db.session.scalars(select(Course).where(Course.id.in_(course_ids))))
    if len(courses) != len(course_ids):
        errors["course_ids"] = ["unknown"]
    if errors:
        raise ValidationFailed(_("Some of the programme details are not valid."), details=errors)
    programme = OverseasProgramme(
        institution_id=None if user.is_admin else user.institution_id,
        name=name,
        country=country,
        partner=(fields.get("partner") or "").strip()[:200],
        description=(fields.get("description") or "").strip(),
        language=(fields.get("language") or "").strip().lower()[:5],
        min_language_level=(fields.get("min_language_level") or "").strip()[:5],
        min_hours=min_hours,
        stages=[s for s in STAGES if s in stages],
    )
    programme.course_links = [ProgrammeCourse(course_id=c.id) for c in courses]
    db.session.add(programme)
    db.session.flush()
    return programme


def programmes() -> list[OverseasProgramme]:
    return list(
        db.session.scalars(
            select(OverseasProgramme).order_by(OverseasProgramme.country, OverseasProgramme.id)
        )
    )


def get_programme(programme_id: int) -> OverseasProgramme:
    programme = db.session.get(OverseasProgramme, programme_id)
    if programme is None:
        raise NotFound(_("No such programme."))
    return programme


@dataclass
class PrerequisiteCheck:
    missing_courses: list[Course] = field(default_factory=list)
    language_ok: bool = True
    hours: int = 0
    hours_ok: bool = True

    @property
    def met(self) -> bool:
        return not self.missing_courses and self.language_ok and self.hours_ok


def check_prerequisites(user: User, programme: OverseasProgramme) -> PrerequisiteCheck:
    completed = list(
        db.session.scalars(
            select(Enrollment).where(
                Enrollment.user_id == user.id, Enrollment.status == "completed"
            )
        )
    )
    done_courses = {e.course_id for e in completed}
    hours = sum(e.course_version.hours or 0 for e in completed)
    profile = profile_of(user)
    level = (profile.languages or {}).get(programme.language) if profile else None
    return PrerequisiteCheck(
        missing_courses=[c for c in programme.courses if c.id not in done_courses],
        language_ok=level_at_least(level, programme.min_language_level),
        hours=hours,
        hours_ok=hours >= programme.min_hours,
    )


def add_candidate(officer: User, programme: OverseasProgramme, user: User) -> OverseasCandidate:
    check = check_prerequisites(user, programme)
    if not check.met:
        raise ValidationFailed(
            _("The candidate does not meet the programme's prerequisites yet."),
            details={
                "missing_courses": [c.code for c in check.missing_courses],
                "language": [] if check.language_ok else [programme.min_language_level],
                "hours": [] if check.hours_ok else [check.hours, programme.min_hours],
            },
        )
    candidate = OverseasCandidate(
        programme_id=programme.id,
        user_id=user.id,
        institution_id=officer.institution_id,
        added_by_id=officer.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(candidate)
            db.session.flush()
    except IntegrityError as error:
        raise Conflict(_("This person is already a candidate of the programme.")) from error
    log.info("officer %s added user %s to programme %s", officer.id, user.id, programme.id)
    return candidate


def get_candidate(user: User, candidate_id: int) -> OverseasCandidate:
    candidate = db.session.get(OverseasCandidate, candidate_id)
    if candidate is None or not can_see_candidate(user, candidate):
        raise NotFound(_("No such candidate."))
    return candidate


def record_stage(
    officer: User, candidate: OverseasCandidate, stage: str, result: str, note: str = ""
) -> StageResult:
    if not officer.has_any_role("placement_officer", "institution_admin", "admin") or not (
        can_see_candidate(officer, candidate) and officer.id != candidate.user_id
    ):
        raise NotFound(_("No such candidate."))
    if stage not in candidate.programme.stages or result not in STAGE_RESULTS:
        raise ValidationFailed(
            _("Choose a stage of this programme and a result."), details={"stage": ["invalid"]}
        )
    row = candidate.result_for(stage)
    if row is None:
        row = StageResult(candidate_id=candidate.id, stage=stage)
        candidate.results.append(row)
    row.result, row.note, row.decided_at, row.decided_by_id = (
        result,
        note[:500],
        utcnow(),
        officer.id,
    )
    progress = dict(candidate.progress())
    if result == "failed":
        candidate.status = "not_selected"
    elif all(progress.get(s) == "passed" for s in candidate.programme.stages):
        candidate.status = "selected"
    else:
        candidate.status = "in_selection"
    db.session.flush()
    record(
        "placement.overseas_stage",
        actor=officer,
        target=candidate,
        after={"stage": stage, "result": result},
    )
    return row


def candidacies_of(user: User) -> list[OverseasCandidate]:
    return list(
        db.session.scalars(
            select(OverseasCandidate)
            .where(OverseasCandidate.user_id == user.id)
            .order_by(OverseasCandidate.id)
        )
    )


def candidates_for(officer: User, programme: OverseasProgramme) -> list[OverseasCandidate]:
    """The programme's candidates the officer may see: their own institution's only."""
    return [c for c in programme.candidates if can_see_candidate(officer, c)]
