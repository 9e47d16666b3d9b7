"""Signed competency certificates: Open Badges 3.0 credentials with eddsa-jcs-2022 proofs,
PDF/A-3b with a PAdES signature and a QR code, public verification, status lists, VC-API.

A certificate is issued when the courses feature says an enrolment is complete: the
receiver below listens to `course_completed` (it flushes, never commits)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from app.courses.signals import course_completed

log = logging.getLogger(__name__)


@course_completed.connect
def _issue_on_completion(sender: Any, enrollment: Any = None, **extra: Any) -> None:
    from app.certificates.services.issuance import issue_on_completion

    if enrollment is not None:
        issue_on_completion(enrollment)


def register(app: Flask) -> None:
    """Blueprints, the VC-API's OAuth server, CLI commands and the font-subsetting check."""
    from app.api import api
    from app.certificates import admin, routes, vcapi
    from app.certificates.api import blp as certificates_api
    from app.certificates.cli import register as register_cli
    from app.certificates.oauth import ISSUE_SCOPE, init_oauth
    from app.certificates.pdf.render import harfbuzz_subset_available
    from app.extensions import csrf

    app.config.setdefault("VERIFY_RATE_LIMIT", "60 per minute")
    app.register_blueprint(routes.bp)
    app.register_blueprint(admin.bp)
    for blueprint in (certificates_api, vcapi.blp):
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
