"""JSON API of certificates under /api/v1: public verification, holders' certificates,
and what institution admins do (issue, bulk-issue, revoke, suspend, reinstate, reissue)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from app.api import BEARER, current_api_user, token_required
from app.certificates import certificates_api as blp
from app.certificates import jobs
from app.certificates.models import BulkIssueJob, Certificate
from app.certificates.permissions import can_manage_certificates, can_view_certificate
from app.certificates.routes.common import verify_limit
from app.certificates.schemas import (
    CertificateSchema,
    CohortJobSchema,
    IssueSchema,
    JobSchema,
    ReasonSchema,
    ReissueSchema,
    VerifyResultSchema,
)
from app.certificates.services import lifecycle, scan, verification
from app.certificates.services.holders import certificates_for
from app.certificates.services.issuance import issue_certificate
from app.certificates.services.pdfstore import verify_url
from app.courses.models import Cohort, Enrollment
from app.errors import NotFound
from app.extensions import db, limiter


def _links(code: str) -> dict[str, str]:
    """The public addresses of a certificate, all under BASE_URL like the QR's."""
    page = verify_url(code)
    return {
        "verify_url": page,
        "pdf_url": f"{page}/certificate.pdf",
        "credential_url": f"{page}/credential.json",
    }


def _out(cert: Certificate) -> dict[str, Any]:
    return {
        "id": cert.id,
        "number": cert.number,
        "code": cert.code,
        "state": cert.state,
        "status": verification.certificate_status(cert),
        "holder_name": cert.holder_name,
        "title": cert.title,
        "unit_codes": cert.unit_codes,
        "issued_at": cert.issued_at,
        "valid_until": cert.valid_until,
        "superseded_by_id": cert.superseded_by_id,
        **_links(cert.code),
    }


def _managed(cert_id: int) -> Certificate:
    cert = db.session.get(Certificate, cert_id)
    if cert is None or not can_manage_certificates(current_api_user(), cert.institution_id):
        raise NotFound("No such certificate.")
    return cert


@blp.route("/verify/<code>")
class Verify(MethodView):
    decorators = [limiter.limit(verify_limit)]

    @blp.response(200, VerifyResultSchema)
    @blp.alt_response(404, description="Unknown verification code")
    @blp.alt_response(429, description="Too many requests")
    def get(self, code: str):
        """Verify a certificate by the code its QR carries: status, public fields, checks."""
        report = scan.verify_code(code)  # a 200 commits: see routes/verify.py's verify_page
        # Built and serialised directly: the hot path of every scan skips a schema dump of
        # what it has just assembled itself. tests/certificates check it against the schema.
        return current_app.json.response(
            {
                "status": report.status,
                "checks": report.checks,
                "reasons": report.reasons,
                "certificate": report.fields,
                **_links(report.code),
            }
        )


@blp.route("/certificates")
class Certificates(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, CertificateSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @token_required()
    def get(self):
        """Your certificates, newest first."""
        return [_out(cert) for cert in certificates_for(current_api_user())]

    @blp.doc(security=BEARER)
    @token_required("institution_admin", "admin")
    @blp.arguments(IssueSchema)
    @blp.response(201, CertificateSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an institution admin")
    @blp.alt_response(404, description="No such enrolment in your institution")
    @blp.alt_response(409, description="The enrolment is not complete")
    @blp.alt_response(422, description="Invalid body")
    def post(self, body: dict):
        """Issue the certificate of a completed enrolment (idempotent)."""
        enrollment = db.session.get(Enrollment, body["enrollment_id"])
        user = current_api_user()
        if enrollment is None or not can_manage_certificates(
            user, enrollment.course.institution_id
        ):
            raise NotFound("No such enrolment.")
        return _out(issue_certificate(enrollment, actor=user))


@blp.route("/certificates/<int:cert_id>")
class CertificateItem(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, CertificateSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such certificate of yours")
    @token_required()
    def get(self, cert_id: int):
        """One certificate: its holder's or its institution admins' view."""
        cert = db.session.get(Certificate, cert_id)
        if cert is None or not can_view_certificate(current_api_user(), cert):
            raise NotFound("No such certificate.")
        return _out(cert)


def _lifecycle_view(action: str, schema: type) -> None:
    @blp.route(f"/certificates/<int:cert_id>/{action}", endpoint=f"certificate_{action}")
    class Action(MethodView):
        @blp.doc(security=BEARER, summary=f"{action.capitalize()} a certificate")
        @token_required("institution_admin", "admin")
        @blp.arguments(schema)
        @blp.response(200, CertificateSchema)
        @blp.alt_response(401, description="No valid token")
        @blp.alt_response(403, description="Not an institution admin")
        @blp.alt_response(404, description="No such certificate in your institution")
        @blp.alt_response(409, description="Not possible in the certificate's state")
        @blp.alt_response(422, description="Invalid body (a reason is required)")
        def post(self, body: dict, cert_id: int):
            cert = _managed(cert_id)
            return _out(
                lifecycle.change(
                    action, cert, body["reason"], current_api_user(), body.get("holder_name")
                )
            )


for _action, _schema in (
    ("revoke", ReasonSchema),
    ("suspend", ReasonSchema),
    ("reinstate", ReasonSchema),
    ("reissue", ReissueSchema),
):
    _lifecycle_view(_action, _schema)


@blp.route("/certificates/jobs")
class Jobs(MethodView):
    @blp.doc(security=BEARER)
    @token_required("institution_admin", "admin")
    @blp.arguments(CohortJobSchema)
    @blp.response(202, JobSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an institution admin")
    @blp.alt_response(404, description="No such cohort in your institution")
    @blp.alt_response(409, description="Nothing to issue")
    @blp.alt_response(422, description="Invalid body")
    def post(self, body: dict):
        """Issue certificates for every completed trainee of a cohort, in the background."""
        cohort = db.session.get(Cohort, body["cohort_id"])
        user = current_api_user()
        if cohort is None or not can_manage_certificates(user, cohort.course.institution_id):
            raise NotFound("No such cohort.")
        ids = jobs.pending_enrollments(cohort)
        job = jobs.start_cohort_job(cohort, user)
        jobs.dispatch(job, ids)
        db.session.refresh(job)
        return job


@blp.route("/certificates/jobs/<int:job_id>")
class JobItem(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, JobSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such job in your institution")
    @token_required("institution_admin", "admin")
    def get(self, job_id: int):
        """A bulk issuance job's progress."""
        job = db.session.get(BulkIssueJob, job_id)
        if job is None or not can_manage_certificates(current_api_user(), job.institution_id):
            raise NotFound("No such job.")
        return job
