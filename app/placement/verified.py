"""The one door from placement to certificates. Everything placement knows about
certificates (which units a person holds, a certificate's live status, what was issued
when) is read here, from `app.certificates.models.Certificate`, and nowhere else.

Status is read live on every call through the certificates package's own
`certificate_status` (revoked, suspended, superseded, expired or valid), never cached or
copied into placement tables. Only `valid` certificates count for matching.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from app.auth.models import User
from app.certificates.models import Certificate
from app.certificates.services.verification import certificate_status
from app.courses.models import CourseVersion
from app.db import utcnow
from app.extensions import db

VALID = "valid"
STATUSES = ("valid", "revoked", "suspended", "superseded", "expired")


@dataclass(frozen=True)
class CertificateRef:
    id: int
    user_id: int
    number: str
    code: str
    title: str
    institution_id: int
    course_id: int | None
    unit_codes: tuple[str, ...]
    issued_at: datetime
    valid_until: datetime
    status: str

    @property
    def is_valid(self) -> bool:
        return self.status == VALID


def status_of(certificate: Certificate, now: datetime | None = None) -> str:
    """The certificates package's own live status: valid, revoked, suspended, superseded
    or expired."""
    return certificate_status(certificate, now)


def _ref(certificate: Certificate, course_id: int | None, now: datetime) -> CertificateRef:
    return CertificateRef(
        id=certificate.id,
        user_id=certificate.user_id,
        number=certificate.number,
        code=certificate.code,
        title=certificate.title,
        institution_id=certificate.institution_id,
        course_id=course_id,
        unit_codes=tuple(certificate.unit_codes),
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        status=status_of(certificate, now),
    )


def _refs(statement: Select) -> list[CertificateRef]:
    now = utcnow()
    rows = db.session.execute(
        statement.add_columns(CourseVersion.course_id).join(
            CourseVersion, CourseVersion.id == Certificate.course_version_id
        )
    ).all()
    return [_ref(certificate, course_id, now) for certificate, course_id in rows]


def user_certificates(user: User) -> list[CertificateRef]:
    """All of a user's certificates, newest first, each with its live status."""
    return _refs(
        select(Certificate)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )


def certificates_by_id(ids: Iterable[int]) -> dict[int, CertificateRef]:
    ids = list(ids)
    if not ids:
        return {}
    return {ref.id: ref for ref in _refs(select(Certificate).where(Certificate.id.in_(ids)))}


def certificate_live_status(certificate_id: int) -> str | None:
    certificate = db.session.get(Certificate, certificate_id)
    return None if certificate is None else status_of(certificate)


def verified_units(user: User) -> dict[str, list[CertificateRef]]:
    """unit code -> the currently valid certificates of the user that certify it."""
    return units_by_user([user.id]).get(user.id, {})


def units_by_user(user_ids: Iterable[int]) -> dict[int, dict[str, list[CertificateRef]]]:
    """For many users at once: user id -> unit code -> valid certificates (one query)."""
    user_ids = list(user_ids)
    out: dict[int, dict[str, list[CertificateRef]]] = {uid: {} for uid in user_ids}
    if not user_ids:
        return out
    refs = _refs(
        select(Certificate).where(Certificate.user_id.in_(user_ids)).order_by(Certificate.id)
    )
    for ref in refs:
        if ref.is_valid:
            for code in ref.unit_codes:
                out[ref.user_id].setdefault(code, []).append(ref)
    return out


def issued_between(start: datetime, end: datetime) -> list[CertificateRef]:
    """Certificates issued in [start, end), oldest first: the survey dispatcher's input."""
    return _refs(
        select(Certificate)
        .where(Certificate.issued_at >= start, Certificate.issued_at < end)
        .order_by(Certificate.issued_at, Certificate.id)
    )


def issued_certificates(institution_id: int | None = None) -> list[CertificateRef]:
    """Every issued certificate (of one institution), for the outcome dashboards."""
    statement = select(Certificate).order_by(Certificate.id)
    if institution_id is not None:
        statement = statement.where(Certificate.institution_id == institution_id)
    return _refs(statement)
