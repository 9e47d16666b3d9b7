"""Public pages and documents: the QR verification page, downloads, the upload verifier,
DID documents and status lists; and the holder's "My certificates" page."""

from __future__ import annotations

import io
import json
import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import nav
from app.certificates import verdict
from app.certificates.models import Certificate
from app.certificates.services import keys, scan, status, verification
from app.certificates.services.holders import certificates_for
from app.certificates.services.pdfstore import credential_bytes, read_pdf, verify_url
from app.errors import AppError, NotFound, envelope
from app.extensions import db, limiter
from app.institutions.models import Institution

bp = Blueprint("certificates", __name__, template_folder="templates")

nav.add("certificates.mine", _l("My certificates"), roles=("*",), order=60)
nav.add("certificates.upload", _l("Verify a certificate"), order=70)

STATUS_WORDS = {
    "valid": ("SAH", "VALID"),
    "revoked": ("DICABUT", "REVOKED"),
    "suspended": ("DITANGGUHKAN", "SUSPENDED"),
    "expired": ("KEDALUWARSA", "EXPIRED"),
    "superseded": ("DIGANTI", "SUPERSEDED"),
    "invalid": ("TIDAK SAH", "NOT GENUINE"),
}


def verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


def json_response(document: Any, status_code: int = 200) -> Response:
    response = Response(
        json.dumps(document, ensure_ascii=False), status=status_code, mimetype="application/json"
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def json_errors(view: Any) -> Any:
    """JSON documents outside /api/ answer failures with the error envelope too."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except AppError as error:
            db.session.rollback()
            return envelope(error.status, error.code, error.message, error.details)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@bp.route("/v/<code>")
@limiter.limit(verify_limit)
def verify_page(code: str):
    report = scan.verify_code(code)
    # The read ends in COMMIT, not the teardown's ROLLBACK: psycopg forgets its prepared
    # statements at every ROLLBACK, and keeping the scan's saves PostgreSQL planning it anew.
    db.session.commit()
    return render_template(
        "certificates/verify.html",
        report=report,
        fields=report.fields,
        words=STATUS_WORDS[report.status],
    )


@bp.route("/v/<code>/credential.json")
@limiter.limit(verify_limit)
@json_errors
def credential_json(code: str):
    cert = verification.by_code(code)
    response = Response(credential_bytes(cert.credential), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_stem(cert)}.json"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _file_stem(cert: Certificate) -> str:
    return "sertifikat-" + re.sub(r"[^A-Za-z0-9]+", "-", cert.number).strip("-").lower()


@bp.route("/v/<code>/certificate.pdf")
@limiter.limit(verify_limit)
def certificate_pdf(code: str):
    cert = verification.by_code(code)
    data = read_pdf(cert)
    if data is None:
        raise NotFound(_("The page or item you asked for was not found."))
    return send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{_file_stem(cert)}.pdf",
        max_age=3600,
    )


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(verify_limit, methods=["POST"])
def upload():
    result = None
    error = None
    if request.method == "POST":
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        if not data:
            error = _l("Please choose a PDF or credential JSON file.")
        else:
            try:
                result = verification.verify_upload(data)
            except AppError as exc:
                db.session.rollback()
                error = exc.message
    return render_template(
        "certificates/upload.html",
        result=result,
        error=error,
        words=STATUS_WORDS,
        label=verdict.label,
        describe=verdict.describe,
    )


def _institution(slug: str) -> Institution:
    found = db.session.scalar(select(Institution).where(Institution.slug == slug))
    if found is None:
        raise NotFound("No such issuer.")
    return found


@bp.route("/institutions/<slug>/did.json")
@json_errors
def did_document(slug: str):
    institution = _institution(slug)
    if not keys.credential_keys(institution):
        raise NotFound("No such issuer.")
    response = json_response(keys.did_document(institution))
    response.mimetype = "application/did+json"
    return response


@bp.route("/institutions/<slug>/status/<purpose>.json")
@json_errors
def status_list(slug: str, purpose: str):
    document = status.status_list_credential(_institution(slug), purpose)
    response = json_response(document)
    response.headers["Cache-Control"] = "no-cache"
    return response


def linkedin_url(cert: Certificate) -> str:
    query = urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": cert.title,
            "organizationName": cert.snapshot["issuer"]["name"],
            "issueYear": cert.issued_at.year,
            "issueMonth": cert.issued_at.month,
            "expirationYear": cert.valid_until.year,
            "expirationMonth": cert.valid_until.month,
            "certUrl": verify_url(cert.code),
            "certId": cert.number,
        }
    )
    return f"https://www.linkedin.com/profile/add?{query}"


@bp.route("/certificates/mine")
@login_required
def mine():
    items = [
        {
            "cert": cert,
            "status": verification.certificate_status(cert),
            "url": verify_url(cert.code),
            "linkedin": linkedin_url(cert),
        }
        for cert in certificates_for(current_user)
    ]
    return render_template("certificates/mine.html", items=items, words=STATUS_WORDS)
