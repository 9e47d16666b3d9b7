"""After issue: revoke, suspend, reinstate and reissue, each audited (who, when, why).

Every transition first locks the certificate's row (SELECT ... FOR UPDATE) and reads its
state afresh, so of N simultaneous requests exactly one finds the state it expects, changes
it and is audited; the others wait for it to commit, see the new state and get a Conflict.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.services import record
from app.certificates.models import Certificate
from app.certificates.services.issuance import issue_certificate
from app.courses.models import Enrollment
from app.db import utcnow
from app.errors import Conflict, ValidationFailed
from app.extensions import db


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Please give a reason."), details={"reason": ["Required."]})
    return reason[:500]


def _locked(cert: Certificate) -> Certificate:
    """The certificate re-read under a row lock held until the transaction ends."""
    return db.session.execute(
        select(Certificate)
        .where(Certificate.id == cert.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def revoke(cert: Certificate, reason: str | None, actor: Any) -> Certificate:
    why = _reason(reason)
    cert = _locked(cert)
    if cert.revoked_at is not None:
        raise Conflict(_("The certificate is already revoked."), code="already_revoked")
    cert.revoked_at = utcnow()
    cert.revocation_reason = why
    db.session.flush()
    record(
        "certificate.revoke",
        actor=actor,
        institution_id=cert.institution_id,
        target=cert,
        after={"number": cert.number},
        reason=why,
    )
    return cert


def suspend(cert: Certificate, reason: str | None, actor: Any) -> Certificate:
    why = _reason(reason)
    cert = _locked(cert)
    if cert.revoked_at is not None or cert.suspended_at is not None:
        raise Conflict(_("Only a valid certificate can be suspended."), code="not_valid")
    cert.suspended_at = utcnow()
    cert.suspension_reason = why
    db.session.flush()
    record(
        "certificate.suspend",
        actor=actor,
        institution_id=cert.institution_id,
        target=cert,
        after={"number": cert.number},
        reason=why,
    )
    return cert


def reinstate(cert: Certificate, reason: str | None, actor: Any) -> Certificate:
    why = _reason(reason)
    cert = _locked(cert)
    if cert.suspended_at is None:
        raise Conflict(_("Only a suspended certificate can be reinstated."), code="not_suspended")
    before = {"suspended_at": cert.suspended_at.isoformat()}
    cert.suspended_at = None
    cert.suspension_reason = None
    db.session.flush()
    record(
        "certificate.reinstate",
        actor=actor,
        institution_id=cert.institution_id,
        target=cert,
        before=before,
        reason=why,
    )
    return cert


def reissue(
    cert: Certificate, reason: str | None, actor: Any, holder_name: str | None = None
) -> Certificate:
    """A new certificate (a corrected name, say) that supersedes `cert`."""
    why = _reason(reason)
    cert = _locked(cert)
    if cert.superseded_by_id is not None or cert.revoked_at is not None:
        raise Conflict(_("Only a current certificate can be reissued."), code="not_current")
    enrollment = db.session.get(Enrollment, cert.enrollment_id)
    generation = (
        db.session.scalar(
            select(func.max(Certificate.generation)).where(
                Certificate.enrollment_id == cert.enrollment_id,
                Certificate.course_version_id == cert.course_version_id,
            )
        )
        or 1
    ) + 1
    name = (holder_name or "").strip()[:200] or cert.holder_name
    new = issue_certificate(enrollment, actor=actor, generation=generation, holder_name=name)
    cert.superseded_by_id = new.id
    db.session.flush()
    record(
        "certificate.reissue",
        actor=actor,
        institution_id=cert.institution_id,
        target=cert,
        after={"number": cert.number, "superseded_by": new.number},
        reason=why,
    )
    return new
