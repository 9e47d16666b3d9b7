"""Signed competency certificates: Open Badges 3.0 credentials with eddsa-jcs-2022 proofs,
PDF/A-3b with a PAdES signature and a QR code, public verification, status lists, VC-API.

A certificate is issued when the courses feature says an enrolment is complete: the
receiver below listens to `course_completed` (it flushes, never commits).

The feature's blueprints live here; `app.certificates.routes` and `app.certificates.api`
attach their views to them, and `register` registers them."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from app import nav
from app.api import ApiBlueprint
from app.courses.signals import course_completed

log = logging.getLogger(__name__)

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


@course_completed.connect
def _issue_on_completion(sender: Any, enrollment: Any = None, **extra: Any) -> None:
    from app.certificates.services.issuance import issue_on_completion

    if enrollment is not None:
        issue_on_completion(enrollment)


def register(app: Flask) -> None:
    """Blueprints, the VC-API's OAuth server, CLI commands and the font-subsetting check."""
    from app.api import api
    from app.certificates import api as _api_views  # noqa: F401  attaches the endpoints
    from app.certificates import routes as _page_views  # noqa: F401  attaches the pages
    from app.certificates.api.oauth import init_oauth
    from app.certificates.cli import register as register_cli
    from app.certificates.models import ISSUE_SCOPE
    from app.certificates.pdf.render import harfbuzz_subset_available
    from app.extensions import csrf

    app.config.setdefault("VERIFY_RATE_LIMIT", "60 per minute")
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    for blueprint in (certificates_api, vcapi_blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    if "oauth2" not in api.spec.components.security_schemes:
        api.spec.components.security_scheme(
            "oauth2",
            {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/oauth/token",
                        "scopes": {ISSUE_SCOPE: "Sign credentials for the client's institution"},
                    }
                },
            },
        )
    init_oauth(app)
    register_cli(app)
    if not harfbuzz_subset_available():
        log.warning(
            "libharfbuzz-subset is MISSING: WeasyPrint falls back to fontTools and certificate "
            "PDFs render 5-6 times slower. Install Debian's libharfbuzz-subset0."
        )
