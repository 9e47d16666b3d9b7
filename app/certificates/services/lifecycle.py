"""After issue: revoke, suspend, reinstate and reissue, each audited (who, when, why)."""

from __future__ import annotations

from typing import Any

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
        raise ValidationFailed("Please give a reason.", details={"reason": ["Required."]})
    return reason[:500]


def revoke(cert: Certificate, reason: str | None, actor: Any) -> Certificate:
    why = _reason(reason)
    if cert.revoked_at is not None:
        raise Conflict("The certificate is already revoked.")
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
    if cert.revoked_at is not None or cert.suspended_at is not None:
        raise Conflict("Only a valid certificate can be suspended.")
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
    if cert.suspended_at is None:
        raise Conflict("Only a suspended certificate can be reinstated.")
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
    if cert.superseded_by_id is not None or cert.revoked_at is not None:
        raise Conflict("Only a current certificate can be reissued.")
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
