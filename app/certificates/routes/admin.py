"""Institution admin pages: issue by hand, bulk-issue a cohort, revoke/suspend/reinstate/
reissue, keys (rotate, mark compromised, import a CA certificate) and VC-API clients."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.certificates import admin_bp as bp
from app.certificates import jobs
from app.certificates.models import BulkIssueJob, Certificate, OAuthClient
from app.certificates.permissions import can_manage_certificates
from app.certificates.services import clients, keys, lifecycle
from app.certificates.services.issuance import issue_certificate
from app.certificates.services.overview import admin_overview
from app.courses.models import Cohort, Enrollment
from app.errors import AppError
from app.extensions import db
from app.institutions.models import Institution


def _institution() -> Institution:
    slug = request.values.get("institution")
    if current_user.is_admin and slug:
        found = db.session.scalar(select(Institution).where(Institution.slug == slug))
    elif current_user.institution_id:
        found = db.session.get(Institution, current_user.institution_id)
    else:
        found = db.session.scalar(select(Institution).order_by(Institution.id).limit(1))
    if found is None or not can_manage_certificates(current_user, found.id):
        abort(403)
    return found


def _back(institution: Institution) -> Any:
    return redirect(url_for(".index", institution=institution.slug))


def _owned(model: type, item_id: int, institution: Institution) -> Any:
    item = db.session.get(model, item_id)
    if item is None or getattr(item, "institution_id", None) != institution.id:
        abort(404)
    return item


@bp.before_request
@login_required
def _guard() -> None:
    if not current_user.has_any_role("institution_admin", "admin"):
        abort(403)


@bp.route("/")
def index():
    institution = _institution()
    institutions = (
        db.session.scalars(select(Institution).order_by(Institution.name)).all()
        if current_user.is_admin
        else []
    )
    return render_template(
        "certificates/admin.html",
        institution=institution,
        institutions=institutions,
        **admin_overview(institution),
    )


@bp.post("/issue/<int:enrollment_id>")
def issue(enrollment_id: int):
    institution = _institution()
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.course.institution_id != institution.id:
        abort(404)
    try:
        with db.session.begin_nested():
            cert = issue_certificate(enrollment, actor=current_user)
    except AppError as error:
        flash(error.message, "error")
    else:
        flash(_("Certificate %(number)s issued.", number=cert.number), "success")
    return _back(institution)


@bp.post("/cohorts/<int:cohort_id>/issue")
def issue_cohort(cohort_id: int):
    institution = _institution()
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.course.institution_id != institution.id:
        abort(404)
    try:
        with db.session.begin_nested():
            ids = jobs.pending_enrollments(cohort)
            job = jobs.start_cohort_job(cohort, current_user)
    except AppError as error:
        flash(error.message, "error")
        return _back(institution)
    jobs.dispatch(job, ids)
    return redirect(url_for(".job", job_id=job.id, institution=institution.slug))


@bp.route("/jobs/<int:job_id>")
def job(job_id: int):
    institution = _institution()
    return render_template(
        "certificates/job.html",
        job=_owned(BulkIssueJob, job_id, institution),
        institution=institution,
    )


@bp.post("/<int:cert_id>/<any(revoke, suspend, reinstate, reissue):action>")
def change(cert_id: int, action: str):
    institution = _institution()
    cert = _owned(Certificate, cert_id, institution)
    try:
        with db.session.begin_nested():
            result = lifecycle.change(
                action,
                cert,
                request.form.get("reason", ""),
                current_user,
                request.form.get("holder_name"),
            )
    except AppError as error:
        flash(error.message, "error")
    else:
        if result is cert:
            flash(_("Certificate %(number)s updated.", number=cert.number), "success")
        else:
            flash(_("Certificate reissued as %(number)s.", number=result.number), "success")
    return _back(institution)


@bp.post("/keys/rotate")
def rotate():
    institution = _institution()
    key = keys.rotate_keys(institution, current_user)
    flash(_("New signing key %(key)s created.", key=key.fragment), "success")
    return _back(institution)


@bp.post("/keys/<int:number>/compromise")
def compromise(number: int):
    institution = _institution()
    key = keys.find_key(institution, f"key-{number}")
    try:
        since = datetime.fromisoformat(request.form.get("since", "")).replace(tzinfo=UTC)
    except ValueError:
        since = datetime.now(UTC)
    try:
        with db.session.begin_nested():
            keys.compromise_key(key, since, request.form.get("reason", "") or "-", current_user)
    except AppError as error:
        flash(error.message, "error")
    else:
        flash(_("Key %(key)s marked compromised.", key=key.fragment), "success")
    return _back(institution)


@bp.post("/keys/import")
def import_certificate():
    institution = _institution()
    upload, key_upload = request.files.get("certificate"), request.files.get("key")
    password = (request.form.get("password") or "").encode() or None
    try:
        with db.session.begin_nested():
            keys.import_document_cert(
                institution,
                upload.read() if upload else b"",
                key_pem=key_upload.read() or None if key_upload else None,
                password=password,
                actor=current_user,
            )
    except AppError as error:
        flash(error.message, "error")
    else:
        flash(_("Document-signing certificate imported."), "success")
    return _back(institution)


@bp.post("/clients")
def create_client():
    institution = _institution()
    client, secret = clients.create_client(institution, request.form.get("name", ""), current_user)
    flash(_("Client created. Copy the secret now; it is not shown again."), "success")
    return render_template(
        "certificates/client_created.html", client=client, secret=secret, institution=institution
    )


@bp.post("/clients/<int:client_pk>/revoke")
def revoke_client(client_pk: int):
    institution = _institution()
    clients.revoke_client(_owned(OAuthClient, client_pk, institution), current_user)
    flash(_("Client revoked."), "success")
    return _back(institution)
