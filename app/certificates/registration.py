"""Registers the certificates feature with the app: its blueprints, the VC-API's OAuth server,
its CLI commands and the font-subsetting check; and issues a certificate when the courses
feature says an enrolment is complete. Only create_app imports this module."""

from __future__ import annotations

import logging

from flask import Flask

from app.api import api
from app.certificates import admin_bp, bp, certificates_api, vcapi_blp
from app.certificates import api as _api_views  # noqa: F401  (attaches the endpoints)
from app.certificates import routes as _page_views  # noqa: F401  (attaches the pages)
from app.certificates.api.oauth import init_oauth
from app.certificates.cli import register as register_cli
from app.certificates.models import ISSUE_SCOPE
from app.certificates.pdf import render
from app.certificates.services.issuance import issue_on_completion
from app.courses.models import Enrollment
from app.courses.signals import course_completed
from app.extensions import csrf

log = logging.getLogger(__name__)


@course_completed.connect
def _issue_on_completion(
    sender: object, enrollment: Enrollment | None = None, **extra: object
) -> None:
    """A certificate is issued when the courses feature says an enrolment is complete (it
    flushes, never commits)."""
    if enrollment is not None:
        issue_on_completion(enrollment)


def register(app: Flask) -> None:
    """Blueprints, the VC-API's OAuth server, CLI commands and the font-subsetting check."""
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
    if not render.harfbuzz_subset_available():
        log.warning(
            "libharfbuzz-subset is MISSING: WeasyPrint falls back to fontTools and certificate "
            "PDFs render 5-6 times slower. Install Debian's libharfbuzz-subset0."
        )
