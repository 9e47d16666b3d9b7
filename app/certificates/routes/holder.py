"""The holder's "My certificates" page, with a link to add each to a LinkedIn profile."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import render_template
from flask_login import current_user, login_required

from app.certificates import bp
from app.certificates.models import Certificate
from app.certificates.routes.common import STATUS_WORDS
from app.certificates.services import verification
from app.certificates.services.holders import certificates_for
from app.certificates.services.pdfstore import verify_url


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
