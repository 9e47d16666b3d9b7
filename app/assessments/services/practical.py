"""Practical assessment as BNSP assessors work: per competency unit, Kompeten (K) or Belum
Kompeten (BK) with evidence, date and place. A BK may be appealed; a second, different
assessor reassesses; every judgement is kept (a new round supersedes, never updates)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.assessments.models import RESULTS, Appeal, Assessment, Judgement
from app.assessments.services.results import passed, reevaluate, units_of
from app.audit.services import record
from app.auth.models import User
from app.courses.models import Enrollment
from app.db import utcnow
from app.errors import Conflict, ValidationFailed
from app.extensions import db

log = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")


def history(assessment: Assessment, enrollment: Enrollment, unit_id: int) -> list[Judgement]:
    return list(
        db.session.scalars(
            select(Judgement)
            .where(
                Judgement.assessment_id == assessment.id,
                Judgement.enrollment_id == enrollment.id,
                Judgement.unit_id == unit_id,
            )
            .order_by(Judgement.round)
        )
    )


def _clean(result: str, evidence: str, judged_on: Any, place: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if result not in RESULTS:
        errors["result"] = ["must be K or BK"]
    if not (evidence or "").strip():
        errors["evidence"] = ["required"]
    if not isinstance(judged_on, date):
        errors["judged_on"] = ["required"]
    elif judged_on > utcnow().astimezone(JAKARTA).date():
        errors["judged_on"] = ["cannot be in the future"]
    if not (place or "").strip() or len(place) > 200:
        errors["place"] = ["required"]
    if errors:
        raise ValidationFailed(_("The judgement is not complete."), details=errors)
    return {
        "result": result,
        "evidence": evidence.strip(),
        "judged_on": judged_on,
        "place": place.strip(),
    }


def record_judgement(
    assessor: User,
    assessment: Assessment,
    enrollment: Enrollment,
    unit_id: int,
    *,
    result: str,
    evidence: str,
    judged_on: date,
    place: str,
) -> Judgement:
    """Record a unit's first judgement, or a reassessment after a BK (by a different
    assessor when the BK was appealed). The caller has checked `permissions.can_judge`."""
    if unit_id not in {unit.id for unit in units_of(enrollment)}:
        raise ValidationFailed(
            _("That unit is not part of this course."), details={"unit_id": [unit_id]}
        )
    fields = _clean(result, evidence, judged_on, place)
    if assessment.requires is not None and not passed(assessment.requires, enrollment.user_id):
        raise Conflict(
            _(
                "The trainee must pass %(title)s before the practical.",
                title=assessment.requires.title,
            ),
            code="prerequisite_missing",
        )
    earlier = history(assessment, enrollment, unit_id)
    previous = earlier[-1] if earlier else None
    if previous is not None:
        if previous.result == "K":
            raise Conflict(_("This unit is already judged Kompeten."), code="already_judged")
        appeal = previous.appeal
        if appeal is not None and appeal.is_open and previous.assessor_id == assessor.id:
            raise Conflict(
                _("An appealed judgement must be reassessed by a different assessor."),
                code="same_assessor",
            )
    judgement = Judgement(
        assessment_id=assessment.id,
        enrollment_id=enrollment.id,
        unit_id=unit_id,
        round=(previous.round + 1) if previous else 1,
        supersedes_id=previous.id if previous else None,
        assessor_id=assessor.id,
        **fields,
    )
    try:
        with db.session.begin_nested():
            db.session.add(judgement)
    except IntegrityError:
        raise Conflict(
            _("Someone recorded this unit at the same time. Reload and check.")
        ) from None
    if previous is not None and previous.appeal is not None and previous.appeal.is_open:
        previous.appeal.resolved_by_id = judgement.id
    record(
        "assessment.practical_judged",
        actor=assessor,
        target=judgement,
        institution_id=assessment.course.institution_id,
        before=None if previous is None else {"id": previous.id, "result": previous.result},
        after={"unit_id": unit_id, "round": judgement.round, "result": judgement.result},
    )
    db.session.flush()
    reevaluate(enrollment.user_id, enrollment.course_id)
    return judgement


def appeal(user: User, judgement: Judgement, reason: str) -> Appeal:
    """Appeal a BK judgement; the caller has checked `permissions.can_appeal`."""
    if judgement.result != "BK":
        raise Conflict(_("Only a Belum Kompeten judgement can be appealed."), code="not_bk")
    if db.session.scalar(select(Judgement.id).where(Judgement.supersedes_id == judgement.id)):
        raise Conflict(_("This judgement has already been reassessed."), code="superseded")
    if judgement.appeal is not None:
        raise Conflict(_("You have already appealed this judgement."), code="already_appealed")
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why you appeal."), details={"reason": ["required"]})
    entry = Appeal(judgement=judgement, user_id=user.id, reason=reason.strip()[:5000])
    db.session.add(entry)
    db.session.flush()
    record("assessment.appealed", actor=user, target=entry, after={"judgement_id": judgement.id})
    return entry


def open_appeals(assessment: Assessment) -> list[Appeal]:
    return list(
        db.session.scalars(
            select(Appeal)
            .join(Judgement, Judgement.id == Appeal.judgement_id)
            .where(Judgement.assessment_id == assessment.id, Appeal.resolved_by_id.is_(None))
            .order_by(Appeal.created_at)
        )
    )
