"""Assessments: question banks, timed online exams graded on the server, and practical
competency judgements by assessors.

The feature's blueprints live here; `app.assessments.routes` attaches its pages and
`app.assessments.api` its JSON endpoints. The app factory imports both, and also `cli` (the
command) and `services/hooks.py` (which registers the "assessments" completion requirement,
coverage and results with the courses feature).
"""

from flask import Blueprint

from app.api import ApiBlueprint

bp = Blueprint(
    "assessments",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assessments/static",
    cli_group=None,
)
assessments_api = ApiBlueprint(
    "assessments_api", __name__, url_prefix="/api/v1/assessments", description="Assessments"
)
attempts_api = ApiBlueprint(
    "attempts_api", __name__, url_prefix="/api/v1/attempts", description="Assessment attempts"
)
