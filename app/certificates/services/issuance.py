"""Issuing certificates: one per enrolment and course version (and generation), numbered
gaplessly per institution and year, with the credential signed and the PDF stored."""

from __future__ import annotations

import logging
import secrets
import uuid
from typing import TYPE_CHECKING, Any

import base58
from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.models import User
from app.certificates.crypto.statuslist import allocate_index
from app.certificates.models import Certificate, CertificateCounter
from app.certificates.services import credential as cred
from app.certificates.services.keys import ensure_credential_key, issuer_did
from app.certificates.services.pdfstore import attach_pdf
from app.courses.models import Enrollment
from app.courses.services.coverage import unit_results
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

log = logging.getLogger(__name__)

DEFAULT_VALIDITY_MONTHS = 36


def new_code() -> str:
    """A verification code: 128 random bits in base58 (about 22 characters)."""
    return base58.b58encode(secrets.token_bytes(16)).decode("ascii")


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix or 'KMP'}/{year}/{serial:06d}"


def next_serial(institution_id: int, year: int) -> int:
    """Increment the (institution, year) counter; the row stays locked until commit."""
    bump = (
        update(CertificateCounter)
        .where(CertificateCounter.institution_id == institution_id, CertificateCounter.year == year)
        .values(last_number=CertificateCounter.last_number + 1)
        .returning(CertificateCounter.last_number)
        .execution_options(synchronize_session=False)
    )
    serial = db.session.execute(bump).scalar()
    if serial is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    CertificateCounter(institution_id=institution_id, year=year, last_number=0)
                )
        except IntegrityError:
            pass  # another transaction created it first
        serial = db.session.execute(bump).scalar_one()
    return serial


def assessed_units(enrollment: Enrollment) -> list[dict[str, Any]]:
    """The version's units, each with what the certificate may say about it: for a course
    leading to a competency certificate, the assessment that judged it K (Conflict when a
    unit has no such result); for a training certificate, the unit alone."""
    units = [
        {"code": unit.code, "title_id": unit.title_id, "title_en": unit.title_en}
        for unit in enrollment.course_version.units
    ]
    if not enrollment.course.leads_to_competency:
        return units
    results = unit_results(enrollment)
    missing = [unit["code"] for unit in units if results.get(unit["code"], {}).get("result") != "K"]
    if missing or not units:
        raise Conflict(
            _(
                "A competency certificate needs every unit assessed and judged Competent; "
                "not yet: %(codes)s",
                codes=", ".join(missing) or "-",
            ),
            code="units_not_assessed",
            details={"units": missing},
        )
    for unit in units:
        found = results[unit["code"]]
        unit.update(
            result=found["result"],
            method=found["method"],
            assessment=found["assessment"],
            assessor=found["assessor"],
            assessed_on=found["date"],
        )
    return units


def build_snapshot(
    enrollment: Enrollment, units: list[dict[str, Any]], holder_name: str | None = None
) -> dict[str, Any]:
    """What the certificate certifies, frozen at issuance: the document's kind, the units
    (with their assessment results on a competency certificate) and who assessed them."""
    version = enrollment.course_version
    institution = enrollment.course.institution
    assessors = sorted({unit["assessor"] for unit in units if unit.get("assessor")})
    signatory = db.session.scalar(
        select(User.full_name)
        .where(User.institution_id == institution.id)
        .where(User.role_rows.any(role="institution_admin"))
        .order_by(User.id)
        .limit(1)
    )
    completed = enrollment.completed_at or utcnow()
    return {
        "holder_name": holder_name or enrollment.user.full_name,
        "course_title": version.title,
        "course_code": enrollment.course.code,
        "course_version": version.number,
        "hours": version.hours,
        "certificate_kind": enrollment.course.certificate_kind,
        "units": units,
        "assessor": ", ".join(assessors) or None,
        "completed_at": completed.isoformat(),
        "signatory_name": signatory,
        "issuer": {
            "name": institution.name,
            "slug": institution.slug,
            "address": institution.address,
            "city": institution.city,
        },
    }


def find_certificate(enrollment: Enrollment, generation: int = 1) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.enrollment_id == enrollment.id,
            Certificate.course_version_id == enrollment.course_version_id,
            Certificate.generation == generation,
        )
    )


def _used_indexes(institution_id: int, column: Any) -> set[int]:
    return set(
        db.session.scalars(select(column).where(Certificate.institution_id == institution_id))
    )


