"""Applications with chosen certificates, their states, and the placement a hire records."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import local_today
from app.placement import verified
from app.placement.models.employers import (
    TRANSITIONS,
    Application,
    ApplicationCertificate,
    Placement,
    Vacancy,
)
from app.placement.permissions import can_manage_company, can_see_application

log = logging.getLogger(__name__)


def apply(
    user: User, vacancy: Vacancy, certificate_ids: list[int], cover_note: str | None = ""
) -> Application:
    if not vacancy.is_open(local_today()):
        raise NotFound(_("No such vacancy."))
    chosen = sorted(set(certificate_ids))
    mine = {ref.id for ref in verified.user_certificates(user)}
    foreign = [cid for cid in chosen if cid not in mine]
    if foreign:
        raise ValidationFailed(
            _("You can only attach your own certificates."),
            details={"certificate_ids": {"not_yours": foreign}},
        )
    cover_note = (cover_note or "").strip()
    if len(cover_note) > 2000:
        raise ValidationFailed(_("This text is too long."), details={"cover_note": ["too_long"]})
    application = Application(vacancy_id=vacancy.id, user_id=user.id, cover_note=cover_note)
    application.certificate_links = [ApplicationCertificate(certificate_id=c) for c in chosen]
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError as error:
        raise Conflict(_("You have already applied for this vacancy.")) from error
    log.info("user %s applied for vacancy %s", user.id, vacancy.id)
    return application


def get_application(user: User, application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or not can_see_application(user, application):
        raise NotFound(_("No such application."))
    return application


def application_of(user: User, vacancy: Vacancy) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.vacancy_id == vacancy.id, Application.user_id == user.id
        )
    )


def applications_of(user: User) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.user_id == user.id)
            .order_by(Application.id.desc())
        )
    )


def live_certificates(application: Application) -> list[verified.CertificateRef]:
    """The chosen certificates with their status as of now."""
    refs = verified.certificates_by_id(application.certificate_ids)
    return [refs[cid] for cid in application.certificate_ids if cid in refs]


def move(actor: User, application: Application, new_status: str) -> Application:
    """applied -> shortlisted -> interviewed -> hired | rejected; a hire records a Placement."""
    if not can_manage_company(actor, application.vacancy.company):
        raise NotFound(_("No such application."))
    old_status = application.status
    if new_status not in TRANSITIONS.get(old_status, ()):
        raise Conflict(
            _(
                "An application cannot move from %(old)s to %(new)s.",
                old=old_status,
                new=new_status,
            ),
            details={"status": {"from": old_status, "to": new_status}},
        )
    moved = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == old_status)
        .values(status=new_status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise Conflict(_("Someone else changed this application first. Reload and try again."))
    db.session.refresh(application)
    if new_status == "hired":
        db.session.add(
            Placement(
                application_id=application.id,
                user_id=application.user_id,
                company_id=application.vacancy.company_id,
                vacancy_id=application.vacancy_id,
                country=application.vacancy.country,
                recorded_by_id=actor.id,
            )
        )
        db.session.flush()
    record(
        "placement.application_moved",
        actor=actor,
        target=application,
        before={"status": old_status},
        after={"status": new_status},
    )
    return application
