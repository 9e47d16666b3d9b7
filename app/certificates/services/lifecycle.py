"""After issue: revoke, suspend, reinstate and reissue, each audited (who, when, why).

Every transition first locks the certificate's row (SELECT ... FOR UPDATE) and reads its
state afresh, so of N simultaneous requests exactly one finds the state it expects, changes
it and is audited; the others wait for it to commit, see the new state and get a Conflict.

The four are one table, TRANSITIONS: what state each needs (and the error code when the
certificate is not in it) and what it changes. `change` runs any of them, and the JSON API
and the admin pages both call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit.services import record
from app.certificates.models import Certificate
from app.certificates.services.issuance import issue_certificate
from app.courses.models import Enrollment
from app.db import utcnow
from app.errors import Conflict, ValidationFailed
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

Audit = dict[str, Any]
Applied = tuple[Certificate, Audit, Audit]  # what it leaves; the audit's before and after


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


@dataclass(frozen=True)
class Transition:
    allowed: Callable[[Certificate], bool]
    refusal: Any  # a lazy message: the Conflict's, in the caller's language
    code: str
    apply: Callable[[Certificate, str, User | None, str | None], Applied]


def _revoke(cert: Certificate, why: str, _actor: User | None, _name: str | None) -> Applied:
    cert.revoked_at = utcnow()
    cert.revocation_reason = why
    return cert, {}, {"number": cert.number}


def _suspend(cert: Certificate, why: str, _actor: User | None, _name: str | None) -> Applied:
    cert.suspended_at = utcnow()
    cert.suspension_reason = why
    return cert, {}, {"number": cert.number}


def _reinstate(cert: Certificate, _why: str, _actor: User | None, _name: str | None) -> Applied:
    before = {"suspended_at": cert.suspended_at.isoformat()}
    cert.suspended_at = None
    cert.suspension_reason = None
    return cert, before, {}


def _reissue(cert: Certificate, _why: str, actor: User | None, holder_name: str | None) -> Applied:
    """A new certificate (a corrected name, say) that supersedes `cert`."""
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
    return new, {}, {"number": cert.number, "superseded_by": new.number}


TRANSITIONS: dict[str, Transition] = {
    "revoke": Transition(
        allowed=lambda cert: cert.revoked_at is None,
        refusal=_l("The certificate is already revoked."),
        code="already_revoked",
        apply=_revoke,
    ),
    "suspend": Transition(
        allowed=lambda cert: cert.revoked_at is None and cert.suspended_at is None,
        refusal=_l("Only a valid certificate can be suspended."),
        code="not_valid",
        apply=_suspend,
    ),
    "reinstate": Transition(
        allowed=lambda cert: cert.suspended_at is not None,
        refusal=_l("Only a suspended certificate can be reinstated."),
        code="not_suspended",
        apply=_reinstate,
    ),
    "reissue": Transition(
        allowed=lambda cert: cert.superseded_by_id is None and cert.revoked_at is None,
        refusal=_l("Only a current certificate can be reissued."),
        code="not_current",
        apply=_reissue,
    ),
}


def change(
    action: str,
    cert: Certificate,
    reason: str | None,
    actor: User | None,
    holder_name: str | None = None,
) -> Certificate:
    """Run the transition `action` on `cert` and audit it; the certificate it leaves (for a
    reissue, the new one). `holder_name` is read by a reissue only."""
    transition = TRANSITIONS[action]
    why = _reason(reason)
    cert = _locked(cert)
    if not transition.allowed(cert):
        raise Conflict(str(transition.refusal), code=transition.code)
    result, before, after = transition.apply(cert, why, actor, holder_name)
    db.session.flush()
    record(
        f"certificate.{action}",
        actor=actor,
        institution_id=cert.institution_id,
        target=cert,
        before=before or None,
        after=after or None,
        reason=why,
    )
    return result
