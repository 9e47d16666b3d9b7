"""Public pages and documents: the QR verification page, downloads, the upload verifier,
DID documents and status lists."""

from __future__ import annotations

import io
import re

from flask import Response, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.certificates import bp
from app.certificates.models import Certificate
from app.certificates.routes.common import STATUS_WORDS, json_errors, json_response, verify_limit
from app.certificates.services import keys, scan, status, verdict, verification
from app.certificates.services.pdfstore import credential_bytes, read_pdf
from app.certificates.services.upload import verify_upload
from app.errors import AppError, NotFound
from app.extensions import db, limiter
from app.institutions.models import Institution


@bp.route("/v/<code>")
@limiter.limit(verify_limit)
def verify_page(code: str):
    # A 200 commits (app/transactions.py), so the read ends in COMMIT, not ROLLBACK: psycopg
    # forgets its prepared statements at every ROLLBACK, and keeping the scan's saves
    # PostgreSQL planning it anew. tests/certificates/test_transactions.py checks it.
    report = scan.verify_code(code)
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
                result = verify_upload(data)
            except AppError as exc:  # the file's fault, shown on the page; nothing was written
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
