"""Signed competency certificates: Open Badges 3.0 credentials with eddsa-jcs-2022 proofs,
PDF/A-3b with a PAdES signature and a QR code, public verification, status lists, VC-API.

The feature's blueprints live here; `app.certificates.routes` and `app.certificates.api`
attach their views to them, and `app.certificates.registration` registers them with the app
(and listens for completed courses)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app import nav
from app.api import ApiBlueprint

bp = Blueprint("certificates", __name__, template_folder="templates")
admin_bp = Blueprint("certificates_admin", __name__, url_prefix="/certificates/admin")
certificates_api = ApiBlueprint(
    "certificates_api", __name__, url_prefix="/api/v1", description="Competency certificates"
)
vcapi_blp = ApiBlueprint(
    "vcapi",
    __name__,
    url_prefix="",
    description="VC-API: verify any eddsa-jcs-2022 credential; issue for an institution's "
    "system (OAuth 2.0 client credentials, scope `issue:credentials`).",
)

nav.add("certificates.mine", _l("My certificates"), roles=("*",), order=60)
nav.add("certificates.upload", _l("Verify a certificate"), order=70)
nav.add(
    "certificates_admin.index", _l("Certificates"), roles=("institution_admin", "admin"), order=65
)
