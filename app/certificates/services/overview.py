"""What the institution admin page shows: who waits for a certificate, cohorts, recent jobs,
certificates with their status, keys and VC-API clients."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.certificates.models import BulkIssueJob, Certificate, OAuthClient
from app.certificates.services import keys
from app.certificates.services.verification import certificate_status
from app.courses.models import Cohort, Course, Enrollment
from app.extensions import db
from app.institutions.models import Institution


def admin_overview(institution: Institution, limit: int = 100) -> dict[str, Any]:
    in_institution = Course.institution_id == institution.id
    has_cert = exists().where(Certificate.enrollment_id == Enrollment.id)
    waiting = db.session.scalars(
        select(Enrollment)
        .join(Course)
        .where(in_institution, Enrollment.status == "completed", ~has_cert)
        .order_by(Enrollment.completed_at.desc())
        .limit(50)
    ).all()
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.institution_id == institution.id)
        .order_by(Certificate.id.desc())
        .limit(limit)
    ).all()
    return {
        "waiting": waiting,
        "cohorts": db.session.scalars(select(Cohort).join(Course).where(in_institution)).all(),
        "jobs": db.session.scalars(
            select(BulkIssueJob)
            .where(BulkIssueJob.institution_id == institution.id)
            .order_by(BulkIssueJob.id.desc())
            .limit(5)
        ).all(),
        "certificates": [(cert, certificate_status(cert)) for cert in certificates],
        "keys": keys.credential_keys(institution),
        "document_cert": keys.current_document_cert(institution),
        "clients": db.session.scalars(
            select(OAuthClient).where(OAuthClient.institution_id == institution.id)
        ).all(),
    }