def _new_row(
    enrollment: Enrollment,
    units: list[dict[str, Any]],
    generation: int,
    holder_name: str | None,
    actor: User | None,
) -> Certificate:
    institution = enrollment.course.institution
    key = ensure_credential_key(institution)
    snapshot = build_snapshot(enrollment, units, holder_name)
    issued_at = utcnow()
    now = issued_at.replace(microsecond=0)  # credentials carry whole seconds
    months = enrollment.course_version.validity_months or DEFAULT_VALIDITY_MONTHS
    valid_until = now + relativedelta(months=months)
    serial = next_serial(institution.id, now.year)
    revocation = allocate_index(_used_indexes(institution.id, Certificate.revocation_index))
    suspension = allocate_index(_used_indexes(institution.id, Certificate.suspension_index))
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    achievement = (
        f"{cred.base_url()}/achievements/{enrollment.course_id}/v{enrollment.course_version.number}"
    )
    unsigned = cred.build_credential(
        credential_id=credential_id,
        issuer_did=issuer_did(institution),
        institution=institution,
        snapshot=snapshot,
        email=enrollment.user.email,
        salt=cred.new_salt(),
        valid_from=now,
        valid_until=valid_until,
        revocation_index=revocation,
        suspension_index=suspension,
        achievement_id=achievement,
    )
    cert = Certificate(
        institution_id=institution.id,
        user_id=enrollment.user_id,
        enrollment_id=enrollment.id,
        course_version_id=enrollment.course_version_id,
        generation=generation,
        year=now.year,
        serial=serial,
        number=format_number(institution.number_prefix, now.year, serial),
        code=new_code(),
        credential_uid=credential_id,
        state="pending_pdf",
        snapshot=snapshot,
        credential=cred.sign(unsigned, key, now),
        credential_key_id=key.id,
        revocation_index=revocation,
        suspension_index=suspension,
        issued_at=issued_at,
        valid_from=now,
        valid_until=valid_until,
        issued_by_id=getattr(actor, "id", None),
    )
    db.session.add(cert)
    db.session.flush()
    return cert


def issue_certificate(
    enrollment: Enrollment,
    *,
    actor: User | None = None,
    with_pdf: bool = True,
    generation: int = 1,
    holder_name: str | None = None,
) -> Certificate:
    """The enrolment's certificate, issuing it if it has none (idempotent, race-safe).

    With `with_pdf=False` the certificate stays `pending_pdf` for `attach_pdf` to finish
    (bulk jobs commit the number first, then render outside the counter lock).
    """
    existing = find_certificate(enrollment, generation)
    if existing is not None:
        return existing
    if enrollment.status != "completed":
        raise Conflict("The enrolment is not complete; no certificate can be issued yet.")
    units = assessed_units(enrollment)
    cert = None
    for _attempt in range(5):
        try:
            with db.session.begin_nested():
                cert = _new_row(enrollment, units, generation, holder_name, actor)
            break
        except IntegrityError:
            existing = find_certificate(enrollment, generation)
            if existing is not None:
                log.info("certificate for enrolment %s was issued concurrently", enrollment.id)
                return existing
    if cert is None:
        raise Conflict("The certificate could not be issued; please try again.")
    record(
        "certificate.issue",
        actor=actor,
        actor_email=None if actor else "system",
        institution_id=cert.institution_id,
        target=cert,
        after={"number": cert.number, "enrollment_id": enrollment.id},
    )
    log.info("issued certificate %s for enrolment %s", cert.number, enrollment.id)
    if with_pdf:
        attach_pdf(cert)
    return cert


def issue_on_completion(enrollment: Enrollment) -> Certificate | None:
    """The course_completed receiver: issue; a PDF failure leaves it `pending_pdf`. A
    competency course whose units are not all judged K (an assessment unpublished after
    the course was) gets no certificate: nothing may say "Competent" without a judgement."""
    try:
        cert = issue_certificate(enrollment, with_pdf=False)
    except Conflict as refused:
        if refused.code != "units_not_assessed":
            raise
        log.warning("no certificate for enrolment %s: %s", enrollment.id, refused.message)
        return None
    if cert.state == "issued":
        return cert
    try:
        attach_pdf(cert)
    except Exception:
        log.exception("PDF of certificate %s failed; it stays pending_pdf", cert.number)
    return cert


def retry_pending_pdfs(limit: int = 100) -> list[Certificate]:
    """Render the PDFs of certificates left `pending_pdf` (`flask retry-certificate-pdfs`)."""
    done = []
    for cert in db.session.scalars(
        select(Certificate).where(Certificate.state == "pending_pdf").limit(limit)
    ):
        attach_pdf(cert)
        done.append(cert)
    return done
